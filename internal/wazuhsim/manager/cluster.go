package manager

import (
	"net/http"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// errClusterDisabled is what node-level cluster endpoints answer on a
// stand-alone manager.
func errClusterDisabled() wazuhError {
	return wazuhError{3013, "Cluster is not running, it might be disabled in `WAZUH_HOME/etc/ossec.conf`",
		"Please, visit the official documentation (" + docsBase + "/user-manual/configuring-cluster/index.html) to get more information about how to configure a cluster"}
}

func (s *Server) clusterEnabled() bool {
	return s.ds.Cluster.Status["enabled"] != "no"
}

// handleClusterStatus serves GET /cluster/status: {"data":{enabled,running}}.
func (s *Server) handleClusterStatus(w http.ResponseWriter, _ *http.Request, _ params) {
	st := s.ds.Cluster.Status
	if st == nil {
		st = dataset.Item{"enabled": "no", "running": "no"}
	}
	writeJSON(w, http.StatusOK, dataResponse{Data: st})
}

// handleClusterNodes serves GET /cluster/nodes (type, nodes_list).
func (s *Server) handleClusterNodes(w http.ResponseWriter, _ *http.Request, p params) {
	if !s.clusterEnabled() {
		writeProblem(w, s.problem(http.StatusBadRequest, errClusterDisabled()))
		return
	}
	lq := listQueryFrom(p)
	namedFilters(&lq, p, map[string]string{"nodes_list": "name"})
	s.serveList(w, "cluster-nodes", s.ds.Cluster.Nodes, lq, messages{"All selected nodes information was returned",
		"Some nodes information was not returned", "No node information was returned"})
}

// handleClusterHealthcheck serves GET /cluster/healthcheck (nodes_list).
func (s *Server) handleClusterHealthcheck(w http.ResponseWriter, _ *http.Request, p params) {
	if !s.clusterEnabled() {
		writeProblem(w, s.problem(http.StatusBadRequest, errClusterDisabled()))
		return
	}
	items := s.ds.Cluster.Healthcheck
	if p.has("nodes_list") {
		names := p.list("nodes_list")
		items = filterItems(items, func(it dataset.Item) bool {
			return anyEquals(it, "info.name", names) || anyEquals(it, "name", names)
		})
	}
	serveItems(w, items, messages{"All selected nodes healthcheck information was returned",
		"Some nodes healthcheck information was not returned", "No healthcheck information was returned"})
}

// handleClusterLocalInfo serves GET /cluster/local/info.
func (s *Server) handleClusterLocalInfo(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, []dataset.Item{orEmpty(s.ds.Cluster.LocalInfo)}, messages{"All selected information was returned", "",
		"No information was returned"})
}
