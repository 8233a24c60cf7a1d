package httpapi

import (
	"net/http"
	"strings"
	"sync"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
)

// sseBindings binds legacy SSE sessions to the principal that opened them.
// The go-sdk's SSE handler does not (its streamable handler does): the
// session id is minted inside the handler and sent in the first event, so
// it is read from that event as it is written, before the client sees it.
type sseBindings struct {
	mu    sync.Mutex
	owner map[string]string // session id -> principal id
}

func newSSEBindings() *sseBindings { return &sseBindings{owner: map[string]string{}} }

func (b *sseBindings) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := auth.FromContext(r.Context())
		if p == nil {
			http.Error(w, "unauthenticated", http.StatusUnauthorized)
			return
		}
		switch r.Method {
		case http.MethodGet:
			cw := &sessionCapture{ResponseWriter: w}
			defer func() {
				if cw.session != "" {
					b.mu.Lock()
					delete(b.owner, cw.session)
					b.mu.Unlock()
				}
			}()
			cw.onSession = func(id string) {
				b.mu.Lock()
				b.owner[id] = p.ID
				b.mu.Unlock()
			}
			next.ServeHTTP(cw, r)
		case http.MethodPost:
			id := r.URL.Query().Get("sessionid")
			b.mu.Lock()
			owner, ok := b.owner[id]
			b.mu.Unlock()
			if ok && owner != p.ID {
				http.Error(w, "session belongs to another principal", http.StatusForbidden)
				return
			}
			next.ServeHTTP(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// sessionCapture reads the session id from the endpoint event
// ("event: endpoint\ndata: /sse?sessionid=ID\n\n"), the stream's first write.
type sessionCapture struct {
	http.ResponseWriter
	session   string
	seen      bool
	onSession func(string)
}

func (c *sessionCapture) Write(p []byte) (int, error) {
	if !c.seen {
		c.seen = true
		if id := sessionIDIn(p); id != "" {
			c.session = id
			c.onSession(id)
		}
	}
	return c.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController flush the stream.
func (c *sessionCapture) Unwrap() http.ResponseWriter { return c.ResponseWriter }

func sessionIDIn(p []byte) string {
	const marker = "sessionid="
	s := string(p)
	i := strings.Index(s, marker)
	if i < 0 {
		return ""
	}
	s = s[i+len(marker):]
	end := 0
	for end < len(s) && isSessionChar(s[end]) {
		end++
	}
	return s[:end]
}

func isSessionChar(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}
