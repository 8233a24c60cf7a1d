package tools

const analysisToolset = "analysis"

// analysisTools returns the analysis toolset.
func analysisTools(d Deps) []Tool {
	_ = d
	return nil
}
