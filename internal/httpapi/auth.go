package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	mcpauth "github.com/modelcontextprotocol/go-sdk/auth"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/requestid"
)

// Authentication modes (AUTH_MODE).
const (
	AuthBearer = "bearer" // API keys and the JWTs of POST /auth/token
	AuthOAuth  = "oauth"  // access tokens from an external OAuth authorization server
	AuthNone   = "none"   // no authentication: loopback and read-only (enforced by the CLI's config check)
)

// AuthOptions configure authentication of /mcp, / and /sse.
type AuthOptions struct {
	// Mode is bearer, oauth or none; empty means none. An unknown mode, or
	// bearer/oauth without a Verifier, refuses every MCP request (500).
	Mode     string
	Verifier auth.Verifier
	// Exchanger serves POST /auth/token in bearer mode; nil: not served.
	Exchanger TokenExchanger
	// ReadServer serves principals without the write scope: the catalogue
	// without write tools. Nil means Server holds no write tools and serves
	// everyone.
	ReadServer *mcp.Server
	// LocalOperator gives the unauthenticated local principal (mode none)
	// the write scope: `wazuh-mcp demo` with the response toolset, where
	// the local user is the operator and every write still needs approval.
	LocalOperator bool
	// OAuth: ResourceURL is the canonical URL of the MCP endpoint
	// (MCP_PUBLIC_URL, e.g. https://mcp.example.com/mcp), named in the
	// protected resource metadata; AuthorizationServers are issuer URLs;
	// ReadScope and WriteScope are the scope names clients ask for
	// (default wazuh:read, wazuh:write).
	ResourceURL          string
	AuthorizationServers []string
	ReadScope            string
	WriteScope           string
	// OnFailure, when set, is called for every rejected credential with a
	// bounded reason (auth.Reason: missing, malformed, invalid, expired,
	// revoked, insufficient_scope): the hook for rate limiting failed
	// attempts and for metrics. It runs before the 401/403 is written.
	OnFailure func(r *http.Request, reason string)
}

// TokenExchanger trades an API key for a JWT (auth.Bearer).
type TokenExchanger interface {
	Exchange(ctx context.Context, key string) (auth.Token, *auth.Principal, error)
}

// localPrincipal is the caller in AUTH_MODE=none: read scope only.
var localPrincipal = auth.Principal{ID: "local", Name: "local", Kind: auth.KindLocal, Scopes: []string{auth.ScopeRead}}

// authLayer authenticates requests, picks the catalogue by scope and binds
// sessions to the principal that opened them.
type authLayer struct {
	opts   AuthOptions
	server *mcp.Server
	log    *slog.Logger
	sse    *sseBindings
	// metrics and limiter count refused credentials (fail); nil: not counted.
	metrics *Metrics
	limiter *RateLimiter
}

func newAuthLayer(opts Options) *authLayer {
	a := &authLayer{opts: opts.Auth, server: opts.Server, log: opts.Logger, sse: newSSEBindings()}
	if a.opts.Mode == "" {
		a.opts.Mode = AuthNone
	}
	if a.opts.ReadScope == "" {
		a.opts.ReadScope = auth.ScopeRead
	}
	if a.opts.WriteScope == "" {
		a.opts.WriteScope = auth.ScopeWrite
	}
	return a
}

// getServer gives write-scoped principals the full catalogue and everyone
// else the read catalogue. It runs when a session opens; the session keeps
// its server, and the session is bound to the principal.
func (a *authLayer) getServer(r *http.Request) *mcp.Server {
	if p := auth.FromContext(r.Context()); p.CanWrite() || a.opts.ReadServer == nil {
		return a.server
	}
	return a.opts.ReadServer
}

// require authenticates the request and passes it on with the principal in
// its context and, for the go-sdk, as auth.TokenInfo (UserID = principal
// id): the streamable handler then refuses a session's requests from any
// other principal.
func (a *authLayer) require(next http.Handler) http.Handler {
	// Built once: the token info comes from the principal that the request
	// carries by the time it reaches this middleware.
	withInfo := mcpauth.RequireBearerToken(func(_ context.Context, _ string, r *http.Request) (*mcpauth.TokenInfo, error) {
		if p := auth.FromContext(r.Context()); p != nil {
			return p.TokenInfo(), nil
		}
		return nil, mcpauth.ErrInvalidToken // unreachable: set just before
	}, &mcpauth.RequireBearerTokenOptions{
		AllowMissingExpiration: true,            // keys without --expires
		ClockSkew:              2 * time.Minute, // expiry was checked above, with the verifier's leeway
	})(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch a.opts.Mode {
		case AuthNone:
			p := localPrincipal
			if a.opts.LocalOperator {
				p.Scopes = []string{auth.ScopeRead, auth.ScopeWrite}
			}
			next.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), &p)))
			return
		case AuthBearer, AuthOAuth:
			if a.opts.Verifier != nil {
				break
			}
			fallthrough
		default:
			a.log.Error("authentication is misconfigured: refusing the request", "auth_mode", a.opts.Mode)
			http.Error(w, "authentication is misconfigured", http.StatusInternalServerError)
			return
		}
		p, err := a.authenticate(r)
		if err != nil {
			a.fail(w, r, err)
			return
		}
		withInfo.ServeHTTP(w, r.WithContext(auth.WithPrincipal(r.Context(), p)))
	})
}

