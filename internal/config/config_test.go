package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func envOf(m map[string]string) Source {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

var validEnv = map[string]string{"WAZUH_HOST": "wazuh.example.com", "WAZUH_USER": "wazuh-wui", "WAZUH_PASS": "s3cret"}

func with(extra map[string]string) map[string]string {
	m := map[string]string{}
	for k, v := range validEnv {
		m[k] = v
	}
	for k, v := range extra {
		if v == "<unset>" {
			delete(m, k)
			continue
		}
		m[k] = v
	}
	return m
}

func TestEnvAndValidate(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // substring; "" = valid
		wantURL string
	}{
		{"defaults", with(nil), "", "https://wazuh.example.com:55000"},
		{"scheme given", with(map[string]string{"WAZUH_HOST": "http://127.0.0.1"}), "", "http://127.0.0.1:55000"},
		{"port in url wins", with(map[string]string{"WAZUH_HOST": "https://w:1234", "WAZUH_PORT": "9"}), "", "https://w:1234"},
		{"port setting", with(map[string]string{"WAZUH_PORT": "8443"}), "", "https://wazuh.example.com:8443"},
		{"ipv6", with(map[string]string{"WAZUH_HOST": "[::1]"}), "", "https://[::1]:55000"},
		{"missing host", with(map[string]string{"WAZUH_HOST": "<unset>"}), "WAZUH_HOST is required", ""},
		{"missing pass", with(map[string]string{"WAZUH_PASS": "<unset>"}), "WAZUH_USER and WAZUH_PASS are required", ""},
		{"bad port", with(map[string]string{"WAZUH_PORT": "abc"}), `WAZUH_PORT: "abc" is not a port number`, ""},
		{"bad scheme", with(map[string]string{"WAZUH_HOST": "ftp://x"}), "WAZUH_HOST: scheme \"ftp\" is not allowed", ""},
		{"creds in url", with(map[string]string{"WAZUH_HOST": "https://u:p@x"}), "credentials in the URL", ""},
		{"path in url", with(map[string]string{"WAZUH_HOST": "https://x/api"}), "must not have a path", ""},
		{"bad bool", with(map[string]string{"WAZUH_VERIFY_SSL": "maybe"}), `WAZUH_VERIFY_SSL: "maybe" is not a boolean`, ""},
		{"indexer without creds", with(map[string]string{"WAZUH_INDEXER_HOST": "idx"}), "WAZUH_INDEXER_USER and WAZUH_INDEXER_PASS are required", ""},
		{"bad transport", with(map[string]string{"MCP_TRANSPORT": "grpc"}), `MCP_TRANSPORT (--transport): "grpc" is not allowed`, ""},
		{"bad log level", with(map[string]string{"LOG_LEVEL": "loud"}), `LOG_LEVEL: "loud" is not allowed`, ""},
		{"timeout range", with(map[string]string{"REQUEST_TIMEOUT_SECONDS": "0"}), "REQUEST_TIMEOUT_SECONDS: 0 is out of range", ""},
		{"max alerts", with(map[string]string{"MAX_ALERTS_PER_QUERY": "20000"}), "MAX_ALERTS_PER_QUERY: 20000 is out of range", ""},
		{"bad origin", with(map[string]string{"ALLOWED_ORIGINS": "soc.example.com"}), "ALLOWED_ORIGINS", ""},
		{"missing ca", with(map[string]string{"WAZUH_CA_BUNDLE": "/nonexistent/ca.pem"}), "WAZUH_CA_BUNDLE: cannot read", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load("", envOf(tt.env))
			if err == nil {
				err = cfg.Validate()
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want it to contain %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			u, _ := cfg.WazuhURL()
			if u.String() != tt.wantURL {
				t.Fatalf("WazuhURL = %s, want %s", u, tt.wantURL)
			}
		})
	}
}

func TestVerifySSLDefaultsOn(t *testing.T) {
	cfg, _ := Load("", envOf(with(nil)))
	if !cfg.Wazuh.Verify() || !cfg.Indexer.Verify() {
		t.Fatal("TLS verification must default to on")
	}
	cfg, _ = Load("", envOf(with(map[string]string{"WAZUH_VERIFY_SSL": "false"})))
	if cfg.Wazuh.Verify() {
		t.Fatal("WAZUH_VERIFY_SSL=false not applied")
	}
}

func TestFileThenEnv(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte("wazuh:\n  host: file-host\n  user: u\n  password: p\nmax_alerts_per_query: 50\n"), 0o600)
	cfg, err := Load(path, envOf(map[string]string{"WAZUH_HOST": "env-host"}))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Wazuh.Host != "env-host" || cfg.MaxAlertsPerQuery != 50 || cfg.Wazuh.User != "u" {
		t.Fatalf("precedence wrong: %+v", cfg)
	}
	os.WriteFile(path, []byte("wazuh:\n  host: h\n  user: u\n  password: p\ntools:\n  max_result_kib: 0\n"), 0o600)
	cfg, err = Load(path, envOf(nil))
	if err != nil || cfg.Validate() == nil || !strings.Contains(cfg.Validate().Error(), "tools.max_result_kib") {
		t.Fatalf("max_result_kib 0 not refused: %v", err)
	}
	os.WriteFile(path, []byte("wazuh:\n  hots: typo\n"), 0o600)
	if _, err := Load(path, envOf(nil)); err == nil || !strings.Contains(err.Error(), "hots") {
		t.Fatalf("unknown key error = %v", err)
	}
}

func TestIsLoopback(t *testing.T) {
	for h, want := range map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true, "[::1]": true, "127.5.5.5": true, "0.0.0.0": false, "10.0.0.1": false, "example.com": false} {
		if IsLoopback(h) != want {
			t.Errorf("IsLoopback(%q) = %v", h, !want)
		}
	}
}
