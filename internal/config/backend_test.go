package config

import (
	"strings"
	"testing"
	"time"
)

func TestBackendSettings(t *testing.T) {
	tests := []struct {
		name       string
		env        map[string]string
		wantErr    string
		slow, fast time.Duration // what the Manager client receives
		rpm        int
	}{
		{"defaults", with(nil), "", 30 * time.Second, 10 * time.Second, 240},
		{"raised budget", with(map[string]string{"WAZUH_REQUESTS_PER_MINUTE": "1200"}), "", 30 * time.Second, 10 * time.Second, 1200},
		{"fast cache off", with(map[string]string{"WAZUH_FAST_CACHE_TTL": "0s"}), "", 30 * time.Second, -1, 240},
		{"whole cache off", with(map[string]string{"WAZUH_CACHE_TTL": "0", "WAZUH_FAST_CACHE_TTL": "5s"}), "", -1, -1, 240},
		{"budget zero", with(map[string]string{"WAZUH_REQUESTS_PER_MINUTE": "0"}), "WAZUH_REQUESTS_PER_MINUTE: 0 is out of range (1-100000)", 0, 0, 0},
		{"budget not a number", with(map[string]string{"WAZUH_REQUESTS_PER_MINUTE": "fast"}), `WAZUH_REQUESTS_PER_MINUTE: "fast" is not a whole number`, 0, 0, 0},
		{"negative ttl", with(map[string]string{"WAZUH_CACHE_TTL": "-1s"}), "WAZUH_CACHE_TTL is -1s; allowed: 0s to 1h0m0s", 0, 0, 0},
		{"ttl not a duration", with(map[string]string{"WAZUH_FAST_CACHE_TTL": "10"}), `WAZUH_FAST_CACHE_TTL: "10" is not a duration`, 0, 0, 0},
		{"breaker failures", with(map[string]string{"WAZUH_BREAKER_FAILURES": "0"}), "WAZUH_BREAKER_FAILURES: 0 is out of range (1-1000)", 0, 0, 0},
		{"breaker open too short", with(map[string]string{"WAZUH_BREAKER_OPEN": "10ms"}), "WAZUH_BREAKER_OPEN is 10ms; allowed: 1s to 10m0s", 0, 0, 0},
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
				t.Fatal(err)
			}
			slow, fast := cfg.Backend.ClientTTLs()
			if slow != tt.slow || fast != tt.fast || cfg.Backend.RequestsPerMinute != tt.rpm {
				t.Fatalf("client gets slow=%s fast=%s rpm=%d, want %s %s %d", slow, fast, cfg.Backend.RequestsPerMinute, tt.slow, tt.fast, tt.rpm)
			}
		})
	}
}
