package approval

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth/keytest"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// fakeExec records the requests it is asked to send and answers success.
type fakeExec struct {
	mu   sync.Mutex
	sent []wazuh.WriteRequest
}

func (f *fakeExec) SendWrite(_ context.Context, w wazuh.WriteRequest) (wazuh.WriteResult, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.sent = append(f.sent, w)
	return wazuh.WriteResult{Affected: []string{"001"}}, nil
}

func (f *fakeExec) count() int { f.mu.Lock(); defer f.mu.Unlock(); return len(f.sent) }

// gateEnv is a gate over a real store, with a settable clock and, when
// exec is set, an executor.
type gateEnv struct {
	st    *store.Store
	g     *Gate
	clock *clock
	exec  *fakeExec
}

func newGateEnv(t *testing.T, withExec bool) *gateEnv {
	t.Helper()
	e := &gateEnv{st: keytest.Store(t), clock: &clock{t: time.Now().UTC().Truncate(time.Second)}}
	var ex Executor
	if withExec {
		e.exec = &fakeExec{}
		ex = e.exec
	}
	e.g = New(e.st, ex, Options{Now: e.clock.Now})
	return e
}

// blockOf proposes blocking ip on agent 001 in mode m, as requester "key_requester01".
func blockOf(t *testing.T, ip string, m Mode) Proposal {
	t.Helper()
	req, err := wazuh.ActiveResponseRequest([]string{"001"}, wazuh.ActiveResponseCommand{
		Command: "firewall-drop", Alert: wazuh.AlertData{SrcIP: ip}})
	if err != nil {
		t.Fatal(err)
	}
	return Proposal{Tool: "block_ip", Mode: m,
		Plan:      Plan{Action: "block_ip", Request: req, Targets: []string{"agent 001"}, Summary: "Block " + ip, Undo: "unblock " + ip},
		Requester: Requester{ID: "key_requester01", Name: "soc-bot"}}
}

func (e *gateEnv) propose(t *testing.T, p Proposal) Proposed {
	t.Helper()
	out, err := e.g.Propose(context.Background(), p)
	if err != nil {
		t.Fatalf("propose: %v", err)
	}
	return out
}

// A re-proposal returns the earlier action while it is live, whatever its
// age; a finished one only within the dedupe window; an expired one never.
func TestProposeDedupe(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name     string
		settle   func(t *testing.T, e *gateEnv, a Action) // what happens to the first action
		after    time.Duration
		existing bool
	}{
		{"pending, within the window", nil, 5 * time.Minute, true},
		// Pending actions live for the TTL (15m), longer than the window (10m).
		{"pending, after the window", nil, 11 * time.Minute, true},
		{"pending, after the TTL", nil, 16 * time.Minute, false},
		{"approved, after the window", func(t *testing.T, e *gateEnv, a Action) {
			if _, err := e.g.Approve(ctx, a.ID, a.PlanHash, Approver{ID: "key_operator01", Via: ViaCLI}); err != nil {
				t.Fatal(err)
			}
		}, 11 * time.Minute, true},
		{"rejected, within the window", func(t *testing.T, e *gateEnv, a Action) {
			if _, err := e.g.Reject(ctx, a.ID, a.PlanHash, Approver{ID: "key_operator01", Via: ViaCLI}, "no"); err != nil {
				t.Fatal(err)
			}
		}, 5 * time.Minute, true},
		{"rejected, after the window", func(t *testing.T, e *gateEnv, a Action) {
			if _, err := e.g.Reject(ctx, a.ID, a.PlanHash, Approver{ID: "key_operator01", Via: ViaCLI}, "no"); err != nil {
				t.Fatal(err)
			}
		}, 11 * time.Minute, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newGateEnv(t, false)
			first := e.propose(t, blockOf(t, "203.0.113.9", ModeHuman))
			if first.Existing {
				t.Fatal("the first proposal is not a repeat")
			}
			if tt.settle != nil {
				tt.settle(t, e, first.Action)
			}
			e.clock.Add(tt.after)
			again := e.propose(t, blockOf(t, "203.0.113.9", ModeHuman))
			if again.Existing != tt.existing || (again.Action.ID == first.Action.ID) != tt.existing {
				t.Errorf("existing %v, same action %v; want %v", again.Existing, again.Action.ID == first.Action.ID, tt.existing)
			}
			want := 2
			if tt.existing {
				want = 1
			}
			if all, _ := e.g.List(ctx, 10); len(all) != want {
				t.Errorf("%d actions stored, want %d", len(all), want)
			}
		})
	}
}

// Two processes (two stores, two gates) proposing the same plan at once
// store one action: the search and the insert share a transaction.
func TestProposeDedupeAcrossProcesses(t *testing.T) {
	e := newGateEnv(t, false)
	st2, err := store.Open(context.Background(), e.st.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st2.Close() })
	gates := []*Gate{e.g, New(st2, nil, Options{Now: e.clock.Now})}
	p := blockOf(t, "203.0.113.9", ModeHuman)
	var wg sync.WaitGroup
	ids := make([]string, 32)
	for i := range ids {
		wg.Go(func() {
			out, err := gates[i%2].Propose(context.Background(), p)
			if err != nil {
				t.Error(err)
			}
			ids[i] = out.Action.ID
		})
	}
	wg.Wait()
	for _, id := range ids[1:] {
		if id != ids[0] {
			t.Fatalf("proposals got different actions: %v", ids)
		}
	}
	if all, _ := e.g.List(context.Background(), 10); len(all) != 1 {
		t.Errorf("%d actions stored, want 1", len(all))
	}
}

