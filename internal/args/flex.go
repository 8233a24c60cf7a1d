// Package args parses and validates tool arguments. Arguments are written by
// models and by clients built for other servers, so the JSON types are
// lenient (numbers as strings, lists as comma strings) while the values are
// strict: every parser names the argument and what is allowed when it fails.
package args

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Int accepts a JSON number or a numeric string ("100").
type Int int

// UnmarshalJSON implements json.Unmarshaler.
func (i *Int) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	s := string(b)
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return fmt.Errorf("expected an integer, got %s", truncate(string(b), 40))
	}
	*i = Int(f)
	return nil
}

// String accepts a JSON string, number or boolean and keeps its text, so
// that rule_id 5712 and "5712" mean the same.
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case string(b) == "null":
		return nil
	case len(b) > 0 && b[0] == '"':
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = String(v)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*s = String(n.String())
	case string(b) == "true" || string(b) == "false":
		*s = String(b)
	default:
		return fmt.Errorf("expected a string, got %s", truncate(string(b), 40))
	}
	return nil
}

// Bool accepts true/false and their string forms ("true", "1", "yes").
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (v *Bool) UnmarshalJSON(b []byte) error {
	s := strings.ToLower(strings.Trim(strings.TrimSpace(string(b)), `"`))
	switch s {
	case "null":
		return nil
	case "true", "1", "yes", "on":
		*v = true
	case "false", "0", "no", "off", "":
		*v = false
	default:
		return fmt.Errorf("expected true or false, got %s", truncate(string(b), 40))
	}
	return nil
}

// List accepts a JSON array of strings (or numbers) or one comma-separated
// string, as clients of the v4 servers send either.
type List []string

// UnmarshalJSON implements json.Unmarshaler.
func (l *List) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	if len(b) > 0 && b[0] == '[' {
		var items []String
		if err := json.Unmarshal(b, &items); err != nil {
			return fmt.Errorf("expected a list of strings: %w", err)
		}
		out := make([]string, 0, len(items))
		for _, it := range items {
			if v := strings.TrimSpace(string(it)); v != "" {
				out = append(out, v)
			}
		}
		*l = out
		return nil
	}
	var s String
	if err := s.UnmarshalJSON(b); err != nil {
		return fmt.Errorf("expected a list or a comma-separated string")
	}
	var out []string
	for _, part := range strings.Split(string(s), ",") {
		if v := strings.TrimSpace(part); v != "" {
			out = append(out, v)
		}
	}
	*l = out
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
