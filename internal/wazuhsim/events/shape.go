package events

import "strings"

// fieldKind says how a field is written to _source and how the alerts index
// template maps it, which decides the Go type Values returns.
type fieldKind uint8

const (
	kKeyword    fieldKind = iota // JSON string, keyword: string
	kNumber                      // JSON number, long/double: float64
	kNumKeyword                  // JSON number mapped as keyword (syscheck.inode_after): string
	kDate                        // JSON string, date: time.Time
	kList                        // JSON array of strings (stored comma-joined), keyword: strings
)

// fieldSrc says where a field's value comes from. Values that are the same
// for every alert of a shape or agent are not stored per alert, which keeps a
// million alerts small.
type fieldSrc uint8

const (
	srcStored    fieldSrc = iota // alert.vals[slot]
	srcConst                     // field.c
	srcAgentName                 // the agent's name (win.system.computer)
	srcWinTime                   // the alert time as win.system.systemTime
)

// field is one leaf of an alert outside the fixed top-level fields.
type field struct {
	path string
	kind fieldKind
	src  fieldSrc
	c    string
	slot int
}

// shape is what all alerts of one kind of event share: decoder, location,
// which data/syscheck fields they carry and how full_log reads.
type shape struct {
	name          string
	decoderName   string
	decoderParent string
	program       string // predecoder.program_name; "" for events without a syslog header
	location      string // literal, or one of the loc* codes resolved per agent
	input         bool   // input.type "log" (log collector events; not FIM or API events)
	emptyPre      bool   // write an empty predecoder object, as non-syslog log events have
	fields        []field
	slots         int
	byPath        map[string]int // path -> index in fields
	render        func(a *alert, b *strings.Builder)
	desc          func(a *alert) string // expands $(field) in the rule description
}

// Location codes resolved per agent platform.
const (
	locAuth   = "$auth"   // /var/log/auth.log or /var/log/secure
	locSyslog = "$syslog" // /var/log/syslog or /var/log/messages
)

// stored, constant and derived field constructors keep shape tables short.
func sf(path string) field               { return field{path: path} }
func sfk(path string, k fieldKind) field { return field{path: path, kind: k} }
func cf(path, v string) field            { return field{path: path, src: srcConst, c: v} }

// newShape indexes the fields and assigns storage slots.
func newShape(s shape) *shape {
	s.byPath = make(map[string]int, len(s.fields))
	for i := range s.fields {
		if s.fields[i].src == srcStored {
			s.fields[i].slot = s.slots
			s.slots++
		}
		s.byPath[s.fields[i].path] = i
	}
	return &s
}

// slot returns the storage slot of a stored field; it panics on a typo in a
// generator, which tests catch.
func (s *shape) slot(path string) int {
	i, ok := s.byPath[path]
	if !ok || s.fields[i].src != srcStored {
		panic("events: shape " + s.name + " has no stored field " + path)
	}
	return s.fields[i].slot
}
