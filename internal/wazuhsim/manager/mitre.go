package manager

import (
	"net/http"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// handleMitreTactics serves GET /mitre/tactics; tactic_ids match the STIX
// id (as techniques reference tactics) or the ATT&CK external id (TA0006).
func (s *Server) handleMitreTactics(w http.ResponseWriter, _ *http.Request, p params) {
	s.serveMitre(w, p, "tactic_ids", "mitre-tactics", s.ds.MitreTactics, messages{"All tactics information was returned",
		"Some tactics information was not returned", "No tactics information was returned"})
}

// handleMitreMitigations serves GET /mitre/mitigations; mitigation_ids
// match the STIX id (as techniques reference mitigations) or the external
// id (M1032).
func (s *Server) handleMitreMitigations(w http.ResponseWriter, _ *http.Request, p params) {
	s.serveMitre(w, p, "mitigation_ids", "mitre-mitigations", s.ds.MitreMitigations, messages{"MITRE mitigations information was returned",
		"Some MITRE mitigations information was not returned", "No MITRE mitigations information was returned"})
}

func (s *Server) serveMitre(w http.ResponseWriter, p params, idParam, key string, items []dataset.Item, m messages) {
	lq := listQueryFrom(p)
	if p.has(idParam) {
		ids := p.list(idParam)
		lq.where(func(it dataset.Item) bool { return anyEquals(it, "id", ids) || anyEquals(it, "external_id", ids) })
	}
	s.serveList(w, key, items, lq, m)
}
