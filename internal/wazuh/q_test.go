package wazuh

import (
	"errors"
	"regexp"
	"strings"
	"testing"
)

// wqlOracle mirrors the Wazuh framework's q parser (WazuhDBQuery.query_regex in
// framework/wazuh/core/utils.py, 4.14): `(`* field op value `)`* separator.
// Python's Unicode \w is approximated by \p{L}\p{Nd}_, a subset of it.
var wqlOracle = func() *regexp.Regexp {
	const w = `\p{L}\p{Nd}_`
	inBr := `[\[\]` + w + ` _\-.,:?\\/'"=@%<>{}]`
	plain := `[\[\]` + w + ` _\-.:?\\/'"=@%<>{}$]`
	group := `\((?:\[` + inBr + `*]|` + plain + `*)\)`
	val := `((?:(?:` + group + `)*(?:\[` + inBr + `*]|` + plain + `+)(?:` + group + `)*)+)`
	return regexp.MustCompile(`(\(+)?([` + w + `.]+)([=!<>~]{1,2})` + val + `(\)+)?([,;])?`)
}()

type wqlTerm struct{ open, field, op, value, close, sep string }

// parseWQL splits q like the framework does and reports whether the whole
// string was consumed by valid terms (the framework silently skips the rest).
func parseWQL(q string) ([]wqlTerm, bool) {
	var terms []wqlTerm
	pos := 0
	for _, m := range wqlOracle.FindAllStringSubmatchIndex(q, -1) {
		if m[0] != pos {
			return terms, false
		}
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return q[m[2*i]:m[2*i+1]]
		}
		t := wqlTerm{g(1), g(2), g(3), g(4), g(5), g(6)}
		switch t.op {
		case "=", "!=", "<", ">", "~":
		default:
			return terms, false
		}
		terms = append(terms, t)
		pos = m[1]
	}
	return terms, pos == len(q) && len(terms) > 0
}

func TestQBuild(t *testing.T) {
	tests := []struct {
		name string
		q    Q
		want string
	}{
		{"zero", Q{}, ""},
		{"eq", Eq("status", "active"), "status=active"},
		{"ops", And(Ne("a", "1"), Lt("b", "2"), Gt("c", "3"), Like("d", "x")), "a!=1;b<2;c>3;d~x"},
		{"nested", And(Eq("status", "active"), Or(Like("os.name", "ubuntu"), Like("os.name", "debian"))),
			"status=active;(os.name~ubuntu,os.name~debian)"},
		{"flatten same op", And(And(Eq("a", "1"), Eq("b", "2")), Eq("c", "3")), "a=1;b=2;c=3"},
		{"skip zero", And(Q{}, Eq("a", "1"), Or()), "a=1"},
		{"anyof", AnyOf("id", "001", "002"), "id=001,id=002"},
		{"windows path", Eq("file", `C:\Windows\System32\cmd.exe`), `file=C:\Windows\System32\cmd.exe`},
		{"spaces and symbols", Eq("name", "Ubuntu 22.04 LTS @x/y:z?{a}[b]%"), "name=Ubuntu 22.04 LTS @x/y:z?{a}[b]%"},
		{"unicode letters", Eq("name", "Müller-서버"), "name=Müller-서버"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.q.Build()
			if err != nil || got != tt.want {
				t.Fatalf("Build() = %q, %v; want %q", got, err, tt.want)
			}
			if got == "" {
				return
			}
			if _, ok := parseWQL(got); !ok {
				t.Fatalf("oracle cannot parse %q", got)
			}
		})
	}
}

func TestQRefusesOperatorInjection(t *testing.T) {
	values := []string{
		"a,b", "x;status=active", "web)", "(web", "a!b", "a~b", "=x", "<x", ">x", "null", "",
		"a\nb", "a\tb", "a&b", "a|b", "a*b", "a+b", "a#b", "a$b", "é\u0301", "a\x00b",
	}
	for _, v := range values {
		q := Eq("name", v)
		if _, err := q.Build(); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("value %q accepted: %v", v, err)
		}
		if q.String() != "" {
			t.Errorf("String() of invalid q is %q", q.String())
		}
		// An invalid part poisons the whole expression.
		if _, err := And(Eq("status", "active"), q).Build(); err == nil {
			t.Errorf("And with %q accepted", v)
		}
	}
	for _, f := range []string{"", "os name", "a;b", "a=b", "a-b", "ä"} {
		if _, err := Eq(f, "x").Build(); !errors.Is(err, ErrInvalidQuery) {
			t.Errorf("field %q accepted", f)
		}
	}
}

var qOps = []func(string, string) Q{Eq, Ne, Lt, Gt, Like}
var qOpNames = []string{"=", "!=", "<", ">", "~"}

// FuzzQValue: any value either is refused, or round-trips through the
// framework's parser as exactly one literal of one term, alone and inside a
// compound expression (no operator or separator injection).
func FuzzQValue(f *testing.F) {
	for _, s := range []string{"active", "a,b", "x;y=1", "(a)", "C:\\x", "[a,b]", "a=b", "=", "null", "Ünïcödé 1.2", "a)b", "]", "[", "%_"} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, value string, op uint8) {
		i := int(op) % len(qOps)
		q := qOps[i]("name", value)
		s, err := q.Build()
		if err != nil {
			if !errors.Is(err, ErrInvalidQuery) {
				t.Fatalf("error %v does not match ErrInvalidQuery", err)
			}
			return
		}
		terms, ok := parseWQL(s)
		if !ok || len(terms) != 1 {
			t.Fatalf("q %q parsed as %+v (complete=%v)", s, terms, ok)
		}
		if tm := terms[0]; tm.field != "name" || tm.op != qOpNames[i] || tm.value != value || tm.open != "" || tm.close != "" || tm.sep != "" {
			t.Fatalf("q %q parsed as %+v, want one literal %q", s, tm, value)
		}
		compound, err := And(Eq("status", "active"), Or(q, Ne("id", "000"))).Build()
		if err != nil {
			t.Fatal(err)
		}
		terms, ok = parseWQL(compound)
		if !ok || len(terms) != 3 || terms[1].value != value || terms[1].open != "(" || terms[0].sep != ";" || terms[1].sep != "," ||
			terms[2].close != ")" || terms[2].value != "000" {
			t.Fatalf("compound %q parsed as %+v", compound, terms)
		}
	})
}

func TestQOracleAgreesWithFrameworkExamples(t *testing.T) {
	// Sanity of the oracle itself on queries from the Wazuh documentation.
	for _, q := range []string{"status=active", "(name!=wazuh;id>5),group=webserver", "os.platform~ubuntu;status=active"} {
		if _, ok := parseWQL(q); !ok {
			t.Errorf("oracle rejects %q", q)
		}
	}
	terms, _ := parseWQL("name=a,b")
	if len(terms) != 1 || terms[0].sep != "," || !strings.HasPrefix(terms[0].value, "a") {
		t.Errorf("a comma must end a value: %+v", terms)
	}
}
