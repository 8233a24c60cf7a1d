package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// actionOut is what every write tool answers: where the action stands,
// the plan it is bound to, and how a human approves it.
type actionOut struct {
	Result
	Status   string        `json:"status" jsonschema:"dry_run, pending, approved, executing, succeeded, failed, failed_unknown, rejected or expired"`
	Action   actionView    `json:"action" jsonschema:"the action and its exact plan"`
	Approval *approvalHint `json:"approval,omitempty" jsonschema:"how a human approves it (pending only)"`

	// inputs, when set, make the call answer "input required" (elicitation)
	// instead of this result; state is the signed request state.
	inputs mcp.InputRequestMap
	state  string
}

// inputRequired implements newTool's hook for input requests.
func (o *actionOut) inputRequired() (mcp.InputRequestMap, string) { return o.inputs, o.state }

// failed makes newTool mark the result isError: clients that only read
// isError must see a refused or failed write as a failure.
func (o *actionOut) failed() bool {
	switch approval.Status(o.Status) {
	case approval.Failed, approval.FailedUnknown, approval.Rejected, approval.Expired:
		return true
	}
	return false
}

type actionView struct {
	ID        string             `json:"id,omitempty"`
	Tool      string             `json:"tool"`
	Mode      string             `json:"mode,omitempty"`
	Summary   string             `json:"summary"`
	Request   string             `json:"request"`
	Body      json.RawMessage    `json:"body,omitempty"`
	Targets   []string           `json:"targets"`
	Undo      string             `json:"undo"`
	PlanHash  string             `json:"plan_hash"`
	Requester string             `json:"requester,omitempty"`
	AlertID   string             `json:"alert_id,omitempty"`
	CreatedAt string             `json:"created_at,omitempty"`
	ExpiresAt string             `json:"expires_at,omitempty"`
	Decision  *approval.Decision `json:"decision,omitempty"`
	Outcome   *approval.Result   `json:"outcome,omitempty"`
}

type approvalHint struct {
	URL              string `json:"url,omitempty"`
	CLI              string `json:"cli"`
	ConfirmationCode string `json:"confirmation_code,omitempty"`
	Note             string `json:"note"`
}

func viewOf(a approval.Action) actionView {
	v := planView(a.Tool, a.Plan, a.PlanHash)
	v.ID, v.Mode, v.Requester, v.AlertID = a.ID, string(a.Mode), a.Requester.ID, a.AlertID
	v.CreatedAt, v.ExpiresAt = a.CreatedAt.Format(time.RFC3339), a.ExpiresAt.Format(time.RFC3339)
	v.Decision, v.Outcome = a.Decision, a.Result
	return v
}

func planView(tool string, p approval.Plan, hash string) actionView {
	return actionView{Tool: tool, Summary: p.Summary, Request: p.Request.String(), Body: p.Request.Body,
		Targets: p.Targets, Undo: p.Undo, PlanHash: hash}
}

// requester is the caller of this tool call, as the gate records it.
func requester(ctx context.Context) approval.Requester {
	req := callRequest(ctx)
	p := audit.CallPrincipal(ctx, req)
	r := approval.Requester{ID: p.ID, Name: p.Name, Kind: string(p.Kind), Delegated: p.Delegated, CorrelationID: requestid.From(ctx)}
	if p.Kind == auth.KindLocal && r.Name == "" {
		r.Name = "local operator (stdio or loopback without authentication)"
	}
	if req != nil && req.Session != nil {
		r.Session = req.Session.ID()
	}
	return r
}

