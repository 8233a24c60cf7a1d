package wazuh

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// scrubbed reports whether msg is a fixed point of scrubText: no
// credential-shaped text is left in it.
func scrubbed(msg string) bool { return scrubText(msg) == msg }

// FuzzDecodePage: any bytes as a list answer decode to a page or an error,
// never a panic; a page's total covers its items; envelope error 1 is
// always an error; the error text of an API or partial error carries no
// credential-shaped text.
func FuzzDecodePage(f *testing.F) {
	for _, s := range []string{
		`{"data":{"affected_items":[{"id":"001","name":"web","status":"active","ip":"10.0.0.5"}],"total_affected_items":1,"total_failed_items":0,"failed_items":[]},"message":"ok","error":0}`,
		`{"data":{"affected_items":[],"total_affected_items":0,"total_failed_items":1,"failed_items":[{"error":{"code":1701,"message":"Agent does not exist"},"id":["999"]}]},"message":"none","error":1}`,
		`{"data":{"affected_items":[{"id":"001"}],"total_affected_items":1,"failed_items":[{"error":{"code":1707,"message":"token=eyJhbGciOi.eyJzdWIi.sig"},"id":["002",3]}]},"error":2}`,
		`{"data":{"affected_items":null,"total_affected_items":5},"error":0}`,
		`{"error":1,"message":"Bearer abcdef failed"}`,
		`{"data":{"affected_items":{"id":"001"}},"error":0}`, `{"data":"x","error":0}`, `{"error":"1"}`, `{"error":1e400}`,
		`{"data":{"affected_items":[1,"a",null,{}],"total_affected_items":-3},"error":0}`, `{}`, `null`, `[]`, ``, `{"error":0}{"error":1}`,
		`<html>502 Bad Gateway</html>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var head struct {
			Error json.RawMessage `json:"error"`
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		errorOne := dec.Decode(&head) == nil && string(head.Error) == "1"
		check := func(total, items int, err error) {
			if err == nil {
				if errorOne {
					t.Fatalf("envelope error 1 decoded without an error: %q", body)
				}
				if total < items {
					t.Fatalf("total %d < %d items", total, items)
				}
				return
			}
			var ae *APIError
			var pe *PartialError
			if (errors.As(err, &ae) || errors.As(err, &pe)) && !scrubbed(err.Error()) {
				t.Fatalf("error text keeps a credential: %q", err.Error())
			}
		}
		p, err := decodePage[Agent](http.MethodGet, "/agents", body)
		check(p.Total, len(p.Items), err)
		raw, err := decodePage[json.RawMessage](http.MethodGet, "/agents", body)
		check(raw.Total, len(raw.Items), err)
		for _, it := range raw.Items {
			if !json.Valid(it) {
				t.Fatalf("item %q is not JSON", it)
			}
		}
	})
}

// FuzzDecodeProblem: an error answer with any status, content type and
// body becomes an APIError with that status, whose text is valid UTF-8
// when the body is, carries no credential-shaped text, and never
// includes an HTML page; a body that is not problem+json is cut to a
// one-line excerpt.
func FuzzDecodeProblem(f *testing.F) {
	f.Add(401, "application/problem+json", []byte(`{"title":"Unauthorized","detail":"No authorization token provided","error":6002}`))
	f.Add(400, "application/problem+json", []byte(`{"title":"Bad Request","detail":"Requested section not present in configuration","code":1106,"remediation":"see docs"}`))
	f.Add(500, "application/json", []byte(`{"title":"Internal","detail":"password=hunter2 token: eyJhbGciOi.eyJzdWIi.sig https://u:p@h/"}`))
	f.Add(502, "text/html", []byte(`<html><body>Bad gateway at 10.0.0.1</body></html>`))
	f.Add(503, "text/plain", []byte("a"+strings.Repeat("é", 150)))
	f.Add(429, "", []byte("Too many requests\n\nretry later"))
	f.Add(-1, "x", []byte(`{"title":""}`))
	f.Fuzz(func(t *testing.T, status int, ctype string, body []byte) {
		e := decodeProblem(http.MethodGet, "/agents", status, ctype, body)
		if e == nil || e.HTTPStatus != status {
			t.Fatalf("decodeProblem = %+v", e)
		}
		msg := e.Error()
		if !scrubbed(msg) {
			t.Fatalf("error text keeps a credential: %q", msg)
		}
		if utf8.Valid(body) && utf8.ValidString(ctype) && !utf8.ValidString(msg) {
			t.Fatalf("error text is not valid UTF-8: %q", msg)
		}
		var p problem
		isProblem := json.Unmarshal(body, &p) == nil && (p.Title != "" || p.Detail != "")
		if !isProblem {
			if strings.Contains(ctype, "html") && e.Detail != "" {
				t.Fatalf("an HTML page was copied into the error: %q", e.Detail)
			}
			if len(e.Detail) > 200+len("…") || strings.ContainsAny(e.Detail, "\r\n") {
				t.Fatalf("excerpt %q is not one short line", e.Detail)
			}
		}
		if status >= 500 != errors.Is(e, ErrUnavailable) {
			t.Fatalf("status %d: ErrUnavailable = %v", status, errors.Is(e, ErrUnavailable))
		}
	})
}

// FuzzARConf: whatever the Manager returns as its active-response and
// command sections, the derived ar.conf names start with analysisd's
// header, are unique, are each command name + timeout, have a
// non-negative timeout (positive only where the command allows one), and
// come only from enabled blocks whose command is defined.
func FuzzARConf(f *testing.F) {
	f.Add([]byte(`{"active-response":[{"disabled":"no","command":"firewall-drop","location":"local","timeout":"600"},{"command":"host-deny","timeout":"600","disabled":"yes"},{"command":"undefined","timeout":"1"}]}`),
		[]byte(`{"command":[{"name":"firewall-drop","executable":"firewall-drop","timeout_allowed":true},{"name":"host-deny","executable":"host-deny","timeout_allowed":"yes"}]}`))
	f.Add([]byte(`{"active-response":{"command":"disable-account","timeout":300}}`), []byte(`{"command":{"name":"disable-account","executable":"disable-account","timeout_allowed":"yes"}}`))
	f.Add([]byte(`{"active-response":[{"command":"fw1","timeout":"0"},{"command":"fw","timeout":"10"}]}`),
		[]byte(`{"command":[{"name":"fw1","executable":"a","timeout_allowed":"yes"},{"name":"fw","executable":"b","timeout_allowed":"yes"}]}`))
	f.Add([]byte(`{"active-response":[{"command":"x","timeout":"-5"},{"command":"x","timeout":"99999999999999999999"}]}`), []byte(`{"command":[{"name":"x","executable":"x","timeout_allowed":"YES"}]}`))
	f.Add([]byte(`{"active-response":null}`), []byte(`{}`))
	f.Add([]byte(`[]`), []byte(`{"command":"x"}`))
	f.Fuzz(func(t *testing.T, active, command []byte) {
		blocks, err := decodeSection[arBlock]("active-response", active)
		if err != nil {
			return
		}
		defs, err := decodeSection[commandDef]("command", command)
		if err != nil {
			return
		}
		allows := map[string]bool{}
		executable := map[string]map[string]bool{}
		for _, d := range defs {
			if d.Name != "" && d.Executable != "" {
				n := d.Name.String()
				if executable[n] == nil {
					executable[n] = map[string]bool{}
				}
				executable[n][d.Executable.String()] = true
				allows[n] = allows[n] || yesValue(d.TimeoutAllowed)
			}
		}
		enabled := map[string]bool{}
		for _, b := range blocks {
			if !yesValue(b.Disabled) {
				enabled[b.Command.String()] = true
			}
		}
		out := arConf(blocks, defs)
		if len(out) < 2 || out[0].Name != "restart-ossec0" || out[1].Name != "restart-wazuh0" {
			t.Fatalf("ar.conf does not start with the header: %+v", out)
		}
		seen := map[string]bool{}
		for i, c := range out {
			if seen[c.Name] {
				t.Fatalf("name %q twice: %+v", c.Name, out)
			}
			seen[c.Name] = true
			if c.Timeout < 0 || c.Name != c.Command+strconv.Itoa(c.Timeout) {
				t.Fatalf("entry %+v", c)
			}
			if i < 2 {
				continue
			}
			if !enabled[c.Command] || !executable[c.Command][c.Executable] {
				t.Fatalf("entry %+v from a disabled block or an undefined command", c)
			}
			if c.Timeout > 0 && !allows[c.Command] {
				t.Fatalf("entry %+v has a timeout its command does not allow", c)
			}
		}
	})
}
