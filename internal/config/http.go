package config

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"
	"time"
)

// HTTP configures protection and serving of the HTTP transport.
type HTTP struct {
	TLSCert string `yaml:"tls_cert"` // PEM certificate (chain) file; with TLSKey, serve HTTPS
	TLSKey  string `yaml:"tls_key"`
	// AllowedHosts are the host names the server answers to besides
	// loopback names (DNS-rebinding protection), e.g. the public name a
	// reverse proxy forwards.
	AllowedHosts   []string `yaml:"allowed_hosts"`
	TrustedProxies []string `yaml:"trusted_proxies"` // CIDRs or addresses allowed to set X-Forwarded-For
	MaxSessions    int      `yaml:"max_sessions"`    // 0 = unlimited
	// ShutdownTimeout bounds the drain of in-flight calls at shutdown.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout"`
	MetricsAuth     bool          `yaml:"metrics_auth"` // /metrics behind the same auth as /mcp
	RateLimit       RateLimit     `yaml:"rate_limit"`
}

// RateLimit configures the token buckets; 0 disables a limit.
type RateLimit struct {
	PerMinute             int `yaml:"per_minute"`    // per principal
	Burst                 int `yaml:"burst"`         // bucket size
	IPPerMinute           int `yaml:"ip_per_minute"` // per client IP
	AuthFailuresPerMinute int `yaml:"auth_failures_per_minute"`
}

func httpDefaults() HTTP {
	return HTTP{
		MaxSessions:     1000,
		ShutdownTimeout: 30 * time.Second,
		RateLimit:       RateLimit{PerMinute: 300, Burst: 60, IPPerMinute: 600, AuthFailuresPerMinute: 10},
	}
}

func httpEnvVars() []envVar {
	return []envVar{
		{"TLS_CERT_FILE", str(func(c *Config) *string { return &c.HTTP.TLSCert })},
		{"TLS_KEY_FILE", str(func(c *Config) *string { return &c.HTTP.TLSKey })},
		{"ALLOWED_HOSTS", list(func(c *Config) *[]string { return &c.HTTP.AllowedHosts })},
		{"TRUSTED_PROXIES", list(func(c *Config) *[]string { return &c.HTTP.TrustedProxies })},
		{"MAX_SESSIONS", integer(func(c *Config) *int { return &c.HTTP.MaxSessions })},
		{"SHUTDOWN_TIMEOUT", duration(func(c *Config) *time.Duration { return &c.HTTP.ShutdownTimeout })},
		{"METRICS_AUTH", boolv(func(c *Config) *bool { return &c.HTTP.MetricsAuth })},
		{"RATE_LIMIT_PER_MINUTE", integer(func(c *Config) *int { return &c.HTTP.RateLimit.PerMinute })},
		{"RATE_LIMIT_BURST", integer(func(c *Config) *int { return &c.HTTP.RateLimit.Burst })},
		{"RATE_LIMIT_IP_PER_MINUTE", integer(func(c *Config) *int { return &c.HTTP.RateLimit.IPPerMinute })},
		{"AUTH_FAILURES_PER_MINUTE", integer(func(c *Config) *int { return &c.HTTP.RateLimit.AuthFailuresPerMinute })},
	}
}

// TLSEnabled reports whether the HTTP transport serves HTTPS.
func (c *Config) TLSEnabled() bool { return c.HTTP.TLSCert != "" }

func (c *Config) validateHTTP() error {
	h := c.HTTP
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	switch {
	case (h.TLSCert == "") != (h.TLSKey == ""):
		add(errors.New("TLS_CERT_FILE (--tls-cert) and TLS_KEY_FILE (--tls-key) go together: set both to serve HTTPS, or neither"))
	case h.TLSCert != "":
		add(readable("TLS_CERT_FILE (--tls-cert)", h.TLSCert))
		add(readable("TLS_KEY_FILE (--tls-key)", h.TLSKey))
	}
	for _, host := range h.AllowedHosts {
		if host == "" || strings.ContainsAny(host, "/ ") || strings.Contains(host, "://") {
			add(fmt.Errorf("ALLOWED_HOSTS: %q is not a host name (e.g. mcp.example.com, without scheme or path)", host))
		}
	}
	for _, p := range h.TrustedProxies {
		if _, err := netip.ParsePrefix(p); err == nil {
			continue
		}
		if _, err := netip.ParseAddr(p); err != nil {
			add(fmt.Errorf("TRUSTED_PROXIES: %q is not a CIDR or IP address (e.g. 10.0.0.0/8, 192.0.2.10)", p))
		}
	}
	add(between("MAX_SESSIONS", h.MaxSessions, 0, 1_000_000))
	if h.ShutdownTimeout < time.Second || h.ShutdownTimeout > 10*time.Minute {
		add(fmt.Errorf("SHUTDOWN_TIMEOUT: %s is out of range (1s-10m)", h.ShutdownTimeout))
	}
	add(between("RATE_LIMIT_PER_MINUTE", h.RateLimit.PerMinute, 0, 1_000_000))
	add(between("RATE_LIMIT_BURST", h.RateLimit.Burst, 1, 100_000))
	add(between("RATE_LIMIT_IP_PER_MINUTE", h.RateLimit.IPPerMinute, 0, 1_000_000))
	add(between("AUTH_FAILURES_PER_MINUTE", h.RateLimit.AuthFailuresPerMinute, 0, 10_000))
	return errors.Join(errs...)
}

func readable(name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("%s: cannot read %q: %v", name, path, errors.Unwrap(err))
	}
	return f.Close()
}
