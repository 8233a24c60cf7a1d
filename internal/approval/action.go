// Package approval is the write gate. A write tool never talks to Wazuh:
// it builds a Plan (the exact Manager request, from validated fields) and
// proposes it here. The gate stores it as a pending action bound to a hash
// of the plan and its requester, waits for a human decision made through a
// channel the model cannot use (MCP elicitation, the approval page, the
// operator CLI), and then executes it exactly once: every state change is a
// compare-and-swap in the store, written together with its audit record.
//
//	pending → approved → executing → succeeded | failed | failed_unknown
//	pending → rejected | expired;  approved → expired (not run in time)
package approval

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// Status is where an action is in its life.
type Status string

// Statuses.
const (
	Pending       Status = "pending"
	Approved      Status = "approved"
	Executing     Status = "executing"
	Succeeded     Status = "succeeded"
	Failed        Status = "failed"
	FailedUnknown Status = "failed_unknown" // sent, no answer: never retried, shown to the operator
	Expired       Status = "expired"
	Rejected      Status = "rejected"
)

// Terminal reports whether nothing more will happen to the action.
func (s Status) Terminal() bool {
	switch s {
	case Succeeded, Failed, FailedUnknown, Expired, Rejected:
		return true
	}
	return false
}

// Mode is how an action gets approved (from the action policy).
type Mode string

// Modes.
const (
	ModeHuman     Mode = "human"     // a person, through elicitation, the page or the CLI
	ModeConfirm   Mode = "confirm"   // a confirmation code bound to the plan hash (supervised automation)
	ModeAuto      Mode = "auto"      // approved by policy (low-risk, reversible, and allowed by the server)
	ModeDelegated Mode = "delegated" // the caller's orchestrator enforces its own human approval
)

// Channel is how a decision was made.
type Channel string

// Channels.
const (
	ViaElicitation Channel = "elicitation"
	ViaPage        Channel = "approval_page"
	ViaCLI         Channel = "cli"
	ViaConfirm     Channel = "confirmation_code"
	ViaPolicy      Channel = "policy"
	ViaDelegation  Channel = "delegated_key"
	ViaSystem      Channel = "system" // expiry and recovery
)

// Plan is what will be done: the exact Wazuh request plus the words a
// human reads before approving it. The hash covers all of it.
type Plan struct {
	Action  string             `json:"action"` // logical operation (toolmap name): block_ip, disable_user…
	Request wazuh.WriteRequest `json:"request"`
	Targets []string           `json:"targets"`
	Summary string             `json:"summary"`
	Undo    string             `json:"undo"`
}

// Requester is who proposed an action.
type Requester struct {
	ID            string `json:"id"`
	Name          string `json:"name,omitempty"`
	Kind          string `json:"kind,omitempty"`
	Delegated     bool   `json:"delegated,omitempty"`
	Session       string `json:"session,omitempty"`
	CorrelationID string `json:"correlation_id,omitempty"`
}

// Approver is who decided.
type Approver struct {
	ID   string  `json:"id"`
	Name string  `json:"name,omitempty"`
	Via  Channel `json:"via"`
}

// Decision is a recorded approval or rejection.
type Decision struct {
	By   string    `json:"by"`
	Via  Channel   `json:"via"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// AgentFailure is one agent Wazuh did not act on.
type AgentFailure struct {
	Agent string `json:"agent"`
	Error string `json:"error"`
}

// Result is what executing the action did.
type Result struct {
	Affected   []string       `json:"affected,omitempty"`
	Failed     []AgentFailure `json:"failed,omitempty"`
	Message    string         `json:"message,omitempty"`
	Error      string         `json:"error,omitempty"`
	StartedAt  time.Time      `json:"started_at,omitzero"`
	FinishedAt time.Time      `json:"finished_at,omitzero"`
}

// Action is a stored action as callers see it.
type Action struct {
	ID        string    `json:"id"`
	Tool      string    `json:"tool"`
	Status    Status    `json:"status"`
	Mode      Mode      `json:"mode"`
	Requester Requester `json:"requester"`
	AlertID   string    `json:"alert_id,omitempty"`
	Plan      Plan      `json:"plan"`
	PlanHash  string    `json:"plan_hash"`
	CreatedAt time.Time `json:"created_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Decision  *Decision `json:"decision,omitempty"`
	Result    *Result   `json:"result,omitempty"`
}

// hashInput is what a plan hash covers: the requester (so that the same
// plan from someone else is another action) and the whole plan.
type hashInput struct {
	Requester string `json:"requester"`
	Tool      string `json:"tool"`
	Plan      Plan   `json:"plan"`
}

// PlanHash is the hex SHA-256 of requester, tool and plan in canonical JSON
// (struct fields in declaration order, map keys sorted).
func PlanHash(requesterID, tool string, p Plan) (string, []byte, error) {
	planJSON, err := json.Marshal(p)
	if err != nil {
		return "", nil, err
	}
	in, err := json.Marshal(hashInput{Requester: requesterID, Tool: tool, Plan: p})
	if err != nil {
		return "", nil, err
	}
	sum := sha256.Sum256(in)
	return hex.EncodeToString(sum[:]), planJSON, nil
}
