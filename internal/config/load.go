package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Source gives environment lookups; os.LookupEnv in production, a map in tests.
type Source func(key string) (string, bool)

// Load builds a Config from defaults, the YAML file at path (optional) and
// the environment. Flags are applied by the caller afterwards (see
// ApplyFlags), then Validate.
func Load(path string, env Source) (Config, error) {
	cfg := Defaults()
	if path != "" {
		if err := loadFile(path, &cfg); err != nil {
			return Config{}, err
		}
	}
	if env == nil {
		env = os.LookupEnv
	}
	if err := applyEnv(&cfg, env); err != nil {
		return Config{}, err
	}
	return cfg, nil
}

func loadFile(path string, cfg *Config) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	return decodeFile(path, b, cfg)
}

// decodeFile decodes the YAML of the config file at path into cfg.
func decodeFile(path string, b []byte, cfg *Config) error {
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true) // a misspelt key is an error, not a silently ignored setting
	if err := dec.Decode(cfg); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config file %s: %w", path, nameKeys(b, err))
	}
	return nil
}

// nameKeys adds the setting to each line of a YAML type error, which
// names only a line ("line 2: cannot unmarshal !!str `x` into int"):
// "line 2 (wazuh.port): cannot unmarshal…".
func nameKeys(b []byte, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil {
		return err
	}
	keys := map[int]string{}
	if len(doc.Content) == 1 && doc.Content[0].Kind == yaml.MappingNode { // else the top level itself is wrong
		keyLines(&doc, "", keys)
	}
	out := &yaml.TypeError{Errors: make([]string, len(te.Errors))}
	for i, msg := range te.Errors {
		out.Errors[i] = msg
		var line int
		if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr != nil {
			continue
		}
		key, ok := keys[line]
		switch {
		case !ok:
			key = "the top level"
		case !plainKey.MatchString(key):
			key = strconv.Quote(key) // a key may hold anything, even ")"
		}
		prefix := fmt.Sprintf("line %d", line)
		out.Errors[i] = prefix + " (" + key + ")" + strings.TrimPrefix(msg, prefix)
	}
	return out
}

