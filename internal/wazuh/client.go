// Package wazuh is the client for the Wazuh Manager REST API (4.x, port 55000).
//
// It logs in with basic auth and keeps the JWT (renewed before it expires,
// one login for any number of concurrent callers, one re-login on 401), decodes
// the Wazuh envelope and problem+json errors into typed errors, retries
// idempotent reads with backoff, protects the Manager with a circuit breaker and
// a client-side request budget, and coalesces and caches reads.
package wazuh

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// maxResponseBytes bounds a response body so a misbehaving server cannot
// exhaust memory; the largest real answers (rule files, big agent lists) are
// far below it.
const maxResponseBytes = 64 << 20

// Client talks to one Wazuh Manager API. It is safe for concurrent use.
type Client struct {
	cfg       Config
	base      *url.URL
	http      *http.Client
	transport *http.Transport
	tokens    *tokenSource
	budget    *budget
	breaker   *breaker
	flights   singleflight.Group
	cache     *ttlCache
	scrub     secretScrubber
	closeOnce sync.Once
}

// New validates cfg and builds a client. It does not touch the network.
func New(cfg Config) (*Client, error) {
	base, err := cfg.validate()
	if err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	tr := newTransport(cfg)
	c := &Client{
		cfg:       cfg,
		base:      base,
		transport: tr,
		// No client-wide timeout: every call carries a ctx deadline instead.
		http:   &http.Client{Transport: tr, CheckRedirect: refuseRedirects},
		budget: newBudget(cfg.RequestsPerMinute, cfg.Observer),
		cache:  newTTLCache(defaultCacheEntries, cfg.VerifyShared),
		scrub:  secretScrubber{secrets: []string{cfg.Password}},
	}
	c.breaker = newBreaker(cfg.Breaker, cfg.Observer, cfg.Logger)
	c.tokens = newTokenSource(c.login)
	return c, nil
}

// Close releases idle connections and drops cached data and the token.
func (c *Client) Close() {
	c.closeOnce.Do(func() {
		c.transport.CloseIdleConnections()
		c.cache.purge()
		c.tokens.clear()
	})
}

// BaseURL returns the configured API root (without credentials).
func (c *Client) BaseURL() string { return c.base.String() }

// newTransport builds a pooled transport. Several tool calls hit the same
// Manager concurrently, so keep more idle connections than the default 2.
func newTransport(cfg Config) *http.Transport {
	dialer := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           dialer.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          32,
		MaxIdleConnsPerHost:   16,
		MaxConnsPerHost:       32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
		ResponseHeaderTimeout: cfg.Timeout,
	}
	if cfg.TLS != nil {
		tr.TLSClientConfig = cfg.TLS.Clone()
	}
	return tr
}

