package search

import (
	"encoding/json"
	"strings"
)

// sourceFilter is the request's _source: disabled, or include/exclude
// patterns over dotted paths ("rule.*", "agent.name", "data").
type sourceFilter struct {
	disabled bool
	includes []string
	excludes []string
}

func (f sourceFilter) active() bool { return len(f.includes) > 0 || len(f.excludes) > 0 }

func parseSourceFilter(v any) (sourceFilter, error) {
	switch x := v.(type) {
	case bool:
		return sourceFilter{disabled: !x}, nil
	case string:
		return sourceFilter{includes: []string{x}}, nil
	case []any:
		inc, err := stringList(x, "_source")
		return sourceFilter{includes: inc}, err
	case object:
		var f sourceFilter
		for _, m := range x {
			list, err := stringListOrOne(m.Val, "_source."+m.Key)
			if err != nil {
				return f, err
			}
			switch m.Key {
			case "includes", "include":
				f.includes = list
			case "excludes", "exclude":
				f.excludes = list
			default:
				return f, parsingError("Unknown key for a %s in [%s].", tokenName(m.Val), m.Key)
			}
		}
		return f, nil
	}
	return sourceFilter{}, parsingError("[_source] expected a boolean, string, array or object but found [%s]", tokenName(v))
}

func stringListOrOne(v any, name string) ([]string, error) {
	if s, ok := v.(string); ok {
		return []string{s}, nil
	}
	list, ok := v.([]any)
	if !ok {
		return nil, parsingError("[%s] expected an array of strings", name)
	}
	return stringList(list, name)
}

func stringList(list []any, name string) ([]string, error) {
	out := make([]string, 0, len(list))
	for _, el := range list {
		s, ok := el.(string)
		if !ok {
			return nil, parsingError("[%s] expected an array of strings", name)
		}
		out = append(out, s)
	}
	return out, nil
}

// apply returns the filtered _source of a document.
func (f sourceFilter) apply(src any) any {
	if f.disabled {
		return nil
	}
	if !f.active() {
		return src
	}
	m, ok := src.(map[string]any)
	if !ok {
		m = asMap(src)
		if m == nil {
			return src
		}
	}
	return f.filterObject("", m)
}

// asMap turns an arbitrary JSON-marshalable source into a map.
func asMap(src any) map[string]any {
	b, err := json.Marshal(src)
	if err != nil {
		return nil
	}
	var m map[string]any
	if json.Unmarshal(b, &m) != nil {
		return nil
	}
	return m
}

func (f sourceFilter) filterObject(prefix string, m map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range m {
		path := k
		if prefix != "" {
			path = prefix + "." + k
		}
		if kept, ok := f.filterValue(path, v); ok {
			out[k] = kept
		}
	}
	return out
}

func (f sourceFilter) filterValue(path string, v any) (any, bool) {
	if matchAnyPattern(f.excludes, path) {
		return nil, false
	}
	included := len(f.includes) == 0 || matchAnyPattern(f.includes, path)
	switch x := v.(type) {
	case map[string]any:
		if included && len(f.excludes) == 0 {
			return x, true
		}
		if !included && !f.mayIncludeBelow(path) {
			return nil, false
		}
		sub := f.withIncludedParent(included).filterObject(path, x)
		if len(sub) == 0 && !included {
			return nil, false
		}
		return sub, true
	case []any:
		if !included && !f.mayIncludeBelow(path) {
			return nil, false
		}
		var out []any
		for _, el := range x {
			if kept, ok := f.withIncludedParent(included).filterValue(path, el); ok {
				out = append(out, kept)
			}
		}
		if len(out) == 0 && !included {
			return nil, false
		}
		return out, true
	}
	return v, included
}

// withIncludedParent drops include patterns below a path that is already
// included as a whole (only excludes still apply).
func (f sourceFilter) withIncludedParent(included bool) sourceFilter {
	if included {
		return sourceFilter{excludes: f.excludes}
	}
	return f
}

// mayIncludeBelow reports whether some include pattern can match a path
// under prefix.
func (f sourceFilter) mayIncludeBelow(prefix string) bool {
	for _, p := range f.includes {
		if strings.HasPrefix(p, prefix+".") || globMatch(p, prefix+".x") || strings.HasPrefix(p, "*") {
			return true
		}
		if i := strings.IndexAny(p, "*?"); i >= 0 && strings.HasPrefix(prefix+".", p[:i]) {
			return true
		}
	}
	return false
}

// matchAnyPattern: a pattern matches the path itself or any of its parent
// objects ("rule" includes "rule.level").
func matchAnyPattern(patterns []string, path string) bool {
	for _, p := range patterns {
		if globMatch(p, path) {
			return true
		}
		for i := 0; i < len(path); i++ {
			if path[i] == '.' && globMatch(p, path[:i]) {
				return true
			}
		}
	}
	return false
}
