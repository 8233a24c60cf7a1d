package manager

import (
	"net/http"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// handleSCA serves GET /sca/{agent_id} (policies).
func (s *Server) handleSCA(w http.ResponseWriter, _ *http.Request, p params) {
	s.servePerAgent(w, p, "sca", s.ds.SCA[p.path["agent_id"]], nil,
		messages{"All selected SCA information was returned",
			"Some SCA information was not returned", "No SCA information was returned"})
}

// handleSCAChecks serves GET /sca/{agent_id}/checks/{policy_id}.
func (s *Server) handleSCAChecks(w http.ResponseWriter, _ *http.Request, p params) {
	policy := p.path["policy_id"]
	s.servePerAgent(w, p, "sca-checks/"+policy, s.ds.SCAChecks[p.path["agent_id"]][policy], nil,
		messages{"All selected SCA/policy information was returned",
			"Some SCA/policy information was not returned", "No SCA/policy information was returned"})
}

// handleSyscheck serves GET /syscheck/{agent_id}. "hash" matches any of
// md5/sha1/sha256; "summary" is accepted and ignored.
func (s *Server) handleSyscheck(w http.ResponseWriter, _ *http.Request, p params) {
	id := p.path["agent_id"]
	if p.has("hash") {
		h := p.str("hash")
		items := filterItems(s.ds.Syscheck[id], func(it dataset.Item) bool {
			return anyEquals(it, "md5", []string{h}) || anyEquals(it, "sha1", []string{h}) || anyEquals(it, "sha256", []string{h})
		})
		s.servePerAgentItems(w, p, "syscheck-hash", items, "hash", "summary")
		return
	}
	s.servePerAgentItems(w, p, "syscheck", s.ds.Syscheck[id], "summary")
}

func (s *Server) servePerAgentItems(w http.ResponseWriter, p params, key string, items []dataset.Item, skip ...string) {
	s.servePerAgent(w, p, key, items, nil, messages{"FIM findings of the agent were returned",
		"Some FIM findings were not returned", "No FIM information was returned"}, skip...)
}

// handleRootcheck serves GET /rootcheck/{agent_id}. status=all disables
// the status filter as in the real API.
func (s *Server) handleRootcheck(w http.ResponseWriter, _ *http.Request, p params) {
	skip := []string{}
	if p.str("status") == "all" {
		skip = append(skip, "status")
	}
	s.servePerAgent(w, p, "rootcheck", s.ds.Rootcheck[p.path["agent_id"]], nil,
		messages{"All selected rootcheck information was returned",
			"Some rootcheck information was not returned", "No rootcheck information was returned"}, skip...)
}

func filterItems(items []dataset.Item, keep func(dataset.Item) bool) []dataset.Item {
	var out []dataset.Item
	for _, it := range items {
		if keep(it) {
			out = append(out, it)
		}
	}
	return out
}
