package wazuh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// request is one prepared API call.
type request struct {
	method     string
	endpoint   string // template, used for logs, metrics and error messages
	path       string // escaped path, without the base path
	query      url.Values
	body       []byte
	idempotent bool // reads (and the login) may be retried
	basicAuth  bool // the login: basic auth instead of the JWT
	raw        bool // GetRaw: accept any content type (XML, plain text)
}

// response is a fully read HTTP answer. Its body is shared between coalesced
// callers and the cache, so it must never be modified.
type response struct {
	status      int
	contentType string
	header      http.Header
	body        []byte
	// shared is set before the answer goes into the cache; only then are
	// its typed decodes memoized in decoded (List).
	shared  bool
	decoded decodedPages
}

// cacheable reports whether resp may be cached: a 2xx whose envelope (if
// JSON) reports no error. Partial results are not cached.
func (r *response) cacheable() bool {
	if r.status < 200 || r.status > 299 {
		return false
	}
	if !strings.Contains(r.contentType, "json") {
		return true
	}
	var env struct {
		Error int `json:"error"`
	}
	return json.Unmarshal(r.body, &env) == nil && env.Error == 0
}

// newRequest fills the endpoint template with escaped path parameters.
func (c *Client) newRequest(method, endpoint string, pathParams []string, query url.Values, body any) (*request, error) {
	path, err := expandPath(endpoint, pathParams)
	if err != nil {
		return nil, err
	}
	r := &request{method: method, endpoint: endpoint, path: path, query: query,
		idempotent: method == http.MethodGet || method == http.MethodHead}
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("wazuh: %s %s: encoding body: %w", method, endpoint, err)
		}
		r.body = b
	}
	return r, nil
}

// expandPath replaces each {name} of tmpl, in order, with the escaped param.
// Parameters are escaped with url.PathEscape so a "/" or "?" in a value can
// never change which endpoint is called; "", "." and ".." are refused because
// servers normalise them into other paths.
func expandPath(tmpl string, params []string) (string, error) {
	if !strings.HasPrefix(tmpl, "/") {
		return "", fmt.Errorf("wazuh: endpoint %q must start with /", tmpl)
	}
	var b strings.Builder
	rest, i := tmpl, 0
	for {
		open := strings.IndexByte(rest, '{')
		if open < 0 {
			b.WriteString(rest)
			break
		}
		end := strings.IndexByte(rest[open:], '}')
		if end < 0 {
			return "", fmt.Errorf("wazuh: endpoint %q has an unclosed {", tmpl)
		}
		name := rest[open+1 : open+end]
		if i >= len(params) {
			return "", fmt.Errorf("wazuh: endpoint %q: missing value for {%s}", tmpl, name)
		}
		p := params[i]
		if p == "" || p == "." || p == ".." {
			return "", fmt.Errorf("wazuh: endpoint %q: invalid value %q for {%s}", tmpl, p, name)
		}
		b.WriteString(rest[:open])
		b.WriteString(url.PathEscape(p))
		rest, i = rest[open+end+1:], i+1
	}
	if i != len(params) {
		return "", fmt.Errorf("wazuh: endpoint %q takes %d path parameters, got %d", tmpl, i, len(params))
	}
	return b.String(), nil
}

// key identifies a read for the cache and the coalescing group: method, path
// and query with sorted keys (url.Values.Encode sorts).
func (r *request) key() string {
	k := r.method + " " + r.path + "?" + r.query.Encode()
	if r.raw { // same URL, different Accept: keep raw and JSON answers apart
		k = "raw " + k
	}
	return k
}

// url returns the absolute URL of r.
func (c *Client) urlFor(r *request) string {
	u := c.base.String() + r.path
	if q := r.query.Encode(); q != "" {
		u += "?" + q
	}
	return u
}

// do runs r with auth, the breaker, the budget and, for idempotent requests,
// retries. It returns a 2xx response or an error.
func (c *Client) do(ctx context.Context, r *request) (*response, error) {
	reauthed := false
	limited := 0 // 429 answers
	for attempt := 1; ; attempt++ {
		resp, tok, sent, err := c.attempt(ctx, r, attempt)
		if err == nil && resp.status == http.StatusTooManyRequests {
			limited++
		}
		if err == nil && resp.status == http.StatusUnauthorized && !r.basicAuth && !reauthed {
			// The token expired or was revoked early: the Manager rejects a 401
			// request before acting, so one re-login and resend is safe even for writes.
			reauthed = true
			c.tokens.invalidate(tok)
			continue
		}
		if err == nil && resp.status >= 200 && resp.status <= 299 {
			return resp, nil
		}
		if !r.idempotent {
			return nil, c.writeFailure(r, resp, sent, err)
		}
		wait, retry := c.retryPlan(ctx, r, attempt, limited, resp, err)
		if !retry {
			return nil, c.readFailure(r, attempt, resp, err)
		}
		reason := retryReason(resp, err)
		c.cfg.Observer.ObserveRetry(r.endpoint, attempt+1, reason)
		c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "wazuh retry",
			slog.String("method", r.method), slog.String("endpoint", r.endpoint),
			slog.Int("next_attempt", attempt+1), slog.String("reason", reason), slog.Duration("wait", wait))
		if sleepCtx(ctx, wait) != nil {
			return nil, c.readFailure(r, attempt, resp, err)
		}
	}
}

