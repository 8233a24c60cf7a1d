package wazuh

import (
	"encoding/json"
	"reflect"
	"strings"
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
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for _, name := range jsonNames(reflect.TypeOf(dst).Elem()) {
		delete(all, name)
	}
	if len(all) == 0 {
		return nil, nil
	}
	return all, nil
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
