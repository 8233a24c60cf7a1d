package wazuh

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

func TestLoginAndReuse(t *testing.T) {
	f := newFakeManager(t)
	f.handleJSON("/agents", envelopeOf([]map[string]any{{"id": "000", "name": "manager"}}, 1, 0, nil))
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
	ctx := requestid.With(context.Background(), "corr-42")
	for range 3 {
		p, err := c.ListAgents(ctx, AgentFilter{})
		if err != nil {
			t.Fatalf("ListAgents: %v", err)
		}
		if len(p.Items) != 1 || p.Items[0].ID != "000" {
			t.Fatalf("items = %+v", p.Items)
		}
	}
	if n := f.logins.Load(); n != 1 {
		t.Fatalf("logins = %d, want 1", n)
	}
	req, _ := f.last("/agents")
	if got := req.Header.Get("X-Correlation-ID"); got != "corr-42" {
		t.Errorf("X-Correlation-ID = %q", got)
	}
	if ua := req.Header.Get("User-Agent"); ua != DefaultUserAgent {
		t.Errorf("User-Agent = %q", ua)
	}
}

func TestTokenRenewedBeforeExpiry(t *testing.T) {
	f := newFakeManager(t)
	f.tokenLife = 600 * time.Millisecond // renewed at 480ms (life - life/5)
	f.handleJSON("/agents", envelopeOf([]any{}, 0, 0, nil))
	var unauthorized int
	c := testClient(t, f, func(cfg *Config) {
		cfg.CacheTTL = -1
		cfg.Observer = ObserverFuncs{Request: func(_, _ string, status int, _ time.Duration, _ bool) {
			if status == 401 {
				unauthorized++
			}
		}}
	})
	ctx := context.Background()
	if _, err := c.ListAgents(ctx, AgentFilter{}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(520 * time.Millisecond) // past renewal, before expiry
	if _, err := c.ListAgents(ctx, AgentFilter{}); err != nil {
		t.Fatal(err)
	}
	if n := f.logins.Load(); n != 2 {
		t.Fatalf("logins = %d, want 2 (renewal before exp)", n)
	}
	if f.hitsFor("/agents") != 2 {
		t.Fatalf("agents hits = %d, want 2 (no 401 round trip)", f.hitsFor("/agents"))
	}
}

func TestRenewTime(t *testing.T) {
	start := time.Now()
	tests := []struct {
		name string
		jwt  string
		want time.Duration
	}{
		{"default 900s lifetime", makeJWT(time.Now(), 900*time.Second, 1), 840 * time.Second},
		{"short lifetime", makeJWT(time.Now(), 10*time.Second, 1), 8 * time.Second},
		{"not a jwt", "opaque-token", unknownTokenLife},
		{"garbage payload", "eyJh.!!!.x", unknownTokenLife},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := renewTime(tt.jwt, start).Sub(start)
			if d := got - tt.want; d < -50*time.Millisecond || d > 50*time.Millisecond {
				t.Fatalf("renew after %v, want %v", got, tt.want)
			}
		})
	}
}

func TestConcurrentCallsLogInOnce(t *testing.T) {
	f := newFakeManager(t)
	f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(envelopeOf([]any{}, 0, 0, nil)))
	})
	c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
	var wg sync.WaitGroup
	errs := make(chan error, 100)
	for i := range 100 {
		wg.Go(func() {
			// Distinct queries: no coalescing, so every call needs the token.
			_, err := List[Agent](context.Background(), c, "/agents", nil, url.Values{"offset": {fmt.Sprint(i)}})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := f.logins.Load(); n != 1 {
		t.Fatalf("logins = %d, want exactly 1", n)
	}
	if h := f.hitsFor("/agents"); h != 100 {
		t.Fatalf("agents hits = %d, want 100", h)
	}
}

func TestUnauthorizedMidStream(t *testing.T) {
	t.Run("one re-login and one retry", func(t *testing.T) {
		f := newFakeManager(t)
		f.handleJSON("/agents", envelopeOf([]any{}, 0, 0, nil))
		c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
		if _, err := c.ListAgents(context.Background(), AgentFilter{}); err != nil {
			t.Fatal(err)
		}
		f.revokeAll() // the Manager restarted or the token was revoked
		if _, err := c.ListAgents(context.Background(), AgentFilter{}); err != nil {
			t.Fatalf("after revoke: %v", err)
		}
		if n := f.logins.Load(); n != 2 {
			t.Fatalf("logins = %d, want 2", n)
		}
		if h := f.hitsFor("/agents"); h != 3 {
			t.Fatalf("hits = %d, want 3 (ok, 401, retry)", h)
		}
	})
	t.Run("second 401 is an error", func(t *testing.T) {
		f := newFakeManager(t)
		f.handle("/agents", func(w http.ResponseWriter, r *http.Request) {
			writeProblem(w, 401, map[string]any{"title": "Unauthorized", "detail": "Invalid token"})
		})
		c := testClient(t, f, func(cfg *Config) { cfg.CacheTTL = -1 })
		_, err := c.ListAgents(context.Background(), AgentFilter{})
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if n := f.logins.Load(); n != 2 {
			t.Fatalf("logins = %d, want 2", n)
		}
		if h := f.hitsFor("/agents"); h != 2 {
			t.Fatalf("hits = %d, want 2", h)
		}
	})
	t.Run("bad credentials", func(t *testing.T) {
		f := newFakeManager(t)
		c := testClient(t, f, func(cfg *Config) { cfg.Password = "wrong-password-123" })
		_, err := c.ListAgents(context.Background(), AgentFilter{})
		if !errors.Is(err, ErrUnauthorized) {
			t.Fatalf("err = %v, want ErrUnauthorized", err)
		}
		if !strings.Contains(err.Error(), "WAZUH_USER") || strings.Contains(err.Error(), "wrong-password-123") {
			t.Fatalf("message = %q", err)
		}
		if n := f.logins.Load(); n != 1 {
			t.Fatalf("logins = %d, want 1 (a 401 login is not retried)", n)
		}
	})
}

func TestNewValidates(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"empty url", Config{Username: "u", Password: "p"}, "base URL is empty"},
		{"bad scheme", Config{BaseURL: "ftp://x", Username: "u", Password: "p"}, "https://"},
		{"userinfo", Config{BaseURL: "https://admin:hunter2hunter2@x:55000", Username: "u", Password: "p"}, "must not contain credentials"},
		{"no password", Config{BaseURL: "https://x:55000", Username: "u"}, "username and password"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(tt.cfg)
			if err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrNotConfigured) {
				t.Fatalf("err = %v, want %q and ErrNotConfigured", err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("password leaked: %v", err)
			}
		})
	}
}
