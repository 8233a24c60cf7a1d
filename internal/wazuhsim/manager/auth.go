package manager

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/subtle"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// JWT constants of the real API (api/api/authentication.py).
const (
	jwtIssuer   = "wazuh"
	jwtAudience = "Wazuh API REST"
	rbacMode    = "white"
)

// tokenClaims is the real token payload. It implements jwt.Claims itself
// because the real API (PyJWT) writes "aud" as a plain string, which
// jwt.RegisteredClaims would write as an array.
type tokenClaims struct {
	Issuer    string `json:"iss"`
	Audience  string `json:"aud"`
	NotBefore int64  `json:"nbf"`
	ExpiresAt int64  `json:"exp"`
	Subject   string `json:"sub"`
	RunAs     bool   `json:"run_as"`
	RBACRoles []int  `json:"rbac_roles"`
	RBACMode  string `json:"rbac_mode"`
}

func (c tokenClaims) GetExpirationTime() (*jwt.NumericDate, error) {
	return jwt.NewNumericDate(time.Unix(c.ExpiresAt, 0)), nil
}
func (c tokenClaims) GetNotBefore() (*jwt.NumericDate, error) {
	return jwt.NewNumericDate(time.Unix(c.NotBefore, 0)), nil
}
func (c tokenClaims) GetIssuedAt() (*jwt.NumericDate, error) { return nil, nil }
func (c tokenClaims) GetIssuer() (string, error)             { return c.Issuer, nil }
func (c tokenClaims) GetSubject() (string, error)            { return c.Subject, nil }
func (c tokenClaims) GetAudience() (jwt.ClaimStrings, error) {
	return jwt.ClaimStrings{c.Audience}, nil
}

// authority issues and checks tokens. Beyond the signature and exp, the
// real API rejects tokens issued before a revocation (PUT
// /security/user/revoke) and tokens whose lifetime differs from the current
// auth_token_exp_timeout; both are modelled here.
type authority struct {
	key *ecdsa.PrivateKey
	now func() time.Time

	mu       sync.Mutex
	lifetime time.Duration
	// issued holds every live token with its claims. Revocation empties
	// it, so a token issued before a revocation fails even within the same
	// clock second (nbf has one-second resolution, so it cannot tell them
	// apart).
	issued   map[string]issuedToken
	failures map[string]*loginFailures
}

type issuedToken struct {
	at     time.Time
	claims tokenClaims
}

type loginFailures struct {
	attempts int
	first    time.Time
}

func newAuthority(now func() time.Time, lifetime time.Duration) (*authority, error) {
	key, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate P-521 signing key: %w", err)
	}
	return &authority{key: key, now: now, lifetime: lifetime,
		issued: map[string]issuedToken{}, failures: map[string]*loginFailures{}}, nil
}

// issue signs a token for user.
func (a *authority) issue(user string, runAs bool) (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	now := a.now()
	nbf := now.Truncate(time.Second)
	claims := tokenClaims{
		Issuer: jwtIssuer, Audience: jwtAudience, Subject: user,
		NotBefore: nbf.Unix(), ExpiresAt: nbf.Add(a.lifetime).Unix(),
		RunAs: runAs, RBACRoles: []int{1}, RBACMode: rbacMode,
	}
	tok, err := jwt.NewWithClaims(jwt.SigningMethodES512, claims).SignedString(a.key)
	if err != nil {
		return "", fmt.Errorf("sign token: %w", err)
	}
	a.pruneLocked(now)
	a.issued[tok] = issuedToken{at: now, claims: claims}
	return tok, nil
}

// pruneLocked forgets tokens that have expired anyway, bounding memory.
func (a *authority) pruneLocked(now time.Time) {
	for tok, it := range a.issued {
		if now.Sub(it.at) > a.lifetime+time.Minute {
			delete(a.issued, tok)
		}
	}
}

// verify returns the subject of a valid token. Only tokens this authority
// issued (and did not revoke) are valid, so the token is looked up by its
// exact text and checked with the claims it was signed with: verifying the
// P-521 signature again on every request would cost more than the rest of
// the request (and far more under the race detector), and could not accept
// a token the lookup refuses.
func (a *authority) verify(raw string) (string, bool) {
	now := a.now()
	a.mu.Lock()
	defer a.mu.Unlock()
	it, ok := a.issued[raw]
	if !ok {
		return "", false
	}
	claims := it.claims
	// jwt's rules: valid from nbf (inclusive) until exp (exclusive).
	if now.Before(time.Unix(claims.NotBefore, 0)) || !now.Before(time.Unix(claims.ExpiresAt, 0)) {
		return "", false
	}
	// Changing auth_token_exp_timeout invalidates older tokens in the real API.
	if time.Duration(claims.ExpiresAt-claims.NotBefore)*time.Second != a.lifetime {
		return "", false
	}
	return claims.Subject, true
}

// revokeAll invalidates every token issued up to now.
func (a *authority) revokeAll() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.issued = map[string]issuedToken{}
}

func (a *authority) setLifetime(d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.lifetime = d
}

// blocked reports whether host exceeded max failed logins within block
// (api.yaml access.max_login_attempts / block_time).
func (a *authority) blocked(host string, max int, block time.Duration) bool {
	if max <= 0 {
		return false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	f := a.failures[host]
	if f == nil {
		return false
	}
	if a.now().Sub(f.first) >= block {
		delete(a.failures, host)
		return false
	}
	return f.attempts >= max
}

func (a *authority) recordFailure(host string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if f := a.failures[host]; f != nil {
		f.attempts++
		return
	}
	a.failures[host] = &loginFailures{attempts: 1, first: a.now()}
}

// bearer extracts the token of an "Authorization: Bearer" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false
	}
	return strings.TrimSpace(tok), true
}

// checkPassword compares credentials in constant time.
func (s *Server) checkPassword(user, pass string) bool {
	want, ok := s.users[user]
	return ok && subtle.ConstantTimeCompare([]byte(want), []byte(pass)) == 1
}

func clientHost(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// handleLogin serves POST/GET /security/user/authenticate (and run_as).
func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request, p params) {
	host := clientHost(r)
	if s.auth.blocked(host, s.opts.MaxLoginAttempts, s.opts.BlockTime) {
		writeProblem(w, errBlockedIP())
		return
	}
	user, pass, ok := r.BasicAuth()
	if !ok || !s.checkPassword(user, pass) {
		s.auth.recordFailure(host)
		writeProblem(w, errInvalidCredentials())
		return
	}
	tok, err := s.auth.issue(user, strings.HasSuffix(r.URL.Path, "/run_as"))
	if err != nil {
		writeProblem(w, &apiError{Status: http.StatusInternalServerError, Title: "Wazuh Internal Error", Detail: err.Error(), Code: 1000})
		return
	}
	s.stats.login()
	if p.boolean("raw") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(tok))
		return
	}
	writeJSON(w, http.StatusOK, dataResponse{Data: map[string]string{"token": tok}})
}

// handleRevoke serves PUT /security/user/revoke and DELETE
// /security/user/authenticate (logout), which both invalidate tokens.
func (s *Server) handleRevoke(w http.ResponseWriter, r *http.Request, _ params) {
	s.auth.revokeAll()
	msg := "Tokens were successfully revoked"
	if r.Method == http.MethodDelete {
		msg = "Token was successfully revoked"
	}
	writeJSON(w, http.StatusOK, dataResponse{Data: map[string]any{
		"msg": msg,
	}, Message: msg})
}
