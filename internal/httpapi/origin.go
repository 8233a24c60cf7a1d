package httpapi

import (
	"net/http"
	"net/url"
	"strings"
)

// originPolicy rejects browser requests from foreign origins (403), which
// together with the go-sdk's Host check on loopback defeats DNS rebinding.
// Requests without an Origin header come from non-browser clients and pass.
type originPolicy struct{ allowed map[string]bool }

func newOriginPolicy(allowed []string) originPolicy {
	p := originPolicy{allowed: map[string]bool{}}
	for _, o := range allowed {
		p.allowed[strings.ToLower(strings.TrimRight(o, "/"))] = true
	}
	return p
}

func (p originPolicy) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin != "" && !p.allows(origin, r.Host) {
			http.Error(w, "Forbidden: origin not allowed", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (p originPolicy) allows(origin, host string) bool {
	o := strings.ToLower(strings.TrimRight(origin, "/"))
	if p.allowed[o] {
		return true
	}
	u, err := url.Parse(o)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return false // includes the opaque "null" origin
	}
	return strings.EqualFold(u.Host, host) // same origin
}
