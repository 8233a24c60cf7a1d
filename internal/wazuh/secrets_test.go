package wazuh

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// lockedBuffer collects log output from concurrent goroutines.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestSecretsNeverInErrorsOrLogs(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/agents", envelopeOf([]any{}, 0, 0, nil))
	// A hostile or buggy server echoing the request's credentials back.
	f.handle("/manager/info", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, 400, map[string]any{"title": "Bad Request",
			"detail": "got Authorization: " + r.Header.Get("Authorization") + " password=" + testPass + " url https://wazuh:" + testPass + "@host/"})
	})
	f.handle("/manager/status", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, 500, map[string]any{"title": "Internal Server Error", "detail": "token " + strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")})
	})
	var logs lockedBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := testClient(t, f, func(cfg *Config) { cfg.Logger = logger; cfg.CacheTTL = -1 })
	ctx := context.Background()

	var errs []error
	if _, err := c.ListAgents(ctx, AgentFilter{}); err != nil {
		t.Fatal(err)
	}
	token := c.tokens.current()
	if token == "" {
		t.Fatal("no token")
	}
	_, err := c.ManagerInfo(ctx)
	errs = append(errs, err)
	_, err = c.ManagerStatus(ctx)
	errs = append(errs, err)

	// Wrong password: the login failure must not echo it.
	bad := testClient(t, f, func(cfg *Config) { cfg.Logger = logger; cfg.Password = "Wr0ng-Passw0rd-XYZ" })
	_, err = bad.ListAgents(ctx, AgentFilter{})
	errs = append(errs, err)

	// Unreachable Manager: transport errors.
	down := testClient(t, f, func(cfg *Config) { cfg.Logger = logger; cfg.BaseURL = "http://127.0.0.1:1"; cfg.MaxRetries = -1 })
	_, err = down.ListAgents(ctx, AgentFilter{})
	errs = append(errs, err)

	secrets := []string{testPass, "Wr0ng-Passw0rd-XYZ", token, strings.Split(token, ".")[1], strings.Split(token, ".")[2]}
	for i, err := range errs {
		if err == nil {
			t.Fatalf("case %d: expected an error", i)
		}
		for _, s := range secrets {
			if strings.Contains(err.Error(), s) {
				t.Errorf("case %d: error leaks a secret: %v", i, err)
			}
		}
	}
	if !errors.Is(errs[1], ErrUnavailable) || !errors.Is(errs[2], ErrUnauthorized) || !errors.Is(errs[3], ErrUnavailable) {
		t.Errorf("classification lost by scrubbing: %v / %v / %v", errs[1], errs[2], errs[3])
	}
	out := logs.String()
	if !strings.Contains(out, `"endpoint":"/agents"`) || !strings.Contains(out, `"attempt":1`) {
		t.Fatalf("debug request lines missing:\n%s", out)
	}
	for _, s := range secrets {
		if strings.Contains(out, s) {
			t.Errorf("logs leak a secret %q", s[:4])
		}
	}
	if strings.Contains(out, "Basic ") || strings.Contains(out, "Bearer ey") {
		t.Error("logs carry an Authorization value")
	}
}

func TestScrubText(t *testing.T) {
	jwt := makeJWT(timeNowForTest(), 900e9, 7)
	in := "Authorization: Bearer " + jwt + " basic dXNlcjpwYXNz https://admin:pw@host:55000/x token=abc123 \"password\": \"hunter2\""
	out := scrubText(in)
	for _, s := range []string{jwt, "dXNlcjpwYXNz", "admin:pw", "abc123", "hunter2"} {
		if strings.Contains(out, s) {
			t.Errorf("scrubText kept %q: %s", s, out)
		}
	}
}
