package tools

const rulesToolset = "rules"

// ruleTools returns the rules toolset.
func ruleTools(d Deps) []Tool {
	_ = d
	return nil
}
