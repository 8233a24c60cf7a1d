package wazuh

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryPlan decides whether a failed read is retried and after how long.
// Retried: transport errors, 5xx and a first 429 (limited counts the 429s
// of this call). Not retried: a second 429 (the Manager's limit is shared by
// every client of the API user: waiting once is honouring Retry-After,
// retrying again would only add to the storm), other 4xx (the answer will
// not change), an open breaker, an exhausted budget, a cancelled caller, or
// a wait that would not fit before the caller's deadline.
func (c *Client) retryPlan(ctx context.Context, r *request, attempt, limited int, resp *response, err error) (time.Duration, bool) {
	if attempt > c.cfg.MaxRetries || ctx.Err() != nil {
		return 0, false
	}
	var wait time.Duration
	switch {
	case err != nil:
		var te *transportError
		if !errors.As(err, &te) || isContextErr(err) {
			return 0, false
		}
		wait = c.backoff(attempt)
	case resp.status == http.StatusTooManyRequests:
		if limited > 1 {
			return 0, false
		}
		if ra, ok := retryAfter(resp.header, time.Now()); ok {
			if ra > c.cfg.MaxRetryWait {
				return 0, false // the Manager asks for longer than we may wait: report it
			}
			wait = ra
		} else {
			wait = c.backoff(attempt)
		}
	case resp.status >= 500:
		wait = c.backoff(attempt)
		if ra, ok := retryAfter(resp.header, time.Now()); ok && ra <= c.cfg.MaxRetryWait {
			wait = max(wait, ra)
		}
	default:
		return 0, false
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
		return 0, false
	}
	return wait, true
}

// backoff is exponential with jitter (half fixed, half random) so coalesced
// clients do not retry in lockstep.
func (c *Client) backoff(attempt int) time.Duration {
	d := c.cfg.RetryBackoff << min(attempt-1, 10)
	d = min(d, c.cfg.MaxRetryWait)
	return d/2 + rand.N(d/2+1)
}

// retryAfter parses a Retry-After header (seconds or HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil && secs >= 0 {
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

func retryReason(resp *response, err error) string {
	switch {
	case err != nil:
		return "transport error"
	case resp.status == http.StatusTooManyRequests:
		return "rate limited (429)"
	default:
		return "HTTP " + strconv.Itoa(resp.status)
	}
}

// readFailure turns the last outcome of a read into the error returned.
func (c *Client) readFailure(r *request, attempts int, resp *response, err error) error {
	if err != nil {
		var te *transportError
		if errors.As(err, &te) && !isContextErr(err) {
			return newUnavailable(err, "%s %s failed after %d attempt(s): %v", r.method, r.endpoint, attempts, te.err)
		}
		return err
	}
	ae := decodeProblem(r.method, r.endpoint, resp.status, resp.contentType, resp.body)
	switch {
	case resp.status >= 500:
		return newUnavailable(ae, "%s (after %d attempt(s))", strings.TrimPrefix(ae.Error(), "wazuh: "), attempts)
	case resp.status == http.StatusTooManyRequests:
		if ra, ok := retryAfter(resp.header, time.Now()); ok {
			return fmt.Errorf("%w (the Manager asks to retry after %s)", ae, ra.Round(time.Second))
		}
	}
	return ae
}

// writeFailure turns a failed write into its error. A write that reached the
// wire without an answer, or got a gateway error (502/504: the gateway may have
// forwarded it), has an unknown outcome.
func (c *Client) writeFailure(r *request, resp *response, sent bool, err error) error {
	if err != nil {
		var te *transportError
		if sent && errors.As(err, &te) {
			return &WriteUnknownError{Method: r.method, Endpoint: r.endpoint, Err: te.err}
		}
		if errors.As(err, &te) && !isContextErr(err) {
			return newUnavailable(err, "%s %s was not sent: %v", r.method, r.endpoint, te.err)
		}
		return err
	}
	ae := decodeProblem(r.method, r.endpoint, resp.status, resp.contentType, resp.body)
	if resp.status == http.StatusBadGateway || resp.status == http.StatusGatewayTimeout {
		return &WriteUnknownError{Method: r.method, Endpoint: r.endpoint, Err: ae}
	}
	return ae
}
