package wazuh

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
)

// SCAPolicy is an item of GET /sca/{agent_id}: one policy's last scan.
type SCAPolicy struct {
	PolicyID    string  `json:"policy_id"`
	Name        string  `json:"name"`
	Description string  `json:"description"`
	References  string  `json:"references"`
	Pass        FlexInt `json:"pass"`
	Fail        FlexInt `json:"fail"`
	Invalid     FlexInt `json:"invalid"`
	TotalChecks FlexInt `json:"total_checks"`
	Score       FlexInt `json:"score"`
	StartScan   string  `json:"start_scan"`
	EndScan     string  `json:"end_scan"`
	HashFile    string  `json:"hash_file"`
	Extra       Extra   `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (p *SCAPolicy) UnmarshalJSON(b []byte) error {
	type plain SCAPolicy
	extra, err := decodeWithExtra(b, (*plain)(p))
	p.Extra = extra
	return err
}

// SCACheck is an item of GET /sca/{agent_id}/checks/{policy_id}.
type SCACheck struct {
	ID          FlexInt         `json:"id"`
	PolicyID    string          `json:"policy_id"`
	Title       string          `json:"title"`
	Description string          `json:"description"`
	Rationale   string          `json:"rationale"`
	Remediation string          `json:"remediation"`
	References  string          `json:"references"`
	Result      string          `json:"result"` // passed, failed, not applicable
	Reason      string          `json:"reason"`
	Condition   string          `json:"condition"`
	Command     string          `json:"command"`
	File        string          `json:"file"`
	Directory   string          `json:"directory"`
	Process     string          `json:"process"`
	Registry    string          `json:"registry"`
	Compliance  []SCAKeyValue   `json:"compliance"`
	Rules       json.RawMessage `json:"rules,omitempty"`
	Extra       Extra           `json:"extra,omitempty"`
}

// SCAKeyValue is one compliance mapping of an SCA check (e.g. cis: 1.1.1).
type SCAKeyValue struct {
	Key   string     `json:"key"`
	Value FlexString `json:"value"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (s *SCACheck) UnmarshalJSON(b []byte) error {
	type plain SCACheck
	extra, err := decodeWithExtra(b, (*plain)(s))
	s.Extra = extra
	return err
}

// scaPolicyRe is the policy id syntax (e.g. cis_ubuntu20-04) of the v4 tool contract.
var scaPolicyRe = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// SCA lists the agent's SCA policy results (Params: name, description, references).
func (c *Client) SCA(ctx context.Context, agentID string, opts ListOptions) (Page[SCAPolicy], error) {
	return listAgentPath[SCAPolicy](ctx, c, "/sca/{agent_id}", agentID, opts)
}

// SCAChecks lists one policy's checks (Params: title, result, condition, …).
func (c *Client) SCAChecks(ctx context.Context, agentID, policyID string, opts ListOptions) (Page[SCACheck], error) {
	id, err := NormalizeAgentID(agentID)
	if err != nil {
		return Page[SCACheck]{}, err
	}
	if !scaPolicyRe.MatchString(policyID) {
		return Page[SCACheck]{}, fmt.Errorf("%w: SCA policy id %q", ErrInvalidArgument, policyID)
	}
	return listPath[SCACheck](ctx, c, "/sca/{agent_id}/checks/{policy_id}", []string{id, policyID}, opts)
}
