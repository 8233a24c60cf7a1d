package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"regexp"
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
		red := configRedaction{secrets: true}
		cfg, _ = red.redact(cfg).(map[string]any)
		out.Redacted = red.paths
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
