package cli

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// app is a configured server: backend clients, the selected tools and the
// MCP server that exposes them.
type app struct {
	wazuh   *wazuh.Client
	indexer *indexer.Client
	tools   []tools.Tool
	server  *mcp.Server
	metrics *httpapi.Metrics // fed by the backend clients; served at /metrics
	// readServer serves principals without the write scope: the same
	// tools minus the write tools.
	readServer *mcp.Server
	// store holds keys, actions, the audit log and evidence packs; gate is
	// the write gate over it (its executor runs while the server runs).
	store *store.Store
	gate  *approval.Gate
	audit *audit.Log // every tool call, written before its answer is sent
	stop  context.CancelFunc
	done  chan struct{}
}

// Close ends the MCP sessions still open (clients that never closed
// theirs), stops the executor, then releases the clients and the store.
func (a *app) Close() {
	for _, srv := range []*mcp.Server{a.server, a.readServer} {
		if srv != nil {
			for ss := range srv.Sessions() {
				ss.Close()
			}
		}
	}
	if a.stop != nil {
		a.stop()
		<-a.done
	}
	if a.wazuh != nil {
		a.wazuh.Close()
	}
	if a.indexer != nil {
		a.indexer.Close() // stops opensearch-go's background pollers
	}
	if a.audit != nil {
		a.audit.Close() // flushes what is queued before the store closes
	}
	if a.store != nil {
		a.store.Close()
	}
}

// startExecutor runs the gate's executor until Close: approved actions
// (from this process or the CLI) run once, stale ones expire.
func (a *app) startExecutor(ctx context.Context) {
	ctx, a.stop = context.WithCancel(context.WithoutCancel(ctx))
	a.done = make(chan struct{})
	go func() {
		defer close(a.done)
		a.gate.Run(ctx)
	}()
}

// buildApp wires clients, the store, the write gate, tools and the MCP
// server from a validated config. The store is required: every tool call is
// audited in it, and a server that cannot audit does not start.
func buildApp(cfg *config.Config, log *slog.Logger, version string) (*app, error) {
	return buildAppWith(cfg, log, version, buildOptions{})
}

// buildOptions are what demo changes.
type buildOptions struct {
	// localOperator lets the unauthenticated local principal use write
	// tools (demo only: loopback, and every write still needs approval).
	localOperator bool
	approvalBase  string // base URL of the approval page ("" = none)
}

func buildAppWith(cfg *config.Config, log *slog.Logger, version string, o buildOptions) (*app, error) {
	a := &app{metrics: httpapi.NewMetrics()}
	if err := a.build(cfg, log, version, o); err != nil {
		a.Close()
		return nil, err
	}
	a.startExecutor(context.Background())
	return a, nil
}

func (a *app) build(cfg *config.Config, log *slog.Logger, version string, o buildOptions) (err error) {
	if a.wazuh, err = newWazuhClient(cfg, log, version, a.metrics.WazuhObserver()); err != nil {
		return err
	}
	if a.indexer, err = newIndexerClient(cfg, log, a.metrics.IndexerObserver()); err != nil {
		return err
	}
	if a.store, err = openStore(context.Background(), cfg); err != nil {
		return fmt.Errorf("the store keeps the audit log and pending actions, so the server does not start without it: %w", err)
	}
	resp, err := responseDeps(cfg, log, o.approvalBase)
	if err != nil {
		return err
	}
	a.gate = approval.New(a.store, a.wazuh, approval.Options{
		TTL: cfg.Response.ApprovalTTL, DedupeWindow: cfg.Response.DedupeWindow,
		Lease: cfg.RequestTimeout() + 10*time.Second, ConfirmSecret: []byte(cfg.Auth.SecretKey), Logger: log,
	})
	deps := tools.Deps{
		Wazuh:                a.wazuh,
		Indexer:              a.indexer,
		Now:                  time.Now,
		MaxAlertsPerQuery:    cfg.MaxAlertsPerQuery,
		MaxResultBytes:       cfg.Tools.MaxResultSize << 10,
		IncludeInternalIPs:   cfg.Tools.IncludeIPs,
		AllowSensitiveConfig: cfg.Tools.AllowSensitiveConfig,
		Store:                a.store,
		Gate:                 a.gate,
		Response:             resp,
	}
	selected, err := tools.Select(tools.Catalogue(deps), selection(cfg))
	if err != nil {
		return err
	}
	selected = dropDisabledActions(selected, resp.ToolMap, log)
	requirePrincipal := cfg.Server.Transport == "http" && !o.localOperator
	a.tools = guardWrites(selected, requirePrincipal)
	a.audit = audit.New(a.store, audit.Options{Logger: log})
	a.server = tools.NewServer(version, a.tools, deps, log)
	a.readServer = tools.NewServer(version, readTools(a.tools), deps, log)
	for _, srv := range []*mcp.Server{a.server, a.readServer} {
		srv.AddReceivingMiddleware(audit.Middleware(a.audit, log))
	}
	return nil
}

