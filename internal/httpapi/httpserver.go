package httpapi

import (
	"net/http"
	"time"
)

// Timeouts against slow clients. A client that sends its headers slowly
// (slowloris) is cut by ReadHeaderTimeout, one that trickles its body by
// Options.BodyReadTimeout (limitBody), an idle keep-alive connection by
// IdleTimeout. There is no ReadTimeout or WriteTimeout: they would also cut
// the long-lived SSE streams and long tool calls.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultBodyReadTimeout   = 30 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
)

// ServerTimeouts configure NewHTTPServer; zero values take the defaults.
type ServerTimeouts struct {
	ReadHeader time.Duration
	Idle       time.Duration
}

// NewHTTPServer returns the http.Server that serves h, with the timeouts
// that protect it from slow clients. The caller sets TLSConfig and ErrorLog.
func NewHTTPServer(h http.Handler, t ServerTimeouts) *http.Server {
	if t.ReadHeader <= 0 {
		t.ReadHeader = DefaultReadHeaderTimeout
	}
	if t.Idle <= 0 {
		t.Idle = DefaultIdleTimeout
	}
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, IdleTimeout: t.Idle}
}
