package manager

import (
	"net/http"
)

// handleSyscollector serves GET /syscollector/{id}/{kind}. An unknown agent
// is a failed item (200, error 1) as in the real framework.
func (s *Server) handleSyscollector(kind string) func(http.ResponseWriter, *http.Request, params) {
	return func(w http.ResponseWriter, _ *http.Request, p params) {
		s.servePerAgent(w, p, "syscollector/"+kind, s.ds.Syscollector[p.path["agent_id"]][kind], []string{"agent_id"},
			messages{"All specified syscollector information was returned",
				"Some syscollector information was not returned", "No syscollector information was returned"})
	}
}

// servePerAgent is the shape of every /<module>/{agent_id} collection:
// 1701 failed item for unknown agents, otherwise the agent's items through
// the list pipeline with the endpoint's named filters.
func (s *Server) servePerAgent(w http.ResponseWriter, p params, key string, items []map[string]any, always []string, m messages, skip ...string) {
	id := p.path["agent_id"]
	if _, _, ok := s.agentStatus(id); !ok {
		res := newResult()
		res.fail(id, errAgentNotFound)
		writeJSON(w, http.StatusOK, res.response(m))
		return
	}
	lq := listQueryFrom(p)
	lq.always = always
	namedFilters(&lq, p, nil, skip...)
	s.serveList(w, key+"/"+id, items, lq, m)
}