// refuseRedirects stops the client from following redirects, which would
// otherwise forward the Authorization header's intent to another URL.
func refuseRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Get reads endpoint (a path template such as "/agents/{agent_id}/config/{component}/{configuration}"
// filled from pathParams) and decodes the envelope's "data" into out (out may be nil).
// Reads are retried, coalesced and cached.
func (c *Client) Get(ctx context.Context, endpoint string, pathParams []string, query url.Values, out any) error {
	r, err := c.newRequest(http.MethodGet, endpoint, pathParams, query, nil)
	if err != nil {
		return err
	}
	resp, err := c.read(ctx, r)
	if err != nil {
		return err
	}
	env, err := decodeEnvelope(r.method, r.endpoint, resp.body)
	if err != nil {
		return err
	}
	return decodeData(r.method, r.endpoint, env, out)
}

// List reads a list endpoint and decodes affected_items into a Page.
// Envelope error 1 (every item failed) is an error; error 2 returns the
// items with Page.Failed set. A cached answer is decoded once and shared:
// the items and everything they reference are read-only, appends to nested
// slices included (see Page).
func List[T any](ctx context.Context, c *Client, endpoint string, pathParams []string, query url.Values) (Page[T], error) {
	r, err := c.newRequest(http.MethodGet, endpoint, pathParams, query, nil)
	if err != nil {
		return Page[T]{}, err
	}
	resp, err := c.read(ctx, r)
	if err != nil {
		return Page[T]{}, err
	}
	return decodeShared[T](r.method, r.endpoint, resp)
}

// GetRaw reads endpoint and returns the body as is with its content type,
// e.g. "/rules/files/{filename}" with raw=true (XML). Errors are decoded as usual.
func (c *Client) GetRaw(ctx context.Context, endpoint string, pathParams []string, query url.Values) ([]byte, string, error) {
	r, err := c.newRequest(http.MethodGet, endpoint, pathParams, query, nil)
	if err != nil {
		return nil, "", err
	}
	r.raw = true
	resp, err := c.read(ctx, r)
	if err != nil {
		return nil, "", err
	}
	return append([]byte(nil), resp.body...), resp.contentType, nil
}

// Put sends a write. Writes are never retried (except once after a 401, which
// the Manager rejects before acting), never cached and never coalesced. When
// the request was sent but no answer arrived, the error is a *WriteUnknownError.
// A successful write drops the read cache, since it may have changed any of it.
func (c *Client) Put(ctx context.Context, endpoint string, pathParams []string, query url.Values, body any, out any) error {
	r, err := c.newRequest(http.MethodPut, endpoint, pathParams, query, body)
	if err != nil {
		return err
	}
	resp, err := c.write(ctx, r)
	if err != nil {
		return err
	}
	env, err := decodeEnvelope(r.method, r.endpoint, resp.body)
	if err != nil {
		return err
	}
	return decodeData(r.method, r.endpoint, env, out)
}

// putPage sends a write whose answer is an affected_items list.
func putPage[T any](ctx context.Context, c *Client, endpoint string, pathParams []string, query url.Values, body any) (Page[T], error) {
	r, err := c.newRequest(http.MethodPut, endpoint, pathParams, query, body)
	if err != nil {
		return Page[T]{}, err
	}
	resp, err := c.write(ctx, r)
	if err != nil {
		return Page[T]{}, err
	}
	return decodePage[T](r.method, r.endpoint, resp.body)
}

// read runs a GET through the cache, the coalescing group and the retry loop.
func (c *Client) read(ctx context.Context, r *request) (*response, error) {
	start := time.Now()
	// Each caller gets its own deadline, so a follower of a coalesced flight
	// is bounded by its own timeout whatever happens to the leader.
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	ttl := c.ttlFor(r.endpoint)
	key := r.key()
	if ttl > 0 && !bypassCache(ctx) {
		if resp, ok := c.cache.get(key); ok {
			c.cfg.Observer.ObserveRequest(r.method, r.endpoint, resp.status, time.Since(start), true)
			return resp, nil
		}
	}
	resp, err := shared(ctx, &c.flights, key, func(fctx context.Context) (*response, error) {
		resp, err := c.do(fctx, r)
		if err == nil && ttl > 0 && resp.cacheable() {
			resp.shared = true // before set publishes resp to other callers
			c.cache.set(key, resp, ttl)
		}
		return resp, err
	})
	c.cfg.Observer.ObserveRequest(r.method, r.endpoint, statusOf(resp, err), time.Since(start), false)
	if err != nil {
		return nil, c.finishError(ctx, r, err)
	}
	return resp, nil
}

// write runs a PUT/POST/DELETE once (plus one re-login on 401).
func (c *Client) write(ctx context.Context, r *request) (*response, error) {
	start := time.Now()
	ctx, cancel := c.withTimeout(ctx)
	defer cancel()
	resp, err := c.do(ctx, r)
	c.cfg.Observer.ObserveRequest(r.method, r.endpoint, statusOf(resp, err), time.Since(start), false)
	if err != nil {
		return nil, c.finishError(ctx, r, err)
	}
	c.cache.purge()
	return resp, nil
}

// finishError explains a 404 on a 5.x Manager and scrubs the error text.
func (c *Client) finishError(ctx context.Context, r *request, err error) error {
	var ae *APIError
	if errors.As(err, &ae) && ae.HTTPStatus == http.StatusNotFound && r.endpoint != infoEndpoint {
		if _, verr := c.Info(ctx); errors.Is(verr, ErrUnsupportedVersion) {
			return verr
		}
	}
	if isContextErr(err) && !strings.Contains(err.Error(), r.endpoint) {
		err = fmt.Errorf("wazuh: %s %s: %w", r.method, r.endpoint, err)
	}
	return c.scrubErr(err)
}

// scrubErr removes the password and the current token from err's text.
func (c *Client) scrubErr(err error) error {
	if err == nil {
		return nil
	}
	s := c.scrub
	if tok := c.tokens.current(); tok != "" {
		s.secrets = append([]string{tok}, s.secrets...)
	}
	return s.wrap(err)
}

// withTimeout applies cfg.Timeout unless ctx already ends sooner. The cause
// marks our own timeout so the breaker can count it (a hung Manager) while
// ignoring the caller's cancellations.
func (c *Client) withTimeout(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= c.cfg.Timeout {
		return context.WithCancel(ctx)
	}
	return context.WithTimeoutCause(ctx, c.cfg.Timeout, errRequestTimeout)
}

var errRequestTimeout = errors.New("wazuh: request timed out")

// statusOf returns the HTTP status behind a call's outcome, 0 if none.
func statusOf(resp *response, err error) int {
	if resp != nil {
		return resp.status
	}
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.HTTPStatus
	}
	return 0
}

func isContextErr(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
