package tools

const postureToolset = "posture"

// postureTools returns the posture toolset.
func postureTools(d Deps) []Tool {
	_ = d
	return nil
}
