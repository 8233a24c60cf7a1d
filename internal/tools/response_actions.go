package tools

func actionTools(d Deps) []Tool { return nil }
