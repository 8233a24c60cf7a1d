package httpapi

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"
)

// hostGuard defeats DNS rebinding: a page on evil.example whose name is
// made to resolve to 127.0.0.1 reaches a loopback server with
// "Host: evil.example". A request that arrived on a loopback address must
// therefore name a loopback host (localhost, 127.0.0.0/8, ::1) or one of
// ALLOWED_HOSTS (the public name a reverse proxy on the same machine
// forwards). On other addresses, ALLOWED_HOSTS, when set, is the list of
// names the server answers to; when empty, any Host passes there (such a
// server is reachable by name anyway, and authentication guards it).
type hostGuard struct{ allowed map[string]bool }

func newHostGuard(allowed []string) hostGuard {
	g := hostGuard{allowed: map[string]bool{}}
	for _, h := range allowed {
		if h = hostname(strings.TrimSpace(h)); h != "" {
			g.allowed[h] = true
		}
	}
	return g
}

func (g hostGuard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.allows(r) {
			refuse(w, r, http.StatusForbidden, codeRefused,
				fmt.Sprintf("Forbidden: Host %q is not a name this server answers to (DNS rebinding protection; see ALLOWED_HOSTS)", clip(r.Host, 100)), 0)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (g hostGuard) allows(r *http.Request) bool {
	host := hostname(r.Host)
	if host == "" {
		return false
	}
	if g.allowed[host] {
		return true
	}
	if arrivedOnLoopback(r) {
		return isLoopbackName(host)
	}
	return len(g.allowed) == 0
}

// arrivedOnLoopback reports whether the connection's local address is a
// loopback address (the listener is on loopback, or on 0.0.0.0 and reached
// through loopback).
func arrivedOnLoopback(r *http.Request) bool {
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || local == nil {
		return false
	}
	a := peerAddr(local.String())
	return a.IsValid() && a.IsLoopback()
}

// hostname lowercases a Host header value and drops the port and brackets.
func hostname(hostport string) string {
	h := hostport
	if host, _, err := net.SplitHostPort(hostport); err == nil {
		h = host
	}
	return strings.ToLower(strings.TrimSuffix(strings.Trim(h, "[]"), "."))
}

func isLoopbackName(host string) bool {
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// cors answers CORS for the origins in ALLOWED_ORIGINS only: preflights get
// 204 with the methods and headers MCP needs, and replies expose the
// headers a browser client must read (Mcp-Session-Id above all). Requests
// from other origins were already refused by originPolicy; requests without
// Origin, and same-origin ones, get no CORS headers.
type cors struct{ allowed map[string]bool }

func newCORS(allowed []string) cors {
	c := cors{allowed: map[string]bool{}}
	for _, o := range allowed {
		c.allowed[normOrigin(o)] = true
	}
	return c
}

func normOrigin(o string) string { return strings.ToLower(strings.TrimRight(o, "/")) }

const (
	corsAllowMethods  = "GET, POST, DELETE, OPTIONS"
	corsAllowHeaders  = "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID, X-Correlation-ID"
	corsExposeHeaders = "Mcp-Session-Id, Mcp-Protocol-Version, WWW-Authenticate, Retry-After, X-Correlation-ID"
)

func (c cors) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !c.allowed[normOrigin(origin)] {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", corsAllowMethods)
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// limitBody caps every request body (the MCP transports, /auth/*, anything
// added later): a declared length over the cap is refused with 413 before
// reading; a chunked body is cut at the cap and the reader fails with
// *http.MaxBytesError, which the MCP transports turn into 413. A body must
// also arrive within timeout (a client trickling it byte by byte holds a
// connection and a handler otherwise: http.Server has no body timeout that
// would spare the long-lived SSE streams).
func limitBody(max int64, timeout time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength > max {
			refuse(w, r, http.StatusRequestEntityTooLarge, codeRefused,
				fmt.Sprintf("request body of %d bytes exceeds the limit of %d bytes", r.ContentLength, max), 0)
			return
		}
		if r.Body != nil && r.Body != http.NoBody {
			r.Body = http.MaxBytesReader(w, r.Body, max)
			if timeout > 0 {
				rc := http.NewResponseController(w)
				if rc.SetReadDeadline(time.Now().Add(timeout)) == nil {
					r.Body = &deadlineBody{ReadCloser: r.Body, rc: rc}
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// deadlineBody lifts the connection's read deadline once the whole body
// has been read: the handler may then run longer than the body timeout (a
// slow tool call), and the server's background read, which watches for the
// client going away, must not hit the deadline and cancel the call. After
// a failed read the deadline stays, so that the server does not wait for
// the rest of a trickled body either.
type deadlineBody struct {
	io.ReadCloser
	rc   *http.ResponseController
	done bool
}

func (b *deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && !b.done {
		b.done = true
		_ = b.rc.SetReadDeadline(time.Time{})
	}
	return n, err
}
