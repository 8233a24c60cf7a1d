package events

import (
	"sort"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// mapDoc is a small document kept as its decoded _source plus a flattened
// index of typed values (vulnerability states: few thousand at most).
type mapDoc struct {
	id     string
	src    map[string]any
	values map[string][]any
}

var _ search.Doc = (*mapDoc)(nil)

func (d *mapDoc) ID() string               { return d.id }
func (d *mapDoc) Source() any              { return d.src }
func (d *mapDoc) Values(path string) []any { return d.values[path] }

func newMapDoc(id string, src map[string]any, types map[string]fieldKind) *mapDoc {
	d := &mapDoc{id: id, src: src, values: map[string][]any{}}
	d.flatten("", src, types)
	return d
}

func (d *mapDoc) flatten(prefix string, m map[string]any, types map[string]fieldKind) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		path := prefix + k
		switch v := m[k].(type) {
		case map[string]any:
			d.flatten(path+".", v, types)
		case string:
			if types[path] == kDate {
				if t, err := parseDate(v); err == nil {
					d.values[path] = one(t)
				}
				continue
			}
			d.values[path] = one(v)
		case float64:
			d.values[path] = one(v)
		case int64:
			d.values[path] = one(float64(v))
		case int:
			d.values[path] = one(float64(v))
		case bool:
			d.values[path] = one(v)
		case []string:
			d.values[path] = strs(v)
		}
	}
}

func strconvScore(f float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(f, 'f', 1, 64), ".0")
}
