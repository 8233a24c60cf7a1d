package manager

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/wql"
)

func agentsMessages() messages {
	return messages{"All selected agents information was returned",
		"Some agents information was not returned", "No agents information was returned"}
}

// handleAgents serves GET /agents.
func (s *Server) handleAgents(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	lq.always = []string{"id"}
	namedFilters(&lq, p, nil, "agents_list", "older_than")
	res := newResult()
	items := s.ds.Agents
	if p.has("agents_list") {
		var picked []dataset.Item
		for _, id := range p.list("agents_list") {
			if a, ok := s.agents[id]; ok {
				picked = append(picked, a)
			} else {
				res.fail(id, errAgentNotFound)
			}
		}
		items = picked
	}
	if p.has("older_than") {
		d, ok := parseTimeframe(p.str("older_than"))
		if !ok {
			writeProblem(w, s.problem(400, errTimeframe))
			return
		}
		cutoff := s.opts.Now().Add(-d)
		lq.where(func(it dataset.Item) bool { return olderThan(it, cutoff) })
	}
	page, total, err := s.apply("agents", items, lq)
	if err != nil {
		writeProblem(w, err)
		return
	}
	res.affected, res.total = page, total
	writeJSON(w, http.StatusOK, res.response(agentsMessages()))
}

// olderThan: the agent's last keep alive (or registration date when it
// never connected) is before cutoff. The manager (000) is never "old".
func olderThan(it dataset.Item, cutoff time.Time) bool {
	if it["id"] == "000" {
		return false
	}
	for _, f := range []string{"lastKeepAlive", "dateAdd"} {
		if v, ok := it[f].(string); ok {
			if t, ok := wql.ParseTime(v); ok {
				return t.Before(cutoff)
			}
		}
	}
	return false
}

