package wazuh

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// Agent is an item of GET /agents.
type Agent struct {
	ID                string   `json:"id"`
	Name              string   `json:"name"`
	IP                string   `json:"ip"`
	RegisterIP        string   `json:"registerIP"`
	Status            string   `json:"status"` // active, disconnected, never_connected, pending
	StatusCode        FlexInt  `json:"status_code"`
	OS                AgentOS  `json:"os"`
	Version           string   `json:"version"` // "Wazuh v4.14.7"
	Manager           string   `json:"manager"`
	NodeName          string   `json:"node_name"`
	DateAdd           string   `json:"dateAdd"`
	LastKeepAlive     string   `json:"lastKeepAlive"`
	DisconnectionTime string   `json:"disconnection_time,omitempty"`
	Group             []string `json:"group"`
	GroupConfigStatus string   `json:"group_config_status"`
	ConfigSum         string   `json:"configSum"`
	MergedSum         string   `json:"mergedSum"`
	Extra             Extra    `json:"extra,omitempty"`
}

// AgentOS is Agent.os.
type AgentOS struct {
	Name     string     `json:"name"`
	Platform string     `json:"platform"`
	Version  string     `json:"version"`
	Major    FlexString `json:"major"`
	Minor    FlexString `json:"minor"`
	Arch     string     `json:"arch"`
	Uname    string     `json:"uname"`
	Codename string     `json:"codename"`
	Build    FlexString `json:"build"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (a *Agent) UnmarshalJSON(b []byte) error {
	type plain Agent
	extra, err := decodeWithExtra(b, (*plain)(a))
	a.Extra = extra
	return err
}

// AgentFilter selects agents for ListAgents.
type AgentFilter struct {
	IDs      []string // agents_list
	Status   []string // active, disconnected, never_connected, pending
	Group    string
	Name     string
	Platform string // os.platform
	Select   []string
	Sort     string
	Search   string
	Q        Q
	Offset   int
	Limit    int
}

var agentStatuses = map[string]bool{"active": true, "disconnected": true, "never_connected": true, "pending": true}

func (f AgentFilter) values() (url.Values, error) {
	v, err := ListOptions{Offset: f.Offset, Limit: f.Limit, Sort: f.Sort, Search: f.Search, Select: f.Select, Q: f.Q}.values()
	if err != nil {
		return nil, err
	}
	if len(f.IDs) > 0 {
		ids, err := normalizeAgentIDs(f.IDs)
		if err != nil {
			return nil, err
		}
		v.Set("agents_list", strings.Join(ids, ","))
	}
	for _, s := range f.Status {
		if !agentStatuses[s] {
			return nil, fmt.Errorf("%w: agent status %q (want active, disconnected, never_connected or pending)", ErrInvalidArgument, s)
		}
	}
	if len(f.Status) > 0 {
		v.Set("status", strings.Join(f.Status, ","))
	}
	setIf(v, "group", f.Group)
	setIf(v, "name", f.Name)
	setIf(v, "os.platform", f.Platform)
	return v, nil
}

func setIf(v url.Values, k, val string) {
	if val != "" {
		v.Set(k, val)
	}
}

// ListAgents returns GET /agents.
func (c *Client) ListAgents(ctx context.Context, f AgentFilter) (Page[Agent], error) {
	q, err := f.values()
	if err != nil {
		return Page[Agent]{}, err
	}
	return List[Agent](ctx, c, "/agents", nil, q)
}

// GetAgent returns one agent; an unknown id gives an error matching ErrNotFound.
func (c *Client) GetAgent(ctx context.Context, id string) (Agent, error) {
	id, err := NormalizeAgentID(id)
	if err != nil {
		return Agent{}, err
	}
	p, err := c.ListAgents(ctx, AgentFilter{IDs: []string{id}})
	if err == nil && len(p.Items) == 0 {
		err = &APIError{HTTPStatus: http.StatusNotFound, Code: 1701, Title: "Agent not found", Method: http.MethodGet, Endpoint: "/agents",
			Detail: fmt.Sprintf("agent %s does not exist", id)}
	}
	if err != nil {
		return Agent{}, err
	}
	return p.Items[0], nil
}

// AgentsSummary is GET /agents/summary/status (4.4+ shape).
type AgentsSummary struct {
	Connection struct {
		Active         int `json:"active"`
		Disconnected   int `json:"disconnected"`
		NeverConnected int `json:"never_connected"`
		Pending        int `json:"pending"`
		Total          int `json:"total"`
	} `json:"connection"`
	Configuration struct {
		Synced    int `json:"synced"`
		NotSynced int `json:"not_synced"`
		Total     int `json:"total"`
	} `json:"configuration"`
}

// AgentsSummary returns agent counts by connection and configuration status.
// The ≤4.3 flat shape ({active, disconnected, …}) is read into Connection.
func (c *Client) AgentsSummary(ctx context.Context) (AgentsSummary, error) {
	var raw json.RawMessage
	if err := c.Get(ctx, "/agents/summary/status", nil, nil, &raw); err != nil {
		return AgentsSummary{}, err
	}
	var s AgentsSummary
	if err := json.Unmarshal(raw, &s); err != nil {
		return s, fmt.Errorf("wazuh: GET /agents/summary/status: %w", err)
	}
	if s.Connection.Total == 0 {
		_ = json.Unmarshal(raw, &s.Connection) // older flat shape; absent fields stay 0
	}
	return s, nil
}

// Group is an item of GET /groups.
type Group struct {
	Name      string  `json:"name"`
	Count     FlexInt `json:"count"`
	ConfigSum string  `json:"configSum"`
	MergedSum string  `json:"mergedSum"`
	Extra     Extra   `json:"extra,omitempty"`
}

// UnmarshalJSON keeps unknown fields in Extra.
func (g *Group) UnmarshalJSON(b []byte) error {
	type plain Group
	extra, err := decodeWithExtra(b, (*plain)(g))
	g.Extra = extra
	return err
}

// Groups returns GET /groups.
func (c *Client) Groups(ctx context.Context, opts ListOptions) (Page[Group], error) {
	return listPath[Group](ctx, c, "/groups", nil, opts)
}

// AgentConfig returns GET /agents/{agent_id}/config/{component}/{configuration},
// the agent's active configuration section as JSON (e.g. component "agent",
// configuration "client"; "logcollector"/"localfile"; "syscheck"/"syscheck").
func (c *Client) AgentConfig(ctx context.Context, agentID, component, configuration string) (json.RawMessage, error) {
	id, err := NormalizeAgentID(agentID)
	if err != nil {
		return nil, err
	}
	var raw json.RawMessage
	err = c.Get(ctx, "/agents/{agent_id}/config/{component}/{configuration}", []string{id, component, configuration}, nil, &raw)
	return raw, err
}

// LogcollectorStats is GET /agents/{agent_id}/stats/logcollector.
type LogcollectorStats struct {
	Global   LogcollectorPeriod `json:"global"`
	Interval LogcollectorPeriod `json:"interval"`
}

// LogcollectorPeriod is one period of logcollector statistics.
type LogcollectorPeriod struct {
	Start string             `json:"start"`
	End   string             `json:"end"`
	Files []LogcollectorFile `json:"files"`
}

// LogcollectorFile is one monitored location.
type LogcollectorFile struct {
	Location string  `json:"location"`
	Events   FlexInt `json:"events"`
	Bytes    FlexInt `json:"bytes"`
	Targets  []struct {
		Name  string  `json:"name"`
		Drops FlexInt `json:"drops"`
	} `json:"targets"`
}

// LogcollectorStats returns the agent's logcollector statistics.
func (c *Client) LogcollectorStats(ctx context.Context, agentID string) (LogcollectorStats, error) {
	return first(listAgentPath[LogcollectorStats](ctx, c, "/agents/{agent_id}/stats/logcollector", agentID, ListOptions{}))
}

// WriteResult is the outcome of a write on agents: the ids affected and the
// per-agent failures. Zero affected agents is a failed write for callers.
type WriteResult struct {
	Affected []string
	Total    int
	Failed   []FailedItem
	Message  string
}

func writeResult(p Page[FlexString], err error) (WriteResult, error) {
	if err != nil {
		return WriteResult{}, err
	}
	r := WriteResult{Total: p.Total, Failed: p.Failed, Message: p.Message}
	for _, id := range p.Items {
		r.Affected = append(r.Affected, string(id))
	}
	return r, nil
}

// RestartAgent sends PUT /agents/{agent_id}/restart.
func (c *Client) RestartAgent(ctx context.Context, agentID string) (WriteResult, error) {
	req, err := RestartAgentRequest(agentID)
	if err != nil {
		return WriteResult{}, err
	}
	return c.SendWrite(ctx, req)
}
