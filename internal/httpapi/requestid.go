package httpapi

import (
	"crypto/rand"
	"log/slog"
	"net/http"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// CorrelationHeader carries the correlation id in and out; clients such as
// Wazuh Autopilot send it, and it follows the call into every backend
// request. The id is also written back to the request header so that tool
// handlers, which see only the request headers, pick up the same id.
const CorrelationHeader = "X-Correlation-ID"

func withRequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := requestid.Clean(r.Header.Get(CorrelationHeader))
		if id == "" {
			id = requestid.Clean(r.Header.Get("X-Request-ID"))
		}
		if id == "" {
			id = rand.Text()[:16]
		}
		r.Header.Set(CorrelationHeader, id)
		w.Header().Set(CorrelationHeader, id)
		next.ServeHTTP(w, r.WithContext(requestid.With(r.Context(), id)))
	})
}

// statusRecorder remembers the status for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush on the real writer
// (needed by the SSE streams).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func withLogging(log *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelDebug, "http request",
			slog.String("correlation_id", requestid.From(r.Context())),
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Duration("duration", time.Since(start)),
		)
	})
}