// propose runs a built plan through the gate and, for human approval,
// asks the client's user in-line when it can. The model never decides:
// the answer comes from elicitation (the client's UI), the approval page
// or the CLI.
func (r responder) propose(ctx context.Context, tool string, plan approval.Plan, g gateArgs) (*actionOut, error) {
	req := requester(ctx)
	mode := r.mode(tool, req)
	alertID, err := args.Text("alert_id", string(g.AlertID), 128, false)
	if err != nil {
		return nil, err
	}
	if g.DryRun {
		hash, _, err := approval.PlanHash(req.ID, tool, plan)
		if err != nil {
			return nil, err
		}
		out := &actionOut{Status: "dry_run", Action: planView(tool, plan, hash)}
		out.Action.Mode = string(mode)
		out.AddNote("dry run: nothing was stored or sent; call again without dry_run to propose it for approval")
		return out, nil
	}
	if r.d.Gate == nil {
		return nil, errNoGate
	}
	p, err := r.d.Gate.Propose(ctx, approval.Proposal{Tool: tool, Plan: plan, Mode: mode, Requester: req,
		AlertID: alertID, ConfirmationCode: strings.TrimSpace(string(g.ConfirmationCode))})
	if err != nil {
		if errors.Is(err, approval.ErrBadCode) {
			return nil, args.Errorf("confirmation_code", "does not match this plan (a code confirms only the exact plan it was issued for)")
		}
		return nil, err
	}
	out := &actionOut{}
	a := r.await(ctx, p.Action, out)
	if out.inputs != nil {
		return out, nil // the client asks its user and calls again with the answer
	}
	out.Status, out.Action = string(a.Status), viewOf(a)
	if p.Existing && !answersQuestion(ctx, a.ID) { // a re-call carrying the user's answer is not a retry
		out.AddNote("the same plan from the same caller was proposed at %s: this is that action; it executes at most once", a.CreatedAt.Format(time.RFC3339))
	}
	if a.Status == approval.Pending {
		out.Approval = r.hint(a, p.ConfirmationCode)
	}
	return out, nil
}

// mode is the approval mode of tool for this caller.
func (r responder) mode(tool string, req approval.Requester) approval.Mode {
	if req.Delegated {
		return approval.ModeDelegated
	}
	return approval.Mode(r.d.Response.ToolMap.ApprovalMode(tool, r.d.Response.AllowAutonomous))
}

// await drives an action as far as this call can: a pending human action
// is put to the client's user when the client can elicit (an input
// request, or the user's answer to one on the re-invocation), and approved
// ones are waited for until they finish.
func (r responder) await(ctx context.Context, a approval.Action, out *actionOut) approval.Action {
	if a.Status == approval.Pending && a.Mode == approval.ModeHuman {
		var asked bool
		if a, asked = r.elicit(ctx, a, out); asked {
			return a
		}
	}
	if a.Status == approval.Approved || a.Status == approval.Executing {
		wctx, cancel := context.WithTimeout(ctx, r.waitFor())
		defer cancel()
		if done, err := r.d.Gate.Wait(wctx, a.ID); err == nil {
			a = done
		}
	}
	return a
}

func (r responder) waitFor() time.Duration {
	if r.d.Response.ElicitationWait > 0 {
		return r.d.Response.ElicitationWait
	}
	return 2 * time.Minute
}

// elicitKey names the input request of one action.
func elicitKey(id string) string { return "approve-" + id }

// elicit asks the user of the client session through the SDK's input
// requests: the tool answers "input required" with a form (approve or not)
// or the approval page's URL, the client asks its user, and the call comes
// back with the answer, which is applied here. Clients on protocol versions
// before 2026-07-28 get the same question as an elicitation request sent by
// the SDK. The answer counts only with the signed request state this server
// issued for this action, plan and session. It reports whether the call
// must return to ask.
func (r responder) elicit(ctx context.Context, a approval.Action, out *actionOut) (approval.Action, bool) {
	req := callRequest(ctx)
	if !r.d.Response.Elicitation || req == nil || req.Session == nil || req.Params == nil {
		return a, false
	}
	caps := elicitationCaps(req.Session)
	if caps == nil {
		return a, false
	}
	session := req.Session.ID()
	// An answer counts only with our signed state; anything else is not an
	// answer to a question of ours, and the question is asked again.
	if resp, ok := req.Params.InputResponses[elicitKey(a.ID)]; ok && r.d.Gate.VerifyState(req.Params.RequestState, a.ID, a.PlanHash, session) {
		return r.applyAnswer(ctx, a, session, resp, caps), false
	}
	params := &mcp.ElicitParams{Mode: "form", Message: approvalMessage(a), RequestedSchema: approveSchema}
	if caps.URL != nil && caps.Form == nil {
		if r.d.Response.ApprovalURL == nil {
			return a, false
		}
		params = &mcp.ElicitParams{Mode: "url", Message: approvalMessage(a), URL: r.d.Response.ApprovalURL(a.ID), ElicitationID: a.ID}
	}
	out.inputs = mcp.InputRequestMap{elicitKey(a.ID): params}
	out.state = r.d.Gate.SignState(a.ID, a.PlanHash, session)
	return a, true
}