// authenticate verifies the request's bearer token.
func (a *authLayer) authenticate(r *http.Request) (*auth.Principal, error) {
	token, err := auth.ParseAuthorization(r.Header.Values("Authorization"))
	if err != nil {
		return nil, err
	}
	p, err := a.opts.Verifier.Authenticate(r.Context(), token)
	if err != nil {
		return nil, err
	}
	a.log.LogAttrs(r.Context(), slog.LevelDebug, "authenticated",
		slog.String("correlation_id", requestid.From(r.Context())),
		slog.String("principal", p.ID), slog.String("kind", string(p.Kind)), slog.String("scope", p.Scope()))
	return p, nil
}

// failure texts: fixed per reason, never derived from the token.
var failureText = map[string]string{
	"missing":            "a bearer token is required (Authorization: Bearer <API key or token>)",
	"malformed":          "the Authorization header is not a single Bearer token",
	"invalid":            "the token is not valid for this server",
	"expired":            "the token or key has expired",
	"revoked":            "the key has been revoked",
	"insufficient_scope": "the token grants no access to this server",
}

// fail answers a rejected credential: 401 (403 for a valid token without
// a usable scope) with an RFC 6750 WWW-Authenticate challenge; in oauth
// mode the challenge names the protected resource metadata and the scope
// to ask for, as the MCP authorization spec requires.
func (a *authLayer) fail(w http.ResponseWriter, r *http.Request, err error) {
	reason := auth.Reason(err)
	if reason == "error" {
		a.log.Error("authentication could not be checked", "correlation_id", requestid.From(r.Context()), "error", err)
		http.Error(w, "authentication is unavailable", http.StatusServiceUnavailable)
		return
	}
	a.metrics.AuthFailure(reason)
	if lockingReason(reason) {
		a.limiter.FailedAuth(ClientIP(r.Context()))
	}
	if a.opts.OnFailure != nil {
		a.opts.OnFailure(r, reason)
	}
	a.log.LogAttrs(r.Context(), slog.LevelWarn, "authentication failed",
		slog.String("correlation_id", requestid.From(r.Context())),
		slog.String("reason", reason),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.String("remote", r.RemoteAddr),
	)
	status, code := http.StatusUnauthorized, "invalid_token"
	switch reason {
	case "missing":
		code = "" // RFC 6750 §3.1: no error code when no credentials were sent
	case "insufficient_scope":
		status, code = http.StatusForbidden, "insufficient_scope"
	}
	desc := failureText[reason]
	if errors.Is(err, auth.ErrOperatorKey) {
		desc = auth.OperatorKeyOnly
	}
	w.Header().Set("WWW-Authenticate", a.challenge(code, desc))
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, map[string]string{"error": firstNonEmpty(code, "unauthorized"), "error_description": desc})
}

// lockingReason says whether a refusal counts toward the failed-auth lock-out:
// only a credential that was presented and is bad. A request without one is
// how OAuth clients discover the authorization server, and a valid token
// without the scope is no guess.
func lockingReason(reason string) bool {
	return reason != "missing" && reason != "insufficient_scope"
}

func (a *authLayer) challenge(code, desc string) string {
	var params []string
	if a.opts.Mode == AuthOAuth {
		params = append(params, fmt.Sprintf("resource_metadata=%q", a.metadataURL()), fmt.Sprintf("scope=%q", a.opts.ReadScope))
	} else {
		params = append(params, `realm="wazuh-mcp"`)
	}
	if code != "" {
		params = append(params, fmt.Sprintf("error=%q", code), fmt.Sprintf("error_description=%q", desc))
	}
	return "Bearer " + strings.Join(params, ", ")
}

// metadataURL is where the protected resource metadata of ResourceURL
// lives (RFC 9728 §3.1: the well-known segment goes before the path).
func (a *authLayer) metadataURL() string {
	u, err := url.Parse(a.opts.ResourceURL)
	if err != nil || u.Host == "" {
		return wellKnownResource
	}
	return u.Scheme + "://" + u.Host + wellKnownResource + strings.TrimSuffix(u.Path, "/")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
