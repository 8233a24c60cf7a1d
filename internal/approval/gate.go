package approval

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// Executor sends a planned request to Wazuh once (wazuh.Client.SendWrite).
type Executor interface {
	SendWrite(ctx context.Context, w wazuh.WriteRequest) (wazuh.WriteResult, error)
}

// Options tune a Gate; zero values take the defaults.
type Options struct {
	// TTL is how long a pending action waits for a decision, and how long
	// an approved one may wait to be executed (default 15m).
	TTL time.Duration
	// DedupeWindow: the same plan from the same requester returns the
	// earlier action instead of a new one while that action is live, and
	// within DedupeWindow after it was proposed once it finished (default
	// 10m), so a client retrying a write cannot execute it twice.
	DedupeWindow time.Duration
	// Lease bounds one execution (default 60s). An action still executing
	// after its lease (the server died mid-request) becomes failed_unknown:
	// whether Wazuh ran it is unknown and it is never retried.
	Lease time.Duration
	// Poll is how often the executor looks for work approved by another
	// process, such as the CLI (default 500ms).
	Poll time.Duration
	// ConfirmSecret keys confirmation codes (default: random per process).
	ConfirmSecret []byte
	Now           func() time.Time
	Logger        *slog.Logger
}

func (o Options) withDefaults() Options {
	if o.TTL <= 0 {
		o.TTL = 15 * time.Minute
	}
	if o.DedupeWindow <= 0 {
		o.DedupeWindow = 10 * time.Minute
	}
	if o.Lease <= 0 {
		o.Lease = 60 * time.Second
	}
	if o.Poll <= 0 {
		o.Poll = 500 * time.Millisecond
	}
	if len(o.ConfirmSecret) == 0 {
		o.ConfirmSecret = make([]byte, 32)
		_, _ = rand.Read(o.ConfirmSecret)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Gate is the write gate over one store. It is safe for concurrent use, and
// several processes may share the store: the CLI decides, servers execute.
type Gate struct {
	st       *store.Store
	exec     Executor // nil: this process never executes (the CLI)
	opts     Options
	instance string
	wake     chan struct{}
	mu       sync.Mutex // serialises Propose's read-then-insert of one process
}

// New returns a gate. exec may be nil for processes that only decide.
func New(st *store.Store, exec Executor, opts Options) *Gate {
	return &Gate{st: st, exec: exec, opts: opts.withDefaults(), instance: "exec_" + strings.ToLower(rand.Text()[:10]),
		wake: make(chan struct{}, 1)}
}

// Errors callers match.
var (
	ErrNotPending   = errors.New("the action is not pending")
	ErrHashMismatch = errors.New("the plan hash does not match the stored plan")
	ErrSelfApproval = errors.New("the requester of an action cannot approve it")
	ErrBadCode      = errors.New("the confirmation code does not match this plan")
)

// Proposal is a plan a tool wants executed.
type Proposal struct {
	Tool      string
	Plan      Plan
	Mode      Mode
	Requester Requester
	AlertID   string
	// ConfirmationCode, in confirm mode, approves the pending action with
	// the same plan hash when it matches.
	ConfirmationCode string
}

// Proposed is the answer to Propose.
type Proposed struct {
	Action Action
	// Existing is true when the same plan from the same requester is
	// still pending, approved or executing, or finished within the dedupe
	// window: Action is that earlier action.
	Existing bool
	// ConfirmationCode is set for pending actions in confirm mode.
	ConfirmationCode string
}

func (g *Gate) now() time.Time { return g.opts.Now().UTC() }

// Now is the gate's clock.
func (g *Gate) Now() time.Time { return g.now() }

// SignState is the request state of an in-line approval question: it binds
// the answer that comes back to this action, plan and MCP session, so an
// answer cannot be replayed onto another action or forged by a caller
// that never received the question.
func (g *Gate) SignState(id, hash, session string) string {
	m := hmac.New(sha256.New, g.opts.ConfirmSecret)
	m.Write([]byte("elicit"))
	for _, f := range []string{id, hash, session} {
		// Length-prefixed: no field can borrow text from its neighbour
		// (with separators, ("a\x00b", "c") and ("a", "b\x00c") collide).
		m.Write([]byte(strconv.Itoa(len(f)) + ":" + f))
	}
	return base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil))
}

// VerifyState checks a request state made by SignState.
func (g *Gate) VerifyState(state, id, hash, session string) bool {
	return state != "" && hmac.Equal([]byte(state), []byte(g.SignState(id, hash, session)))
}