// applyAnswer records the user's answer. Form: approve true approves,
// false or decline rejects, cancel leaves the action pending. URL: the
// decision is made on the page; wait for it.
func (r responder) applyAnswer(ctx context.Context, a approval.Action, session string, resp mcp.InputResponse, caps *mcp.ElicitationCapabilities) approval.Action {
	res, ok := resp.(*mcp.ElicitResult)
	if !ok {
		return a
	}
	if caps.URL != nil && caps.Form == nil {
		if res.Action != "accept" {
			return a
		}
		wctx, cancel := context.WithTimeout(ctx, r.waitFor())
		defer cancel()
		if done, err := r.d.Gate.Wait(wctx, a.ID); err == nil {
			return done
		}
		return a
	}
	who := approval.Approver{ID: "session-user:" + session, Name: "the user of MCP session " + session, Via: approval.ViaElicitation}
	var decided approval.Action
	var err error
	switch {
	case res.Action == "accept" && res.Content["approve"] == true:
		decided, err = r.d.Gate.Approve(ctx, a.ID, a.PlanHash, who)
	case res.Action == "decline" || res.Action == "accept":
		decided, err = r.d.Gate.Reject(ctx, a.ID, a.PlanHash, who, "declined in the MCP client")
	default: // cancel: no decision; the page and the CLI can still decide
		return a
	}
	if err != nil {
		if cur, gerr := r.d.Gate.Get(ctx, a.ID); gerr == nil {
			return cur
		}
		return a
	}
	return decided
}

// answersQuestion reports whether this call carries an answer to the
// approval question of action id.
func answersQuestion(ctx context.Context, id string) bool {
	req := callRequest(ctx)
	if req == nil || req.Params == nil {
		return false
	}
	_, ok := req.Params.InputResponses[elicitKey(id)]
	return ok
}

func elicitationCaps(ss *mcp.ServerSession) *mcp.ElicitationCapabilities {
	ip := ss.InitializeParams()
	if ip == nil || ip.Capabilities == nil {
		return nil
	}
	return ip.Capabilities.Elicitation
}

// approveSchema is the one-question form of in-line approval.
var approveSchema = map[string]any{
	"type": "object",
	"properties": map[string]any{
		"approve": map[string]any{"type": "boolean", "title": "Approve this action",
			"description": "Yes runs exactly the request shown, once."},
	},
	"required": []string{"approve"},
}

// approvalMessage is the plan in plain words, as the approver reads it.
func approvalMessage(a approval.Action) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Approve a Wazuh action requested by %s?\n\n%s\n\nTargets: %s\nRequest: %s\n",
		describeRequester(a.Requester), a.Plan.Summary, strings.Join(a.Plan.Targets, ", "), a.Plan.Request.String())
	if len(a.Plan.Request.Body) > 0 {
		fmt.Fprintf(&b, "Body: %s\n", a.Plan.Request.Body)
	}
	fmt.Fprintf(&b, "Undo: %s\nAction %s, plan hash %s, expires %s.", a.Plan.Undo, a.ID, a.PlanHash[:16], a.ExpiresAt.Format(time.RFC3339))
	return b.String()
}

func describeRequester(r approval.Requester) string {
	if r.Name != "" && r.Name != r.ID {
		return fmt.Sprintf("%s (%s)", r.Name, r.ID)
	}
	return r.ID
}

// hint says how a pending action gets decided.
func (r responder) hint(a approval.Action, code string) *approvalHint {
	h := &approvalHint{CLI: "wazuh-mcp approvals approve " + a.ID}
	if r.d.Response.ApprovalURL != nil {
		h.URL = r.d.Response.ApprovalURL(a.ID)
	}
	switch a.Mode {
	case approval.ModeConfirm:
		h.ConfirmationCode = code
		h.Note = "confirm mode (set by the action policy): call the tool again with the same arguments and this confirmation_code to approve this exact plan"
	default:
		h.Note = "waiting for a human: an operator approves it on the approval page or with the CLI; nothing runs until then. Check with get_action"
	}
	return h
}
