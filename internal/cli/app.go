package cli

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
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
}

func (a *app) Close() {
	if a.wazuh != nil {
		a.wazuh.Close()
	}
}

// buildApp wires clients, tools and the MCP server from a validated config.
func buildApp(cfg *config.Config, log *slog.Logger, version string) (*app, error) {
	metrics := httpapi.NewMetrics()
	wc, err := newWazuhClient(cfg, log, version, metrics.WazuhObserver())
	if err != nil {
		return nil, err
	}
	ic, err := newIndexerClient(cfg, log, metrics.IndexerObserver())
	if err != nil {
		wc.Close()
		return nil, err
	}
	deps := tools.Deps{
		Wazuh:                wc,
		Indexer:              ic,
		Now:                  time.Now,
		MaxAlertsPerQuery:    cfg.MaxAlertsPerQuery,
		MaxResultBytes:       cfg.Tools.MaxResultSize << 10,
		IncludeInternalIPs:   cfg.Tools.IncludeIPs,
		AllowSensitiveConfig: cfg.Tools.AllowSensitiveConfig,
	}
	selected, err := tools.Select(tools.Catalogue(deps), selection(cfg))
	if err != nil {
		wc.Close()
		return nil, err
	}
	selected = guardWrites(selected, cfg.Server.Transport == "http")
	srv := tools.NewServer(version, selected, deps, log)
	readSrv := tools.NewServer(version, readTools(selected), deps, log)
	return &app{wazuh: wc, indexer: ic, tools: selected, server: srv, readServer: readSrv, metrics: metrics}, nil
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
	return wazuh.New(wazuh.Config{
		BaseURL:   u.String(),
		Username:  cfg.Wazuh.User,
		Password:  cfg.Wazuh.Password,
		TLS:       tc,
		Timeout:   cfg.RequestTimeout(),
		Logger:    log,
		UserAgent: "wazuh-mcp/" + version,
		Observer:  obs,
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