// Propose stores p as a new action, or returns the action already proposed
// for the same plan by the same requester (see duplicates).
func (g *Gate) Propose(ctx context.Context, p Proposal) (Proposed, error) {
	if p.Requester.ID == "" {
		return Proposed{}, errors.New("approval: a proposal needs a requester")
	}
	hash, planJSON, err := PlanHash(p.Requester.ID, p.Tool, p.Plan)
	if err != nil {
		return Proposed{}, fmt.Errorf("approval: hashing the plan: %w", err)
	}
	// The store's transaction makes the search and the insert atomic
	// across processes; the mutex only spares this process's proposals
	// from queueing on SQLite's busy timeout.
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.now()
	row := store.ActionRow{
		ID: "act_" + strings.ToLower(rand.Text()[:16]), Action: p.Plan.Action, Tool: p.Tool,
		PrincipalID: p.Requester.ID, PrincipalName: p.Requester.Name, SessionID: p.Requester.Session,
		CorrelationID: p.Requester.CorrelationID, AlertID: p.AlertID, Plan: string(planJSON), PlanHash: hash,
		Mode: string(p.Mode), Status: string(Pending), CreatedAt: now, ExpiresAt: now.Add(g.opts.TTL), UpdatedAt: now,
	}
	records := []store.AuditRecord{g.event(row, "proposed", p.Requester.ID, p.Requester.Name, map[string]any{
		"plan": json.RawMessage(planJSON), "plan_hash": hash, "mode": p.Mode, "delegated": p.Requester.Delegated,
		"session": p.Requester.Session, "correlation_id": p.Requester.CorrelationID,
	})}
	if via, ok := selfApproving(p); ok {
		row.Status, row.DecidedBy, row.DecidedVia, row.DecidedAt = string(Approved), p.Requester.ID, string(via), now
		records = append(records, g.event(row, "approved", p.Requester.ID, p.Requester.Name, map[string]any{
			"plan_hash": hash, "via": via, "reason": approvalReason(p.Mode),
		}))
	}
	prev, found, err := g.st.InsertActionUnless(ctx, []store.ActionFilter{
		{PlanHash: hash, Statuses: []string{string(Pending), string(Approved), string(Executing)}, Limit: 10},
		{PlanHash: hash, CreatedAfter: now.Add(-g.opts.DedupeWindow), Limit: 10},
	}, func(r store.ActionRow) bool { return g.duplicates(r, now) }, row, records...)
	if err != nil {
		return Proposed{}, fmt.Errorf("approval: storing the action: %w", err)
	}
	if found {
		return g.repeat(ctx, p, prev)
	}
	g.kick()
	a, err := toAction(row)
	out := Proposed{Action: a}
	if p.Mode == ModeConfirm {
		out.ConfirmationCode = g.confirmationCode(row.ID, hash)
	}
	return out, err
}

// selfApproving says whether a proposal is approved as it is stored: by
// policy (auto) or by the caller's orchestrator (delegated).
func selfApproving(p Proposal) (Channel, bool) {
	switch p.Mode {
	case ModeAuto:
		return ViaPolicy, true
	case ModeDelegated:
		return ViaDelegation, true
	}
	return "", false
}

func approvalReason(m Mode) string {
	if m == ModeAuto {
		return "the action policy marks this action low-risk and reversible, and WAZUH_MCP_ALLOW_AUTONOMOUS_RESPONSE=true"
	}
	return "the requester's API key is marked delegated: its orchestrator enforces human approval"
}

// duplicates says whether an earlier action with the same plan hash (which
// covers the requester) answers a new proposal made at now. A live action
// does whatever its age: pending ones live for TTL, longer than the dedupe
// window, and a second pending copy could be approved and sent twice. A
// finished one does within the window, so a retry does not repeat a write
// that just ran; an expired one never does.
func (g *Gate) duplicates(r store.ActionRow, now time.Time) bool {
	switch Status(r.Status) {
	case Pending:
		return now.Before(r.ExpiresAt) // past it, only the sweep has not caught up
	case Approved, Executing:
		return true
	case Expired:
		return false
	}
	return r.CreatedAt.After(now.Add(-g.opts.DedupeWindow))
}