// plainKey is a setting path shown as it is in errors.
var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+|\[[0-9]+\])*$`)

// keyLines records, for each line of the document, the dotted path of the
// outermost key or sequence item on it (in block style, the one key).
func keyLines(n *yaml.Node, path string, keys map[int]string) {
	if n == nil {
		return
	}
	block := (n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode) && n.Style&yaml.FlowStyle == 0
	if _, ok := keys[n.Line]; !ok && path != "" && !block {
		keys[n.Line] = path // a block collection starts on its first key's line
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			keyLines(c, path, keys)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := k.Value
			if path != "" {
				p = path + "." + k.Value
			}
			if _, ok := keys[k.Line]; !ok {
				keys[k.Line] = p
			}
			keyLines(v, p, keys)
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			keyLines(c, fmt.Sprintf("%s[%d]", path, i), keys)
		}
	}
}

// envVar binds one environment variable to a setter.
type envVar struct {
	name string
	set  func(cfg *Config, v string) error
}

func envVars() []envVar {
	return append([]envVar{
		{"WAZUH_HOST", str(func(c *Config) *string { return &c.Wazuh.Host })},
		{"WAZUH_PORT", port(func(c *Config) *int { return &c.Wazuh.Port })},
		{"WAZUH_USER", str(func(c *Config) *string { return &c.Wazuh.User })},
		{"WAZUH_PASS", str(func(c *Config) *string { return &c.Wazuh.Password })},
		{"WAZUH_VERIFY_SSL", boolp(func(c *Config) **bool { return &c.Wazuh.VerifySSL })},
		{"WAZUH_CA_BUNDLE", str(func(c *Config) *string { return &c.Wazuh.CABundle })},
		{"WAZUH_INDEXER_HOST", str(func(c *Config) *string { return &c.Indexer.Host })},
		{"WAZUH_INDEXER_PORT", port(func(c *Config) *int { return &c.Indexer.Port })},
		{"WAZUH_INDEXER_USER", str(func(c *Config) *string { return &c.Indexer.User })},
		{"WAZUH_INDEXER_PASS", str(func(c *Config) *string { return &c.Indexer.Password })},
		{"WAZUH_INDEXER_VERIFY_SSL", boolp(func(c *Config) **bool { return &c.Indexer.VerifySSL })},
		{"WAZUH_INDEXER_CA_BUNDLE", str(func(c *Config) *string { return &c.Indexer.CABundle })},
		{"MCP_TRANSPORT", str(func(c *Config) *string { return &c.Server.Transport })},
		{"MCP_HOST", str(func(c *Config) *string { return &c.Server.Host })},
		{"MCP_PORT", port(func(c *Config) *int { return &c.Server.Port })},
		{"ALLOWED_ORIGINS", list(func(c *Config) *[]string { return &c.Server.AllowedOrigins })},
		{"MCP_SESSION_TIMEOUT", duration(func(c *Config) *time.Duration { return &c.Server.SessionTimeout })},
		{"REQUEST_TIMEOUT_SECONDS", integer(func(c *Config) *int { return &c.RequestTimeoutSeconds })},
		{"MAX_ALERTS_PER_QUERY", integer(func(c *Config) *int { return &c.MaxAlertsPerQuery })},
		{"LOG_LEVEL", str(func(c *Config) *string { return &c.Log.Level })},
		{"LOG_FORMAT", str(func(c *Config) *string { return &c.Log.Format })},
		// WAZUH_MCP_* are the documented names; the shorter WAZUH_* names of
		// earlier releases are read first, so the documented ones win.
		{"WAZUH_TOOLSETS", list(func(c *Config) *[]string { return &c.Tools.Toolsets })},
		{"WAZUH_DISABLED_TOOLS", list(func(c *Config) *[]string { return &c.Tools.Disabled })},
		{"WAZUH_READ_ONLY", boolp(func(c *Config) **bool { return &c.Tools.ReadOnly })},
		{"WAZUH_MCP_TOOLSETS", list(func(c *Config) *[]string { return &c.Tools.Toolsets })},
		{"WAZUH_MCP_TOOLS", list(func(c *Config) *[]string { return &c.Tools.Enabled })},
		{"WAZUH_MCP_DISABLED_TOOLS", list(func(c *Config) *[]string { return &c.Tools.Disabled })},
		{"WAZUH_MCP_READ_ONLY", boolp(func(c *Config) **bool { return &c.Tools.ReadOnly })},
		{"WAZUH_MCP_MAX_RESULT_KIB", integer(func(c *Config) *int { return &c.Tools.MaxResultSize })},
		{"WAZUH_ALLOW_SENSITIVE_CONFIG", boolv(func(c *Config) *bool { return &c.Tools.AllowSensitiveConfig })},
	}, append(append(append(httpEnvVars(), authEnvVars()...), responseEnvVars()...), backendEnvVars()...)...)
}

// EnvNames lists every environment variable the server reads (for docs).
func EnvNames() []string {
	vars := envVars()
	names := make([]string, len(vars))
	for i, v := range vars {
		names[i] = v.name
	}
	return names
}

func applyEnv(cfg *Config, env Source) error {
	for _, v := range envVars() {
		val, ok := env(v.name)
		if !ok {
			continue
		}
		if err := v.set(cfg, strings.TrimSpace(val)); err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
	}
	return nil
}

func str(field func(*Config) *string) func(*Config, string) error {
	return func(c *Config, v string) error { *field(c) = v; return nil }
}

func integer(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return fmt.Errorf("%q is not a whole number", v)
		}
		*field(c) = n
		return nil
	}
}

func port(field func(*Config) *int) func(*Config, string) error {
	return func(c *Config, v string) error {
		n, err := ParsePort(v)
		if err != nil {
			return err
		}
		*field(c) = n
		return nil
	}
}

func boolp(field func(*Config) **bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := ParseBool(v)
		if err != nil {
			return err
		}
		*field(c) = &b
		return nil
	}
}

func boolv(field func(*Config) *bool) func(*Config, string) error {
	return func(c *Config, v string) error {
		b, err := ParseBool(v)
		if err != nil {
			return err
		}
		*field(c) = b
		return nil
	}
}

func list(field func(*Config) *[]string) func(*Config, string) error {
	return func(c *Config, v string) error {
		var out []string
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		*field(c) = out
		return nil
	}
}

func duration(field func(*Config) *time.Duration) func(*Config, string) error {
	return func(c *Config, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("%q is not a duration (e.g. 30m, 1h)", v)
		}
		*field(c) = d
		return nil
	}
}

// ParsePort parses a TCP port number.
func ParsePort(v string) (int, error) {
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("%q is not a port number (1-65535)", v)
	}
	return n, nil
}

// ParseBool accepts true/false, 1/0, yes/no, on/off.
func ParseBool(v string) (bool, error) {
	switch strings.ToLower(v) {
	case "true", "1", "yes", "on":
		return true, nil
	case "false", "0", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%q is not a boolean (true or false)", v)
}
