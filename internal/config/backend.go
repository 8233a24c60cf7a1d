package config

import (
	"errors"
	"fmt"
	"time"
)

// Backend tunes the Manager API client: the request budget that keeps this
// server under the Manager's own per-minute limit, the read cache and the
// circuit breaker. The defaults suit a stock Manager (300 requests/min);
// a deployment that raised access.max_request_per_minute can raise the
// budget with it.
type Backend struct {
	// RequestsPerMinute is the client-side budget (default 240 of the
	// Manager's 300, leaving room for the dashboard and other clients).
	RequestsPerMinute int `yaml:"requests_per_minute"`
	// CacheTTL keeps slow-changing reads (rules, decoders, lists, MITRE,
	// manager and cluster configuration); 0 turns the whole cache off.
	CacheTTL time.Duration `yaml:"cache_ttl"`
	// FastCacheTTL keeps fast-changing reads (agents, inventory, stats,
	// logs); 0 turns caching of those off.
	FastCacheTTL time.Duration `yaml:"fast_cache_ttl"`
	// BreakerFailures consecutive failures (transport errors, 5xx; a 429 pauses requests for its Retry-After instead)
	// open the circuit breaker; BreakerOpen is how long it stays open
	// before one probe is let through.
	BreakerFailures int           `yaml:"breaker_failures"`
	BreakerOpen     time.Duration `yaml:"breaker_open"`
}

func defaultBackend() Backend {
	return Backend{RequestsPerMinute: 240, CacheTTL: 30 * time.Second, FastCacheTTL: 10 * time.Second,
		BreakerFailures: 5, BreakerOpen: 30 * time.Second}
}

func backendEnvVars() []envVar {
	return []envVar{
		{"WAZUH_REQUESTS_PER_MINUTE", integer(func(c *Config) *int { return &c.Backend.RequestsPerMinute })},
		{"WAZUH_CACHE_TTL", duration(func(c *Config) *time.Duration { return &c.Backend.CacheTTL })},
		{"WAZUH_FAST_CACHE_TTL", duration(func(c *Config) *time.Duration { return &c.Backend.FastCacheTTL })},
		{"WAZUH_BREAKER_FAILURES", integer(func(c *Config) *int { return &c.Backend.BreakerFailures })},
		{"WAZUH_BREAKER_OPEN", duration(func(c *Config) *time.Duration { return &c.Backend.BreakerOpen })},
	}
}

func (c *Config) validateBackend() error {
	b := c.Backend
	var errs []error
	add := func(err error) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	add(between("WAZUH_REQUESTS_PER_MINUTE", b.RequestsPerMinute, 1, 100000))
	add(durationBetween("WAZUH_CACHE_TTL", b.CacheTTL, 0, time.Hour))
	add(durationBetween("WAZUH_FAST_CACHE_TTL", b.FastCacheTTL, 0, 10*time.Minute))
	add(between("WAZUH_BREAKER_FAILURES", b.BreakerFailures, 1, 1000))
	add(durationBetween("WAZUH_BREAKER_OPEN", b.BreakerOpen, time.Second, 10*time.Minute))
	return errors.Join(errs...)
}

// ClientTTLs maps the settings to the client's convention, where zero
// means "default" and a negative value means "off".
func (b Backend) ClientTTLs() (slow, fast time.Duration) {
	slow, fast = b.CacheTTL, b.FastCacheTTL
	if slow == 0 {
		return -1, -1
	}
	if fast == 0 {
		fast = -1
	}
	return slow, fast
}

func durationBetween(name string, v, lo, hi time.Duration) error {
	if v < lo || v > hi {
		return fmt.Errorf("%s is %s; allowed: %s to %s", name, v, lo, hi)
	}
	return nil
}
