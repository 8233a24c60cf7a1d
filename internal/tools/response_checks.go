package tools

func checkTools(d Deps) []Tool { return nil }
