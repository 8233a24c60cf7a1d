package approval_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

// These tests kill -9 the process holding the gate at points chosen by
// the clock rather than by a hook: while it proposes (the pending point)
// and anywhere in propose → approve → execute. The helper prints a line
// after each commit it saw succeed; whatever it printed must be in the
// store after the kill, the audit chain must verify, and after a restart
// no action reaches Wazuh twice.

// blockProposal is a human-approved block of ip on agent 001.
func blockProposal(ip string) (approval.Proposal, error) {
	req, err := wazuh.ActiveResponseRequest([]string{"001"}, wazuh.ActiveResponseCommand{Command: "firewall-drop600", Alert: wazuh.AlertData{SrcIP: ip}})
	return approval.Proposal{Tool: "wazuh_block_ip", Mode: approval.ModeHuman, Requester: approval.Requester{ID: "key_model"},
		Plan: approval.Plan{Action: "block_ip", Request: req, Targets: []string{"001"}, Summary: "block " + ip}}, err
}

// helperIP is the address of the helper's n-th proposal in round base.
func helperIP(base, n int) string { return fmt.Sprintf("10.%d.%d.%d", base%250, n/250, n%250+1) }

// runCrashHelper runs the helper modes of this file until killed:
// "propose-loop" proposes one action after the other; "flow" also
// approves each (as the CLI would) and executes it, waiting for the
// outcome before the next. Each line is printed after the commit it names.
func runCrashHelper(ctx context.Context, mode string, g *approval.Gate) int {
	base, _ := strconv.Atoi(os.Getenv("GATE_BASE"))
	rng := rand.New(rand.NewPCG(uint64(base), 7))
	if mode == "flow" {
		go g.Run(ctx)
	}
	fmt.Println("ready")
	for n := 0; ; n++ {
		p, err := blockProposal(helperIP(base, n))
		var out approval.Proposed
		if err == nil {
			out, err = g.Propose(ctx, p)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		id := out.Action.ID
		fmt.Println("proposed", id)
		if mode != "flow" {
			continue
		}
		time.Sleep(time.Duration(rng.IntN(30)) * time.Millisecond) // pending for a while
		a, err := g.Get(ctx, id)
		if err == nil {
			_, err = g.Approve(ctx, id, a.PlanHash, approval.Approver{ID: "cli:helper", Via: approval.ViaCLI})
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 2
		}
		fmt.Println("approved", id)
		for a.Status = approval.Approved; !a.Status.Terminal(); time.Sleep(5 * time.Millisecond) {
			if a, err = g.Get(ctx, id); err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 2
			}
		}
		fmt.Println("done", id, a.Status)
	}
}

// helperLog collects the helper's stdout lines ("proposed act_x").
type helperLog struct {
	mu    sync.Mutex
	lines []string
	done  chan struct{}
}

// startLogged runs the helper in mode and collects its output; it returns
// once the helper printed "ready".
func (e *crashEnv) startLogged(t *testing.T, mode string, base int, lease time.Duration) (*helperLog, func()) {
	t.Helper()
	cmd := e.command(mode, "", lease, "GATE_BASE="+strconv.Itoa(base))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	l := &helperLog{done: make(chan struct{})}
	ready := make(chan struct{})
	go func() {
		defer close(l.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if sc.Text() == "ready" {
				close(ready)
				continue
			}
			l.mu.Lock()
			l.lines = append(l.lines, sc.Text())
			l.mu.Unlock()
		}
	}()
	select {
	case <-ready:
	case <-l.done:
		t.Fatalf("helper %s exited before it was ready", mode)
	case <-time.After(20 * time.Second):
		t.Fatalf("helper %s did not start", mode)
	}
	return l, func() { kill9(t, cmd); <-l.done }
}

// reported returns the action ids the helper printed with verb.
func (l *helperLog) reported(verb string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var ids []string
	for _, line := range l.lines {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == verb {
			ids = append(ids, f[1])
		}
	}
	return ids
}

func (l *helperLog) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// srcIP reads alert.data.srcip from an active-response body.
func srcIP(body []byte) string {
	var b struct {
		Alert struct {
			Data struct {
				SrcIP string `json:"srcip"`
			} `json:"data"`
		} `json:"alert"`
	}
	_ = json.Unmarshal(body, &b)
	return b.Alert.Data.SrcIP
}

// putsByIP counts the active responses Wazuh received per blocked address.
func (e *crashEnv) putsByIP() map[string]int {
	n := map[string]int{}
	for _, r := range e.sim.Manager.Requests() {
		if r.Method == "PUT" && r.Path == "/active-response" {
			n[srcIP([]byte(r.Body))]++
		}
	}
	return n
}

