package events

import (
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// AlertIndexName is the daily alerts index Filebeat writes a time to.
func AlertIndexName(t time.Time) string { return "wazuh-alerts-4.x-" + t.UTC().Format("2006.01.02") }

// AlertTime returns the timestamp of an alert document from Generate; it is
// the TimeOf of the alert indices.
func AlertTime(d search.Doc) time.Time {
	if a, ok := d.(*alert); ok {
		return a.time()
	}
	if v := d.Values("timestamp"); len(v) > 0 {
		if t, ok := v[0].(time.Time); ok {
			return t
		}
	}
	return time.Time{}
}

// alertIndices groups sorted alerts into one index per UTC day.
func alertIndices(alerts []*alert) []search.Index {
	var out []search.Index
	for _, a := range alerts {
		name := AlertIndexName(a.time())
		if len(out) == 0 || out[len(out)-1].Name != name {
			out = append(out, search.Index{Name: name, TimeField: "timestamp", TimeOf: AlertTime})
		}
		out[len(out)-1].Docs = append(out[len(out)-1].Docs, a)
	}
	return out
}
