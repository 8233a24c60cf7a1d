package tools

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// plantedSecrets are the secrets in the stand-in's ossec.conf.
var plantedSecrets = []string{dataset.ClusterKey, dataset.VirusTotalAPIKey, dataset.SlackHookURL, dataset.PagerDutyAPIKey}

func assertNoSecret(t *testing.T, where, text string) {
	t.Helper()
	for _, s := range plantedSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s shows the secret %.12s…", where, s)
		}
	}
}

func resultText(t *testing.T, e *env, name string, args map[string]any) string {
	t.Helper()
	res := e.call(t, name, args, nil)
	b, _ := json.Marshal(res)
	return string(b) // content and structuredContent
}

func TestManagerConfigRedactsSecretsByDefault(t *testing.T) {
	e := newEnv(t)
	var out ManagerConfig
	e.call(t, "get_manager_config", nil, &out)
	b, _ := json.Marshal(out)
	assertNoSecret(t, "get_manager_config", string(b))
	for _, p := range []string{"cluster.key", "integration[0].api_key", "integration[1].hook_url", "integration[2].api_key"} {
		if !slices.Contains(out.Redacted, p) {
			t.Errorf("redacted = %v, missing %s", out.Redacted, p)
		}
	}
	cfg := e.sim.Dataset.Manager.Config
	global := out.Config["global"].(map[string]any)
	if global["email_to"] != cfg["global"].(dataset.Item)["email_to"] || global["email_to"] == nil {
		t.Fatalf("global.email_to = %v", global["email_to"])
	}
	auth := out.Config["auth"].(map[string]any)
	if auth["use_password"] != "no" || auth["ssl_manager_key"] != "etc/sslmanager.key" {
		t.Fatalf("switches and key file paths must stay visible: %v", auth)
	}
	if len(out.Notes) == 0 || !strings.Contains(out.Notes[0], "WAZUH_ALLOW_SENSITIVE_CONFIG") {
		t.Fatalf("notes = %v", out.Notes)
	}
	for section := range cfg {
		if !slices.Contains(configSections, section) {
			continue
		}
		assertNoSecret(t, "section "+section, resultText(t, e, "get_manager_config", map[string]any{"section": section}))
	}
	var one ManagerConfig
	e.call(t, "get_manager_config", map[string]any{"section": "cluster", "field": "key"}, &one)
	if one.Config["cluster"].(map[string]any)["key"] != redactedValue || !slices.Equal(one.Redacted, []string{"cluster.key"}) {
		t.Fatalf("cluster.key: %+v", one)
	}
}

// TestNoToolShowsPlantedSecrets calls every read tool of the catalogue.
func TestNoToolShowsPlantedSecrets(t *testing.T) {
	e := newEnv(t)
	args := map[string]any{"agent_id": "001", "query": "key", "indicator": "hooks.slack.com", "rule_id": "5710", "policy_id": "cis_ubuntu22-04"}
	for _, tool := range Catalogue(Deps{}) {
		if tool.Write {
			continue
		}
		assertNoSecret(t, tool.Def.Name, resultText(t, e, tool.Def.Name, args))
	}
}

func TestManagerConfigShowsSecretsWhenAllowed(t *testing.T) {
	e := newEnvOn(t, sharedSim(t), func(d *Deps) { d.AllowSensitiveConfig = true })
	var out ManagerConfig
	e.call(t, "get_manager_config", nil, &out)
	b, _ := json.Marshal(out)
	for _, s := range plantedSecrets {
		if !strings.Contains(string(b), s) {
			t.Errorf("secret %.12s… hidden although AllowSensitiveConfig is set", s)
		}
	}
	if len(out.Redacted) != 0 || !strings.Contains(strings.Join(out.Notes, " "), "WAZUH_ALLOW_SENSITIVE_CONFIG=true") {
		t.Fatalf("redacted %v notes %v", out.Redacted, out.Notes)
	}
}

func TestManagerConfigArguments(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"section": "nope"}, "section"},
		{map[string]any{"field": "email_to"}, "field"},
		{map[string]any{"section": "global", "field": "a b"}, "field"},
		{map[string]any{"section": "global", "field": "no_such_field"}, "no_such_field"},
	}
	for _, tt := range tests {
		if msg := resultError(t, e.call(t, "get_manager_config", tt.args, nil)); !strings.Contains(msg, tt.want) {
			t.Errorf("%v: error does not name %s: %s", tt.args, tt.want, msg)
		}
	}
	var out ManagerConfig
	e.call(t, "get_manager_config", map[string]any{"section": "GLOBAL", "field": "email_to"}, &out)
	if out.Section != "global" || out.Config["global"].(map[string]any)["email_to"] != "soc@example.com" {
		t.Fatalf("%+v", out)
	}
}

func TestRedactSecretValues(t *testing.T) {
	cfg := map[string]any{
		"hosts":   []any{"https://admin:hunter2@indexer:9200", "https://127.0.0.1:9200"},
		"webhook": map[string]any{"url": "https://example.com/api?token=abc123"},
		"note":    "Bearer abcdefghijklmnop",
		"teams":   "https://outlook.office.com/webhookb2/xyz",
		"ssl":     map[string]any{"key": "/etc/certs/server-key.pem", "password": "s3cret", "use_password": "no"},
		"port":    1516,
		// Repeated XML elements arrive as a list: each value is a secret.
		"integration": map[string]any{"api_key": []any{"s3cr3t-a", "s3cr3t-b", ""}, "name": "virustotal"},
		"auth":        map[string]any{"password": []any{[]any{"nested"}, map[string]any{"user": "bob", "pass": "x"}}},
	}
	r := configRedaction{secrets: true}
	out := r.redact(cfg).(map[string]any)
	want := []string{"auth.password[0][0]", "auth.password[1].pass", "hosts[0]", "integration.api_key[0]", "integration.api_key[1]", "note", "ssl.password", "teams", "webhook.url"}
	if !slices.Equal(r.paths, want) {
		t.Fatalf("redacted %v, want %v", r.paths, want)
	}
	if out["hosts"].([]any)[1] != "https://127.0.0.1:9200" || out["ssl"].(map[string]any)["key"] != "/etc/certs/server-key.pem" || out["port"] != 1516 {
		t.Fatalf("harmless values changed: %v", out)
	}
	if got := out["integration"].(map[string]any); !slices.Equal(got["api_key"].([]any), []any{redactedValue, redactedValue, ""}) || got["name"] != "virustotal" {
		t.Fatalf("integration: %v", got)
	}
	if out["auth"].(map[string]any)["password"].([]any)[1].(map[string]any)["user"] != "bob" {
		t.Fatalf("a section in a secret list keeps its harmless fields: %v", out["auth"])
	}
	if out["hosts"].([]any)[0] != redactedValue || cfg["hosts"].([]any)[0] == redactedValue {
		t.Fatalf("the copy must be redacted and the input left alone: %v / %v", out["hosts"], cfg["hosts"])
	}
}
