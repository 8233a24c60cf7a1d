// Package wql implements the Wazuh API query language, the `q` parameter of
// the Manager REST API: `field OP value` comparisons joined with `;` (AND)
// and `,` (OR), grouped with parentheses. Parse builds an AST; Expr.Match
// evaluates it over an item decoded from JSON (map[string]any).
//
// Semantics follow Wazuh 4.x, which translates q into SQL:
//   - `;` binds tighter than `,` (SQL AND over OR): "a=1,b=2;c=3" is a=1 OR (b=2 AND c=3).
//   - operators: `=` equal, `!=` not equal, `<` less, `>` greater, `~` like
//     (case-insensitive substring, as SQLite LIKE '%v%').
//   - field names are `[\w.]+`; dots address nested objects ("os.name").
//   - values run until an unescaped `,` `;` or a `)` that closes a group;
//     they may contain spaces, balanced "(...)" and "[...]" (inside brackets
//     `,` and `;` are literal, as in Wazuh's value regex). A backslash escapes
//     the next character (`\,` `\;` `\(` `\)` `\\`).
//
// Comparisons are typed by the item's value: numbers compare numerically,
// date strings compare as instants, the rest as strings. Array values match
// when any element matches.
package wql

import "fmt"

// Error codes of the real API, so callers can build the matching problem.
const (
	CodeBadFormat   = 1407 // "Query does not match expected format"
	CodeBadOperator = 1409 // "Invalid query operator"
)

// Error is a parse failure: the Wazuh error code, a reason and the byte
// offset in the query where parsing stopped.
type Error struct {
	Code   int
	Reason string
	Pos    int
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s (at offset %d)", e.Reason, e.Pos)
}

// Op is a comparison operator.
type Op string

// The operators the real API accepts.
const (
	OpEq   Op = "="
	OpNe   Op = "!="
	OpLt   Op = "<"
	OpGt   Op = ">"
	OpLike Op = "~"
)

// Expr is a node of the parsed query.
type Expr interface {
	// Match reports whether item satisfies the expression.
	Match(item map[string]any) bool
	// String renders the expression in canonical q syntax (fully
	// parenthesised), which keeps tests and error messages readable.
	String() string
}

// And is true when both sides are.
type And struct{ L, R Expr }

// Or is true when either side is.
type Or struct{ L, R Expr }

// Cmp compares one field with a literal value.
type Cmp struct {
	Field string
	Op    Op
	Value string
}

func (a *And) Match(item map[string]any) bool { return a.L.Match(item) && a.R.Match(item) }
func (o *Or) Match(item map[string]any) bool  { return o.L.Match(item) || o.R.Match(item) }
func (a *And) String() string                 { return "(" + a.L.String() + ";" + a.R.String() + ")" }
func (o *Or) String() string                  { return "(" + o.L.String() + "," + o.R.String() + ")" }
func (c *Cmp) String() string                 { return c.Field + string(c.Op) + escapeValue(c.Value) }

// Fields lists the field names an expression refers to, in order of
// appearance, so servers can reject unknown fields as the real API does.
func Fields(e Expr) []string {
	switch n := e.(type) {
	case *And:
		return append(Fields(n.L), Fields(n.R)...)
	case *Or:
		return append(Fields(n.L), Fields(n.R)...)
	case *Cmp:
		return []string{n.Field}
	}
	return nil
}

func escapeValue(v string) string {
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); i++ {
		switch v[i] {
		case ',', ';', '(', ')', '[', ']', '\\':
			out = append(out, '\\')
		default:
			// A leading operator byte would be read as part of the operator.
			if i == 0 && isOpByte(v[i]) {
				out = append(out, '\\')
			}
		}
		out = append(out, v[i])
	}
	return string(out)
}
