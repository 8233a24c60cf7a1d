package tools

func responseWriteTools(d Deps) []Tool { return nil }
