package approval_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/manager"
)

// These tests kill -9 a real process holding the gate at the worst points
// of a write and check, after a restart, that the action is neither lost
// nor run twice and that the audit chain still verifies.

const helperEnv = "WAZUH_MCP_GATE_HELPER"

// TestMain turns the test binary into the helper process when asked: it
// opens the store and either approves an action and hangs (a server dying
// between approval and execution) or runs the executor until killed.
// Otherwise it runs the tests and fails them if any goroutine outlives
// them (issue 6: no goroutine leak).
func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		os.Exit(runHelper(mode))
	}
	goleak.VerifyTestMain(m)
}

func runHelper(mode string) int {
	ctx := context.Background()
	st, err := store.Open(ctx, os.Getenv("GATE_STORE"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	wc, err := wazuh.New(wazuh.Config{BaseURL: os.Getenv("GATE_MANAGER"), Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword,
		Logger: slog.New(slog.DiscardHandler), Timeout: 30 * time.Second})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	lease, _ := time.ParseDuration(os.Getenv("GATE_LEASE"))
	g := approval.New(st, wc, approval.Options{Poll: 20 * time.Millisecond, Lease: lease})
	switch mode {
	case "approve-and-hang":
		a, err := g.Get(ctx, os.Getenv("GATE_ACTION"))
		if err == nil {
			_, err = g.Approve(ctx, a.ID, a.PlanHash, approval.Approver{ID: "cli:helper", Via: approval.ViaCLI})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		fmt.Println("approved")
		select {} // killed here, before any executor ran
	case "execute":
		fmt.Println("executing")
		g.Run(ctx)
	case "propose-loop", "flow":
		return runCrashHelper(ctx, mode, g)
	}
	return 0
}

type crashEnv struct {
	sim       *wazuhsim.Sim
	storePath string
	st        *store.Store
	gate      *approval.Gate // decides only, like the CLI
	restarted *sentBy        // what restarted servers sent (crash_random_test.go)
}

func newCrashEnv(t *testing.T) *crashEnv {
	t.Helper()
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: 3, Alerts: 100, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0",
		Manager: manager.Options{MaxRequestsPerMinute: -1}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	path := filepath.Join(t.TempDir(), store.FileName)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return &crashEnv{sim: sim, storePath: path, st: st, gate: approval.New(st, nil, approval.Options{})}
}

// propose stores a pending block of ip on agent 001.
func (e *crashEnv) propose(t *testing.T, ip string) approval.Action {
	t.Helper()
	req, err := wazuh.ActiveResponseRequest([]string{"001"}, wazuh.ActiveResponseCommand{Command: "firewall-drop600", Alert: wazuh.AlertData{SrcIP: ip}})
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.gate.Propose(context.Background(), approval.Proposal{Tool: "wazuh_block_ip", Mode: approval.ModeHuman,
		Requester: approval.Requester{ID: "key_test"}, Plan: approval.Plan{Action: "block_ip", Request: req, Targets: []string{"001"}, Summary: "block " + ip}})
	if err != nil {
		t.Fatal(err)
	}
	return p.Action
}

// start runs the helper process in mode and waits for its first line.
func (e *crashEnv) start(t *testing.T, mode, actionID string, lease time.Duration) *exec.Cmd {
	t.Helper()
	cmd := e.command(mode, actionID, lease)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	buf := make([]byte, 64)
	if n, err := out.Read(buf); err != nil || n == 0 {
		t.Fatalf("helper %s did not start: %v", mode, err)
	}
	return cmd
}

// command is the helper process in mode, on this store and Manager.
func (e *crashEnv) command(mode, actionID string, lease time.Duration, env ...string) *exec.Cmd {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(append(os.Environ(), helperEnv+"="+mode, "GATE_STORE="+e.storePath, "GATE_MANAGER="+e.sim.ManagerURL,
		"GATE_ACTION="+actionID, "GATE_LEASE="+lease.String()), env...)
	return cmd
}

func kill9(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if err := cmd.Process.Kill(); err != nil { // SIGKILL: no cleanup runs
		t.Fatal(err)
	}
	_ = cmd.Wait()
}

func (e *crashEnv) waitStatus(t *testing.T, id string, want approval.Status, within time.Duration) approval.Action {
	t.Helper()
	deadline := time.Now().Add(within)
	for {
		a, err := e.gate.Get(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status == want {
			return a
		}
		if time.Now().After(deadline) {
			t.Fatalf("action %s is %s after %s, want %s", id, a.Status, within, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (e *crashEnv) activeResponses() int {
	n := 0
	for _, r := range e.sim.Manager.Requests() {
		if r.Path == "/active-response" {
			n++
		}
	}
	return n
}

func (e *crashEnv) verifyAudit(t *testing.T) {
	t.Helper()
	rep, err := audit.Verify(context.Background(), e.st)
	if err != nil || rep.FirstBroken != nil {
		t.Fatalf("audit chain: %v %+v", err, rep.FirstBroken)
	}
}

func TestKillBetweenApprovalAndExecution(t *testing.T) {
	e := newCrashEnv(t)
	a := e.propose(t, "203.0.113.70")
	approver := e.start(t, "approve-and-hang", a.ID, 10*time.Second)
	e.waitStatus(t, a.ID, approval.Approved, 5*time.Second)
	kill9(t, approver)
	if n := e.activeResponses(); n != 0 {
		t.Fatalf("%d requests before any executor ran", n)
	}
	exec1 := e.start(t, "execute", "", 10*time.Second)
	got := e.waitStatus(t, a.ID, approval.Succeeded, 10*time.Second)
	if got.Result == nil || strings.Join(got.Result.Affected, ",") != "001" {
		t.Errorf("result %+v", got.Result)
	}
	kill9(t, exec1)
	e.start(t, "execute", "", 10*time.Second) // a restart must not run it again
	time.Sleep(300 * time.Millisecond)
	if n := e.activeResponses(); n != 1 {
		t.Fatalf("%d requests reached Wazuh, want exactly 1", n)
	}
	e.verifyAudit(t)
}

func TestKillDuringExecutionIsNeverRetried(t *testing.T) {
	e := newCrashEnv(t)
	a := e.propose(t, "203.0.113.71")
	if _, err := e.gate.Approve(context.Background(), a.ID, a.PlanHash, approval.Approver{ID: "cli:op", Via: approval.ViaCLI}); err != nil {
		t.Fatal(err)
	}
	// The Manager answers writes slowly: the executor is killed while its
	// request is in flight, after the claim and its audit record.
	e.sim.ManagerFaults.Set(faults.Settings{Latency: 3 * time.Second})
	exec1 := e.start(t, "execute", "", 2*time.Second)
	e.waitStatus(t, a.ID, approval.Executing, 5*time.Second)
	kill9(t, exec1)
	e.sim.ManagerFaults.Reset()
	e.start(t, "execute", "", 2*time.Second)
	got := e.waitStatus(t, a.ID, approval.FailedUnknown, 10*time.Second)
	if got.Result == nil || !strings.Contains(got.Result.Error, "never retried") {
		t.Errorf("result %+v", got.Result)
	}
	time.Sleep(300 * time.Millisecond)
	if n := e.activeResponses(); n > 1 {
		t.Fatalf("%d requests reached Wazuh: an ambiguous write was retried", n)
	}
	e.verifyAudit(t)
}
