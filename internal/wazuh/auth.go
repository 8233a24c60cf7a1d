package wazuh

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

const loginEndpoint = "/security/user/authenticate"

// Token lifetime handling. Wazuh JWTs live 900 s by default and cannot be
// refreshed, so the client logs in again shortly before exp.
const (
	maxRenewMargin   = 60 * time.Second
	unknownTokenLife = 5 * time.Minute // token without a readable exp: the 401 path covers us
)

// token is a JWT with the local time after which it should be renewed.
type token struct {
	value   string
	renewAt time.Time
}

func (t token) fresh(now time.Time) bool { return t.value != "" && now.Before(t.renewAt) }

// tokenSource keeps the current JWT and logs in at most once at a time.
type tokenSource struct {
	login func(context.Context) (token, error)
	group singleflight.Group
	mu    sync.Mutex
	tok   token
}

func newTokenSource(login func(context.Context) (token, error)) *tokenSource {
	return &tokenSource{login: login}
}

// get returns a fresh token, logging in when needed. Concurrent callers share one login.
func (ts *tokenSource) get(ctx context.Context) (string, error) {
	if t := ts.load(); t.fresh(time.Now()) {
		return t.value, nil
	}
	t, err := shared(ctx, &ts.group, "login", func(ctx context.Context) (token, error) {
		// A login that finished just before this flight started already did the work.
		if t := ts.load(); t.fresh(time.Now()) {
			return t, nil
		}
		t, err := ts.login(ctx)
		if err != nil {
			return token{}, err
		}
		ts.mu.Lock()
		ts.tok = t
		ts.mu.Unlock()
		return t, nil
	})
	return t.value, err
}

// invalidate drops the token after a 401, unless another caller already replaced it.
func (ts *tokenSource) invalidate(bad string) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	if ts.tok.value == bad {
		ts.tok = token{}
	}
}

func (ts *tokenSource) load() token {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.tok
}

func (ts *tokenSource) current() string { return ts.load().value }

func (ts *tokenSource) clear() {
	ts.mu.Lock()
	ts.tok = token{}
	ts.mu.Unlock()
}

// login authenticates with basic auth. The body is {"data":{"token":…},"error":0}.
func (c *Client) login(ctx context.Context) (token, error) {
	start := time.Now()
	r := &request{method: http.MethodPost, endpoint: loginEndpoint, path: loginEndpoint,
		idempotent: true, basicAuth: true}
	resp, err := c.do(ctx, r)
	if err == nil {
		var t token
		t, err = parseLogin(resp.body, start)
		if err == nil {
			c.cfg.Observer.ObserveLogin(time.Since(start), nil)
			return t, nil
		}
	}
	err = c.loginError(err)
	c.cfg.Observer.ObserveLogin(time.Since(start), err)
	return token{}, c.scrubErr(err)
}

// loginError explains the common login failures in words an operator can act on.
func (c *Client) loginError(err error) error {
	var ae *APIError
	if errors.As(err, &ae) {
		switch ae.HTTPStatus {
		case http.StatusUnauthorized:
			return fmt.Errorf("wazuh: login as %q rejected (check WAZUH_USER/WAZUH_PASS): %w", c.cfg.Username, err)
		case http.StatusForbidden:
			return fmt.Errorf("wazuh: login as %q forbidden (the Manager may have blocked this IP after failed logins): %w", c.cfg.Username, err)
		case http.StatusNotFound:
			return fmt.Errorf("wazuh: login endpoint not found at %s: is this the Wazuh 4.x Manager API (port 55000)? Wazuh 5.x removed most Manager endpoints: %w",
				c.base.Redacted(), err)
		}
	}
	return fmt.Errorf("wazuh: login failed: %w", err)
}

// parseLogin extracts the JWT and schedules its renewal from its claims.
func parseLogin(body []byte, start time.Time) (token, error) {
	var env struct {
		Data struct {
			Token string `json:"token"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Data.Token == "" {
		return token{}, errors.New("wazuh: login answer has no data.token")
	}
	return token{value: env.Data.Token, renewAt: renewTime(env.Data.Token, start)}, nil
}

// renewTime picks when to log in again. With iat and exp the lifetime is
// exp-iat, counted from the local login time, which cancels clock skew between
// us and the Manager. The margin is a fifth of the lifetime, at most 60 s.
func renewTime(jwt string, start time.Time) time.Time {
	iat, exp, ok := jwtTimes(jwt)
	var life time.Duration
	switch {
	case ok && iat > 0 && exp > iat:
		life = time.Duration((exp - iat) * float64(time.Second))
	case ok && exp > 0:
		life = time.Until(time.Unix(int64(exp), 0))
	}
	if life <= 0 {
		return start.Add(unknownTokenLife)
	}
	return start.Add(life - min(maxRenewMargin, life/5))
}

// jwtTimes decodes iat and exp from a JWT payload without verifying the
// signature: the client only needs to know when the Manager will stop
// accepting the token, and the Manager verifies it anyway.
func jwtTimes(jwt string) (iat, exp float64, ok bool) {
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return 0, 0, false
	}
	payload, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "="))
	if err != nil {
		return 0, 0, false
	}
	var claims struct {
		Iat float64 `json:"iat"`
		Exp float64 `json:"exp"`
	}
	if json.Unmarshal(payload, &claims) != nil {
		return 0, 0, false
	}
	return claims.Iat, claims.Exp, claims.Exp > 0
}