// parseTimeframe reads the real "timeframe" format: digits with an optional
// d/h/m/s unit (seconds when absent).
func parseTimeframe(v string) (time.Duration, bool) {
	if v == "" {
		return 0, false
	}
	unit := time.Second
	switch v[len(v)-1] {
	case 'd':
		unit, v = 24*time.Hour, v[:len(v)-1]
	case 'h':
		unit, v = time.Hour, v[:len(v)-1]
	case 'm':
		unit, v = time.Minute, v[:len(v)-1]
	case 's':
		v = v[:len(v)-1]
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return time.Duration(n) * unit, true
}

// handleAgentsSummary serves GET /agents/summary/status (4.4+ shape).
func (s *Server) handleAgentsSummary(w http.ResponseWriter, _ *http.Request, _ params) {
	conn := map[string]int{"active": 0, "disconnected": 0, "never_connected": 0, "pending": 0, "total": 0}
	conf := map[string]int{"synced": 0, "not_synced": 0, "total": 0}
	for _, a := range s.ds.Agents {
		status, _ := a["status"].(string)
		if _, ok := conn[status]; ok {
			conn[status]++
		}
		conn["total"]++
		if a["group_config_status"] == "synced" {
			conf["synced"]++
		} else {
			conf["not_synced"]++
		}
		conf["total"]++
	}
	writeJSON(w, http.StatusOK, dataResponse{Data: map[string]any{"connection": conn, "configuration": conf}})
}

// agentStatus returns the agent and its status.
func (s *Server) agentStatus(id string) (dataset.Item, string, bool) {
	a, ok := s.agents[id]
	if !ok {
		return nil, "", false
	}
	st, _ := a["status"].(string)
	return a, st, true
}

// handleAgentConfig serves GET /agents/{id}/config/{component}/{configuration}:
// 404/1701 for unknown agents, 400/1740 for inactive ones (the manager asks
// the live agent), 400/1116 when the agent does not have that section.
func (s *Server) handleAgentConfig(w http.ResponseWriter, _ *http.Request, p params) {
	id := p.path["agent_id"]
	_, status, ok := s.agentStatus(id)
	switch {
	case !ok:
		writeProblem(w, s.problem(http.StatusNotFound, errAgentNotFound))
		return
	case status != "active":
		writeProblem(w, s.problem(http.StatusBadRequest, errOnlyActive))
		return
	}
	cfg, ok := s.ds.AgentConfig[id][p.path["component"]+"/"+p.path["configuration"]]
	if !ok {
		writeProblem(w, s.problem(http.StatusBadRequest, errComponent))
		return
	}
	writeJSON(w, http.StatusOK, dataResponse{Data: cfg})
}

// handleAgentStats serves GET /agents/{id}/stats/{component}.
func (s *Server) handleAgentStats(w http.ResponseWriter, _ *http.Request, p params) {
	id := p.path["agent_id"]
	res := newResult()
	_, status, ok := s.agentStatus(id)
	switch {
	case !ok:
		res.fail(id, errAgentNotFound)
	case status != "active":
		res.fail(id, errOnlyActive)
	default:
		var item dataset.Item
		if p.path["component"] == "logcollector" {
			item = s.ds.Logcollector[id]
		}
		if item == nil {
			item = dataset.Item{}
		}
		res.affected = append(res.affected, item)
	}
	writeJSON(w, http.StatusOK, res.response(messages{
		"Statistical information for each agent was successfully read",
		"Could not read statistical information for some agents",
		"Could not read statistical information for any agent"}))
}

// handleGroups serves GET /groups.
func (s *Server) handleGroups(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	namedFilters(&lq, p, nil, "groups_list", "hash")
	if p.has("groups_list") {
		lq.whereEq(p, "groups_list", "name")
	}
	s.serveList(w, "groups", s.ds.Groups, lq, messages{"All selected groups information was returned",
		"Some groups information was not returned", "No group information was returned"})
}

// restartTargets resolves agents_list for restarts and active response:
// absent means every agent (the real default '*'), which the framework
// expands to all registered agents but the manager.
func (s *Server) restartTargets(p params) []string {
	if p.has("agents_list") {
		return p.list("agents_list")
	}
	var ids []string
	for _, a := range s.ds.Agents {
		if id, _ := a["id"].(string); id != "" && id != "000" {
			ids = append(ids, id)
		}
	}
	return ids
}

// checkTarget applies the framework's per-agent checks for commands sent
// to agents: it must exist, not be the manager, and be active.
func (s *Server) checkTarget(id string) (wazuhError, bool) {
	_, status, ok := s.agentStatus(id)
	switch {
	case !ok:
		return errAgentNotFound, false
	case id == "000":
		return errManagerAgent, false
	case !strings.EqualFold(status, "active"):
		return errAgentNotActive, false
	}
	return wazuhError{}, true
}

func restartMessages() messages {
	return messages{"Restart command was sent to all agents",
		"Restart command was not sent to some agents", "Restart command was not sent to any agent"}
}

// handleRestartAgent serves PUT /agents/{id}/restart (recorded, not run).
func (s *Server) handleRestartAgent(w http.ResponseWriter, r *http.Request, p params) {
	s.runOnAgents(w, r, p, []string{p.path["agent_id"]}, nil, restartMessages())
}

// handleRestartAgents serves PUT /agents/restart.
func (s *Server) handleRestartAgents(w http.ResponseWriter, r *http.Request, p params) {
	s.runOnAgents(w, r, p, s.restartTargets(p), nil, restartMessages())
}

// runOnAgents sends a command to each target (checks only; nothing runs),
// answers the per-agent result and records the request.
func (s *Server) runOnAgents(w http.ResponseWriter, r *http.Request, p params, ids []string, body []byte, m messages) {
	res := newResult()
	var affected, failed []string
	for _, id := range ids {
		if e, ok := s.checkTarget(id); !ok {
			res.fail(id, e)
			failed = append(failed, id)
			continue
		}
		res.affected = append(res.affected, id)
		affected = append(affected, id)
	}
	s.record(r, p, body, http.StatusOK, affected, failed)
	writeJSON(w, http.StatusOK, res.response(m))
}

// handleManagerRestart serves PUT /manager/restart (recorded, not run):
// 202 with the node as the affected item, as the real API answers.
func (s *Server) handleManagerRestart(w http.ResponseWriter, r *http.Request, p params) {
	res := newResult()
	node := s.nodeName()
	res.affected = []any{node}
	s.record(r, p, nil, http.StatusAccepted, []string{node}, nil)
	writeJSON(w, http.StatusAccepted, res.response(messages{"Restart request sent to all specified nodes",
		"Could not send restart request to some specified nodes", "Could not send restart request to any node"}))
}