func selection(cfg *config.Config) tools.Selection {
	return tools.Selection{
		Toolsets: cfg.Tools.Toolsets,
		Enabled:  cfg.Tools.Enabled,
		Disabled: cfg.Tools.Disabled,
		ReadOnly: cfg.IsReadOnly(),
	}
}

func newWazuhClient(cfg *config.Config, log *slog.Logger, version string, obs wazuh.Observer) (*wazuh.Client, error) {
	u, err := cfg.WazuhURL()
	if err != nil {
		return nil, err
	}
	tc, err := tlsConfig("WAZUH", cfg.Wazuh, log)
	if err != nil {
		return nil, err
	}
	slow, fast := cfg.Backend.ClientTTLs()
	return wazuh.New(wazuh.Config{
		BaseURL:           u.String(),
		Username:          cfg.Wazuh.User,
		Password:          cfg.Wazuh.Password,
		TLS:               tc,
		Timeout:           cfg.RequestTimeout(),
		RequestsPerMinute: cfg.Backend.RequestsPerMinute,
		CacheTTL:          slow,
		FastCacheTTL:      fast,
		Breaker:           wazuh.BreakerSettings{Failures: cfg.Backend.BreakerFailures, OpenTimeout: cfg.Backend.BreakerOpen},
		Logger:            log,
		UserAgent:         "wazuh-mcp/" + version,
		Observer:          obs,
	})
}

func newIndexerClient(cfg *config.Config, log *slog.Logger, obs indexer.Observer) (*indexer.Client, error) {
	u, err := cfg.IndexerURL()
	if err != nil {
		return nil, err
	}
	if u == nil {
		log.Warn("no indexer configured (WAZUH_INDEXER_HOST): alert and vulnerability tools will say so; Manager tools work")
		return indexer.New(indexer.Config{Logger: log, CorrelationID: requestid.From, Observer: obs})
	}
	tc, err := tlsConfig("WAZUH_INDEXER", cfg.Indexer, log)
	if err != nil {
		return nil, err
	}
	return indexer.New(indexer.Config{
		URL:           u.String(),
		Username:      cfg.Indexer.User,
		Password:      cfg.Indexer.Password,
		TLS:           tc,
		Timeout:       cfg.RequestTimeout(),
		Logger:        log,
		Observer:      obs,
		CorrelationID: requestid.From,
	})
}

// tlsConfig builds the client TLS settings: verification on unless turned
// off (with a warning), optional CA bundle.
func tlsConfig(prefix string, e config.Endpoint, log *slog.Logger) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if e.CABundle != "" {
		pem, err := os.ReadFile(e.CABundle)
		if err != nil {
			return nil, fmt.Errorf("%s_CA_BUNDLE: %w", prefix, err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%s_CA_BUNDLE: %s holds no PEM certificate", prefix, e.CABundle)
		}
		tc.RootCAs = pool
	}
	if !e.Verify() {
		tc.InsecureSkipVerify = true
		log.Warn("TLS certificate verification is OFF: connections can be intercepted; set a CA bundle instead", "setting", prefix+"_VERIFY_SSL")
	}
	return tc, nil
}
