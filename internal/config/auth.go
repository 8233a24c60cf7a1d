package config

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"
)

// Auth configures authentication of the HTTP transport.
type Auth struct {
	Mode        string        `yaml:"mode"`          // AUTH_MODE: bearer | oauth | none
	APIKey      string        `yaml:"api_key"`       // MCP_API_KEY: a key accepted besides the stored ones
	APIKeyScope string        `yaml:"api_key_scope"` // MCP_API_KEY_SCOPE: read (default) | write
	SecretKey   string        `yaml:"secret_key"`    // AUTH_SECRET_KEY: signs the JWTs of /auth/token
	TokenTTL    time.Duration `yaml:"token_ttl"`     // AUTH_TOKEN_TTL: lifetime of those JWTs
	// PublicURL is the canonical URL of the MCP endpoint as clients reach
	// it (MCP_PUBLIC_URL, e.g. https://mcp.example.com/mcp): the OAuth
	// resource and audience, and the audience of issued JWTs.
	PublicURL string `yaml:"public_url"`
	OAuth     OAuth  `yaml:"oauth"`
}

// OAuth configures AUTH_MODE=oauth.
type OAuth struct {
	Issuer     string   `yaml:"issuer"`      // OAUTH_ISSUER
	Audience   []string `yaml:"audience"`    // OAUTH_AUDIENCE; default MCP_PUBLIC_URL
	JWKSURL    string   `yaml:"jwks_url"`    // OAUTH_JWKS_URL; default from the issuer's metadata
	ReadScope  string   `yaml:"read_scope"`  // OAUTH_READ_SCOPE; default wazuh:read
	WriteScope string   `yaml:"write_scope"` // OAUTH_WRITE_SCOPE; default wazuh:write
}

func defaultAuth() Auth {
	return Auth{Mode: "bearer", APIKeyScope: "read", TokenTTL: time.Hour}
}

func authEnvVars() []envVar {
	return []envVar{
		{"AUTH_MODE", str(func(c *Config) *string { return &c.Auth.Mode })},
		{"MCP_API_KEY", str(func(c *Config) *string { return &c.Auth.APIKey })},
		{"MCP_API_KEY_SCOPE", str(func(c *Config) *string { return &c.Auth.APIKeyScope })},
		{"AUTH_SECRET_KEY", str(func(c *Config) *string { return &c.Auth.SecretKey })},
		{"AUTH_TOKEN_TTL", duration(func(c *Config) *time.Duration { return &c.Auth.TokenTTL })},
		{"MCP_PUBLIC_URL", str(func(c *Config) *string { return &c.Auth.PublicURL })},
		{"OAUTH_ISSUER", str(func(c *Config) *string { return &c.Auth.OAuth.Issuer })},
		{"OAUTH_AUDIENCE", list(func(c *Config) *[]string { return &c.Auth.OAuth.Audience })},
		{"OAUTH_JWKS_URL", str(func(c *Config) *string { return &c.Auth.OAuth.JWKSURL })},
		{"OAUTH_READ_SCOPE", str(func(c *Config) *string { return &c.Auth.OAuth.ReadScope })},
		{"OAUTH_WRITE_SCOPE", str(func(c *Config) *string { return &c.Auth.OAuth.WriteScope })},
		{"WAZUH_MCP_DATA_DIR", str(func(c *Config) *string { return &c.DataDir })},
	}
}

// validateAuth checks the authentication settings of the http transport.
// The rule that keeps an unauthenticated server on the machine lives here:
// AUTH_MODE=none is allowed only on loopback and only read-only.
func (c *Config) validateAuth() error {
	if c.Server.Transport != "http" {
		return nil
	}
	a := &c.Auth
	a.Mode = strings.ToLower(strings.TrimSpace(a.Mode))
	if err := oneOf("AUTH_MODE", a.Mode, "bearer", "oauth", "none"); err != nil {
		return err
	}
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	switch a.Mode {
	case "none":
		if !IsLoopback(c.Server.Host) {
			add(fmt.Errorf("MCP_HOST %q: with AUTH_MODE=none the HTTP transport binds only to loopback (127.0.0.1, ::1 or localhost); set AUTH_MODE=bearer (API keys) or oauth to listen elsewhere", c.Server.Host))
		}
		if !c.IsReadOnly() && !c.LocalOperator {
			add(errors.New("AUTH_MODE=none serves read tools only: write tools need AUTH_MODE=bearer or oauth (or set WAZUH_READ_ONLY=true)"))
		}
	case "oauth":
		if a.OAuth.Issuer == "" {
			add(errors.New("OAUTH_ISSUER is required with AUTH_MODE=oauth: the issuer URL of your authorization server (e.g. https://keycloak.example.com/realms/soc)"))
		} else {
			add(checkURL("OAUTH_ISSUER", a.OAuth.Issuer, true))
		}
		if a.PublicURL == "" {
			add(errors.New("MCP_PUBLIC_URL is required with AUTH_MODE=oauth: the URL clients use for this server's MCP endpoint (e.g. https://mcp.example.com/mcp); tokens must be issued for it"))
		}
		if a.OAuth.JWKSURL != "" {
			add(checkURL("OAUTH_JWKS_URL", a.OAuth.JWKSURL, true))
		}
	}
	if a.PublicURL != "" {
		add(checkURL("MCP_PUBLIC_URL", a.PublicURL, false))
	}
	add(oneOf("MCP_API_KEY_SCOPE", a.APIKeyScope, "read", "write"))
	if a.TokenTTL < time.Minute || a.TokenTTL > 24*time.Hour {
		add(fmt.Errorf("AUTH_TOKEN_TTL: %s is out of range (1m-24h)", a.TokenTTL))
	}
	if a.SecretKey != "" && len(a.SecretKey) < 32 {
		add(errors.New("AUTH_SECRET_KEY must be at least 32 characters (e.g. `openssl rand -base64 48`)"))
	}
	return errors.Join(errs...)
}

// checkURL accepts absolute http(s) URLs without credentials, query or
// fragment; strict also refuses plain http except to loopback.
func checkURL(name, raw string, strict bool) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("%s: %q is not an absolute http(s) URL", name, raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%s: %q must not have credentials, a query or a fragment", name, raw)
	}
	if strict && u.Scheme == "http" && !IsLoopback(u.Hostname()) {
		return fmt.Errorf("%s: %q must use https (plain http only to loopback)", name, raw)
	}
	return nil
}

// DataDirectory is where the store lives: WAZUH_MCP_DATA_DIR, or a
// per-user data directory ($XDG_DATA_HOME/wazuh-mcp, ~/.local/share/wazuh-mcp,
// ~/Library/Application Support/wazuh-mcp, %LocalAppData%\wazuh-mcp).
func (c *Config) DataDirectory() (string, error) {
	if c.DataDir != "" {
		return c.DataDir, nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" && runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		return filepath.Join(x, "wazuh-mcp"), nil
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return filepath.Join(d, "wazuh-mcp"), nil
		}
	case "darwin", "ios":
		if d, err := os.UserConfigDir(); err == nil {
			return filepath.Join(d, "wazuh-mcp"), nil
		}
	}
	home, err := os.UserHomeDir()
	if err != nil || home == "" {
		return "", errors.New("no home directory to keep the store in: set WAZUH_MCP_DATA_DIR")
	}
	return filepath.Join(home, ".local", "share", "wazuh-mcp"), nil
}
