// Package config holds wazuh-mcp's one configuration. Values come from, in
// increasing precedence: defaults, an optional YAML file, the environment
// (names compatible with the Wazuh MCP Server v4 family) and command-line
// flags. Validate reports the first problem naming the setting and what is
// allowed, so a bad deployment fails at start rather than at the first call.
package config

import (
	"time"
)

// Config is the whole configuration.
type Config struct {
	Wazuh   Endpoint `yaml:"wazuh"`
	Indexer Endpoint `yaml:"indexer"`
	Server  Server   `yaml:"server"`
	HTTP    HTTP     `yaml:"http"` // protection and serving of the HTTP transport

	RequestTimeoutSeconds int `yaml:"request_timeout_seconds"`
	MaxAlertsPerQuery     int `yaml:"max_alerts_per_query"`

	Log Log `yaml:"log"`

	Tools Tools `yaml:"tools"`

	Auth    Auth   `yaml:"auth"`     // HTTP authentication (auth.go)
	DataDir string `yaml:"data_dir"` // the store's directory (WAZUH_MCP_DATA_DIR)

	Response Response `yaml:"response"`     // write tools and their approval gate (response.go)
	Backend  Backend  `yaml:"wazuh_client"` // Manager request budget, cache, breaker (backend.go)

	// LocalOperator is set by `wazuh-mcp demo` only (never from a file or
	// the environment): on loopback without authentication, the local user
	// may call write tools, each still behind the approval gate.
	LocalOperator bool `yaml:"-"`
}

// Endpoint is a Wazuh Manager API or indexer connection.
type Endpoint struct {
	Host      string `yaml:"host"` // host name or URL with scheme
	Port      int    `yaml:"port"`
	User      string `yaml:"user"`
	Password  string `yaml:"password"`
	VerifySSL *bool  `yaml:"verify_ssl"`
	CABundle  string `yaml:"ca_bundle"`
}

// Server is the MCP side.
type Server struct {
	Transport      string        `yaml:"transport"` // stdio | http
	Host           string        `yaml:"host"`
	Port           int           `yaml:"port"`
	AllowedOrigins []string      `yaml:"allowed_origins"`
	SessionTimeout time.Duration `yaml:"session_timeout"`
}

// Log configures log/slog.
type Log struct {
	Level  string `yaml:"level"`  // debug | info | warn | error
	Format string `yaml:"format"` // json | text
}

// Tools selects what the MCP server registers.
type Tools struct {
	Toolsets      []string `yaml:"toolsets"`       // empty = the default toolsets; "all" = every toolset
	Enabled       []string `yaml:"enabled"`        // individual tools added to the toolsets
	Disabled      []string `yaml:"disabled"`       // tools never registered
	ReadOnly      *bool    `yaml:"read_only"`      // default true: write tools are off
	IncludeIPs    bool     `yaml:"include_ips"`    // server-wide default for include_ip
	MaxResultSize int      `yaml:"max_result_kib"` // cap on one tool result, KiB
	// AllowSensitiveConfig shows secret-looking Manager configuration
	// values (keys, passwords, tokens) instead of redacting them.
	AllowSensitiveConfig bool `yaml:"allow_sensitive_config"`
}

// Defaults returns the configuration before any source is applied.
func Defaults() Config {
	verify := true
	readOnly := true
	return Config{
		Wazuh:                 Endpoint{Port: 55000, VerifySSL: &verify},
		Indexer:               Endpoint{Port: 9200, VerifySSL: &verify},
		Server:                Server{Transport: "http", Host: "127.0.0.1", Port: 3000, SessionTimeout: 30 * time.Minute},
		RequestTimeoutSeconds: 30,
		MaxAlertsPerQuery:     1000,
		Log:                   Log{Level: "info", Format: "json"},
		Tools:                 Tools{ReadOnly: &readOnly, MaxResultSize: 256},
		HTTP:                  httpDefaults(),
		Response:              defaultResponse(),
		Backend:               defaultBackend(),
		Auth:                  defaultAuth(),
	}
}

// RequestTimeout is the per-request backend timeout.
func (c *Config) RequestTimeout() time.Duration {
	return time.Duration(c.RequestTimeoutSeconds) * time.Second
}

// IsReadOnly reports whether write tools are disabled.
func (c *Config) IsReadOnly() bool { return c.Tools.ReadOnly == nil || *c.Tools.ReadOnly }

// Verify reports whether TLS certificates are verified for an endpoint.
func (e Endpoint) Verify() bool { return e.VerifySSL == nil || *e.VerifySSL }
