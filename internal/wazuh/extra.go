package wazuh

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
)

// Extra holds the fields of an item that its Go struct does not name, so
// nothing the Manager returns is dropped silently (item schemas grow between
// 4.x releases, and the spec and real answers differ in places).
type Extra map[string]json.RawMessage

// decodeWithExtra decodes b into dst (a pointer to a struct type without its
// own UnmarshalJSON, typically a local alias) and returns the keys of b that
// no json tag of dst names.
func decodeWithExtra(b []byte, dst any) (Extra, error) {
	if err := json.Unmarshal(b, dst); err != nil {
		return nil, err
	}
	known := knownNames(reflect.TypeOf(dst).Elem())
	// Most items have no unknown key: finding that out by scanning the keys
	// avoids decoding the whole item a second time into a map.
	if onlyKnownKeys(b, known) {
		return nil, nil
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for name := range known {
		delete(all, name)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
}

// namesByType caches knownNames: struct tags never change at run time.
var namesByType sync.Map // reflect.Type → map[string]bool

// knownNames is the set of JSON keys a struct type decodes.
func knownNames(t reflect.Type) map[string]bool {
	if v, ok := namesByType.Load(t); ok {
		return v.(map[string]bool)
	}
	names := make(map[string]bool, t.NumField())
	for _, n := range jsonNames(t) {
		names[n] = true
	}
	v, _ := namesByType.LoadOrStore(t, names)
	return v.(map[string]bool)
}

// jsonNames lists the JSON keys a struct type decodes.
func jsonNames(t reflect.Type) []string {
	names := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			continue
		case "":
			name = f.Name
		}
		names = append(names, name)
	}
	return names
}

// onlyKnownKeys reports whether b, a valid JSON object, has only keys that
// are in known, compared byte for byte. It answers false whenever it is not
// sure (a key with an escape, anything but an object), and the caller then
// takes the exact, slower path.
func onlyKnownKeys(b []byte, known map[string]bool) bool {
	i := skipSpace(b, 0)
	if i >= len(b) || b[i] != '{' {
		return false
	}
	i++
	for {
		i = skipSpace(b, i)
		if i >= len(b) {
			return false
		}
		switch b[i] {
		case '}':
			return true
		case ',':
			i++
			continue
		case '"':
		default:
			return false
		}
		end := i + 1
		for end < len(b) && b[end] != '"' {
			if b[end] == '\\' {
				return false
			}
			end++
		}
		if end >= len(b) || !known[string(b[i+1:end])] {
			return false
		}
		i = skipSpace(b, end+1)
		if i >= len(b) || b[i] != ':' {
			return false
		}
		var ok bool
		if i, ok = skipValue(b, skipSpace(b, i+1)); !ok {
			return false
		}
	}
}

func skipSpace(b []byte, i int) int {
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' || b[i] == '\r') {
		i++
	}
	return i
}

// skipValue returns the index just after the JSON value starting at b[i].
func skipValue(b []byte, i int) (int, bool) {
	depth := 0
	for i < len(b) {
		switch c := b[i]; c {
		case '"':
			i++
			for i < len(b) && b[i] != '"' {
				if b[i] == '\\' {
					i++
				}
				i++
			}
			if i >= len(b) {
				return i, false
			}
			i++
		case '{', '[':
			depth++
			i++
		case '}', ']':
			if depth == 0 {
				return i, true // the end of the enclosing object
			}
			depth--
			i++
		case ',':
			if depth == 0 {
				return i, true
			}
			i++
		default:
			i++
		}
		if depth == 0 && i < len(b) && (b[i] == ',' || b[i] == '}' || b[i] == ']') {
			return i, true
		}
	}
	return i, false
}
