package cli

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestPprofRefusesNonLoopback(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:6060", ":6060", "[::]:6060", "192.0.2.10:6060", "10.0.0.1:6060", "example.com:6060", "127.0.0.1", "nope"} {
		if err := checkPprofAddr(addr); err == nil {
			t.Errorf("%q accepted", addr)
		}
	}
	for _, addr := range []string{"127.0.0.1:6060", "127.0.0.2:0", "[::1]:6060", "localhost:6060", "LOCALHOST:6060", "[::ffff:127.0.0.1]:6060"} {
		if err := checkPprofAddr(addr); err != nil {
			t.Errorf("%q refused: %v", addr, err)
		}
	}
	// From the command line and from the environment, serve stops with a
	// message naming the setting.
	t.Setenv("WAZUH_HOST", "http://127.0.0.1:1")
	t.Setenv("WAZUH_USER", "u")
	t.Setenv("WAZUH_PASS", "p")
	for _, tc := range []struct {
		env  string
		argv []string
	}{
		{"", []string{"--pprof", "0.0.0.0:6060"}},
		{"192.0.2.10:6060", nil},
	} {
		t.Setenv(pprofEnv, tc.env)
		var out, errOut bytes.Buffer
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		code := Run(ctx, "test", append([]string{"serve", "--transport", "stdio"}, tc.argv...), &out, &errOut)
		cancel()
		if code == 0 || !strings.Contains(errOut.String(), "is not a loopback address") || !strings.Contains(errOut.String(), "--pprof (WAZUH_MCP_PPROF)") {
			t.Errorf("env %q argv %v: exit %d, stderr %q", tc.env, tc.argv, code, errOut.String())
		}
	}
}

// runServe starts `serve` over HTTP against a stand-in and returns its
// log and the MCP base URL.
func runServe(t *testing.T, argv ...string) (*syncBuffer, string) {
	t.Helper()
	sim := startStandIn(t)
	t.Setenv("WAZUH_HOST", sim.ManagerURL)
	t.Setenv("WAZUH_USER", "wazuh")
	t.Setenv("WAZUH_PASS", "wazuh")
	t.Setenv("AUTH_MODE", "none")
	ctx, cancel := context.WithCancel(context.Background())
	logs := &syncBuffer{}
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, "test", append([]string{"serve", "--transport", "http", "--listen", "127.0.0.1:0"}, argv...), io.Discard, logs)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
	})
	ready := regexp.MustCompile(`"url":"(http://[^"]+)/mcp"`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := ready.FindStringSubmatch(logs.String()); m != nil {
			return logs, m[1]
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited (%d): %s", code, logs.String())
		default:
		}
	}
	t.Fatalf("serve not ready: %s", logs.String())
	return nil, ""
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestPprofServedOnLoopbackOnly(t *testing.T) {
	t.Setenv(pprofEnv, "")
	logs, mcpBase := runServe(t, "--pprof", "127.0.0.1:0")
	m := regexp.MustCompile(`"url":"(http://127\.0\.0\.1:\d+)/debug/pprof/"`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no pprof address in the log: %s", logs.String())
	}
	pprofBase := m[1]
	if pprofBase == mcpBase {
		t.Fatal("pprof shares the MCP listener")
	}
	if code, body := get(t, pprofBase+"/debug/pprof/"); code != 200 || !strings.Contains(body, "goroutine") {
		t.Fatalf("pprof index: %d %.200s", code, body)
	}
	if code, body := get(t, pprofBase+"/debug/pprof/heap?debug=1"); code != 200 || !strings.Contains(body, "heap profile") {
		t.Fatalf("heap profile: %d %.200s", code, body)
	}
	// Never on the MCP listener.
	if code, _ := get(t, mcpBase+"/debug/pprof/"); code != http.StatusNotFound {
		t.Fatalf("MCP listener answered /debug/pprof/ with %d, want 404", code)
	}
}

func TestPprofOffByDefault(t *testing.T) {
	t.Setenv(pprofEnv, "")
	logs, mcpBase := runServe(t)
	if strings.Contains(logs.String(), "pprof") {
		t.Fatalf("pprof mentioned without --pprof: %s", logs.String())
	}
	for _, path := range []string{"/debug/pprof/", "/debug/pprof/heap", "/debug/pprof/cmdline"} {
		if code, _ := get(t, mcpBase+path); code != http.StatusNotFound {
			t.Fatalf("%s: %d, want 404", path, code)
		}
	}
}