// The sweep finds what is due however many newer pending proposals there
// are: it once listed the 500 newest live actions and acted on those only.
func TestSweepFindsDueWorkBehindNewerPending(t *testing.T) {
	ctx := context.Background()
	for _, tt := range []struct {
		name  string
		mode  Mode
		setup func(t *testing.T, e *gateEnv, a Action) // after the proposal
		after time.Duration                            // clock advance before the sweep
		want  Status
		sent  int
	}{
		{"older approved is executed", ModeAuto, nil, time.Minute, Succeeded, 1},
		{"older pending expires", ModeHuman, nil, 16 * time.Minute, Expired, 0},
		{"older lapsed execution is settled", ModeAuto, func(t *testing.T, e *gateEnv, a Action) {
			// A server claimed it and died: executing, lease long gone.
			r, err := e.st.GetAction(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			now := e.clock.Now()
			r.Status, r.Executor, r.StartedAt, r.LeaseUntil, r.UpdatedAt = string(Executing), "exec_gone", now, now.Add(time.Minute), now
			if err := e.st.Transition(ctx, string(Approved), r); err != nil {
				t.Fatal(err)
			}
		}, 2 * time.Minute, FailedUnknown, 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newGateEnv(t, true)
			old := e.propose(t, blockOf(t, "198.51.100.1", tt.mode)).Action
			if tt.setup != nil {
				tt.setup(t, e, old)
			}
			e.clock.Add(time.Second)
			for i := range 510 { // more than one batch (sweepBatch)
				e.propose(t, blockOf(t, fmt.Sprintf("10.0.%d.%d", i/250, i%250+1), ModeHuman))
			}
			e.clock.Add(tt.after)
			e.g.Sweep(ctx)
			got, err := e.g.Get(ctx, old.ID)
			if err != nil || got.Status != tt.want {
				t.Errorf("older action is %s (%v), want %s", got.Status, err, tt.want)
			}
			if n := e.exec.count(); n != tt.sent {
				t.Errorf("%d requests sent, want %d", n, tt.sent)
			}
		})
	}
}

// The requester approves their own action only with the confirmation code
// of a confirm-mode action: the channel an approver names proves nothing
// by itself (decide is what Approve and repeat call).
func TestSelfApprovalNeedsTheCode(t *testing.T) {
	ctx := context.Background()
	const requester = "key_requester01"
	for _, tt := range []struct {
		name string
		mode Mode
		who  Approver
		want Status
	}{
		{"requester via cli", ModeHuman, Approver{ID: requester, Via: ViaCLI}, Pending},
		{"requester via the code channel, human mode", ModeHuman, Approver{ID: requester, Via: ViaConfirm}, Pending},
		{"requester via the code channel, confirm mode", ModeConfirm, Approver{ID: requester, Via: ViaConfirm}, Approved},
		{"another person via the page", ModeHuman, Approver{ID: "key_operator01", Via: ViaPage}, Approved},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newGateEnv(t, false)
			a := e.propose(t, blockOf(t, "203.0.113.9", tt.mode)).Action
			_, err := e.g.decide(ctx, a.ID, a.PlanHash, tt.who, true, "")
			if refused := errors.Is(err, ErrSelfApproval); refused != (tt.want == Pending) {
				t.Fatalf("err = %v, want it refused: %v", err, tt.want == Pending)
			}
			if got, _ := e.g.Get(ctx, a.ID); got.Status != tt.want {
				t.Errorf("status %s, want %s", got.Status, tt.want)
			}
		})
	}
}

// Approve and Reject refuse the channels only the gate records: a
// confirmation code is checked by Propose, which is the only way to use it.
func TestDecisionChannelsOfTheGateOnly(t *testing.T) {
	ctx := context.Background()
	e := newGateEnv(t, false)
	first := e.propose(t, blockOf(t, "203.0.113.9", ModeConfirm))
	a := first.Action
	for _, via := range []Channel{ViaConfirm, ViaPolicy, ViaDelegation, ViaSystem} {
		who := Approver{ID: "key_requester01", Via: via}
		if _, err := e.g.Approve(ctx, a.ID, a.PlanHash, who); err == nil || !strings.Contains(err.Error(), string(via)) {
			t.Errorf("approve via %s: %v", via, err)
		}
		if _, err := e.g.Reject(ctx, a.ID, a.PlanHash, who, ""); err == nil || !strings.Contains(err.Error(), string(via)) {
			t.Errorf("reject via %s: %v", via, err)
		}
	}
	if got, _ := e.g.Get(ctx, a.ID); got.Status != Pending {
		t.Fatalf("status %s, want pending", got.Status)
	}
	p := blockOf(t, "203.0.113.9", ModeConfirm)
	p.ConfirmationCode = first.ConfirmationCode
	if out := e.propose(t, p); out.Action.Status != Approved || out.Action.Decision.Via != ViaConfirm {
		t.Errorf("with the code: %s %+v", out.Action.Status, out.Action.Decision)
	}
}

// A long rejection note is cut on a character boundary: the stored note
// stays valid UTF-8.
func TestRejectionNoteKeepsUTF8(t *testing.T) {
	e := newGateEnv(t, false)
	a := e.propose(t, blockOf(t, "203.0.113.9", ModeHuman)).Action
	note := "x" + strings.Repeat("é", 300) // 601 bytes: byte 500 is inside an é
	got, err := e.g.Reject(context.Background(), a.ID, a.PlanHash, Approver{ID: "key_operator01", Via: ViaCLI}, note)
	if err != nil {
		t.Fatal(err)
	}
	if n := got.Decision.Note; !utf8.ValidString(n) || len(n) > 500 || len(n) < 498 {
		t.Errorf("note of %d bytes, valid UTF-8 %v", len(n), utf8.ValidString(n))
	}
}
