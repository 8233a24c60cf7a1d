package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// countSessions is the number of open MCP sessions (Streamable HTTP and
// legacy SSE alike; idle ones are closed by SessionTimeout).
func countSessions(servers []*mcp.Server) int {
	n := 0
	for _, srv := range servers {
		for range srv.Sessions() {
			n++
		}
	}
	return n
}

// capSessions refuses to open a session beyond max with 503 and a JSON-RPC
// error saying why; requests of existing sessions always pass. A new
// session is a Streamable HTTP POST without Mcp-Session-Id (initialize) or
// a GET of the legacy SSE endpoint.
func capSessions(servers []*mcp.Server, max int, onReject func(), next http.Handler) http.Handler {
	if max <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		opens := (r.Method == http.MethodPost && r.URL.Path != "/sse" && r.Header.Get("Mcp-Session-Id") == "") ||
			(r.Method == http.MethodGet && r.URL.Path == "/sse")
		if opens && countSessions(servers) >= max {
			if onReject != nil {
				onReject()
			}
			refuse(w, r, http.StatusServiceUnavailable, codeOverloaded,
				fmt.Sprintf("session limit reached: this server holds at most %d MCP sessions (MAX_SESSIONS); close unused sessions or retry later", max), 30*time.Second)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// drainer implements graceful shutdown: once Drain starts, new requests get
// 503, in-flight requests and MCP calls (including calls of legacy SSE
// sessions, whose HTTP POST returns before the call ends) run to the end,
// then long-lived streams are closed so the HTTP server can stop.
type drainer struct {
	mu       sync.Mutex
	draining bool
	inFlight int
	idle     chan struct{} // closed when draining and inFlight reaches 0
	streams  chan struct{} // closed to end the GET streams
}

func newDrainer() *drainer {
	return &drainer{idle: make(chan struct{}), streams: make(chan struct{})}
}

// enter registers one unit of work; false once draining has started.
func (d *drainer) enter() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.draining {
		return false
	}
	d.inFlight++
	return true
}

func (d *drainer) leave() {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inFlight--
	if d.draining && d.inFlight == 0 {
		close(d.idle)
	}
}

// wrap gates HTTP requests. A GET is a stream that may last for hours: it is
// not waited for, but its context ends when the drain is over.
func (d *drainer) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet && isMCPPath(r.URL.Path) {
			if d.isDraining() {
				d.refuse(w, r)
				return
			}
			ctx, cancel := context.WithCancel(r.Context())
			defer cancel()
			go func() {
				select {
				case <-d.streams:
					cancel()
				case <-ctx.Done():
				}
			}()
			next.ServeHTTP(w, r.WithContext(ctx))
			return
		}
		if !d.enter() {
			d.refuse(w, r)
			return
		}
		defer d.leave()
		next.ServeHTTP(w, r)
	})
}

// middleware tracks MCP requests in flight, whatever the transport.
func (d *drainer) middleware(next mcp.MethodHandler) mcp.MethodHandler {
	return func(ctx context.Context, method string, req mcp.Request) (mcp.Result, error) {
		if !d.enter() {
			// A request of an open stream during the drain: finish it anyway,
			// it is already ours; it just is not waited for.
			return next(ctx, method, req)
		}
		defer d.leave()
		return next(ctx, method, req)
	}
}

func (d *drainer) isDraining() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.draining
}

func (d *drainer) refuse(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Connection", "close")
	refuse(w, r, http.StatusServiceUnavailable, codeRefused, "server is shutting down; retry on another instance or after the restart", 5*time.Second)
}

// Drain stops accepting requests, waits for the ones in flight (or ctx),
// then ends the streams. It may be called once.
func (d *drainer) Drain(ctx context.Context) error {
	d.mu.Lock()
	d.draining = true
	if d.inFlight == 0 {
		close(d.idle)
	}
	d.mu.Unlock()
	defer close(d.streams)
	select {
	case <-d.idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("requests still in flight when the shutdown timeout ended: %w", ctx.Err())
	}
}
