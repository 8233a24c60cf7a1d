package audit

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestRedactArguments(t *testing.T) {
	long := strings.Repeat("a", 3000)
	tests := []struct {
		name string
		in   string
		want string // exact output; "" means nil
	}{
		{"empty", ``, ""},
		{"null", ` null `, ""},
		{"plain values kept", `{"ip":"1.2.3.4","limit":50,"include_ip":true,"x":null}`, `{"include_ip":true,"ip":"1.2.3.4","limit":50,"x":null}`},
		{"secret keys redacted", `{"password":"x","api_key":"k","Token":{"a":1},"webhook":"https://h/s","ip":"1.2.3.4"}`,
			`{"Token":"[redacted]","api_key":"[redacted]","ip":"1.2.3.4","password":"[redacted]","webhook":"[redacted]"}`},
		{"nested secret key", `{"config":{"auth":{"client_secret":"s","user":"u"}}}`, `{"config":{"auth":{"client_secret":"[redacted]","user":"u"}}}`},
		{"null under a secret key stays null", `{"password":null}`, `{"password":null}`},
		{"secrets inside strings scrubbed", `{"q":"login password=hunter2 ok","h":"Authorization: Bearer abcdefghijkl"}`,
			`{"h":"Authorization: [redacted]","q":"login password=[redacted] ok"}`},
		{"numbers kept exactly", `{"n":12345678901234567890,"f":1.50}`, `{"f":1.50,"n":12345678901234567890}`},
		{"invalid JSON", `{"a":`, `{"_audit_note":"arguments are not valid JSON (5 bytes); not recorded"}`},
		{"trailing garbage", `{"a":1} x`, `{"_audit_note":"arguments are not valid JSON (9 bytes); not recorded"}`},
		{"caller cannot forge the note", `{"_audit_note":"all fine"}`, `{"_audit_note_from_caller":"all fine"}`},
		{"non-object kept", `["a","password=x"]`, `["a","password=[redacted]"]`},
		{"long string cut", `{"s":"` + long + `"}`,
			`{"_audit_note":"arguments of 3008 bytes shortened: 0 value(s) over the 16384-byte limit omitted, 0 nested deeper than 10 omitted, 1 string(s) cut at 1024 bytes","s":"` + long[:1024] + `…[3000 bytes]"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactArguments(json.RawMessage(tt.in))
			if string(got) != tt.want {
				t.Fatalf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestRedactArgumentsBounds(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 30) + `1` + strings.Repeat(`}`, 30)
	var b strings.Builder
	b.WriteString(`{`)
	for i := range 100 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%03d":%q`, i, strings.Repeat("v", 900))
	}
	b.WriteString(`}`)
	many := b.String()
	tests := []struct {
		name     string
		in       string
		wantNote string
		check    func(t *testing.T, v map[string]any)
	}{
		{"deep nesting cut", deep, "1 nested deeper than 10", func(t *testing.T, v map[string]any) {
			d := 0
			var cur any = v
			for {
				m, ok := cur.(map[string]any)
				if !ok {
					break
				}
				cur, d = m["a"], d+1
			}
			if d != 10 || cur != "[nested too deep]" {
				t.Fatalf("depth %d ending in %v, want 10 levels then the marker", d, cur)
			}
		}},
		{"size bounded", many, "over the 16384-byte limit omitted", func(t *testing.T, v map[string]any) {
			if _, ok := v["k000"]; !ok {
				t.Fatal("the first keys (sorted) must be kept")
			}
			if _, ok := v["k099"]; ok {
				t.Fatal("the last keys must be dropped")
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := RedactArguments(json.RawMessage(tt.in))
			if len(got) > maxArgBytes {
				t.Fatalf("%d bytes, over %d", len(got), maxArgBytes)
			}
			var v map[string]any
			if err := json.Unmarshal(got, &v); err != nil {
				t.Fatal(err)
			}
			if note, _ := v[noteKey].(string); !strings.Contains(note, tt.wantNote) {
				t.Fatalf("note %q, want it to say %q", note, tt.wantNote)
			}
			tt.check(t, v)
		})
	}
}

func FuzzRedactArguments(f *testing.F) {
	for _, s := range []string{
		`{"password":"x","ip":"1.2.3.4"}`, `{"a":[1,2,{"token":"t"}]}`, `[`, `"s"`, `null`, `{"_audit_note":1}`,
		`{"q":"Bearer abcdefghijklmnop eyJhbGciOi.eyJzdWIiOi.sig"}`, strings.Repeat(`[`, 40) + strings.Repeat(`]`, 40),
		`{"s":"` + strings.Repeat("<&>\u2028", 400) + `"}`, `{"n":1e999999}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		got := RedactArguments(in)
		if got == nil {
			return
		}
		if !json.Valid(got) {
			t.Fatalf("invalid JSON out: %s", got)
		}
		if len(got) > maxArgBytes {
			t.Fatalf("%d bytes out, over %d", len(got), maxArgBytes)
		}
		if strings.Contains(string(got), "hunter2") && strings.Contains(string(in), `"password":"hunter2"`) {
			t.Fatalf("a password under a secret key survived: %s", got)
		}
	})
}
