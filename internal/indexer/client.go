// Package indexer is the Wazuh indexer (OpenSearch) client: alert and
// vulnerability searches and aggregations built from typed structs (never by
// pasting strings into JSON), cursor paging with search_after, and errors
// that say clearly whether the indexer is not configured, unreachable, or
// rejecting the credentials.
//
// HTTP goes through opensearch-go's transport (connection handling, basic
// auth) with its retries disabled: this package retries reads itself so it
// can honour Retry-After on 429 and report every attempt to an Observer.
//
// Decisions worth knowing when calling it:
//
//   - IP filters: data.srcip and data.dstip are keyword fields in the Wazuh
//     alerts template, so a CIDR cannot be matched; AlertFilter refuses CIDRs
//     (except /32 and /128) with an error that says why.
//   - Free text (AlertFilter.Text) is literal, never query syntax: a match
//     query with operator "and" on full_log (the analyzed field), OR a
//     case-insensitive "contains" wildcard, with * ? \ escaped, on the keyword
//     fields an analyst means (rule.description, agent.name, users, IPs, url,
//     syscheck.path, location, groups, MITRE technique). simple_query_string
//     was rejected because its operators would turn user text into a query,
//     and on keyword fields it only matches whole values.
//   - Missing index: searches send allow_no_indices and ignore_unavailable,
//     and treat a 404 index_not_found like a pattern that matched nothing:
//     an empty result with NoIndex set (a fresh deployment has no alerts
//     index until the first alert), so tools can say "no alerts index found".
//   - Paging: search_after with a total order. Alerts sort by timestamp then
//     the unique "id" keyword; vulnerabilities by score then agent.id,
//     vulnerability.id and package name/version/architecture. One extra
//     page hit is fetched so Next is empty exactly when there is no more.
//   - Correlation: Config.CorrelationID (no package dependency) supplies the
//     X-Correlation-ID header; the server wires its request-id middleware.
package indexer

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/opensearch-project/opensearch-go/v4"
	"github.com/opensearch-project/opensearch-go/v4/opensearchtransport"
)

// Defaults applied by New.
const (
	DefaultAlertsIndex          = "wazuh-alerts-4.x-*"
	DefaultVulnerabilitiesIndex = "wazuh-states-vulnerabilities-*"
	DefaultTimeout              = 30 * time.Second
	DefaultMaxRetries           = 2

	// maxResponseBytes bounds what we read from the indexer; a search page or
	// an aggregation that is larger is a bug in the caller's request.
	maxResponseBytes = 64 << 20
	// maxRetryAfter is the longest Retry-After we wait for; longer waits are
	// reported as ErrRateLimited instead of blocking a tool call.
	maxRetryAfter = 10 * time.Second
)

// Config configures a Client. The zero value (empty URL) gives a client whose
// every call fails with ErrNotConfigured.
type Config struct {
	URL                string        // "https://indexer:9200" or "http://127.0.0.1:9200"; empty = not configured
	Username, Password string        // basic auth; userinfo in URL is used when these are empty
	TLS                *tls.Config   // nil = system roots, verification on
	Timeout            time.Duration // per HTTP attempt, default 30s; ctx may end it earlier
	AlertsIndex        string        // default "wazuh-alerts-4.x-*"
	// VulnerabilitiesIndex defaults to "wazuh-states-vulnerabilities-*".
	VulnerabilitiesIndex string
	// MaxRetries applies to reads (every call of this package is a read):
	// transport errors, 502/503/504, and 429 with a Retry-After. Default 2;
	// negative disables retries.
	MaxRetries int
	Logger     *slog.Logger
	Observer   Observer // optional metrics hooks; nil ok
	// CorrelationID, when set, is called per request; a non-empty result is
	// sent as the X-Correlation-ID header so indexer logs can be joined with
	// ours. The server wires it to its request-id middleware.
	CorrelationID func(context.Context) string
}

// Observer receives one call per HTTP attempt, for metrics. Implementations
// must be safe for concurrent use and must not block.
type Observer interface {
	ObserveRequest(RequestInfo)
}

// RequestInfo describes one HTTP attempt.
type RequestInfo struct {
	Op        string // e.g. "search alerts", "ping"
	Attempt   int    // 0 for the first try
	Status    int    // HTTP status, 0 when no response arrived
	Err       error  // nil on 2xx
	Duration  time.Duration
	WillRetry bool
}

