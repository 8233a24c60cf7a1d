// Package wazuhsim runs the Wazuh stand-in: a generated deployment served
// by a Wazuh Manager API and a Wazuh indexer on their own listeners, as
// `wazuh-mcp sim`, `wazuh-mcp demo` and the tests use it.
package wazuhsim

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// Credentials of the stand-in (printed at start; they are not secrets).
const (
	ManagerUser     = "wazuh"
	ManagerPassword = "wazuh"
	IndexerUser     = "admin"
	IndexerPassword = "admin"
)

// Options configure Start.
type Options struct {
	Seed        int64
	Alerts      int
	Now         time.Time // end of the generated window (default: now)
	ManagerAddr string    // listen address; "127.0.0.1:0" picks a free port
	IndexerAddr string
	// TLS serves HTTPS with a generated self-signed certificate whose PEM is
	// written to CertDir (a temporary directory when empty).
	TLS     bool
	CertDir string
	Logger  *slog.Logger
	// Manager options passed through (token lifetime, rate limit...).
	// Manager.Now is the stand-in's clock: it also anchors the indexer's
	// date math and decides when alerts of active responses become
	// visible (the "delete" at the end of a timeout).
	Manager manager.Options
}

// Sim is a running stand-in.
type Sim struct {
	Dataset       *dataset.Dataset
	Manager       *manager.Server
	ManagerFaults *faults.Injector
	IndexerFaults *faults.Injector
	ManagerURL    string
	IndexerURL    string
	CAFile        string // PEM of the self-signed certificate when TLS is on

	servers []*http.Server
	live    *liveAlerts
}

// LiveAlerts returns the alerts produced since start (active responses run
// by agents) whose time has come on the stand-in's clock, oldest first.
func (s *Sim) LiveAlerts() []search.Doc { return s.live.visible() }

// Start generates the dataset and serves both APIs until Close.
func Start(opts Options) (*Sim, error) {
	ds, err := dataset.Generate(dataset.Options{Seed: opts.Seed, Alerts: opts.Alerts, Now: opts.Now})
	if err != nil {
		return nil, fmt.Errorf("generating the stand-in dataset: %w", err)
	}
	return Serve(ds, opts)
}

// Serve serves an already generated dataset.
func Serve(ds *dataset.Dataset, opts Options) (*Sim, error) {
	s := &Sim{Dataset: ds, ManagerFaults: faults.New(uint64(opts.Seed) + 1), IndexerFaults: faults.New(uint64(opts.Seed) + 2)}
	mopts := opts.Manager
	mopts.Faults = s.ManagerFaults
	if mopts.Now == nil {
		mopts.Now = time.Now
	}
	s.live = newLiveAlerts(ds.AlertIndices, mopts.Now)
	mopts.ARAlerts = s.live
	m, err := manager.New(ds, mopts)
	if err != nil {
		return nil, fmt.Errorf("stand-in manager: %w", err)
	}
	s.Manager = m
	idx := search.NewHandler(search.HandlerOptions{
		Indices: func() []search.Index {
			alerts := s.live.indices()
			all := make([]search.Index, 0, len(alerts)+len(ds.VulnerabilityIndices))
			return append(append(all, alerts...), ds.VulnerabilityIndices...)
		},
		Now:      mopts.Now, // one clock for both APIs: date math and live alerts agree
		Username: IndexerUser,
		Password: IndexerPassword,
		Faults:   s.IndexerFaults,
	})
	var tlsCfg *tls.Config
	if opts.TLS {
		if tlsCfg, s.CAFile, err = selfSigned(opts.CertDir); err != nil {
			return nil, err
		}
	}
	if s.ManagerURL, err = s.listen(opts.ManagerAddr, "127.0.0.1:55000", m.Handler(), tlsCfg); err != nil {
		s.Close()
		return nil, fmt.Errorf("stand-in manager: %w", err)
	}
	if s.IndexerURL, err = s.listen(opts.IndexerAddr, "127.0.0.1:9200", idx, tlsCfg); err != nil {
		s.Close()
		return nil, fmt.Errorf("stand-in indexer: %w", err)
	}
	return s, nil
}

func (s *Sim) listen(addr, def string, h http.Handler, tlsCfg *tls.Config) (string, error) {
	if addr == "" {
		addr = def
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	scheme := "http"
	if tlsCfg != nil {
		srv.TLSConfig = tlsCfg
		ln = tls.NewListener(ln, tlsCfg)
		scheme = "https"
	}
	s.servers = append(s.servers, srv)
	go func() { _ = srv.Serve(ln) }()
	return scheme + "://" + ln.Addr().String(), nil
}

// Close stops both servers.
func (s *Sim) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var errs []error
	for _, srv := range s.servers {
		if err := srv.Shutdown(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