// attempt sends r once. It returns the response (any status), the token used,
// whether the request reached the wire, and a transport-level error.
func (c *Client) attempt(ctx context.Context, r *request, attempt int) (resp *response, tok string, sent bool, err error) {
	if !r.basicAuth {
		if tok, err = c.tokens.get(ctx); err != nil {
			return nil, "", false, err
		}
	}
	done, err := c.breaker.allow(r)
	if err != nil {
		return nil, tok, false, err
	}
	if err = c.budget.wait(ctx); err != nil {
		done(errBreakerExcluded)
		return nil, tok, false, err
	}
	start := time.Now()
	resp, sent, err = c.send(ctx, r, tok)
	done(breakerOutcome(ctx, resp, err))
	if err == nil && resp.status == http.StatusTooManyRequests {
		if ra, ok := retryAfter(resp.header, time.Now()); ok {
			c.budget.holdFor(min(ra, c.cfg.MaxRetryWait))
		}
	}
	c.logAttempt(ctx, r, attempt, resp, err, time.Since(start))
	return resp, tok, sent, err
}

// send performs one HTTP exchange and reads the whole body.
func (c *Client) send(ctx context.Context, r *request, tok string) (*response, bool, error) {
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	var wrote atomic.Bool
	trace := &httptrace.ClientTrace{WroteRequest: func(info httptrace.WroteRequestInfo) {
		if info.Err == nil {
			wrote.Store(true)
		}
	}}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, trace), r.method, c.urlFor(r), body)
	if err != nil {
		return nil, false, &transportError{method: r.method, endpoint: r.endpoint, err: err}
	}
	c.setHeaders(ctx, req, r, tok)
	res, err := c.http.Do(req)
	if err != nil {
		return nil, wrote.Load(), &transportError{method: r.method, endpoint: r.endpoint, err: unwrapURLError(err)}
	}
	defer res.Body.Close()
	data, err := io.ReadAll(io.LimitReader(res.Body, maxResponseBytes+1))
	if err != nil {
		return nil, true, &transportError{method: r.method, endpoint: r.endpoint, err: fmt.Errorf("reading response: %w", err)}
	}
	if len(data) > maxResponseBytes {
		return nil, true, fmt.Errorf("wazuh: %s %s: response larger than %d bytes", r.method, r.endpoint, maxResponseBytes)
	}
	return &response{status: res.StatusCode, contentType: res.Header.Get("Content-Type"), header: res.Header, body: data}, true, nil
}

func (c *Client) setHeaders(ctx context.Context, req *http.Request, r *request, tok string) {
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if r.raw {
		req.Header.Set("Accept", "*/*")
	} else {
		req.Header.Set("Accept", "application/json")
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if r.basicAuth {
		req.SetBasicAuth(c.cfg.Username, c.cfg.Password)
	} else {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if id := requestid.From(ctx); id != "" {
		req.Header.Set("X-Correlation-ID", id)
	}
}

// logAttempt writes one debug line per attempt. It logs the endpoint template,
// never the URL, headers or body, so no credential or token can reach the log.
func (c *Client) logAttempt(ctx context.Context, r *request, attempt int, resp *response, err error, d time.Duration) {
	if !c.cfg.Logger.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", r.method), slog.String("endpoint", r.endpoint),
		slog.Int("status", statusOf(resp, err)), slog.Duration("duration", d), slog.Int("attempt", attempt),
	}
	if id := requestid.From(ctx); id != "" {
		attrs = append(attrs, slog.String("correlation_id", id))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", c.scrubErr(err).Error()))
	}
	c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "wazuh request", attrs...)
}

// transportError is a failure below HTTP (DNS, connect, TLS, reset, timeout).
// It names the endpoint template instead of echoing the URL.
type transportError struct {
	method, endpoint string
	err              error
}

func (e *transportError) Error() string {
	return scrubText(fmt.Sprintf("wazuh: %s %s: %v", e.method, e.endpoint, e.err))
}
func (e *transportError) Unwrap() error { return e.err }

// unwrapURLError drops *url.Error's URL (which would repeat the query) but
// keeps its cause for errors.Is.
func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// sleepCtx waits d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
