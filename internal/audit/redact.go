package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

// Bounds of the arguments kept in an audit record.
const (
	maxArgInput  = 1 << 20 // larger arguments are not parsed at all
	maxArgBytes  = 16 << 10
	maxArgString = 1 << 10
	maxArgKey    = 128
	maxArgNumber = 64
	maxArgDepth  = 10
	// noteKey holds what the audit log did to the arguments.
	noteKey = "_audit_note"
	// redacted replaces the value of a secret-looking key.
	redacted = "[redacted]"
)

// RedactArguments returns the arguments of a tool call as they go in the
// audit log: values under secret-looking keys replaced by "[redacted]",
// credentials inside strings scrubbed, strings cut at 1 KiB, nesting cut at
// depth 10 and the whole kept under 16 KiB (what is dropped is said under
// "_audit_note"). Arguments that are not JSON are recorded as a note. It
// never fails; empty or null arguments give nil.
func RedactArguments(raw json.RawMessage) json.RawMessage {
	trimmed := bytes.TrimSpace(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return nil
	}
	if len(trimmed) > maxArgInput {
		return noteOnly(fmt.Sprintf("arguments of %d bytes not recorded (over %d)", len(trimmed), maxArgInput))
	}
	if !json.Valid(trimmed) {
		return noteOnly(fmt.Sprintf("arguments are not valid JSON (%d bytes); not recorded", len(trimmed)))
	}
	var v any
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return noteOnly(fmt.Sprintf("arguments could not be decoded (%d bytes); not recorded", len(trimmed)))
	}
	r := redactor{budget: maxArgBytes - 256} // room for the note
	out, ok := r.value(v, 0)
	if !ok {
		r.omitted++
		out = nil
	}
	if note := r.note(len(trimmed)); note != "" {
		out = withNote(out, note)
	}
	b, err := json.Marshal(out)
	if err != nil { // cannot happen: the tree holds only JSON values
		return noteOnly("arguments could not be re-encoded; not recorded")
	}
	return b
}

func noteOnly(note string) json.RawMessage {
	b, _ := json.Marshal(map[string]string{noteKey: note})
	return b
}

// withNote adds note to an object, or wraps any other value in one.
func withNote(v any, note string) any {
	if m, ok := v.(map[string]any); ok {
		m[noteKey] = note
		return m
	}
	return map[string]any{noteKey: note, "value": v}
}

// redactor walks decoded arguments with a byte budget for the output.
type redactor struct {
	budget  int
	omitted int // values dropped for size
	tooDeep int // values dropped for depth
	cut     int // strings truncated
}

func (r *redactor) note(inputLen int) string {
	if r.omitted == 0 && r.tooDeep == 0 && r.cut == 0 {
		return ""
	}
	return fmt.Sprintf("arguments of %d bytes shortened: %d value(s) over the %d-byte limit omitted, %d nested deeper than %d omitted, %d string(s) cut at %d bytes",
		inputLen, r.omitted, maxArgBytes, r.tooDeep, maxArgDepth, r.cut, maxArgString)
}

// spend takes n bytes from the budget, reporting whether they were there.
func (r *redactor) spend(n int) bool {
	if n > r.budget {
		return false
	}
	r.budget -= n
	return true
}

// value is v as recorded. ok is false when not even an empty container or
// the leaf fits the remaining budget; the caller then omits it.
func (r *redactor) value(v any, depth int) (any, bool) {
	switch x := v.(type) {
	case map[string]any:
		return r.object(x, depth)
	case []any:
		return r.array(x, depth)
	case string:
		return r.leaf(r.str(x))
	case json.Number:
		if len(x) > maxArgNumber {
			r.cut++
			return r.leaf(fmt.Sprintf("[number of %d digits]", len(x)))
		}
		return r.leaf(x)
	default: // bool, nil
		return r.leaf(x)
	}
}

func (r *redactor) leaf(v any) (any, bool) {
	return v, r.spend(encodedLen(v))
}

func (r *redactor) object(m map[string]any, depth int) (any, bool) {
	if depth >= maxArgDepth {
		r.tooDeep++
		return r.leaf("[nested too deep]")
	}
	if !r.spend(2) {
		return nil, false
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make(map[string]any, len(m))
	for i, k := range keys {
		key := truncateUTF8(k, maxArgKey)
		if depth == 0 && key == noteKey {
			key = noteKey + "_from_caller" // the note is the log's, not the caller's
		}
		cost := encodedLen(key) + 2 // colon and comma
		if !r.spend(cost) {
			r.omitted += len(keys) - i
			break
		}
		val, ok := r.member(k, m[k], depth)
		if !ok {
			r.budget += cost
			r.omitted += len(keys) - i
			break
		}
		out[key] = val
	}
	return out, true
}

// member is the recorded value of key k.
func (r *redactor) member(k string, v any, depth int) (any, bool) {
	if v != nil && policy.IsSecretKey(k) {
		return r.leaf(redacted)
	}
	return r.value(v, depth+1)
}

func (r *redactor) array(a []any, depth int) (any, bool) {
	if depth >= maxArgDepth {
		r.tooDeep++
		return r.leaf("[nested too deep]")
	}
	if !r.spend(2) {
		return nil, false
	}
	out := make([]any, 0, len(a))
	for i, v := range a {
		val, ok := r.valueWithComma(v, depth)
		if !ok {
			r.omitted += len(a) - i
			break
		}
		out = append(out, val)
	}
	return out, true
}

func (r *redactor) valueWithComma(v any, depth int) (any, bool) {
	if !r.spend(1) {
		return nil, false
	}
	val, ok := r.value(v, depth+1)
	if !ok {
		r.budget++
	}
	return val, ok
}

func (r *redactor) str(s string) string {
	s = policy.Scrub(s)
	if len(s) <= maxArgString {
		return s
	}
	r.cut++
	return truncateUTF8(s, maxArgString) + fmt.Sprintf("…[%d bytes]", len(s))
}

// encodedLen is the length of a leaf or a key as JSON (with Marshal's
// escaping, as the record is encoded).
func encodedLen(v any) int {
	b, err := json.Marshal(v)
	if err != nil {
		return 0
	}
	return len(b)
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
