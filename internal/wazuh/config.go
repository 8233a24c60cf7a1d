package wazuh

import (
	"crypto/tls"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"
)

// Defaults applied by New when a Config field is zero.
const (
	DefaultTimeout           = 30 * time.Second
	DefaultRequestsPerMinute = 240 // the Manager allows 300/min; keep headroom for other clients
	DefaultMaxRetries        = 2
	DefaultCacheTTL          = 30 * time.Second
	DefaultFastCacheTTL      = 10 * time.Second
	DefaultRetryBackoff      = 250 * time.Millisecond
	DefaultMaxRetryWait      = 10 * time.Second
	DefaultBreakerFailures   = 5
	DefaultBreakerOpen       = 30 * time.Second
	DefaultUserAgent         = "wazuh-mcp"
)

// Config describes how to reach one Wazuh Manager API.
type Config struct {
	// BaseURL is the API root, e.g. "https://wazuh.example:55000". It must not
	// carry credentials (use Username/Password) or a query.
	BaseURL string
	// Username and Password are the Wazuh API user used for the basic-auth login.
	Username, Password string
	// TLS is used as is (cloned); nil means system roots with verification on.
	TLS *tls.Config
	// Timeout bounds one call when the caller's ctx has no earlier deadline (default 30s).
	Timeout time.Duration
	// RequestsPerMinute is the client-side budget (default 240 of the Manager's 300).
	RequestsPerMinute int
	// MaxRetries is the number of extra attempts for reads only (default 2; negative = none).
	MaxRetries int
	// RetryBackoff is the base of the exponential backoff between read retries (default 250ms).
	RetryBackoff time.Duration
	// MaxRetryWait caps one backoff or Retry-After wait (default 10s).
	MaxRetryWait time.Duration
	// CacheTTL applies to slow-changing endpoints (rules, decoders, lists, manager
	// info and configuration, cluster, mitre). 0 = default 30s, negative disables
	// all caching.
	CacheTTL time.Duration
	// FastCacheTTL applies to fast-changing reads (agents, inventory, stats, logs).
	// 0 = min(10s, CacheTTL), negative disables caching of those endpoints.
	FastCacheTTL time.Duration
	// Breaker configures the circuit breaker.
	Breaker BreakerSettings
	// Logger receives debug lines per request; nil discards.
	Logger *slog.Logger
	// UserAgent is sent on every request (default "wazuh-mcp").
	UserAgent string
	// Observer receives metrics hooks; nil is fine.
	Observer Observer
	// VerifyShared is for tests: answers that leave the read cache are kept
	// (the last 1024) so that VerifyDecodedCache also checks their shared
	// decodes. Off, nothing is kept.
	VerifyShared bool
}

// BreakerSettings configures the circuit breaker in front of the Manager.
type BreakerSettings struct {
	// Failures is the number of consecutive failed attempts (transport errors,
	// 5xx; not 429, which Retry-After handles) that opens the breaker (default 5).
	Failures int
	// OpenTimeout is how long the breaker stays open before letting one probe
	// through (half-open) (default 30s).
	OpenTimeout time.Duration
}

// Observer receives metric events. Implementations must be safe for
// concurrent use and fast; ObserverFuncs adapts plain functions.
type Observer interface {
	// ObserveRequest is called once per call answered (from the network, the
	// cache or a coalesced flight). status is 0 when no HTTP response arrived.
	ObserveRequest(method, endpoint string, status int, dur time.Duration, cached bool)
	// ObserveRetry is called before a retry of a read.
	ObserveRetry(endpoint string, attempt int, reason string)
	// ObserveLogin is called after each login attempt.
	ObserveLogin(dur time.Duration, err error)
	// ObserveBreaker is called when the circuit breaker changes state.
	ObserveBreaker(from, to string)
	// ObserveBudgetWait is called when the request budget delayed a request.
	ObserveBudgetWait(d time.Duration)
}

// ObserverFuncs implements Observer with optional functions; nil fields are skipped.
type ObserverFuncs struct {
	Request    func(method, endpoint string, status int, dur time.Duration, cached bool)
	Retry      func(endpoint string, attempt int, reason string)
	Login      func(dur time.Duration, err error)
	Breaker    func(from, to string)
	BudgetWait func(d time.Duration)
}

