package wql

import (
	"errors"
	"testing"
)

func TestParseStructure(t *testing.T) {
	tests := []struct {
		q, want string
	}{
		{"status=active", "status=active"},
		{"a=1,b=2;c=3", "(a=1,(b=2;c=3))"},   // ; binds tighter than ,
		{"a=1;b=2,c=3", "((a=1;b=2),c=3)"},   // left to right, AND first
		{"(a=1,b=2);c=3", "((a=1,b=2);c=3)"}, // parentheses override
		{"os.name~ubuntu", "os.name~ubuntu"},
		{"name=Windows Server 2019", "name=Windows Server 2019"},
		{"version!=Wazuh v4.7.0", "version!=Wazuh v4.7.0"},
		{"level>5;level<10", "(level>5;level<10)"},
		{`name=a\,b`, `name=a\,b`},
		{`name=a\;b\\c`, `name=a\;b\\c`},
		{"cmd=foo(bar)", `cmd=foo\(bar\)`},
		{"((id=001))", "id=001"},
		{"reg=[x64]", `reg=\[x64\]`},
		{"reg=[a,b;c]", `reg=\[a\,b\;c\]`},
		{"dateAdd<2024-01-01 10:00:00", "dateAdd<2024-01-01 10:00:00"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.q)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.q, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.q, got, tt.want)
		}
		// The canonical form parses back to itself.
		again, err := Parse(e.String())
		if err != nil || again.String() != e.String() {
			t.Errorf("round trip of %q: %v %v", e.String(), again, err)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		q    string
		code int
	}{
		{"", CodeBadFormat},
		{"status", CodeBadFormat},
		{"status=", CodeBadFormat},
		{"=active", CodeBadFormat},
		{"(status=active", CodeBadFormat},
		{"status=active)", CodeBadFormat},
		{"a=1;", CodeBadFormat},
		{",a=1", CodeBadFormat},
		{"a==1", CodeBadOperator},
		{"a<=1", CodeBadOperator},
		{"a=>1", CodeBadOperator},
		{`a=b\`, CodeBadFormat},
		{"a=[x", CodeBadFormat},
		{"a=f(x", CodeBadFormat},
		{"na me=x", CodeBadFormat},
	}
	for _, tt := range tests {
		_, err := Parse(tt.q)
		var we *Error
		if !errors.As(err, &we) {
			t.Errorf("Parse(%q) err = %v, want *Error", tt.q, err)
			continue
		}
		if we.Code != tt.code {
			t.Errorf("Parse(%q) code = %d, want %d (%v)", tt.q, we.Code, tt.code, err)
		}
	}
}

func TestMatch(t *testing.T) {
	agent := map[string]any{
		"id":            "001",
		"name":          "web-01",
		"status":        "active",
		"group":         []any{"default", "web"},
		"os":            map[string]any{"name": "Ubuntu", "platform": "ubuntu", "version": "22.04"},
		"lastKeepAlive": "2024-05-01T10:00:00+00:00",
		"level":         float64(7),
		"pid":           "1234",
		"server":        []any{map[string]any{"port": float64(1514)}, map[string]any{"port": float64(1515)}},
	}
	tests := []struct {
		q    string
		want bool
	}{
		{"status=active", true},
		{"status=Active", false}, // = is case-sensitive like SQL
		{"status!=active", false},
		{"status!=never_connected", true},
		{"os.name~ubu", true},
		{"os.name~UBU", true},
		{"os.name=Ubuntu;os.version=22.04", true},
		{"os.name=Ubuntu;os.version=20.04", false},
		{"os.name=CentOS,os.version=22.04", true},
		{"group=web", true},
		{"group!=web", false},
		{"group=db", false},
		{"level>5", true},
		{"level>10", false},
		{"level<10", true},
		{"level=7", true},
		{"pid>999", true}, // numeric strings compare as numbers
		{"lastKeepAlive>2024-04-30", true},
		{"lastKeepAlive<2024-04-30 00:00:00", false},
		{"missing=x", false},
		{"missing!=x", true},
		{"server.port=1515", true},
		{"name=db-01,(status=active;level>5)", true},
		{"(name=db-01,status=active);level>8", false},
		{"id=001,id=002;status=never_connected", true},
	}
	for _, tt := range tests {
		e, err := Parse(tt.q)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.q, err)
		}
		if got := e.Match(agent); got != tt.want {
			t.Errorf("%q matched = %v, want %v", tt.q, got, tt.want)
		}
	}
}

func TestFields(t *testing.T) {
	e, err := Parse("(a=1,b.c=2);d~x")
	if err != nil {
		t.Fatal(err)
	}
	got := Fields(e)
	want := []string{"a", "b.c", "d"}
	if len(got) != len(want) {
		t.Fatalf("Fields = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("Fields = %v, want %v", got, want)
		}
	}
}
