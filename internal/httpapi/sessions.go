package httpapi

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
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

// sessionCap refuses to open a session beyond max with 503 and a JSON-RPC
// error saying why; requests of existing sessions always pass. A new
// session is a Streamable HTTP POST without Mcp-Session-Id (initialize) or
// a GET of the legacy SSE endpoint. Requests still opening a session count
// too: counting open sessions alone let concurrent initializes all pass the
// check before any of them had registered its session. One sessionCap
// guards every MCP route, so that they share the count.
type sessionCap struct {
	servers  []*mcp.Server
	max      int
	onReject func()
	opening  atomic.Int64 // admitted requests whose session is not registered yet
}

func newSessionCap(servers []*mcp.Server, max int, onReject func()) *sessionCap {
	return &sessionCap{servers: servers, max: max, onReject: onReject}
}

func (c *sessionCap) wrap(next http.Handler) http.Handler {
	if c.max <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		opens := (r.Method == http.MethodPost && r.URL.Path != "/sse" && r.Header.Get("Mcp-Session-Id") == "") ||
			(r.Method == http.MethodGet && r.URL.Path == "/sse")
		if !opens {
			next.ServeHTTP(w, r)
			return
		}
		rw := &openingWriter{ResponseWriter: w, done: func() { c.opening.Add(-1) }}
		if r.Method == http.MethodGet {
			rw.skip = 1 // the SSE endpoint event comes before registration
		}
		defer rw.release()
		if n := c.opening.Add(1); countSessions(c.servers)+int(n) > c.max { // n includes this request
			rw.release()
			if c.onReject != nil {
				c.onReject()
			}
			refuse(w, r, http.StatusServiceUnavailable, codeOverloaded,
				fmt.Sprintf("session limit reached: this server holds at most %d MCP sessions (MAX_SESSIONS); close unused sessions or retry later", c.max), 30*time.Second)
			return
		}
		next.ServeHTTP(rw, r)
	})
}

// openingWriter holds a request's "opening" slot until its session is
// surely registered, so that countSessions counts it instead (an SSE
// stream must not hold a second slot for its whole life). A Streamable
// initialize registers its session before the response starts. A legacy
// SSE stream writes its endpoint event first and registers just after, so
// its slot is kept until its second write (the answer to the client's
// first message, which needs the registered session) or its end.
type openingWriter struct {
	http.ResponseWriter
	done   func()
	once   sync.Once
	skip   int // writes to let through before releasing (1 for SSE)
	writes int
}

func (o *openingWriter) release() { o.once.Do(o.done) }

func (o *openingWriter) WriteHeader(code int) {
	o.ResponseWriter.WriteHeader(code)
	if o.skip == 0 {
		o.release()
	}
}

func (o *openingWriter) Write(b []byte) (int, error) {
	n, err := o.ResponseWriter.Write(b)
	if o.writes++; o.writes > o.skip {
		o.release()
	}
	return n, err
}

// Unwrap lets http.ResponseController reach Flush on the real writer.
func (o *openingWriter) Unwrap() http.ResponseWriter { return o.ResponseWriter }

func (o *openingWriter) Flush() {
	if f, ok := o.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
	if o.writes > o.skip {
		o.release()
	}
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
