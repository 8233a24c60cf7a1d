// Package audit is wazuh-mcp's audit log: every tool call and every
// transition of a write action, appended to a hash-chained table of the
// store (internal/store/audit.go) so that an edit, an insertion or a
// deletion in the middle of the log is detected by Verify.
package audit

import (
	"encoding/json"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// Kinds of event.
const (
	KindToolCall = "tool_call"
	KindAction   = "action"
)

// Event is one audit entry. Arguments are redacted before they get here
// (RedactArguments); Detail holds what a transition adds (the plan hash,
// the approver, the Wazuh answer).
type Event struct {
	Time          time.Time       `json:"time"`
	Kind          string          `json:"kind"`
	Principal     string          `json:"principal,omitempty"`
	PrincipalName string          `json:"principal_name,omitempty"`
	Session       string          `json:"session,omitempty"`
	CorrelationID string          `json:"correlation_id,omitempty"`
	Tool          string          `json:"tool,omitempty"`
	Arguments     json.RawMessage `json:"arguments,omitempty"`
	Outcome       string          `json:"outcome,omitempty"`
	Error         string          `json:"error,omitempty"`
	DurationMS    int64           `json:"duration_ms,omitempty"`
	ActionID      string          `json:"action_id,omitempty"`
	Transition    string          `json:"transition,omitempty"`
	Detail        json.RawMessage `json:"detail,omitempty"`
}

// Record turns e into a store record. Time is truncated to milliseconds,
// the store's resolution, so that an exported record re-hashes the same.
func (e Event) Record() store.AuditRecord {
	e.Time = e.Time.UTC().Truncate(time.Millisecond)
	b, err := json.Marshal(e)
	if err != nil { // only RawMessage fields can fail, and they are built by this program
		b, _ = json.Marshal(Event{Time: e.Time, Kind: e.Kind, ActionID: e.ActionID, Tool: e.Tool, Error: "unencodable event: " + err.Error()})
	}
	return store.AuditRecord{At: e.Time, Kind: e.Kind, Record: b}
}
