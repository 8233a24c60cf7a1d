package httpapi

import (
	"net/http"
	"strings"
)

// normalizeAccept lets clients that send "Accept: */*", "application/json"
// alone or nothing at all use Streamable HTTP: the go-sdk requires both
// media types on POST, but this server always replies to POSTs with JSON.
func normalizeAccept(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			accept := strings.ToLower(strings.Join(r.Header.Values("Accept"), ","))
			if !strings.Contains(accept, "application/json") || !strings.Contains(accept, "text/event-stream") {
				r.Header.Set("Accept", "application/json, text/event-stream")
			}
		}
		next.ServeHTTP(w, r)
	})
}
