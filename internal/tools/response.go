package tools

// responseTools is the response toolset: write tools behind the approval
// gate (response_write.go), their companions (response_actions.go),
// verification checks (response_checks.go) and evidence packs
// (evidence.go).
func responseTools(d Deps) []Tool {
	var out []Tool
	for _, set := range [][]Tool{responseWriteTools(d), actionTools(d), checkTools(d), evidenceTools(d)} {
		out = append(out, set...)
	}
	return out
}
