package tools

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// startOwnSim starts a stand-in of the test's own (seed 7, 300 alerts, no
// Manager rate limit), for tests that turn its knobs or count its requests.
func startOwnSim(t *testing.T) *wazuhsim.Sim {
	t.Helper()
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 7, Alerts: 300, Now: simNow, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{MaxRequestsPerMinute: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// openTestStore opens a fresh store in the test's temporary directory.
func openTestStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// runTestGate starts a gate with its executor running until the test ends
// (20 ms poll, 15 min TTL; now, when set, is its clock).
func runTestGate(t *testing.T, st *store.Store, wc *wazuh.Client, now func() time.Time) *approval.Gate {
	t.Helper()
	g := approval.New(st, wc, approval.Options{Poll: 20 * time.Millisecond, Now: now, TTL: 15 * time.Minute})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); g.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	return g
}

// closeVerified closes wc when the test ends, after checking that no tool
// changed the decoded Manager answers the client shares between calls.
func closeVerified(tb testing.TB, wc *wazuh.Client) {
	tb.Cleanup(func() {
		if err := wc.VerifyDecodedCache(); err != nil {
			tb.Error(err)
		}
		wc.Close()
	})
}
