package tools

const managerToolset = "manager"

// managerTools returns the manager toolset.
func managerTools(d Deps) []Tool {
	_ = d
	return nil
}
