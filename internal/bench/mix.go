// Package bench is the load generator behind `wazuh-mcp bench`: MCP
// sessions over Streamable HTTP (the go-sdk client) calling a weighted mix
// of tools, the same backend requests sent straight to the Manager as a
// baseline, session churn (soak), idle sessions, server samples scraped
// from /metrics, latency statistics and the report (table and JSON).
package bench

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// DefaultMix is the mix of the overhead target.
const DefaultMix = `get_wazuh_agents:1:{"limit":20}`

// MaxWeight bounds a mix entry's weight.
const MaxWeight = 1000

// MixEntry is one tool of the mix: called Weight times out of the sum of
// all weights, with Args.
type MixEntry struct {
	Tool   string         `json:"tool"`
	Weight int            `json:"weight"`
	Args   map[string]any `json:"args,omitempty"`
}

// arguments are the entry's tool arguments; none is an empty object.
func (e MixEntry) arguments() map[string]any {
	if e.Args == nil {
		return map[string]any{}
	}
	return e.Args
}

// Label names the entry in reports: the tool, with its arguments when given.
func (e MixEntry) Label() string {
	if len(e.Args) == 0 {
		return e.Tool
	}
	b, _ := json.Marshal(e.Args) // map keys are sorted: a stable label
	return e.Tool + " " + string(b)
}

// ParseMix parses tool[:weight[:json-object]] entries separated by commas,
// e.g. `get_wazuh_agents:3:{"limit":20},get_wazuh_rules_summary:1`. Commas
// inside the JSON arguments do not separate entries. Weight defaults to 1.
func ParseMix(s string) ([]MixEntry, error) {
	parts, err := splitTopLevel(s)
	if err != nil {
		return nil, err
	}
	var out []MixEntry
	for i, p := range parts {
		e, err := parseEntry(strings.TrimSpace(p))
		if err != nil {
			return nil, fmt.Errorf("--mix entry %d (%q): %w", i+1, strings.TrimSpace(p), err)
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("--mix is empty: give tool[:weight[:json-args]] entries separated by commas")
	}
	seen := map[string]bool{}
	for _, e := range out {
		if l := e.Label(); seen[l] {
			return nil, fmt.Errorf("--mix lists %s twice: give it one entry with the summed weight", l)
		} else {
			seen[l] = true
		}
	}
	return out, nil
}

// splitTopLevel splits on commas outside JSON objects, arrays and strings.
func splitTopLevel(s string) ([]string, error) {
	var parts []string
	depth, start, inStr, esc := 0, 0, false, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr:
			switch {
			case esc:
				esc = false
			case c == '\\':
				esc = true
			case c == '"':
				inStr = false
			}
		case c == '"':
			inStr = true
		case c == '{' || c == '[':
			depth++
		case c == '}' || c == ']':
			depth--
			if depth < 0 {
				return nil, fmt.Errorf("--mix: unbalanced %q at offset %d", c, i)
			}
		case c == ',' && depth == 0:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	if inStr || depth != 0 {
		return nil, fmt.Errorf("--mix: unterminated JSON arguments (check braces and quotes)")
	}
	parts = append(parts, s[start:])
	// A trailing or doubled comma leaves an empty part: an error, not a no-op.
	if len(parts) == 1 && strings.TrimSpace(parts[0]) == "" {
		return nil, nil
	}
	return parts, nil
}

func parseEntry(p string) (MixEntry, error) {
	if p == "" {
		return MixEntry{}, fmt.Errorf("empty entry (a doubled or trailing comma?)")
	}
	tool, rest, hasWeight := strings.Cut(p, ":")
	tool = strings.TrimSpace(tool)
	if !validToolName(tool) {
		return MixEntry{}, fmt.Errorf("tool name %q: want letters, digits, _ and - (1-128 characters)", tool)
	}
	e := MixEntry{Tool: tool, Weight: 1}
	if !hasWeight {
		return e, nil
	}
	w, argText, hasArgs := strings.Cut(rest, ":")
	n, err := strconv.Atoi(strings.TrimSpace(w))
	if err != nil || n < 1 || n > MaxWeight {
		return MixEntry{}, fmt.Errorf("weight %q: want a whole number 1-%d", strings.TrimSpace(w), MaxWeight)
	}
	e.Weight = n
	if !hasArgs {
		return e, nil
	}
	argText = strings.TrimSpace(argText)
	dec := json.NewDecoder(bytes.NewReader([]byte(argText)))
	dec.UseNumber()
	var args any
	if err := dec.Decode(&args); err != nil {
		return MixEntry{}, fmt.Errorf("arguments are not JSON: %v", err)
	}
	if dec.More() {
		return MixEntry{}, fmt.Errorf("arguments: text after the JSON object")
	}
	obj, ok := args.(map[string]any)
	if !ok {
		return MixEntry{}, fmt.Errorf("arguments must be a JSON object, e.g. {\"limit\":20}")
	}
	if len(obj) > 0 {
		e.Args = obj
	}
	return e, nil
}

func validToolName(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// CheckTools verifies every mix tool is offered by the server (its
// tools/list), so a typo fails before the run instead of as N errors.
func CheckTools(mix []MixEntry, offered []string) error {
	have := make(map[string]bool, len(offered))
	for _, t := range offered {
		have[t] = true
	}
	var missing []string
	for _, e := range mix {
		if !have[e.Tool] {
			missing = append(missing, e.Tool)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	return fmt.Errorf("--mix: the server does not offer %s (its tools/list has %d tools; `wazuh-mcp tools` lists them; a tool outside the default toolsets needs --toolsets)",
		quoteJoin(missing), len(offered))
}

func quoteJoin(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(n)
	}
	return strings.Join(q, ", ")
}