// Client talks to one Wazuh indexer. It is safe for concurrent use.
type Client struct {
	os            *opensearch.Client // nil when not configured
	host          string             // host:port for messages, never credentials
	alertsIndex   string
	vulnIndex     string
	timeout       time.Duration
	maxRetries    int
	log           *slog.Logger
	observer      Observer
	correlationID func(context.Context) string
	// backoff is the wait before retry number attempt+1; tests shorten it.
	backoff func(attempt int) time.Duration
}

// New builds a Client. An empty cfg.URL is not an error: the client reports
// ErrNotConfigured on every call, so indexer-backed tools can explain what
// to set while the Manager-backed tools keep working.
func New(cfg Config) (*Client, error) {
	c := &Client{
		alertsIndex:   orDefault(cfg.AlertsIndex, DefaultAlertsIndex),
		vulnIndex:     orDefault(cfg.VulnerabilitiesIndex, DefaultVulnerabilitiesIndex),
		timeout:       cfg.Timeout,
		maxRetries:    cfg.MaxRetries,
		log:           cfg.Logger,
		observer:      cfg.Observer,
		correlationID: cfg.CorrelationID,
		backoff:       defaultBackoff,
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	if c.maxRetries == 0 {
		c.maxRetries = DefaultMaxRetries
	} else if c.maxRetries < 0 {
		c.maxRetries = 0
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	for _, idx := range []string{c.alertsIndex, c.vulnIndex} {
		if err := validateIndex(idx); err != nil {
			return nil, err
		}
	}
	if strings.TrimSpace(cfg.URL) == "" {
		return c, nil
	}
	u, user, pass, err := parseURL(cfg.URL)
	if err != nil {
		return nil, err
	}
	if cfg.Username == "" && cfg.Password == "" {
		cfg.Username, cfg.Password = user, pass
	}
	c.host = u.Host
	// The transport is built here rather than by opensearch.NewClient,
	// whose Config cannot turn off the node-stats poller: it would GET
	// /_nodes/_local/stats every 5 s (background load, and 403s for a
	// Wazuh user without cluster monitor rights). With one node and no
	// discovery, the health-check machinery would only add requests too.
	tp, err := opensearchtransport.New(opensearchtransport.Config{
		URLs:                  []*url.URL{u},
		Username:              cfg.Username,
		Password:              cfg.Password,
		Transport:             newHTTPTransport(cfg.TLS),
		DisableRetry:          true,
		HealthCheckMaxRetries: -1,
		MaxRetryClusterHealth: -1,
		NodeStatsInterval:     -1,
	})
	if err == nil {
		c.os = &opensearch.Client{Transport: tp}
	}
	if err != nil {
		return nil, fmt.Errorf("create Wazuh indexer client for %s: %w", c.host, err)
	}
	return c, nil
}

// Configured reports whether the client has an indexer URL.
func (c *Client) Configured() bool { return c != nil && c.os != nil }

// Host is the indexer's host:port ("" when not configured), for messages.
func (c *Client) Host() string { return c.host }

// AlertsIndex is the index pattern alert searches use.
func (c *Client) AlertsIndex() string { return c.alertsIndex }

// VulnerabilitiesIndex is the index pattern vulnerability searches use.
func (c *Client) VulnerabilitiesIndex() string { return c.vulnIndex }

// Close releases idle connections and background resources.
func (c *Client) Close() error {
	if c.os == nil {
		return nil
	}
	return c.os.Close()
}

func orDefault(s, def string) string {
	if strings.TrimSpace(s) == "" {
		return def
	}
	return strings.TrimSpace(s)
}

// parseURL accepts "https://host:9200", "http://host:9200/prefix" or a bare
// "host:9200" (https assumed, as the Wazuh indexer always serves TLS). It
// splits off userinfo so credentials never appear in the URL we log.
func parseURL(raw string) (*url.URL, string, string, error) {
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, "", "", fmt.Errorf("invalid Wazuh indexer URL: %w", scrubURLError(err))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, "", "", fmt.Errorf("invalid Wazuh indexer URL: scheme must be http or https, got %q", u.Scheme)
	}
	if u.Host == "" {
		return nil, "", "", errors.New("invalid Wazuh indexer URL: no host")
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return nil, "", "", errors.New("invalid Wazuh indexer URL: query and fragment are not allowed")
	}
	var user, pass string
	if u.User != nil {
		user = u.User.Username()
		pass, _ = u.User.Password()
		u.User = nil
	}
	u.Path = strings.TrimRight(u.Path, "/")
	return u, user, pass, nil
}

// scrubURLError drops the URL from a *url.Error: it may carry userinfo.
func scrubURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// validateIndex checks an index name or pattern: lowercase letters, digits,
// and . _ - * , (OpenSearch index names are lowercase; comma joins several).
func validateIndex(idx string) error {
	if len(idx) > 255 {
		return fmt.Errorf("invalid index pattern %q: too long", idx)
	}
	for _, r := range idx {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("._-*,", r)
		if !ok {
			return fmt.Errorf("invalid index pattern %q: only lowercase letters, digits and . _ - * , are allowed", idx)
		}
	}
	if strings.HasPrefix(idx, "-") || strings.HasPrefix(idx, "_") {
		return fmt.Errorf("invalid index pattern %q: must not start with - or _", idx)
	}
	return nil
}

// newHTTPTransport is a pooled transport for one host. TLS verification stays
// on unless the caller's tls.Config turns it off.
func newHTTPTransport(tlsCfg *tls.Config) *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	if tlsCfg != nil {
		t.TLSClientConfig = tlsCfg.Clone()
	} else {
		t.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	}
	t.MaxIdleConns = 64
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return t
}

