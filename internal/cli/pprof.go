package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
)

// pprofEnv is the environment variable of `serve --pprof`.
const pprofEnv = "WAZUH_MCP_PPROF"

// pprofAddress is --pprof when given, else WAZUH_MCP_PPROF; "" means off
// (the default).
func pprofAddress(fs *pflag.FlagSet, flag string) string {
	if fs.Changed("pprof") {
		return flag
	}
	return os.Getenv(pprofEnv)
}

// checkPprofAddr refuses any address but a loopback one: profiles expose the
// server's memory (credentials, tokens, alert data) and the profiler has no
// authentication, so it must only be reachable from this machine.
func checkPprofAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || port == "" {
		return fmt.Errorf("--pprof (%s): %q is not host:port (e.g. 127.0.0.1:6060)", pprofEnv, addr)
	}
	if !config.IsLoopback(host) { // the rule MCP_HOST and demo use
		return fmt.Errorf("--pprof (%s): %q is not a loopback address; the profiler has no authentication and shows the server's memory, so it only listens on 127.0.0.1, ::1 or localhost", pprofEnv, addr)
	}
	return nil
}

// startPprof serves net/http/pprof on its own listener at addr (checked by
// checkPprofAddr), never on the MCP listener, from an explicit mux (nothing
// is served from http.DefaultServeMux). stop closes it.
func startPprof(addr string, log *slog.Logger) (bound net.Addr, stop func(), err error) {
	if err := checkPprofAddr(addr); err != nil {
		return nil, nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("--pprof: listen on %s: %w", addr, err)
	}
	// "localhost" is resolved by the system: check what was really bound.
	if tcp, ok := ln.Addr().(*net.TCPAddr); !ok || !tcp.IP.IsLoopback() {
		ln.Close()
		return nil, nil, fmt.Errorf("--pprof: %q resolved to %s, which is not a loopback address", addr, ln.Addr())
	}
	srv := &http.Server{Handler: pprofMux(), ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("pprof listener stopped", "error", err)
		}
	}()
	log.Info("pprof profiler listening (loopback only)", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return ln.Addr(), func() { srv.Close() }, nil
}

// pprofMux routes the standard /debug/pprof/ endpoints.
func pprofMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index) // also serves heap, goroutine, allocs, block, mutex, threadcreate
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	return mux
}