// repeat answers a re-proposal: the first action, confirmed if the caller
// brought the right confirmation code.
func (g *Gate) repeat(ctx context.Context, p Proposal, row store.ActionRow) (Proposed, error) {
	if p.ConfirmationCode != "" && Mode(row.Mode) == ModeConfirm && Status(row.Status) == Pending {
		if !hmac.Equal([]byte(strings.ToUpper(strings.TrimSpace(p.ConfirmationCode))), []byte(g.confirmationCode(row.ID, row.PlanHash))) {
			return Proposed{}, ErrBadCode
		}
		if _, err := g.decide(ctx, row.ID, row.PlanHash, Approver{ID: p.Requester.ID, Name: p.Requester.Name, Via: ViaConfirm}, true, ""); err != nil {
			return Proposed{}, err
		}
		a, err := g.Get(ctx, row.ID)
		return Proposed{Action: a, Existing: true}, err
	}
	a, err := toAction(row)
	out := Proposed{Action: a, Existing: true}
	if Mode(row.Mode) == ModeConfirm && Status(row.Status) == Pending {
		out.ConfirmationCode = g.confirmationCode(row.ID, row.PlanHash)
	}
	return out, err
}

// confirmationCode binds a code to one action and its plan hash.
func (g *Gate) confirmationCode(id, hash string) string {
	m := hmac.New(sha256.New, g.opts.ConfirmSecret)
	m.Write([]byte("confirm\x00" + id + "\x00" + hash))
	return "CONFIRM-" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(m.Sum(nil)[:10])
}

// Approve approves pending action id. planHash must be the hash the
// approver was shown; the requester cannot approve their own action.
func (g *Gate) Approve(ctx context.Context, id, planHash string, who Approver) (Action, error) {
	if err := outsideChannel(who); err != nil {
		return Action{}, err
	}
	return g.decide(ctx, id, planHash, who, true, "")
}

// Reject rejects pending action id.
func (g *Gate) Reject(ctx context.Context, id, planHash string, who Approver, note string) (Action, error) {
	if err := outsideChannel(who); err != nil {
		return Action{}, err
	}
	return g.decide(ctx, id, planHash, who, false, note)
}

// outsideChannel refuses, from callers of Approve and Reject, the channels
// only the gate itself records: a confirmation code is checked by Propose,
// policy, delegation and expiry are decided here.
func outsideChannel(who Approver) error {
	switch who.Via {
	case ViaConfirm, ViaPolicy, ViaDelegation, ViaSystem:
		return fmt.Errorf("approval: the %s channel is not a decision a caller can make: use Propose with the code, or a person's channel", who.Via)
	}
	return nil
}

func (g *Gate) decide(ctx context.Context, id, planHash string, who Approver, approve bool, note string) (Action, error) {
	if who.ID == "" || who.Via == "" {
		return Action{}, errors.New("approval: a decision needs an approver and a channel")
	}
	row, err := g.st.GetAction(ctx, id)
	if err != nil {
		return Action{}, fmt.Errorf("approval: %w", err)
	}
	if err := g.checkDecidable(ctx, row, planHash, who); err != nil {
		return Action{}, err
	}
	now := g.now()
	verb := "rejected"
	row.Status = string(Rejected)
	if approve {
		verb, row.Status = "approved", string(Approved)
	}
	row.UpdatedAt, row.DecidedBy, row.DecidedVia, row.DecidedAt, row.DecisionNote = now, who.ID, string(who.Via), now, truncateRunes(note, 500)
	rec := g.event(row, verb, who.ID, who.Name, map[string]any{"plan_hash": row.PlanHash, "via": who.Via, "note": row.DecisionNote})
	if err := g.st.Transition(ctx, string(Pending), row, rec); err != nil {
		if errors.Is(err, store.ErrConflict) {
			return Action{}, fmt.Errorf("approval: action %s was decided by someone else first: %w", id, ErrNotPending)
		}
		return Action{}, fmt.Errorf("approval: %w", err)
	}
	g.kick()
	return toAction(row)
}

