package tools

const mitreToolset = "mitre"

// mitreTools returns the mitre toolset.
func mitreTools(d Deps) []Tool {
	_ = d
	return nil
}
