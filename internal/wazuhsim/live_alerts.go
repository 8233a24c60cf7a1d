package wazuhsim

import (
	"sort"
	"sync"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// liveAlerts holds the alerts the stand-in produces while it runs (the
// active-responses.log alerts of executed active responses) and serves them
// in the daily wazuh-alerts-4.x-* indices together with the generated ones.
// A document whose time is still in the future (the "delete" of a command
// with a timeout) is not visible until the stand-in's clock reaches it, so a
// block ends by itself as it does on a real agent. Safe for concurrent use.
type liveAlerts struct {
	base []search.Index // generated alert indices, sorted by day
	now  func() time.Time

	mu      sync.Mutex
	docs    []liveDoc // sorted by time
	version int
	// cache of the merged indices for (version, visible docs)
	cacheVersion, cacheVisible int
	cache                      []search.Index
}

type liveDoc struct {
	at  time.Time
	doc search.Doc
}

func newLiveAlerts(base []search.Index, now func() time.Time) *liveAlerts {
	return &liveAlerts{base: base, now: now, cacheVersion: -1}
}

// AddAlert implements manager.ARAlertSink.
func (l *liveAlerts) AddAlert(at time.Time, id string, source map[string]any) {
	d := liveDoc{at: at.UTC(), doc: search.NewMapDoc(id, source, alertKind)}
	l.mu.Lock()
	defer l.mu.Unlock()
	i := sort.Search(len(l.docs), func(i int) bool { return l.docs[i].at.After(d.at) })
	l.docs = append(l.docs, liveDoc{})
	copy(l.docs[i+1:], l.docs[i:])
	l.docs[i] = d
	l.version++
}

// visible returns the live documents whose time has come, oldest first.
func (l *liveAlerts) visible() []search.Doc {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	n := sort.Search(len(l.docs), func(i int) bool { return l.docs[i].at.After(now) })
	out := make([]search.Doc, n)
	for i := range n {
		out[i] = l.docs[i].doc
	}
	return out
}

// indices returns the alert indices with the visible live documents merged
// into their day (a new index for a day without generated alerts).
func (l *liveAlerts) indices() []search.Index {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	n := sort.Search(len(l.docs), func(i int) bool { return l.docs[i].at.After(now) })
	if n == 0 {
		return l.base
	}
	if l.cacheVersion == l.version && l.cacheVisible == n {
		return l.cache
	}
	byDay := map[string][]search.Doc{}
	for _, d := range l.docs[:n] {
		name := events.AlertIndexName(d.at)
		byDay[name] = append(byDay[name], d.doc)
	}
	out := make([]search.Index, 0, len(l.base)+len(byDay))
	for _, idx := range l.base {
		if live, ok := byDay[idx.Name]; ok {
			idx.Docs = mergeByTime(idx.Docs, live)
			delete(byDay, idx.Name)
		}
		out = append(out, idx)
	}
	for name, docs := range byDay {
		out = append(out, search.Index{Name: name, Docs: docs, TimeField: "timestamp", TimeOf: events.AlertTime})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	l.cacheVersion, l.cacheVisible, l.cache = l.version, n, out
	return out
}

// mergeByTime merges two time-sorted document lists into a new one.
func mergeByTime(a, b []search.Doc) []search.Doc {
	out := make([]search.Doc, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		if events.AlertTime(b[j]).Before(events.AlertTime(a[i])) {
			out = append(out, b[j])
			j++
		} else {
			out = append(out, a[i])
			i++
		}
	}
	out = append(out, a[i:]...)
	return append(out, b[j:]...)
}

// alertKind maps the fields of live alerts as the wazuh-alerts template
// does; other strings are keywords (its string_as_keyword template).
func alertKind(path string) search.Kind {
	switch {
	case path == "timestamp" || path == "@timestamp":
		return search.KindDate
	case path == "full_log":
		return search.KindText
	case path == "rule.level" || path == "rule.firedtimes":
		return search.KindNumber
	case path == "rule.mail":
		return search.KindBool
	}
	return search.KindKeyword
}
