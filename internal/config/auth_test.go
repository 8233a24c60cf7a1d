package config

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestAuthSettings(t *testing.T) {
	oauth := map[string]string{"AUTH_MODE": "oauth", "OAUTH_ISSUER": "https://kc.example.com/realms/soc", "MCP_PUBLIC_URL": "https://mcp.example.com/mcp"}
	plus := func(a, b map[string]string) map[string]string {
		m := map[string]string{}
		for k, v := range a {
			m[k] = v
		}
		for k, v := range b {
			m[k] = v
		}
		return with(m)
	}
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
	}{
		{"default is bearer on loopback", with(nil), ""},
		{"bearer on all interfaces", with(map[string]string{"MCP_HOST": "0.0.0.0"}), ""},
		{"none on loopback", with(map[string]string{"AUTH_MODE": "none"}), ""},
		{"mode is case-insensitive", with(map[string]string{"AUTH_MODE": "NONE", "MCP_HOST": "localhost"}), ""},
		{"none off loopback", with(map[string]string{"AUTH_MODE": "none", "MCP_HOST": "0.0.0.0"}), "binds only to loopback"},
		{"none with write tools", with(map[string]string{"AUTH_MODE": "none", "WAZUH_READ_ONLY": "false"}), "AUTH_MODE=none serves read tools only"},
		{"none over stdio anywhere", with(map[string]string{"AUTH_MODE": "none", "MCP_HOST": "0.0.0.0", "MCP_TRANSPORT": "stdio"}), ""},
		{"unknown mode", with(map[string]string{"AUTH_MODE": "basic"}), `AUTH_MODE: "basic" is not allowed`},
		{"oauth", plus(oauth, nil), ""},
		{"oauth without issuer", plus(oauth, map[string]string{"OAUTH_ISSUER": ""}), "OAUTH_ISSUER is required"},
		{"oauth with http issuer", plus(oauth, map[string]string{"OAUTH_ISSUER": "http://kc.example.com"}), "must use https"},
		{"oauth with loopback http issuer", plus(oauth, map[string]string{"OAUTH_ISSUER": "http://127.0.0.1:8080/realms/soc"}), ""},
		{"oauth without public url", plus(oauth, map[string]string{"MCP_PUBLIC_URL": ""}), "MCP_PUBLIC_URL is required"},
		{"bad public url", with(map[string]string{"MCP_PUBLIC_URL": "mcp.example.com"}), "MCP_PUBLIC_URL"},
		{"bad key scope", with(map[string]string{"MCP_API_KEY_SCOPE": "admin"}), "MCP_API_KEY_SCOPE"},
		{"ttl too long", with(map[string]string{"AUTH_TOKEN_TTL": "48h"}), "AUTH_TOKEN_TTL"},
		{"ttl not a duration", with(map[string]string{"AUTH_TOKEN_TTL": "soon"}), "AUTH_TOKEN_TTL"},
		{"short secret", with(map[string]string{"AUTH_SECRET_KEY": "short"}), "AUTH_SECRET_KEY must be at least 32"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load("", envOf(tt.env))
			if err == nil {
				err = cfg.Validate()
			}
			if tt.wantErr == "" && err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Fatalf("error %v, want it to mention %q", err, tt.wantErr)
			}
		})
	}
}

func TestAuthEnvValues(t *testing.T) {
	cfg, err := Load("", envOf(with(map[string]string{
		"AUTH_MODE": "oauth", "MCP_API_KEY": "k", "MCP_API_KEY_SCOPE": "write", "AUTH_TOKEN_TTL": "15m",
		"OAUTH_ISSUER": "https://i", "OAUTH_AUDIENCE": "api://a, https://b", "MCP_PUBLIC_URL": "https://m/mcp",
		"OAUTH_READ_SCOPE": "r", "OAUTH_WRITE_SCOPE": "w", "WAZUH_MCP_DATA_DIR": "/var/lib/wazuh-mcp",
	})))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Auth
	if a.Mode != "oauth" || a.APIKey != "k" || a.APIKeyScope != "write" || a.TokenTTL != 15*time.Minute ||
		a.OAuth.Issuer != "https://i" || len(a.OAuth.Audience) != 2 || a.OAuth.Audience[1] != "https://b" ||
		a.PublicURL != "https://m/mcp" || a.OAuth.ReadScope != "r" || a.OAuth.WriteScope != "w" {
		t.Fatalf("%+v", a)
	}
	if d, err := cfg.DataDirectory(); err != nil || d != "/var/lib/wazuh-mcp" {
		t.Fatalf("data dir %q %v", d, err)
	}
	def := Defaults()
	if def.Auth.Mode != "bearer" || def.Auth.APIKeyScope != "read" || def.Auth.TokenTTL != time.Hour {
		t.Fatalf("defaults %+v", def.Auth)
	}
	t.Setenv("XDG_DATA_HOME", "/xdg")
	if d, err := def.DataDirectory(); err != nil || !strings.HasSuffix(d, "wazuh-mcp") || !filepath.IsAbs(d) {
		t.Fatalf("default data dir %q %v", d, err)
	}
}
