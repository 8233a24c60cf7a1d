package config

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// typeErrorLine is one line of a type error once its setting is named.
var typeErrorLine = regexp.MustCompile(`^line \d+ \((the top level|[A-Za-z0-9_.\[\]-]+|"(?:[^"\\]|\\.)*")\): `)

func TestConfigFileErrorsNameTheKey(t *testing.T) {
	tests := []struct{ file, want string }{
		{"wazuh:\n  port: abc\n", "line 2 (wazuh.port): cannot unmarshal !!str `abc` into int"},
		{"server:\n  session_timeout: 5x\n", "line 2 (server.session_timeout): cannot unmarshal"},
		{"tools:\n  toolsets:\n    - a\n    - {b: c}\n", "line 4 (tools.toolsets[1]): cannot unmarshal !!map into string"},
		{"wazuh: [1]\n", "line 1 (wazuh): cannot unmarshal !!seq into config.Endpoint"},
		{"wazuh:\n  hots: typo\n", "line 2 (wazuh.hots): field hots not found"},
		{"- 1\n", "line 1 (the top level): cannot unmarshal !!seq into config.Config"},
		{"max_alerts_per_query: {}\nindexer:\n  verify_ssl: maybe\n", "line 3 (indexer.verify_ssl): cannot unmarshal !!str `maybe` into bool"},
		{")x:\n  y: 0\n", `line 1 (")x"): field )x not found`},
	}
	for _, tt := range tests {
		cfg := Defaults()
		err := decodeFile("c.yaml", []byte(tt.file), &cfg)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "config file c.yaml: ") {
			t.Errorf("%q: error %v, want %q", tt.file, err, tt.want)
		}
	}
}

// FuzzConfigFile: any bytes as the config file load or fail with an error
// that names the file and, for every wrong value, the line and the
// setting; never a panic.
func FuzzConfigFile(f *testing.F) {
	for _, s := range []string{
		"wazuh:\n  host: wazuh.example\n  port: 55000\n  user: wazuh-wui\n  password: secret\n  verify_ssl: true\nserver:\n  transport: http\n  session_timeout: 30m\n",
		"tools:\n  toolsets: [alerts, agents]\n  read_only: false\nresponse:\n  max_targets: 3\n",
		"wazuh:\n  port: abc\n", "wazuh: [1]\n", "wazuh:\n  hots: typo\n", "a: &a [*a, *a]\nb: *a\n", "- 1\n", "", "---\n---\n",
		"wazuh:\n  port: 1\n  port: 2\n", "\t\x00", "{", "server: {allowed_origins: {a: b}}\n", "x: !!binary AAAA\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg := Defaults()
		err := decodeFile("c.yaml", data, &cfg)
		if err == nil {
			return
		}
		if !strings.HasPrefix(err.Error(), "config file c.yaml: ") {
			t.Fatalf("error %q does not name the file", err)
		}
		var te *yaml.TypeError
		if errors.As(err, &te) {
			for _, line := range te.Errors {
				if !typeErrorLine.MatchString(line) {
					t.Fatalf("error line %q does not name the setting (file %q)", line, data)
				}
			}
		}
	})
}
