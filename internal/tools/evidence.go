package tools

func evidenceTools(d Deps) []Tool { return nil }