// auditTrail lists the transitions the audit log holds per action.
func (e *crashEnv) auditTrail(t *testing.T) map[string][]string {
	t.Helper()
	trail := map[string][]string{}
	err := e.st.EachAudit(context.Background(), 0, time.Time{}, func(r store.AuditRecord) error {
		var ev audit.Event
		if err := json.Unmarshal(r.Record, &ev); err != nil {
			return err
		}
		if ev.Kind == audit.KindAction {
			trail[ev.ActionID] = append(trail[ev.ActionID], ev.Transition)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return trail
}

// allActions lists every stored action.
func (e *crashEnv) allActions(t *testing.T) map[string]approval.Action {
	t.Helper()
	list, err := e.gate.List(context.Background(), 100000)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]approval.Action{}
	for _, a := range list {
		out[a.ID] = a
	}
	return out
}

// checkStore checks what a kill must never break: the audit chain
// verifies, every action the helper reported is stored (with at least
// the state it reported), every action has exactly the audit records of
// the states it went through (an action and its record are one commit),
// and Wazuh received at most one request per action.
func (e *crashEnv) checkStore(t *testing.T, l *helperLog) map[string]approval.Action {
	t.Helper()
	e.verifyAudit(t)
	actions := e.allActions(t)
	for _, id := range l.reported("proposed") {
		if _, ok := actions[id]; !ok {
			t.Fatalf("action %s was reported committed but is not in the store", id)
		}
	}
	for _, id := range l.reported("approved") {
		if s := actions[id].Status; s == approval.Pending {
			t.Fatalf("action %s was reported approved but is %s", id, s)
		}
	}
	trail := e.auditTrail(t)
	for id, a := range actions {
		if want := expectedTrail(a); strings.Join(trail[id], ",") != want {
			t.Fatalf("action %s is %s with the audit trail %v, want %s", id, a.Status, trail[id], want)
		}
	}
	for id := range trail {
		if _, ok := actions[id]; !ok {
			t.Fatalf("audit records of action %s, which is not stored", id)
		}
	}
	puts := e.putsByIP()
	for _, a := range actions {
		ip := srcIP(a.Plan.Request.Body)
		switch n := puts[ip]; {
		case n > 1:
			t.Fatalf("action %s (%s) reached Wazuh %d times", a.ID, ip, n)
		case n == 1 && (a.Status == approval.Pending || a.Status == approval.Approved):
			t.Fatalf("action %s (%s) reached Wazuh while %s", a.ID, ip, a.Status)
		case n == 0 && a.Status == approval.Succeeded:
			t.Fatalf("action %s (%s) succeeded without reaching Wazuh", a.ID, ip)
		}
	}
	return actions
}

// expectedTrail is the audit trail of an action in its status, as the
// gate writes it for a human-approved action.
func expectedTrail(a approval.Action) string {
	switch a.Status {
	case approval.Pending:
		return "proposed"
	case approval.Approved:
		return "proposed,approved"
	case approval.Executing:
		return "proposed,approved,executing"
	}
	return "proposed,approved,executing," + string(a.Status)
}

// sentBy counts, per blocked address, the active responses one process
// sent, through a proxy in front of the Manager: unlike the Manager's
// log, it cannot confuse a request of the killed process that lands late
// with one the restarted server sent.
type sentBy struct {
	mu  sync.Mutex
	ips map[string]int
	url string
}

func newSentBy(t *testing.T, target string) *sentBy {
	t.Helper()
	u, err := url.Parse(target)
	if err != nil {
		t.Fatal(err)
	}
	s := &sentBy{ips: map[string]int{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPut && r.URL.Path == "/active-response" {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			s.mu.Lock()
			s.ips[srcIP(body)]++
			s.mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.url = srv.URL
	return s
}

func (s *sentBy) count(ip string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.ips[ip]
}

// restart is a server starting on the store after the kill, with a clock
// past every lease the dead process held: one sweep executes what was
// approved and settles what was executing. What it sends is counted in
// e.restarted.
func (e *crashEnv) restart(t *testing.T, lease time.Duration) *approval.Gate {
	t.Helper()
	if e.restarted == nil {
		e.restarted = newSentBy(t, e.sim.ManagerURL)
	}
	wc, err := wazuh.New(wazuh.Config{BaseURL: e.restarted.url, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword,
		Logger: slog.New(slog.DiscardHandler), Timeout: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	g := approval.New(e.st, wc, approval.Options{Lease: lease, Now: func() time.Time { return time.Now().Add(lease + time.Second) }})
	g.Sweep(context.Background())
	return g
}

// TestKillWhileProposing kills the helper while it proposes one action
// after the other: at the pending point of some action (just committed)
// and, most of the time, in the middle of the next proposal's commit.
func TestKillWhileProposing(t *testing.T) {
	e := newCrashEnv(t)
	l, kill := e.startLogged(t, "propose-loop", 1, 5*time.Second)
	for deadline := time.Now().Add(10 * time.Second); l.count() < 5; time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the helper proposed %d actions in 10 s", l.count())
		}
	}
	kill()
	proposed := l.reported("proposed")
	actions := e.checkStore(t, l)
	if len(actions) < len(proposed) || len(actions) > len(proposed)+1 {
		t.Fatalf("%d actions stored, %d reported: at most the one being committed may be unreported", len(actions), len(proposed))
	}
	for id, a := range actions {
		if a.Status != approval.Pending {
			t.Fatalf("action %s is %s", id, a.Status)
		}
	}
	// A restarted server executes none of them until a human approves,
	// then each exactly once.
	g := e.restart(t, 5*time.Second)
	if n := e.activeResponses(); n != 0 {
		t.Fatalf("%d requests reached Wazuh before any approval", n)
	}
	for id, a := range actions {
		if _, err := e.gate.Approve(context.Background(), id, a.PlanHash, approval.Approver{ID: "cli:op", Via: approval.ViaCLI}); err != nil {
			t.Fatal(err)
		}
	}
	g.Sweep(context.Background())
	g.Sweep(context.Background())
	for id, a := range e.checkStore(t, l) {
		if a.Status != approval.Succeeded {
			t.Fatalf("action %s is %s after approval", id, a.Status)
		}
	}
	if n := e.activeResponses(); n != len(actions) {
		t.Fatalf("%d requests for %d actions", n, len(actions))
	}
}

// TestKillAtRandomPoints kills the helper 8 times at a random moment of
// its propose → approve → execute loop, with a Manager slow enough that
// some kills land while a request is in flight. After each kill a
// restarted server settles the store; after the last one every pending
// action is approved and executed. Set WAZUH_MCP_CRASH_SEED to replay a
// run (the seed is logged).
func TestKillAtRandomPoints(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("WAZUH_MCP_CRASH_SEED"); s != "" {
		seed, _ = strconv.ParseUint(s, 10, 64)
	}
	t.Logf("seed %d (WAZUH_MCP_CRASH_SEED)", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	e := newCrashEnv(t)
	const lease = 2 * time.Second
	e.sim.ManagerFaults.Set(faults.Settings{Latency: 80 * time.Millisecond, ExcludePaths: []string{"/security/user/authenticate"}})
	var all helperLog
	var points []string // the state of each round's newest action at its kill
	known := map[string]bool{}
	for round := range 8 {
		l, kill := e.startLogged(t, "flow", 10+round, lease)
		time.Sleep(time.Duration(rng.IntN(600)) * time.Millisecond)
		kill()
		atKill := e.checkStore(t, l)
		point, newest := "before any proposal", time.Time{}
		for id, a := range atKill {
			if !known[id] && a.CreatedAt.After(newest) {
				point, newest = string(a.Status), a.CreatedAt
			}
			known[id] = true
		}
		points = append(points, point)
		e.restart(t, lease)
		after := e.checkStore(t, l)
		for id, a := range after {
			switch a.Status {
			case approval.Approved, approval.Executing:
				t.Fatalf("round %d: action %s is still %s after the restart", round, id, a.Status)
			}
			ip := srcIP(a.Plan.Request.Body)
			if atKill[id].Status != approval.Executing {
				continue
			}
			if a.Status != approval.FailedUnknown {
				t.Fatalf("round %d: action %s was executing at the kill and is %s, want failed_unknown", round, id, a.Status)
			}
			if n := e.restarted.count(ip); n != 0 {
				t.Fatalf("round %d: action %s was executing at the kill and the restarted server sent it %d times", round, id, n)
			}
		}
		all.lines = append(all.lines, l.lines...)
	}
	// Every action left pending is approved now and runs exactly once.
	g := e.restart(t, lease)
	e.sim.ManagerFaults.Reset()
	for id, a := range e.allActions(t) {
		if a.Status == approval.Pending {
			if _, err := e.gate.Approve(context.Background(), id, a.PlanHash, approval.Approver{ID: "cli:op", Via: approval.ViaCLI}); err != nil {
				t.Fatal(err)
			}
		}
	}
	g.Sweep(context.Background())
	g.Sweep(context.Background())
	time.Sleep(300 * time.Millisecond) // a request of a killed process still in the Manager's latency lands
	final := e.checkStore(t, &all)
	for id, a := range final {
		if a.Status != approval.Succeeded && a.Status != approval.FailedUnknown {
			t.Fatalf("action %s ended %s", id, a.Status)
		}
	}
	t.Logf("%d actions over 8 kills; the newest action at each kill was: %s", len(final), strings.Join(points, ", "))
}
