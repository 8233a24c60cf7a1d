package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
)

const managerToolset = "manager"

// managerTools returns the manager toolset.
func managerTools(d Deps) []Tool {
	return []Tool{
		newTool(managerToolset, Spec{
			Name:        "get_manager_config",
			Title:       "Manager configuration",
			Description: "Manager ossec.conf as JSON (all, a section or a field), secrets redacted.",
		}, d.limits(), d.managerConfig),
	}
}

type managerConfigIn struct {
	Section args.String `json:"section,omitempty" jsonschema:"e.g. global, cluster, integration"`
	Field   args.String `json:"field,omitempty"`
}

// ManagerConfig is the answer of get_manager_config.
type ManagerConfig struct {
	Result
	Section  string         `json:"section,omitempty"`
	Config   map[string]any `json:"config"`
	Redacted []string       `json:"redacted,omitempty" jsonschema:"paths of values hidden as secrets"`
}

// configSections is the section enum of GET /manager/configuration in the
// Wazuh 4.14 API spec.
var configSections = []string{"active-response", "agentless", "alerts", "auth", "client", "client_buffer", "cluster",
	"command", "email_alerts", "global", "integration", "labels", "localfile", "logging", "remote", "reports", "rootcheck",
	"ruleset", "sca", "socket", "syscheck", "syslog_output", "vulnerability-detection", "indexer", "aws-s3", "azure-logs",
	"cis-cat", "docker-listener", "open-scap", "osquery", "syscollector"}

var configFieldRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (d Deps) managerConfig(ctx context.Context, in *managerConfigIn) (*ManagerConfig, error) {
	section, err := args.OneOf("section", string(in.Section), "", configSections...)
	if err != nil {
		return nil, err
	}
	field := strings.TrimSpace(string(in.Field))
	if field != "" {
		if section == "" {
			return nil, args.Errorf("field", "needs a section (e.g. section=global, field=email_to)")
		}
		if !configFieldRe.MatchString(field) {
			return nil, args.Errorf("field", "%q is not a configuration field name (letters, digits, _ -, up to 64)", truncateName(field))
		}
	}
	raw, err := d.Wazuh.ManagerConfiguration(ctx, section, field)
	if err != nil {
		return nil, fmt.Errorf("manager configuration: %w", err)
	}
	var cfg map[string]any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("manager configuration: unexpected answer: %w", err)
	}
	out := &ManagerConfig{Section: section}
	if d.AllowSensitiveConfig {
		out.AddNote("secret values are shown: this server runs with WAZUH_ALLOW_SENSITIVE_CONFIG=true")
	} else {
		out.Redacted = redactSecrets(cfg, "")
		if len(out.Redacted) > 0 {
			out.AddNote("%d secret-looking values (keys such as key, password, api_key, token, hook_url; URLs with credentials or hook addresses) are shown as %q; the server operator can allow them with WAZUH_ALLOW_SENSITIVE_CONFIG=true",
				len(out.Redacted), redactedValue)
		}
	}
	fenced, _ := policy.FenceAny(cfg, 1024).(map[string]any)
	if fenced == nil {
		fenced = map[string]any{}
	}
	out.Config = fenced
	return out, nil
}

// redactSecrets replaces secret values inside v in place and returns their
// paths, sorted.
func redactSecrets(v any, path string) []string {
	var found []string
	switch t := v.(type) {
	case map[string]any:
		for k, val := range t {
			p := joinPath(path, k)
			if _, isObj := val.(map[string]any); !isObj && isSecretConfigKey(k) && !harmlessValue(val) {
				t[k] = redactedValue
				found = append(found, p)
				continue
			}
			if s, ok := val.(string); ok && secretLookingValue(s) {
				t[k] = redactedValue
				found = append(found, p)
				continue
			}
			found = append(found, redactSecrets(val, p)...)
		}
	case []any:
		for i, val := range t {
			p := path + "[" + strconv.Itoa(i) + "]"
			if s, ok := val.(string); ok && secretLookingValue(s) {
				t[i] = redactedValue
				found = append(found, p)
				continue
			}
			found = append(found, redactSecrets(val, p)...)
		}
	}
	slices.Sort(found)
	return found
}

func joinPath(path, k string) string {
	k = policy.Fence(k, 64)
	if path == "" {
		return k
	}
	return path + "." + k
}

// isSecretConfigKey adds hook URLs (hook_url of integrations) and DSNs to
// the policy's secret key names.
func isSecretConfigKey(k string) bool {
	l := strings.ToLower(k)
	return policy.IsSecretKey(k) || strings.Contains(l, "hook") || l == "dsn"
}

// harmlessValue: switches and file paths of certificates and keys name no
// secret, so they stay visible under secret-looking keys.
func harmlessValue(v any) bool {
	s, ok := v.(string)
	if !ok {
		_, isBool := v.(bool)
		return isBool
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "yes", "no", "true", "false", "enabled", "disabled":
		return true
	}
	return keyFilePath.MatchString(s)
}

var keyFilePath = regexp.MustCompile(`^/?([A-Za-z0-9_.-]+/)+[A-Za-z0-9_.-]+\.(pem|key|crt|cert|cer|der)$|^[A-Za-z0-9_.-]+\.(pem|key|crt|cert|cer|der)$`)

// secretLookingValue finds credentials in a value whatever its key: URLs
// with user info, hook URLs, URLs carrying tokens in their query, bearer
// tokens and JWTs.
func secretLookingValue(s string) bool {
	if policy.Scrub(s) != s {
		return true
	}
	l := strings.ToLower(s)
	if !strings.HasPrefix(l, "http://") && !strings.HasPrefix(l, "https://") {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return true // an unparsable URL is not worth the risk
	}
	if u.User != nil || strings.Contains(strings.ToLower(u.Host+u.Path), "hook") {
		return true
	}
	for k := range u.Query() {
		if isSecretConfigKey(k) || strings.EqualFold(k, "sig") || strings.EqualFold(k, "signature") || strings.EqualFold(k, "code") {
			return true
		}
	}
	return false
}
