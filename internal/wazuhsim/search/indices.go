package search

import "strings"

// ResolveIndices picks the indices named by an OpenSearch index expression:
// a comma list of names and wildcard patterns, "-pattern" exclusions, and
// "_all" or "*" for everything. A concrete name that does not exist is an
// index_not_found_exception unless ignoreUnavailable; a pattern matching
// nothing is not an error. The result keeps the order of all.
func ResolveIndices(all []Index, expr string, ignoreUnavailable bool) ([]Index, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" || expr == "_all" {
		return all, nil
	}
	selected := make([]bool, len(all))
	for i, part := range strings.Split(expr, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.HasPrefix(part, "-") && i > 0 {
			for j, idx := range all {
				if globMatch(part[1:], idx.Name) {
					selected[j] = false
				}
			}
			continue
		}
		if part == "_all" {
			part = "*"
		}
		found := false
		for j, idx := range all {
			if globMatch(part, idx.Name) {
				selected[j], found = true, true
			}
		}
		if !found && !hasWildcard(part) && !ignoreUnavailable {
			return nil, indexNotFound(part)
		}
	}
	var out []Index
	for j, idx := range all {
		if selected[j] {
			out = append(out, idx)
		}
	}
	return out, nil
}
