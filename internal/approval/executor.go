package approval

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// Run executes approved actions until ctx ends: at once when this process
// approved them, within Options.Poll when another process (the CLI) did.
// Each pass also expires stale actions and settles executions whose server
// died mid-request. Only one process executes an action: the claim is a
// compare-and-swap approved → executing.
func (g *Gate) Run(ctx context.Context) {
	if g.exec == nil {
		return
	}
	t := time.NewTicker(g.opts.Poll)
	defer t.Stop()
	for {
		g.Sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-g.wake:
		case <-t.C:
		}
	}
}

// sweepBatch bounds each kind of work one Sweep reads.
const sweepBatch = 500

// Sweep does one pass of Run's work: only what is due, so that no number of
// newer pending proposals can keep an approved action from running.
func (g *Gate) Sweep(ctx context.Context) {
	now := g.now()
	rows, err := g.st.DueActions(ctx, now, sweepBatch)
	if err != nil {
		g.opts.Logger.Error("approval sweep", "error", err)
		return
	}
	if len(rows) >= sweepBatch {
		g.kick() // a full batch may have left more: come back at once
	}
	for _, r := range rows {
		switch Status(r.Status) {
		case Pending:
			if !now.Before(r.ExpiresAt) {
				g.expire(ctx, r, "no decision before it expired")
			}
		case Approved:
			if g.exec != nil {
				g.runApproved(ctx, r, now)
			}
		case Executing:
			if !r.LeaseUntil.IsZero() && now.After(r.LeaseUntil) {
				g.settleUnknown(ctx, r)
			}
		}
	}
}

// runApproved executes r, or expires it when it waited too long after its
// approval (a server down for hours must not fire a stale block on return).
func (g *Gate) runApproved(ctx context.Context, r store.ActionRow, now time.Time) {
	if !r.DecidedAt.IsZero() && now.Sub(r.DecidedAt) > g.opts.TTL {
		g.expireFrom(ctx, r, Approved, "approved but not executed within "+g.opts.TTL.String())
		return
	}
	if err := g.execute(ctx, r); err != nil && !errors.Is(err, store.ErrConflict) {
		g.opts.Logger.Error("approval: execute", "action", r.ID, "error", err)
	}
}

// execute claims r and sends its request once. The claim and its audit
// record ("executing", with the exact request) are committed before a
// single byte goes to Wazuh.
func (g *Gate) execute(ctx context.Context, r store.ActionRow) error {
	if err := verifyStoredPlan(r); err != nil {
		g.finish(ctx, r, Approved, Failed, Result{Error: err.Error()})
		return err
	}
	var p Plan
	if err := json.Unmarshal([]byte(r.Plan), &p); err != nil {
		return err
	}
	now := g.now()
	r.Status, r.UpdatedAt, r.Executor, r.StartedAt, r.LeaseUntil = string(Executing), now, g.instance, now, now.Add(g.opts.Lease)
	rec := g.event(r, "executing", g.instance, "executor", map[string]any{"plan_hash": r.PlanHash, "request": p.Request.String()})
	if err := g.st.Transition(ctx, string(Approved), r, rec); err != nil {
		return err // someone else claimed it, or the store refused: nothing was sent
	}
	sendCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.opts.Lease-g.opts.Lease/10)
	defer cancel()
	res, err := g.exec.SendWrite(sendCtx, p.Request)
	g.finish(ctx, r, Executing, outcomeStatus(res, err), toResult(res, err, now, g.now()))
	return nil
}

// outcomeStatus classifies a write: an answer with affected agents is a
// success (per-agent failures are reported with it), no answer at all is
// unknown, everything else failed.
func outcomeStatus(res wazuh.WriteResult, err error) Status {
	var unknown *wazuh.WriteUnknownError
	switch {
	case errors.As(err, &unknown):
		return FailedUnknown
	case err != nil || len(res.Affected) == 0:
		return Failed
	}
	return Succeeded
}

func toResult(res wazuh.WriteResult, err error, start, end time.Time) Result {
	out := Result{Affected: res.Affected, Message: res.Message, StartedAt: start, FinishedAt: end}
	failed := res.Failed
	var pe *wazuh.PartialError
	if errors.As(err, &pe) { // every agent failed: Wazuh said which and why
		failed, out.Message = pe.Failed, pe.Message
	}
	for _, f := range failed {
		for _, id := range f.IDs {
			out.Failed = append(out.Failed, AgentFailure{Agent: id, Error: f.Error.Message})
		}
	}
	if err != nil {
		out.Error = err.Error()
	} else if len(res.Affected) == 0 {
		out.Error = "Wazuh affected no agent: the action is a failure"
	}
	return out
}

// finish records the end of an execution.
func (g *Gate) finish(ctx context.Context, r store.ActionRow, from, to Status, res Result) {
	b, _ := json.Marshal(res)
	r.Status, r.UpdatedAt, r.FinishedAt, r.Result = string(to), g.now(), g.now(), string(b)
	rec := g.event(r, string(to), g.instance, "executor", map[string]any{"plan_hash": r.PlanHash, "result": res})
	// The write already happened: record it even if the caller has gone.
	if err := g.st.Transition(context.WithoutCancel(ctx), string(from), r, rec); err != nil {
		g.opts.Logger.Error("approval: recording the outcome", "action", r.ID, "status", to, "error", err)
	}
}

// settleUnknown ends an execution whose lease ran out: its server stopped
// between sending and recording, so nobody knows whether Wazuh ran it.
func (g *Gate) settleUnknown(ctx context.Context, r store.ActionRow) {
	g.finish(ctx, r, Executing, FailedUnknown, Result{
		StartedAt: r.StartedAt,
		Error:     fmt.Sprintf("the server executing this action (%s) stopped before recording Wazuh's answer; whether the request reached Wazuh is unknown. It is never retried: check with the verification tools and, if needed, propose it again", r.Executor),
	})
}

func (g *Gate) expire(ctx context.Context, r store.ActionRow, why string) {
	g.expireFrom(ctx, r, Pending, why)
}

func (g *Gate) expireFrom(ctx context.Context, r store.ActionRow, from Status, why string) {
	now := g.now()
	r.Status, r.UpdatedAt, r.DecisionNote = string(Expired), now, why
	if from == Pending {
		r.DecidedBy, r.DecidedVia, r.DecidedAt = "system", string(ViaSystem), now
	}
	rec := g.event(r, "expired", "system", "", map[string]any{"plan_hash": r.PlanHash, "reason": why})
	if err := g.st.Transition(ctx, string(from), r, rec); err != nil && !errors.Is(err, store.ErrConflict) {
		g.opts.Logger.Error("approval: expiring", "action", r.ID, "error", err)
	}
}
