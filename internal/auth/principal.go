// Package auth authenticates callers of the HTTP transport: API keys (from
// MCP_API_KEY and the store), the short-lived JWTs this server issues for
// them, and OAuth 2.1 access tokens from an external authorization server.
// Every way in ends in a Principal with scopes; wazuh:read lets a caller use
// read tools, wazuh:write also write tools. Client tokens never travel
// further than this package: Wazuh is always called with the server's own
// credentials.
package auth

import (
	"context"
	"errors"
	"slices"
	"time"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
)

// Scopes a principal can hold. Write implies read.
const (
	ScopeRead  = "wazuh:read"
	ScopeWrite = "wazuh:write"
)

// Kind says how a principal authenticated.
type Kind string

// Kinds of principal.
const (
	KindAPIKey Kind = "api_key" // a key from the store
	KindEnvKey Kind = "env_key" // MCP_API_KEY
	KindJWT    Kind = "jwt"     // a token from POST /auth/token
	KindOAuth  Kind = "oauth"   // an access token from the OAuth authorization server
	KindLocal  Kind = "local"   // AUTH_MODE=none on loopback
)

// Principal is an authenticated caller.
type Principal struct {
	// ID is stable for one credential: a key id ("key_…"), "env:…" for
	// MCP_API_KEY, "oauth:<sub>", or "local". A JWT has the id of the key it
	// was exchanged for. MCP sessions are bound to it.
	ID        string
	Name      string // for people: key name, token subject's user name
	Kind      Kind
	Scopes    []string
	ExpiresAt time.Time // zero: no expiry
	// Delegated keys belong to an orchestrator that enforces its own human
	// approval (Wazuh Autopilot): its writes run after the policy checks.
	Delegated bool
}

// CanWrite reports whether the principal may call write tools.
func (p *Principal) CanWrite() bool { return p != nil && slices.Contains(p.Scopes, ScopeWrite) }

// CanRead reports whether the principal may call read tools.
func (p *Principal) CanRead() bool {
	return p != nil && (slices.Contains(p.Scopes, ScopeRead) || p.CanWrite())
}

// Scope is the principal's scope in one word: write, read or none.
func (p *Principal) Scope() string {
	switch {
	case p.CanWrite():
		return "write"
	case p.CanRead():
		return "read"
	}
	return "none"
}

// TokenInfo is the principal as the go-sdk sees it: the streamable HTTP
// handler binds each session to UserID and tool handlers see the scopes.
func (p *Principal) TokenInfo() *mcpauth.TokenInfo {
	return &mcpauth.TokenInfo{
		UserID:     p.ID,
		Scopes:     slices.Clone(p.Scopes),
		Expiration: p.ExpiresAt,
		Extra:      map[string]any{"kind": string(p.Kind), "name": p.Name, "delegated": p.Delegated},
	}
}

// scopesFor turns a stored scope word into MCP scopes: read, write, and
// none for anything else (operator keys hold no MCP scope).
func scopesFor(scope string) []string {
	switch scope {
	case "write":
		return []string{ScopeRead, ScopeWrite}
	case "read":
		return []string{ScopeRead}
	}
	return nil
}

type principalKey struct{}

// WithPrincipal returns ctx carrying p.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// FromContext returns the principal in ctx, or nil.
func FromContext(ctx context.Context) *Principal {
	p, _ := ctx.Value(principalKey{}).(*Principal)
	return p
}

// Verifier authenticates a bearer token.
type Verifier interface {
	Authenticate(ctx context.Context, token string) (*Principal, error)
}

// Failures. Reason maps them to a short label for logs, metrics and rate
// limiting; none of them carries any part of the token.
var (
	ErrNoToken           = errors.New("no bearer token")
	ErrMalformed         = errors.New("malformed Authorization header")
	ErrInvalid           = errors.New("invalid token")
	ErrExpired           = errors.New("token expired")
	ErrRevoked           = errors.New("credential revoked")
	ErrInsufficientScope = errors.New("insufficient scope")
)

// Reason is the bounded label of an authentication failure: missing,
// malformed, invalid, expired, revoked, insufficient_scope or error (the
// verifier could not decide, e.g. the store failed).
func Reason(err error) string {
	switch {
	case errors.Is(err, ErrNoToken):
		return "missing"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrExpired):
		return "expired"
	case errors.Is(err, ErrRevoked):
		return "revoked"
	case errors.Is(err, ErrInsufficientScope):
		return "insufficient_scope"
	case errors.Is(err, ErrInvalid):
		return "invalid"
	}
	return "error"
}
