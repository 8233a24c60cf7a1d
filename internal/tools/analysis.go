package tools

const analysisToolset = "analysis"

// analysisTools returns the analysis toolset: honest computations whose
// results state their method.
func analysisTools(d Deps) []Tool {
	var all []Tool
	all = append(all, threatTools(d)...)
	all = append(all, riskTools(d)...)
	return all
}

// threatTools: check_ioc_reputation, analyze_security_threat,
// get_top_security_threats, generate_security_report (analysis_threats.go).
func threatTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(analysisToolset, Spec{
			Name:        "check_ioc_reputation",
			Title:       "IoC reputation",
			Description: "Sightings of an IP, hash, domain or URL in alerts and CDB lists; rule-based verdict.",
		}, lim, d.checkIOC),
		newTool(analysisToolset, Spec{
			Name:        "analyze_security_threat",
			Title:       "Analyze an indicator",
			Description: "check_ioc_reputation plus a summary and the newest matching alerts.",
		}, lim, d.analyzeThreat),
		newTool(analysisToolset, Spec{
			Name:        "get_top_security_threats",
			Title:       "Top security threats",
			Description: "Rules ranked by a stated score of level, volume and spread over all alerts in a window.",
		}, lim, d.topThreats),
		newTool(analysisToolset, Spec{
			Name:        "generate_security_report",
			Title:       "Security report",
			Description: "Daily, weekly, monthly or incident report from aggregations, with rule-based advice.",
		}, lim, d.securityReport),
	}
}

// riskTools: perform_risk_assessment, run_compliance_check (analysis_risk.go).
func riskTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(analysisToolset, Spec{
			Name:        "perform_risk_assessment",
			Title:       "Assess agent risk",
			Description: "Risk score 0-100 per agent and fleet from vulnerabilities, alerts, SCA and status.",
		}, lim, d.riskAssessment),
		newTool(analysisToolset, Spec{
			Name:        "run_compliance_check",
			Title:       "Compliance check",
			Description: "Alerts and failed SCA checks per compliance requirement, from Wazuh's tags.",
		}, lim, d.complianceCheck),
	}
}