// ObserveRequest implements Observer.
func (o ObserverFuncs) ObserveRequest(method, endpoint string, status int, dur time.Duration, cached bool) {
	if o.Request != nil {
		o.Request(method, endpoint, status, dur, cached)
	}
}

// ObserveRetry implements Observer.
func (o ObserverFuncs) ObserveRetry(endpoint string, attempt int, reason string) {
	if o.Retry != nil {
		o.Retry(endpoint, attempt, reason)
	}
}

// ObserveLogin implements Observer.
func (o ObserverFuncs) ObserveLogin(dur time.Duration, err error) {
	if o.Login != nil {
		o.Login(dur, err)
	}
}

// ObserveBreaker implements Observer.
func (o ObserverFuncs) ObserveBreaker(from, to string) {
	if o.Breaker != nil {
		o.Breaker(from, to)
	}
}

// ObserveBudgetWait implements Observer.
func (o ObserverFuncs) ObserveBudgetWait(d time.Duration) {
	if o.BudgetWait != nil {
		o.BudgetWait(d)
	}
}

// nopObserver is used when Config.Observer is nil so call sites need no checks.
type nopObserver struct{}

func (nopObserver) ObserveRequest(string, string, int, time.Duration, bool) {}
func (nopObserver) ObserveRetry(string, int, string)                        {}
func (nopObserver) ObserveLogin(time.Duration, error)                       {}
func (nopObserver) ObserveBreaker(string, string)                           {}
func (nopObserver) ObserveBudgetWait(time.Duration)                         {}

// withDefaults returns a copy of cfg with zero fields defaulted.
func (cfg Config) withDefaults() Config {
	if cfg.Timeout <= 0 {
		cfg.Timeout = DefaultTimeout
	}
	if cfg.RequestsPerMinute == 0 {
		cfg.RequestsPerMinute = DefaultRequestsPerMinute
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	} else if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.RetryBackoff <= 0 {
		cfg.RetryBackoff = DefaultRetryBackoff
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.CacheTTL == 0 {
		cfg.CacheTTL = DefaultCacheTTL
	}
	if cfg.FastCacheTTL == 0 {
		cfg.FastCacheTTL = min(DefaultFastCacheTTL, cfg.CacheTTL)
	}
	if cfg.Breaker.Failures <= 0 {
		cfg.Breaker.Failures = DefaultBreakerFailures
	}
	if cfg.Breaker.OpenTimeout <= 0 {
		cfg.Breaker.OpenTimeout = DefaultBreakerOpen
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.Observer == nil {
		cfg.Observer = nopObserver{}
	}
	return cfg
}

// validate checks cfg and returns the parsed base URL. Messages never echo
// the password, even when it was put in the URL by mistake.
func (cfg Config) validate() (*url.URL, error) {
	if strings.TrimSpace(cfg.BaseURL) == "" {
		return nil, fmt.Errorf("wazuh: base URL is empty (set WAZUH_HOST): %w", ErrNotConfigured)
	}
	u, err := url.Parse(strings.TrimSpace(cfg.BaseURL))
	if err != nil {
		return nil, fmt.Errorf("wazuh: base URL is not a valid URL: %w", ErrNotConfigured)
	}
	if u.Scheme != "https" && u.Scheme != "http" {
		return nil, fmt.Errorf("wazuh: base URL %q must start with https:// or http://: %w", u.Redacted(), ErrNotConfigured)
	}
	if u.Host == "" {
		return nil, fmt.Errorf("wazuh: base URL %q has no host: %w", u.Redacted(), ErrNotConfigured)
	}
	if u.User != nil {
		return nil, fmt.Errorf("wazuh: base URL must not contain credentials; set the username and password separately: %w", ErrNotConfigured)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("wazuh: base URL %q must not have a query or fragment: %w", u.Redacted(), ErrNotConfigured)
	}
	if cfg.Username == "" || cfg.Password == "" {
		return nil, fmt.Errorf("wazuh: API username and password are required (WAZUH_USER, WAZUH_PASS): %w", ErrNotConfigured)
	}
	if cfg.RequestsPerMinute < 0 {
		return nil, fmt.Errorf("wazuh: requests per minute must be positive, got %d", cfg.RequestsPerMinute)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, nil
}
