package tools

import (
	"context"
	"regexp"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

// The read-only companions of the write tools: where actions stand.

type listActionsIn struct {
	Status args.String `json:"status,omitempty" jsonschema:"pending (default), open, done or all"`
	Limit  args.Int    `json:"limit,omitempty"`
}

type listActionsOut struct {
	Result
	Actions []actionView `json:"actions"`
	Total   int          `json:"total"`
}

type getActionIn struct {
	ActionID args.String `json:"action_id"`
}

type getActionOut struct {
	Result
	Status   string        `json:"status"`
	Action   actionView    `json:"action"`
	Approval *approvalHint `json:"approval,omitempty"`
}

func actionTools(d Deps) []Tool {
	r := responder{d: d}
	lim := d.limits()
	return []Tool{
		newTool("response", Spec{Name: "list_pending_actions", Title: "List response actions",
			Description: "List write actions waiting for approval (or recent ones) with their plans"}, lim, r.listActions),
		newTool("response", Spec{Name: "get_action", Title: "Get a response action",
			Description: "Status, plan, approval and per-agent result of one write action"}, lim, r.getAction),
	}
}

var statusSets = map[string][]approval.Status{
	"pending": {approval.Pending},
	"open":    {approval.Pending, approval.Approved, approval.Executing},
	"done":    {approval.Succeeded, approval.Failed, approval.FailedUnknown, approval.Rejected, approval.Expired},
	"all":     nil,
}

func (r responder) listActions(ctx context.Context, in *listActionsIn) (*listActionsOut, error) {
	if r.d.Gate == nil {
		return nil, errNoGate
	}
	set, err := args.OneOf("status", strings.ToLower(string(in.Status)), "pending", "pending", "open", "done", "all")
	if err != nil {
		return nil, err
	}
	limit, err := args.Limit("limit", in.Limit, 20, 100)
	if err != nil {
		return nil, err
	}
	actions, err := r.d.Gate.List(ctx, limit, statusSets[set]...)
	if err != nil {
		return nil, err
	}
	out := &listActionsOut{Actions: make([]actionView, 0, len(actions)), Total: len(actions)}
	for _, a := range actions {
		out.Actions = append(out.Actions, viewOf(a))
	}
	out.AddNote("newest first; at most %d. A tool call never approves: a human does, on the approval page, with the CLI or in the MCP client", limit)
	if set == "pending" || set == "open" {
		// An action that may or may not have run needs a person to check
		// the hosts; it must not hide behind the default filter.
		unknown, err := r.d.Gate.List(ctx, 100, approval.FailedUnknown)
		if err != nil {
			return nil, err
		}
		if n := len(unknown); n > 0 {
			out.AddNote("%d action(s) may or may not have run (failed_unknown, newest %s): check the hosts; status=done lists them", n, unknown[0].ID)
		}
	}
	return out, nil
}

var actionIDRe = regexp.MustCompile(`^act_[a-z0-9]{16}$`)

func (r responder) getAction(ctx context.Context, in *getActionIn) (*getActionOut, error) {
	if r.d.Gate == nil {
		return nil, errNoGate
	}
	id := strings.TrimSpace(string(in.ActionID))
	if !actionIDRe.MatchString(id) {
		return nil, args.Errorf("action_id", "%q is not an action id (act_ and 16 letters or digits)", truncateName(id))
	}
	a, err := r.d.Gate.Get(ctx, id)
	if err != nil {
		return nil, args.Errorf("action_id", "no action %s", id)
	}
	out := &getActionOut{Status: string(a.Status), Action: viewOf(a)}
	if a.Status == approval.Pending {
		out.Approval = r.hint(a, "")
	}
	return out, nil
}