// checkDecidable refuses decisions on anything but an unexpired pending
// action whose stored plan still hashes to the hash the approver saw.
func (g *Gate) checkDecidable(ctx context.Context, row store.ActionRow, planHash string, who Approver) error {
	if Status(row.Status) != Pending {
		return fmt.Errorf("approval: action %s is %s: %w", row.ID, row.Status, ErrNotPending)
	}
	if !g.now().Before(row.ExpiresAt) {
		g.expire(ctx, row, "no decision before it expired")
		return fmt.Errorf("approval: action %s expired at %s: %w", row.ID, row.ExpiresAt.Format(time.RFC3339), ErrNotPending)
	}
	if !hmac.Equal([]byte(strings.ToLower(strings.TrimSpace(planHash))), []byte(row.PlanHash)) {
		return fmt.Errorf("approval: action %s: %w (a re-call with other arguments is a new action)", row.ID, ErrHashMismatch)
	}
	if err := verifyStoredPlan(row); err != nil {
		return err
	}
	// The one self-approval allowed is a confirmation code on a
	// confirm-mode action (repeat checked the code); the channel alone is
	// the caller's word and proves nothing.
	if who.ID == row.PrincipalID && (who.Via != ViaConfirm || Mode(row.Mode) != ModeConfirm) {
		return fmt.Errorf("approval: action %s: %w", row.ID, ErrSelfApproval)
	}
	return nil
}

// verifyStoredPlan recomputes the hash of the stored plan: a row edited in
// the database is never approved or executed.
func verifyStoredPlan(row store.ActionRow) error {
	var p Plan
	if err := json.Unmarshal([]byte(row.Plan), &p); err != nil {
		return fmt.Errorf("approval: action %s: stored plan unreadable: %w", row.ID, err)
	}
	h, _, err := PlanHash(row.PrincipalID, row.Tool, p)
	if err != nil || h != row.PlanHash {
		return fmt.Errorf("approval: action %s: the stored plan no longer matches its hash (tampered?): %w", row.ID, ErrHashMismatch)
	}
	return nil
}

// Get returns action id.
func (g *Gate) Get(ctx context.Context, id string) (Action, error) {
	row, err := g.st.GetAction(ctx, id)
	if err != nil {
		return Action{}, fmt.Errorf("approval: %w", err)
	}
	return toAction(row)
}

// List returns actions in the given statuses (all when empty), newest first.
func (g *Gate) List(ctx context.Context, limit int, statuses ...Status) ([]Action, error) {
	f := store.ActionFilter{Limit: limit}
	for _, s := range statuses {
		f.Statuses = append(f.Statuses, string(s))
	}
	rows, err := g.st.ListActions(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("approval: %w", err)
	}
	out := make([]Action, 0, len(rows))
	for _, r := range rows {
		a, err := toAction(r)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// Wait returns action id once it is terminal, or its state when ctx ends.
func (g *Gate) Wait(ctx context.Context, id string) (Action, error) {
	t := time.NewTicker(g.opts.Poll / 2)
	defer t.Stop()
	for {
		a, err := g.Get(context.WithoutCancel(ctx), id)
		if err != nil || a.Status.Terminal() {
			return a, err
		}
		select {
		case <-ctx.Done():
			return a, nil
		case <-t.C:
		}
	}
}

func (g *Gate) kick() {
	select {
	case g.wake <- struct{}{}:
	default:
	}
}

// event builds the audit record of a transition.
func (g *Gate) event(row store.ActionRow, transition, who, whoName string, detail map[string]any) store.AuditRecord {
	d, _ := json.Marshal(detail)
	return audit.Event{
		Time: g.now(), Kind: audit.KindAction, Principal: who, PrincipalName: whoName, Session: row.SessionID,
		CorrelationID: row.CorrelationID, Tool: row.Tool, ActionID: row.ID, Transition: transition, Detail: d,
	}.Record()
}

func toAction(r store.ActionRow) (Action, error) {
	a := Action{
		ID: r.ID, Tool: r.Tool, Status: Status(r.Status), Mode: Mode(r.Mode), AlertID: r.AlertID, PlanHash: r.PlanHash,
		CreatedAt: r.CreatedAt, ExpiresAt: r.ExpiresAt,
		Requester: Requester{ID: r.PrincipalID, Name: r.PrincipalName, Session: r.SessionID, CorrelationID: r.CorrelationID},
	}
	if err := json.Unmarshal([]byte(r.Plan), &a.Plan); err != nil {
		return a, fmt.Errorf("approval: action %s: stored plan unreadable: %w", r.ID, err)
	}
	if r.DecidedBy != "" {
		a.Decision = &Decision{By: r.DecidedBy, Via: Channel(r.DecidedVia), At: r.DecidedAt, Note: r.DecisionNote}
	}
	if r.Result != "" {
		a.Result = &Result{}
		if err := json.Unmarshal([]byte(r.Result), a.Result); err != nil {
			return a, fmt.Errorf("approval: action %s: stored result unreadable: %w", r.ID, err)
		}
	}
	return a, nil
}
