package config

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
)

// Validate checks the configuration for `serve`. Each error names the
// setting (by its environment name, the form most deployments use) and
// what is allowed.
func (c *Config) Validate() error {
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(c.validateWazuh())
	add(c.validateIndexer())
	add(c.validateServer())
	if c.Server.Transport == "http" {
		add(c.validateHTTP())
	}
	add(c.validateAuth())
	add(c.validateResponse())
	add(c.validateBackend())
	add(between("REQUEST_TIMEOUT_SECONDS", c.RequestTimeoutSeconds, 1, 600))
	add(between("MAX_ALERTS_PER_QUERY", c.MaxAlertsPerQuery, 1, 10000))
	add(oneOf("LOG_LEVEL", strings.ToLower(c.Log.Level), "debug", "info", "warn", "warning", "error"))
	add(oneOf("LOG_FORMAT", strings.ToLower(c.Log.Format), "json", "text"))
	add(between("tools.max_result_kib", c.Tools.MaxResultSize, 16, 16384))
	return errors.Join(errs...)
}

func (c *Config) validateWazuh() error {
	if strings.TrimSpace(c.Wazuh.Host) == "" {
		return errors.New("WAZUH_HOST is required: the Wazuh Manager host name or URL (e.g. wazuh.example.com or https://10.0.0.2:55000)")
	}
	if _, err := c.WazuhURL(); err != nil {
		return err
	}
	if c.Wazuh.User == "" || c.Wazuh.Password == "" {
		return errors.New("WAZUH_USER and WAZUH_PASS are required: a Wazuh API user (e.g. wazuh-wui) and its password")
	}
	return checkCA("WAZUH_CA_BUNDLE", c.Wazuh.CABundle)
}

func (c *Config) validateIndexer() error {
	if strings.TrimSpace(c.Indexer.Host) == "" {
		return nil // optional: indexer-backed tools say it is not configured
	}
	if _, err := c.IndexerURL(); err != nil {
		return err
	}
	if c.Indexer.User == "" || c.Indexer.Password == "" {
		return errors.New("WAZUH_INDEXER_USER and WAZUH_INDEXER_PASS are required when WAZUH_INDEXER_HOST is set")
	}
	return checkCA("WAZUH_INDEXER_CA_BUNDLE", c.Indexer.CABundle)
}

func (c *Config) validateServer() error {
	if err := oneOf("MCP_TRANSPORT (--transport)", c.Server.Transport, "stdio", "http"); err != nil {
		return err
	}
	if c.Server.Transport == "stdio" {
		return nil
	}
	if c.Server.Host == "" {
		return errors.New("MCP_HOST is required for the http transport (e.g. 127.0.0.1)")
	}
	if err := between("MCP_PORT", c.Server.Port, 0, 65535); err != nil { // 0 = a free port
		return err
	}
	for _, o := range c.Server.AllowedOrigins {
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
			return fmt.Errorf("ALLOWED_ORIGINS: %q is not an origin (scheme://host[:port], e.g. https://soc.example.com)", o)
		}
	}
	if c.Server.SessionTimeout <= 0 {
		return errors.New("MCP_SESSION_TIMEOUT must be positive (e.g. 30m)")
	}
	return nil
}

// WazuhURL is the Manager API base URL.
func (c *Config) WazuhURL() (*url.URL, error) {
	return endpointURL("WAZUH_HOST", "WAZUH_PORT", c.Wazuh)
}

// IndexerURL is the indexer base URL, or nil when no indexer is configured.
func (c *Config) IndexerURL() (*url.URL, error) {
	if strings.TrimSpace(c.Indexer.Host) == "" {
		return nil, nil
	}
	return endpointURL("WAZUH_INDEXER_HOST", "WAZUH_INDEXER_PORT", c.Indexer)
}

// endpointURL turns "host", "host:port" or "scheme://host[:port]" into a
// URL: https when no scheme is given; the port from the URL wins over the
// port setting. Credentials in the URL are refused so they never reach logs.
func endpointURL(hostName, portName string, e Endpoint) (*url.URL, error) {
	raw := strings.TrimSpace(e.Host)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Hostname() == "" {
		return nil, fmt.Errorf("%s: %q is not a host name or URL (e.g. wazuh.example.com or http://127.0.0.1)", hostName, e.Host)
	}
	switch {
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("%s: scheme %q is not allowed (http or https)", hostName, u.Scheme)
	case u.User != nil:
		return nil, fmt.Errorf("%s: credentials in the URL are not allowed; use the USER and PASS settings", hostName)
	case u.Path != "" && u.Path != "/", u.RawQuery != "", u.Fragment != "":
		return nil, fmt.Errorf("%s: %q must not have a path, query or fragment", hostName, e.Host)
	}
	if u.Port() == "" {
		if e.Port < 1 || e.Port > 65535 {
			return nil, fmt.Errorf("%s: %d is not a port number (1-65535)", portName, e.Port)
		}
		u.Host = net.JoinHostPort(u.Hostname(), strconv.Itoa(e.Port))
	}
	u.Path = ""
	return u, nil
}

// ListenAddr is host:port for the HTTP transport.
func (c *Config) ListenAddr() string {
	return net.JoinHostPort(c.Server.Host, strconv.Itoa(c.Server.Port))
}

// IsLoopback reports whether host is a loopback name or address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(strings.Trim(host, "[]"))
	return err == nil && a.Unmap().IsLoopback()
}

func checkCA(name, path string) error {
	if path == "" {
		return nil
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("%s: cannot read %q: %v", name, path, errors.Unwrap(err))
	}
	return nil
}

func between(name string, v, lo, hi int) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s: %d is out of range (%d-%d)", name, v, lo, hi)
	}
	return nil
}

func oneOf(name, v string, allowed ...string) error {
	for _, a := range allowed {
		if v == a {
			return nil
		}
	}
	return fmt.Errorf("%s: %q is not allowed (one of: %s)", name, v, strings.Join(allowed, ", "))
}