func defaultBackoff(attempt int) time.Duration {
	base := 200 * time.Millisecond << min(attempt, 4)
	return base/2 + rand.N(base) // jitter so concurrent callers do not retry in step
}

// response is a fully read 2xx answer.
type response struct {
	status int
	body   []byte
}

// request is one logical call; do retries it.
type request struct {
	op     string
	method string
	path   string
	params url.Values
	body   []byte
}

// do sends req, retrying reads on transport errors, 502/503/504 and 429
// with Retry-After. Non-2xx answers become *SearchError; transport failures
// wrap ErrUnreachable.
func (c *Client) do(ctx context.Context, req request) (response, error) {
	if !c.Configured() {
		return response{}, fmt.Errorf("%s: %w", req.op, ErrNotConfigured)
	}
	for attempt := 0; ; attempt++ {
		start := time.Now()
		res, header, err := c.attempt(ctx, req)
		wait, retry := c.retryable(ctx, attempt, res.status, header, err)
		c.observe(req.op, attempt, res.status, err, time.Since(start), retry)
		if !retry {
			return res, err
		}
		c.log.LogAttrs(ctx, slog.LevelWarn, "indexer request failed, retrying",
			slog.String("op", req.op), slog.Int("attempt", attempt+1), slog.Int("status", res.status),
			slog.Duration("wait", wait), slog.String("error", errString(err)))
		if err := sleep(ctx, wait); err != nil {
			return response{}, fmt.Errorf("%s: %w", req.op, err)
		}
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func (c *Client) observe(op string, attempt, status int, err error, d time.Duration, retry bool) {
	c.log.LogAttrs(context.Background(), slog.LevelDebug, "indexer request",
		slog.String("op", op), slog.Int("attempt", attempt), slog.Int("status", status),
		slog.Duration("took", d), slog.String("error", errString(err)))
	if c.observer != nil {
		c.observer.ObserveRequest(RequestInfo{Op: op, Attempt: attempt, Status: status, Err: err, Duration: d, WillRetry: retry})
	}
}

// retryable decides whether attempt should be retried and after how long.
func (c *Client) retryable(ctx context.Context, attempt, status int, header http.Header, err error) (time.Duration, bool) {
	if err == nil || attempt >= c.maxRetries || ctx.Err() != nil {
		return 0, false
	}
	wait := c.backoff(attempt)
	switch {
	case errors.Is(err, ErrUnreachable):
	case status == http.StatusBadGateway, status == http.StatusServiceUnavailable, status == http.StatusGatewayTimeout:
	case status == http.StatusTooManyRequests:
		ra, ok := retryAfter(header)
		if !ok || ra > maxRetryAfter {
			return 0, false
		}
		wait = ra
	default:
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
		return 0, false // the wait alone would outlive the caller
	}
	return wait, true
}

// retryAfter parses a Retry-After header given in seconds (the form
// OpenSearch and proxies use); HTTP dates are accepted too.
func retryAfter(h http.Header) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0), true
	}
	return 0, false
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// attempt performs one HTTP round trip under the per-attempt timeout and
// reads the whole body before the timeout's context is released.
func (c *Client) attempt(ctx context.Context, req request) (response, http.Header, error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	hreq, err := c.newHTTPRequest(actx, req)
	if err != nil {
		return response{}, nil, fmt.Errorf("%s: %w", req.op, err)
	}
	hres, err := c.os.Stream(hreq)
	if err != nil {
		if hres != nil && hres.Body != nil {
			hres.Body.Close()
		}
		return response{}, nil, c.transportError(ctx, actx, req.op, err)
	}
	defer hres.Body.Close()
	body, err := io.ReadAll(io.LimitReader(hres.Body, maxResponseBytes+1))
	if err != nil {
		return response{status: hres.StatusCode}, hres.Header, c.transportError(ctx, actx, req.op, err)
	}
	if len(body) > maxResponseBytes {
		return response{status: hres.StatusCode}, hres.Header, fmt.Errorf("%s: indexer response larger than %d MiB; ask for fewer documents or smaller aggregations", req.op, maxResponseBytes>>20)
	}
	res := response{status: hres.StatusCode, body: body}
	if hres.StatusCode < 200 || hres.StatusCode > 299 {
		return res, hres.Header, decodeError(req.op, hres.StatusCode, body)
	}
	return res, hres.Header, nil
}

