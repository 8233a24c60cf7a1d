package wql

import "testing"

// FuzzParse checks that Parse never panics and that every accepted query
// renders to a canonical form that parses back to the same form.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"status=active", "a=1,b=2;c=3", "(a=1,b=2);c=3", `name=a\,b`, "reg=[a,b]",
		"cmd=foo(bar)", "a==1", "((", "x~", "os.name~ubuntu;os.version>20",
	} {
		f.Add(s)
	}
	item := map[string]any{"a": "1", "b": float64(2), "os": map[string]any{"name": "x"}}
	f.Fuzz(func(t *testing.T, q string) {
		e, err := Parse(q)
		if err != nil {
			return
		}
		_ = e.Match(item)
		again, err := Parse(e.String())
		if err != nil {
			t.Fatalf("canonical form %q of %q does not parse: %v", e.String(), q, err)
		}
		if again.String() != e.String() {
			t.Fatalf("round trip changed %q to %q", e.String(), again.String())
		}
	})
}
