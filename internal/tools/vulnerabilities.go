package tools

const vulnerabilitiesToolset = "vulnerabilities"

// vulnerabilityTools returns the vulnerabilities toolset.
func vulnerabilityTools(d Deps) []Tool {
	_ = d
	return nil
}
