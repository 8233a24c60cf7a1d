package httpapi

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// ParseTrustedProxies parses TRUSTED_PROXIES entries: CIDRs or single
// addresses (taken as /32 or /128).
func ParseTrustedProxies(entries []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, e := range entries {
		e = strings.TrimSpace(e)
		if e == "" {
			continue
		}
		if p, err := netip.ParsePrefix(e); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(e)
		if err != nil {
			return nil, fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR or IP address (e.g. 10.0.0.0/8, 192.0.2.10)", e)
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// proxies resolves the client address of a request. X-Forwarded-For is
// honoured only when the peer is a trusted proxy, and then the client is the
// rightmost address that is not itself a trusted proxy: entries to its left
// were written by the client and can be anything.
type proxies struct{ trusted []netip.Prefix }

func (p proxies) isTrusted(a netip.Addr) bool {
	for _, pre := range p.trusted {
		if pre.Contains(a) {
			return true
		}
	}
	return false
}

// clientIP returns the client address of r as a string ("" only when the
// peer address cannot be parsed, which net/http never gives).
func (p proxies) clientIP(r *http.Request) string {
	peer := peerAddr(r.RemoteAddr)
	if !peer.IsValid() {
		return r.RemoteAddr
	}
	if len(p.trusted) == 0 || !p.isTrusted(peer) {
		return peer.String()
	}
	hops := forwardedFor(r.Header)
	client := peer
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(hops[i])
		if err != nil {
			break // garbage: keep the last address a trusted hop vouched for
		}
		client = a.Unmap()
		if !p.isTrusted(client) {
			break
		}
	}
	return client.String()
}

// forwardedFor lists the X-Forwarded-For entries of every such header, in
// order; an entry may carry a port or IPv6 brackets.
func forwardedFor(h http.Header) []string {
	var out []string
	for _, v := range h.Values("X-Forwarded-For") {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			if host, _, err := net.SplitHostPort(part); err == nil {
				part = host
			}
			out = append(out, strings.Trim(part, "[]"))
		}
	}
	return out
}

func peerAddr(remote string) netip.Addr {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		host = remote
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	if err != nil {
		return netip.Addr{}
	}
	return a.Unmap()
}

type clientIPKey struct{}

// withClientIP stores the resolved client address in the request context.
func (p proxies) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := context.WithValue(r.Context(), clientIPKey{}, p.clientIP(r))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// ClientIP returns the client address the HTTP layer resolved for this
// request (X-Forwarded-For applied only from TRUSTED_PROXIES), for audit
// records and rate limits; "" outside an HTTP request.
func ClientIP(ctx context.Context) string {
	s, _ := ctx.Value(clientIPKey{}).(string)
	return s
}
