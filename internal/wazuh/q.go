package wazuh

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
)

// Q builds a Wazuh API `q` filter (the WQL of GET /agents?q=…, /syscollector/…?q=…)
// from typed parts, so user text can never become query syntax.
//
// The language, as parsed by the framework (framework/wazuh/core/utils.py,
// WazuhDBQuery.query_regex), is `field op value` terms joined by `;` (AND) and
// `,` (OR), grouped with `(` `)`, with operators = != < > ~ (LIKE). It has no
// escape character: a backslash is an ordinary value character. So instead of
// escaping, Q accepts exactly the values the parser reads back as one literal:
// letters, digits, `_`, space and - . : ? \ / ' " = @ % < > { } [ ], not
// starting with = < or >, and not the word "null" (which the framework turns
// into IS NULL). Anything else (`,` `;` `(` `)` `!` `~` `&` `+` `#` `*` `|` …) is
// refused with ErrInvalidQuery; use the endpoint's `search` parameter for
// free text. Notes on semantics the server applies to accepted values: with
// ~ the value is matched with SQL LIKE, so % and _ are wildcards; a ' or " is
// turned into a single-character wildcard by the framework.
//
// The zero Q is "no filter".
type Q struct {
	op    string // "" for a term, ";" (AND) or "," (OR) for a group
	field string
	cmp   string
	value string
	kids  []Q
	err   error
}

// qField is the field name syntax of the framework regex ([\w.]+, ASCII here).
var qField = regexp.MustCompile(`^[A-Za-z0-9_.]+$`)

// Eq is field=value.
func Eq(field, value string) Q { return term(field, "=", value) }

// Ne is field!=value.
func Ne(field, value string) Q { return term(field, "!=", value) }

// Lt is field<value.
func Lt(field, value string) Q { return term(field, "<", value) }

// Gt is field>value.
func Gt(field, value string) Q { return term(field, ">", value) }

// Like is field~value (SQL LIKE %value%).
func Like(field, value string) Q { return term(field, "~", value) }

// And joins filters with AND; zero filters are skipped.
func And(qs ...Q) Q { return group(";", qs) }

// Or joins filters with OR; zero filters are skipped.
func Or(qs ...Q) Q { return group(",", qs) }

// AnyOf is Or(Eq(field, v) for each value); it is the zero Q for no values.
func AnyOf(field string, values ...string) Q {
	qs := make([]Q, len(values))
	for i, v := range values {
		qs[i] = Eq(field, v)
	}
	return Or(qs...)
}

func term(field, cmp, value string) Q {
	q := Q{field: field, cmp: cmp, value: value}
	if !qField.MatchString(field) {
		q.err = fmt.Errorf("%w: field name %q must match [A-Za-z0-9_.]+", ErrInvalidQuery, field)
	} else if err := checkQValue(value); err != nil {
		q.err = fmt.Errorf("%w: value %q for field %q: %v", ErrInvalidQuery, value, field, err)
	}
	return q
}

func group(op string, qs []Q) Q {
	var kids []Q
	for _, q := range qs {
		switch {
		case q.IsZero():
		case q.op == op && q.err == nil: // (a;b);c is a;b;c
			kids = append(kids, q.kids...)
		default:
			kids = append(kids, q)
		}
	}
	switch len(kids) {
	case 0:
		return Q{}
	case 1:
		return kids[0]
	}
	g := Q{op: op, kids: kids}
	for _, k := range kids {
		if k.err != nil {
			g.err = k.err
			break
		}
	}
	return g
}

// IsZero reports whether q is the empty filter.
func (q Q) IsZero() bool { return q.op == "" && q.field == "" && q.err == nil }

// Err returns the first construction error (bad field or value), if any.
func (q Q) Err() error { return q.err }

// Build returns the q string, or an error matching ErrInvalidQuery.
func (q Q) Build() (string, error) {
	if q.err != nil {
		return "", q.err
	}
	var b strings.Builder
	q.write(&b)
	return b.String(), nil
}

// String returns the q string, or "" when q is invalid.
func (q Q) String() string {
	s, _ := q.Build()
	return s
}

func (q Q) write(b *strings.Builder) {
	if q.op == "" {
		b.WriteString(q.field)
		b.WriteString(q.cmp)
		b.WriteString(q.value)
		return
	}
	for i, k := range q.kids {
		if i > 0 {
			b.WriteString(q.op)
		}
		if k.op != "" { // a group of the other operator needs parentheses
			b.WriteByte('(')
			k.write(b)
			b.WriteByte(')')
		} else {
			k.write(b)
		}
	}
}

// qValuePunct are the non-word characters the framework regex accepts inside
// a value outside brackets (`,` is only allowed inside [...], `$` not in all
// 4.x versions, `(` `)` only as balanced groups: all three are refused).
const qValuePunct = " -.:?\\/'\"=@%<>{}[]"

// checkQValue reports why value cannot be sent as one literal.
func checkQValue(v string) error {
	switch {
	case v == "":
		return fmt.Errorf("empty value")
	case v == "null":
		return fmt.Errorf(`"null" is read as IS NULL by the Wazuh API`)
	case strings.ContainsAny(v[:1], "=<>"):
		return fmt.Errorf("a value cannot start with %q (it would extend the operator)", v[:1])
	}
	for _, r := range v {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune(qValuePunct, r) {
			continue
		}
		return fmt.Errorf("character %q cannot be expressed in the Wazuh q language, which has no escaping; use the search parameter for free text", r)
	}
	return nil
}
