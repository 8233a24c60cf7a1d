package manager

import "net/http"

// syscollectorKinds are the inventory collections of GET /syscollector/{id}/{kind}.
func syscollectorKinds() []string {
	return []string{"hardware", "hotfixes", "netaddr", "netiface", "netproto", "os", "packages",
		"ports", "processes", "users", "groups", "browser_extensions", "services"}
}

// buildRoutes registers every operation the stand-in serves.
func (s *Server) buildRoutes() error {
	t := specParams()
	type op struct {
		method, pattern string
		h               func(http.ResponseWriter, *http.Request, params)
	}
	ops := []op{
		{"POST", "/security/user/authenticate", s.handleLogin},
		{"GET", "/security/user/authenticate", s.handleLogin},
		{"POST", "/security/user/authenticate/run_as", s.handleLogin},
		{"DELETE", "/security/user/authenticate", s.handleRevoke},
		{"PUT", "/security/user/revoke", s.handleRevoke},
		{"GET", "/", s.handleInfo},
		{"GET", "/agents", s.handleAgents},
		{"GET", "/agents/summary/status", s.handleAgentsSummary},
		{"GET", "/agents/{agent_id}/config/{component}/{configuration}", s.handleAgentConfig},
		{"GET", "/agents/{agent_id}/stats/{component}", s.handleAgentStats},
		{"PUT", "/agents/{agent_id}/restart", s.handleRestartAgent},
		{"PUT", "/agents/restart", s.handleRestartAgents},
		{"GET", "/groups", s.handleGroups},
		{"GET", "/rules", s.handleRules},
		{"GET", "/rules/groups", s.handleRuleGroups},
		{"GET", "/rules/requirement/{requirement}", s.handleRuleRequirement},
		{"GET", "/rules/files", s.handleRuleFiles},
		{"GET", "/rules/files/{filename}", s.handleRuleFile},
		{"GET", "/decoders", s.handleDecoders},
		{"GET", "/decoders/files", s.handleDecoderFiles},
		{"GET", "/lists", s.handleLists},
		{"GET", "/lists/files", s.handleListFiles},
		{"GET", "/lists/files/{filename}", s.handleListFile},
		{"GET", "/sca/{agent_id}", s.handleSCA},
		{"GET", "/sca/{agent_id}/checks/{policy_id}", s.handleSCAChecks},
		{"GET", "/syscheck/{agent_id}", s.handleSyscheck},
		{"GET", "/rootcheck/{agent_id}", s.handleRootcheck},
		{"GET", "/syscheck/{agent_id}/last_scan", s.handleSyscheckLastScan},
		{"GET", "/rootcheck/{agent_id}/last_scan", s.handleRootcheckLastScan},
		{"GET", "/manager/info", s.handleManagerInfo},
		{"GET", "/manager/status", s.handleManagerStatus},
		{"GET", "/manager/configuration", s.handleManagerConfig},
		{"GET", "/manager/stats", s.handleManagerStats},
		{"GET", "/manager/stats/hourly", s.handleManagerStatsHourly},
		{"GET", "/manager/stats/weekly", s.handleManagerStatsWeekly},
		{"GET", "/manager/stats/analysisd", s.handleManagerAnalysisd},
		{"GET", "/manager/stats/remoted", s.handleManagerRemoted},
		{"GET", "/manager/daemons/stats", s.handleDaemonStats},
		{"GET", "/manager/logs", s.handleManagerLogs},
		{"GET", "/manager/logs/summary", s.handleManagerLogsSummary},
		{"GET", "/cluster/status", s.handleClusterStatus},
		{"GET", "/cluster/nodes", s.handleClusterNodes},
		{"GET", "/cluster/healthcheck", s.handleClusterHealthcheck},
		{"GET", "/cluster/local/info", s.handleClusterLocalInfo},
		{"GET", "/mitre/techniques", s.handleMitreTechniques},
		{"GET", "/mitre/tactics", s.handleMitreTactics},
		{"GET", "/mitre/mitigations", s.handleMitreMitigations},
		{"PUT", "/active-response", s.handleActiveResponse},
		{"PUT", "/manager/restart", s.handleManagerRestart},
	}
	for _, kind := range syscollectorKinds() {
		ops = append(ops, op{"GET", "/syscollector/{agent_id}/" + kind, s.handleSyscollector(kind)})
	}
	for _, o := range ops {
		if err := s.handle(t, o.method, o.pattern, o.h); err != nil {
			return err
		}
	}
	// Login authenticates with basic auth, not a token.
	for i := range s.routes {
		if s.routes[i].pattern == "/security/user/authenticate" && s.routes[i].method != "DELETE" ||
			s.routes[i].pattern == "/security/user/authenticate/run_as" {
			s.routes[i].public = true
		}
	}
	return nil
}

// handleInfo serves GET /: {"data": {title, api_version, ...}, "error": 0}.
func (s *Server) handleInfo(w http.ResponseWriter, _ *http.Request, _ params) {
	writeJSON(w, http.StatusOK, dataResponse{Data: orEmpty(s.ds.Info)})
}

func orEmpty(it map[string]any) map[string]any {
	if it == nil {
		return map[string]any{}
	}
	return it
}
