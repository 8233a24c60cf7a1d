package tools

const monitoringToolset = "monitoring"

// monitoringTools returns the monitoring toolset.
func monitoringTools(d Deps) []Tool {
	_ = d
	return nil
}