func (c *Client) newHTTPRequest(ctx context.Context, req request) (*http.Request, error) {
	var body io.Reader
	if req.body != nil {
		body = bytes.NewReader(req.body)
	}
	u := &url.URL{Path: req.path, RawQuery: req.params.Encode()}
	hreq, err := http.NewRequestWithContext(ctx, req.method, u.String(), body)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("Accept", "application/json")
	if req.body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	if c.correlationID != nil {
		if id := c.correlationID(ctx); id != "" && len(id) <= 128 && !strings.ContainsAny(id, "\r\n") {
			hreq.Header.Set("X-Correlation-ID", id)
		}
	}
	return hreq, nil
}

// transportError maps a failed round trip: the caller's own cancellation is
// returned as is; everything else (refused, DNS, TLS, resets, our per-attempt
// timeout) is ErrUnreachable with the host and a short cause.
func (c *Client) transportError(callerCtx, attemptCtx context.Context, op string, err error) error {
	if callerCtx.Err() != nil {
		return fmt.Errorf("%s: %w", op, callerCtx.Err())
	}
	cause := describeCause(err)
	if attemptCtx.Err() != nil {
		cause = fmt.Sprintf("no response within %s", c.timeout)
	}
	return fmt.Errorf("%s: %w at %s: %s", op, ErrUnreachable, c.host, cause)
}

// decodeError turns an OpenSearch error body into *SearchError. It accepts
// {"error":{…}}, {"error":"text"} and non-JSON bodies (proxies).
func decodeError(op string, status int, body []byte) error {
	e := &SearchError{Status: status, Op: op}
	var env struct {
		Error json.RawMessage `json:"error"`
	}
	if json.Unmarshal(body, &env) == nil && len(env.Error) > 0 {
		var obj struct {
			Type      string `json:"type"`
			Reason    string `json:"reason"`
			RootCause []struct {
				Type   string `json:"type"`
				Reason string `json:"reason"`
			} `json:"root_cause"`
		}
		var text string
		switch {
		case json.Unmarshal(env.Error, &obj) == nil:
			e.Type, e.Reason = obj.Type, obj.Reason
			if len(obj.RootCause) > 0 && obj.RootCause[0].Reason != "" {
				e.Reason = obj.RootCause[0].Reason
				if e.Type == "" || e.Type == "search_phase_execution_exception" {
					e.Type = obj.RootCause[0].Type
				}
			}
		case json.Unmarshal(env.Error, &text) == nil:
			e.Reason = text
		}
	} else if status != http.StatusUnauthorized && status != http.StatusForbidden {
		e.Reason = strings.TrimSpace(string(body))
		if !json.Valid(body) && strings.Contains(strings.ToLower(e.Reason), "<html") {
			e.Reason = http.StatusText(status)
		}
	}
	e.Reason = truncate(strings.ToValidUTF8(e.Reason, "?"), maxReasonLen)
	return e
}
