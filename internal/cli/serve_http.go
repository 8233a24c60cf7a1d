package cli

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// httpOptions turns the configuration and the built app into the HTTP
// handler's options (everything but authentication, which the auth code
// adds: Authenticate and PrincipalKey).
func httpOptions(cfg *config.Config, a *app, log *slog.Logger, version string) (httpapi.Options, error) {
	proxies, err := httpapi.ParseTrustedProxies(cfg.HTTP.TrustedProxies)
	if err != nil {
		return httpapi.Options{}, err
	}
	rl := cfg.HTTP.RateLimit
	return httpapi.Options{
		Server:         a.server,
		AllowedOrigins: cfg.Server.AllowedOrigins,
		SessionTimeout: cfg.Server.SessionTimeout,
		Logger:         log,
		Version:        version,
		AllowedHosts:   cfg.HTTP.AllowedHosts,
		TrustedProxies: proxies,
		RateLimits: httpapi.RateLimits{PerMinute: rl.PerMinute, Burst: rl.Burst,
			IPPerMinute: rl.IPPerMinute, AuthFailuresPerMinute: rl.AuthFailuresPerMinute},
		MaxSessions: cfg.HTTP.MaxSessions,
		MetricsAuth: cfg.HTTP.MetricsAuth,
		Metrics:     a.metrics,
		Ready:       readyChecks(a),
		Catalogue:   httpapi.CatalogueOf(a.tools),
		Approvals:   approvalPage(cfg, a, log),
	}, nil
}

// approvalPage serves /approvals/: operators sign in with operator keys
// (wazuh-mcp keys create NAME --scope operator) whatever AUTH_MODE is.
func approvalPage(cfg *config.Config, a *app, log *slog.Logger) http.Handler {
	ops := auth.NewOperatorKeys(a.store, nil)
	var secret []byte
	if cfg.Auth.SecretKey != "" {
		m := hmac.New(sha256.New, []byte(cfg.Auth.SecretKey))
		m.Write([]byte("approval-page"))
		secret = m.Sum(nil)
	}
	return approval.NewPage(a.gate, approval.PageOptions{
		VerifyOperator: approval.PageVerifier(ops), OperatorActive: ops.ActiveOperator, CookieSecret: secret,
		Secure:       cfg.TLSEnabled() || strings.HasPrefix(cfg.Auth.PublicURL, "https://"),
		ClientIP:     func(r *http.Request) string { return httpapi.ClientIP(r.Context()) },
		AlertSummary: alertSummary(a),
		Logger:       log,
	})
}

// alertSummary describes the triggering alert of an action in one line for
// the approval page (which escapes it: alert text is attacker-influenced).
func alertSummary(a *app) func(ctx context.Context, id string) (string, error) {
	return func(ctx context.Context, id string) (string, error) {
		hit, err := a.indexer.GetAlert(ctx, id)
		if err != nil {
			return "", err
		}
		var doc struct {
			Timestamp string `json:"timestamp"`
			Rule      struct {
				ID          string `json:"id"`
				Level       int    `json:"level"`
				Description string `json:"description"`
			} `json:"rule"`
			Agent struct {
				ID   string `json:"id"`
				Name string `json:"name"`
			} `json:"agent"`
			Data struct {
				SrcIP string `json:"srcip"`
			} `json:"data"`
		}
		if err := json.Unmarshal(hit.Source, &doc); err != nil {
			return "", err
		}
		s := fmt.Sprintf("%s: rule %s (level %d) %q on agent %s %s", doc.Timestamp, doc.Rule.ID, doc.Rule.Level,
			doc.Rule.Description, doc.Agent.ID, doc.Agent.Name)
		if doc.Data.SrcIP != "" {
			s += ", source " + doc.Data.SrcIP
		}
		return s, nil
	}
}

// readyChecks probes the Manager (required) and the indexer (optional:
// without one, Manager tools work and indexer tools say it is missing; a
// configured indexer that fails makes the server unready). Reasons are
// short and name no address: /ready is unauthenticated.
func readyChecks(a *app) []httpapi.ReadyCheck {
	manager := httpapi.ReadyCheck{Name: "manager", Check: func(ctx context.Context) error {
		_, err := a.wazuh.Ping(ctx)
		return managerReason(err)
	}}
	idx := httpapi.ReadyCheck{Name: "indexer", Optional: true}
	if a.indexer.Configured() {
		idx.Check = func(ctx context.Context) error {
			_, _, err := a.indexer.Ping(ctx)
			return indexerReason(err)
		}
	}
	return []httpapi.ReadyCheck{manager, idx}
}

func managerReason(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wazuh.ErrUnauthorized):
		return errors.New("the Manager API rejected the credentials (WAZUH_USER / WAZUH_PASS)")
	case errors.Is(err, wazuh.ErrForbidden):
		return errors.New("the Manager API user lacks permission for GET /")
	case errors.Is(err, wazuh.ErrRateLimited):
		return errors.New("the Manager API is rate limiting this server")
	case errors.Is(err, wazuh.ErrUnsupportedVersion):
		return errors.New("unsupported Wazuh version")
	}
	return errors.New("the Manager API is unreachable or failing")
}

func indexerReason(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, indexer.ErrAuth):
		return errors.New("the indexer rejected the credentials (WAZUH_INDEXER_USER / WAZUH_INDEXER_PASS)")
	case errors.Is(err, indexer.ErrForbidden):
		return errors.New("the indexer user lacks permission")
	case errors.Is(err, indexer.ErrRateLimited):
		return errors.New("the indexer is rate limiting this server")
	}
	return errors.New("the indexer is unreachable or failing")
}

// serverTLS loads the serving certificate: TLS 1.2+ with AEAD ECDHE suites
// only (TLS 1.3 suites are not configurable and all modern).
func serverTLS(certFile, keyFile string) (*tls.Config, error) {
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS_CERT_FILE / TLS_KEY_FILE: %w", err)
	}
	return &tls.Config{
		MinVersion:       tls.VersionTLS12,
		Certificates:     []tls.Certificate{pair},
		CurvePreferences: []tls.CurveID{tls.X25519MLKEM768, tls.X25519, tls.CurveP256},
		CipherSuites: []uint16{
			tls.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, tls.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
			tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
			tls.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305, tls.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,
		},
	}, nil
}

// serveOptions are the server-level settings of serveHTTP.
type serveOptions struct {
	tls             *tls.Config   // nil = plain HTTP
	shutdownTimeout time.Duration // default 30s
}

// serveHTTP serves until ctx ends, then shuts down gracefully: new requests
// get 503 while calls in flight finish (up to the shutdown timeout), then
// streams close and the listener stops.
func serveHTTP(ctx context.Context, ln net.Listener, opts httpapi.Options, so serveOptions) error {
	h := httpapi.New(opts)
	srv := httpapi.NewHTTPServer(h, httpapi.ServerTimeouts{})
	srv.TLSConfig = so.tls
	if opts.Logger != nil {
		srv.ErrorLog = slog.NewLogLogger(opts.Logger.Handler(), slog.LevelDebug) // TLS handshake noise
	}
	errc := make(chan error, 1)
	go func() {
		if so.tls != nil {
			errc <- srv.ServeTLS(ln, "", "")
			return
		}
		errc <- srv.Serve(ln)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	timeout := so.shutdownTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	drainErr := h.Drain(shutdownCtx)
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", errors.Join(drainErr, err))
	}
	if drainErr != nil {
		return fmt.Errorf("shutdown: %w", drainErr)
	}
	return nil
}
