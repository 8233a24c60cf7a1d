package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestHTTPSettings(t *testing.T) {
	dir := t.TempDir()
	cert := filepath.Join(dir, "c.pem")
	os.WriteFile(cert, []byte("x"), 0o600)
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string
		check   func(*Config) bool
	}{
		{"defaults", with(nil), "", func(c *Config) bool {
			return c.HTTP.MaxSessions == 1000 && c.HTTP.RateLimit.PerMinute == 300 && c.HTTP.RateLimit.AuthFailuresPerMinute == 10 &&
				c.HTTP.ShutdownTimeout == 30*time.Second && !c.HTTP.MetricsAuth && !c.TLSEnabled()
		}},
		{"env applied", with(map[string]string{"RATE_LIMIT_PER_MINUTE": "30", "RATE_LIMIT_BURST": "5", "RATE_LIMIT_IP_PER_MINUTE": "0",
			"AUTH_FAILURES_PER_MINUTE": "3", "MAX_SESSIONS": "7", "METRICS_AUTH": "true", "TRUSTED_PROXIES": "10.0.0.0/8, 192.0.2.1",
			"ALLOWED_HOSTS": "mcp.example.com", "SHUTDOWN_TIMEOUT": "5s", "TLS_CERT_FILE": cert, "TLS_KEY_FILE": cert}), "", func(c *Config) bool {
			h := c.HTTP
			return h.RateLimit == RateLimit{30, 5, 0, 3} && h.MaxSessions == 7 && h.MetricsAuth && len(h.TrustedProxies) == 2 &&
				h.AllowedHosts[0] == "mcp.example.com" && h.ShutdownTimeout == 5*time.Second && c.TLSEnabled()
		}},
		{"cert without key", with(map[string]string{"TLS_CERT_FILE": cert}), "TLS_CERT_FILE (--tls-cert) and TLS_KEY_FILE (--tls-key) go together", nil},
		{"missing cert file", with(map[string]string{"TLS_CERT_FILE": "/nonexistent.pem", "TLS_KEY_FILE": cert}), "TLS_CERT_FILE (--tls-cert): cannot read", nil},
		{"bad proxy", with(map[string]string{"TRUSTED_PROXIES": "10.0.0.0/33"}), `TRUSTED_PROXIES: "10.0.0.0/33"`, nil},
		{"host with scheme", with(map[string]string{"ALLOWED_HOSTS": "https://mcp.example.com"}), "ALLOWED_HOSTS", nil},
		{"negative rate", with(map[string]string{"RATE_LIMIT_PER_MINUTE": "-1"}), "RATE_LIMIT_PER_MINUTE: -1 is out of range", nil},
		{"zero burst", with(map[string]string{"RATE_LIMIT_BURST": "0"}), "RATE_LIMIT_BURST", nil},
		{"shutdown too long", with(map[string]string{"SHUTDOWN_TIMEOUT": "1h"}), "SHUTDOWN_TIMEOUT", nil},
		{"shutdown too short", with(map[string]string{"SHUTDOWN_TIMEOUT": "500ms"}), "SHUTDOWN_TIMEOUT: 500ms is out of range (1s-10m)", nil},
		{"stdio ignores http settings", with(map[string]string{"MCP_TRANSPORT": "stdio", "TLS_CERT_FILE": cert}), "", func(c *Config) bool { return true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Load("", envOf(tt.env))
			if err == nil {
				err = cfg.Validate()
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || !tt.check(&cfg) {
				t.Fatalf("err %v, config %+v", err, cfg.HTTP)
			}
		})
	}
}
