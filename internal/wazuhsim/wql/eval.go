package wql

import (
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Match evaluates the comparison against item. A missing field satisfies
// only `!=` (SQL's "IS NOT" over NULL).
func (c *Cmp) Match(item map[string]any) bool {
	vals := Lookup(item, c.Field)
	if len(vals) == 0 {
		return c.Op == OpNe
	}
	if c.Op == OpNe {
		// "field != v" on a list means no element equals v.
		for _, v := range vals {
			if compare(v, OpEq, c.Value) {
				return false
			}
		}
		return true
	}
	for _, v := range vals {
		if compare(v, c.Op, c.Value) {
			return true
		}
	}
	return false
}

// Lookup resolves a dotted path in item. Arrays met along the way (and at
// the leaf) are flattened, so "groups=web" matches ["web","sshd"] and
// "server.port=1514" matches a list of server objects.
func Lookup(item map[string]any, path string) []any {
	cur := []any{item}
	for _, part := range strings.Split(path, ".") {
		var next []any
		for _, v := range cur {
			for _, m := range objects(v) {
				if child, ok := m[part]; ok && child != nil {
					next = append(next, child)
				}
			}
		}
		cur = next
		if len(cur) == 0 {
			return nil
		}
	}
	return flatten(cur)
}

func objects(v any) []map[string]any {
	if m, ok := v.(map[string]any); ok {
		return []map[string]any{m}
	}
	list, ok := AsList(v)
	if !ok {
		return nil
	}
	var out []map[string]any
	for _, e := range list {
		if m, ok := e.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func flatten(vals []any) []any {
	var out []any
	for _, v := range vals {
		if list, ok := AsList(v); ok {
			out = append(out, flatten(list)...)
			continue
		}
		out = append(out, v)
	}
	return out
}

// AsList returns v as []any when it is any kind of slice. Items decoded
// from JSON hold []any; generated items may hold typed slices.
func AsList(v any) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case []string:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out, true
	case []map[string]any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = e
		}
		return out, true
	case nil, string, map[string]any:
		return nil, false
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// Number returns v as a float64 when it is any Go number.
func Number(v any) (float64, bool) {
	switch t := v.(type) {
	case float64:
		return t, true
	case int:
		return float64(t), true
	case int64:
		return float64(t), true
	case int32:
		return float64(t), true
	case uint64:
		return float64(t), true
	case uint32:
		return float64(t), true
	case uint:
		return float64(t), true
	case float32:
		return float64(t), true
	}
	return 0, false
}

// compare applies op to one scalar item value and the query literal.
func compare(v any, op Op, lit string) bool {
	if op == OpLike {
		return strings.Contains(strings.ToLower(Text(v)), strings.ToLower(lit))
	}
	c, ok := Order(v, lit)
	if !ok {
		return false
	}
	switch op {
	case OpEq:
		return c == 0
	case OpNe:
		return c != 0
	case OpLt:
		return c < 0
	case OpGt:
		return c > 0
	}
	return false
}

// Order compares an item value with a literal: numerically when both are
// numbers, as instants when both are dates, otherwise as strings. ok is false
// for values that cannot be compared (objects).
func Order(v any, lit string) (int, bool) {
	if f, ok := Number(v); ok {
		if n, err := strconv.ParseFloat(lit, 64); err == nil {
			return cmpFloat(f, n), true
		}
	}
	switch t := v.(type) {
	case bool:
		return strings.Compare(strconv.FormatBool(t), strings.ToLower(lit)), true
	case map[string]any, []any:
		return 0, false
	}
	s := Text(v)
	if a, ok := ParseTime(s); ok {
		if b, ok := ParseTime(lit); ok {
			return a.Compare(b), true
		}
	}
	// Numeric strings ("pid":"123" in some collections) still compare as numbers.
	if a, err := strconv.ParseFloat(s, 64); err == nil {
		if b, err := strconv.ParseFloat(lit, 64); err == nil {
			return cmpFloat(a, b), true
		}
	}
	return strings.Compare(s, lit), true
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Text renders a scalar the way it appears in JSON without quotes.
func Text(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case int:
		return strconv.Itoa(t)
	case int64:
		return strconv.FormatInt(t, 10)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return ""
	}
	if f, ok := Number(v); ok {
		return strconv.FormatFloat(f, 'f', -1, 64)
	}
	return ""
}

// timeLayouts are the date shapes Wazuh items and users write.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02",
}

// ParseTime parses the date formats found in Wazuh data. Bare numbers are
// not dates.
func ParseTime(s string) (time.Time, bool) {
	if len(s) < 10 || s[4] != '-' || s[7] != '-' {
		return time.Time{}, false
	}
	for _, l := range timeLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
