package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/netip"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/MicahParks/keyfunc/v3"
	"github.com/golang-jwt/jwt/v5"
)

// OAuthConfig configures AUTH_MODE=oauth: this server is an OAuth 2.1
// resource server and an external authorization server issues the tokens.
type OAuthConfig struct {
	Issuer string // OAUTH_ISSUER, compared with the iss claim (a trailing slash aside)
	// Audiences accepted in the aud claim: OAUTH_AUDIENCE, or else the
	// server's canonical URL (MCP_PUBLIC_URL). A token for another resource
	// is refused even if the same authorization server signed it.
	Audiences []string
	// JWKSURL overrides discovery (OAUTH_JWKS_URL); empty: the jwks_uri of
	// the issuer's metadata.
	JWKSURL    string
	ReadScope  string // scope granting read tools (default wazuh:read)
	WriteScope string // scope granting write tools (default wazuh:write)
	Leeway     time.Duration
	HTTPClient *http.Client
	Logger     *slog.Logger
	Now        func() time.Time
}

// OAuth validates access tokens: signature (keys from the JWKS, refreshed
// hourly and on an unknown key id), iss, aud, exp, nbf and scopes.
type OAuth struct {
	cfg     OAuthConfig
	keys    keyfunc.Keyfunc
	methods []string
}

// NewOAuth discovers the issuer's JWKS and starts refreshing it until ctx
// ends. It fails when the issuer's metadata cannot be read: an unreachable
// or misconfigured authorization server should stop the start, not every
// request.
func NewOAuth(ctx context.Context, cfg OAuthConfig) (*OAuth, error) {
	if cfg.Issuer == "" {
		return nil, errors.New("OAUTH_ISSUER is required with AUTH_MODE=oauth")
	}
	if len(cfg.Audiences) == 0 {
		return nil, errors.New("OAUTH_AUDIENCE or MCP_PUBLIC_URL is required with AUTH_MODE=oauth: tokens must be issued for this server")
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = &http.Client{Timeout: 10 * time.Second}
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ReadScope == "" {
		cfg.ReadScope = ScopeRead
	}
	if cfg.WriteScope == "" {
		cfg.WriteScope = ScopeWrite
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	jwksURL := cfg.JWKSURL
	if jwksURL == "" {
		var err error
		if jwksURL, err = discoverJWKS(ctx, cfg.HTTPClient, cfg.Issuer); err != nil {
			return nil, err
		}
	}
	if err := checkHTTPSOrLoopback(jwksURL); err != nil {
		return nil, fmt.Errorf("jwks_uri: %w", err)
	}
	log := cfg.Logger
	kf, err := keyfunc.NewDefaultOverrideCtx(ctx, []string{jwksURL}, keyfunc.Override{
		Client:      cfg.HTTPClient,
		HTTPTimeout: 10 * time.Second,
		RefreshErrorHandlerFunc: func(u string) func(context.Context, error) {
			return func(ctx context.Context, err error) {
				log.Warn("could not refresh the OAuth signing keys", "jwks_uri", u, "error", err)
			}
		},
	})
	if err != nil {
		return nil, fmt.Errorf("JWKS %s: %w", jwksURL, err)
	}
	return &OAuth{cfg: cfg, keys: kf, methods: []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}}, nil
}

// ReadScope and WriteScope are the scope names clients must ask for.
func (o *OAuth) ReadScope() string  { return o.cfg.ReadScope }
func (o *OAuth) WriteScope() string { return o.cfg.WriteScope }

// Issuer is the authorization server.
func (o *OAuth) Issuer() string { return o.cfg.Issuer }

// oauthClaims are the claims read from an access token.
type oauthClaims struct {
	jwt.RegisteredClaims
	Scope             string          `json:"scope"`
	Scp               json.RawMessage `json:"scp"` // Entra ID: space-separated string; some servers: an array
	PreferredUsername string          `json:"preferred_username"`
	Email             string          `json:"email"`
	ClientID          string          `json:"client_id"`
	Azp               string          `json:"azp"`
}

// Authenticate validates an access token. A valid token without either
// scope yields the principal and ErrInsufficientScope.
func (o *OAuth) Authenticate(ctx context.Context, token string) (*Principal, error) {
	var c oauthClaims
	_, err := jwt.ParseWithClaims(token, &c, o.keys.KeyfuncCtx(ctx),
		jwt.WithValidMethods(o.methods), // asymmetric only: never HS* with a public key, never none
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(o.cfg.Leeway),
		jwt.WithTimeFunc(o.cfg.Now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, ErrExpired
	case err != nil:
		return nil, ErrInvalid
	case !sameIssuer(c.Issuer, o.cfg.Issuer), c.Subject == "":
		return nil, ErrInvalid
	case !slices.ContainsFunc(c.Audience, o.acceptsAudience):
		return nil, ErrInvalid
	}
	p := &Principal{
		ID:        "oauth:" + c.Subject,
		Name:      firstNonEmpty(c.PreferredUsername, c.Email, c.ClientID, c.Azp, c.Subject),
		Kind:      KindOAuth,
		ExpiresAt: c.ExpiresAt.Time,
	}
	granted := tokenScopes(c)
	if slices.Contains(granted, o.cfg.ReadScope) || slices.Contains(granted, o.cfg.WriteScope) {
		p.Scopes = append(p.Scopes, ScopeRead)
	}
	if slices.Contains(granted, o.cfg.WriteScope) {
		p.Scopes = append(p.Scopes, ScopeWrite)
	}
	if len(p.Scopes) == 0 {
		return p, ErrInsufficientScope
	}
	return p, nil
}

// sameIssuer compares issuers ignoring one trailing slash, which Auth0 and
// Authentik put in iss and operators often leave out of OAUTH_ISSUER.
func sameIssuer(a, b string) bool {
	return a != "" && strings.TrimSuffix(a, "/") == strings.TrimSuffix(b, "/")
}

func (o *OAuth) acceptsAudience(aud string) bool {
	for _, want := range o.cfg.Audiences {
		if aud == want || strings.TrimSuffix(aud, "/") == strings.TrimSuffix(want, "/") {
			return true
		}
	}
	return false
}

// tokenScopes reads "scope" (RFC 8693/9068: space-separated) and "scp"
// (a string or an array, as Entra ID and Okta send it).
func tokenScopes(c oauthClaims) []string {
	out := strings.Fields(c.Scope)
	var s string
	var list []string
	switch {
	case json.Unmarshal(c.Scp, &s) == nil:
		out = append(out, strings.Fields(s)...)
	case json.Unmarshal(c.Scp, &list) == nil:
		out = append(out, list...)
	}
	return out
}

func firstNonEmpty(vs ...string) string {
	for _, v := range vs {
		if v != "" {
			return v
		}
	}
	return ""
}

// discoverJWKS reads the issuer's metadata: RFC 8414 first
// (/.well-known/oauth-authorization-server, inserted before the issuer's
// path), then OpenID Connect discovery (/.well-known/openid-configuration,
// appended to the issuer, as Keycloak, Entra ID, Auth0 and Authentik serve
// it). The metadata's issuer must equal OAUTH_ISSUER.
func discoverJWKS(ctx context.Context, c *http.Client, issuer string) (string, error) {
	if err := checkHTTPSOrLoopback(issuer); err != nil {
		return "", fmt.Errorf("OAUTH_ISSUER: %w", err)
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return "", fmt.Errorf("OAUTH_ISSUER: %w", err)
	}
	path := strings.TrimSuffix(u.Path, "/")
	root := u.Scheme + "://" + u.Host
	candidates := []string{
		root + "/.well-known/oauth-authorization-server" + path,
		root + path + "/.well-known/openid-configuration",
		root + "/.well-known/openid-configuration" + path,
	}
	var errs []error
	for _, mu := range candidates {
		meta, err := fetchMetadata(ctx, c, mu)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !sameIssuer(meta.Issuer, issuer) {
			return "", fmt.Errorf("OAUTH_ISSUER %q: the metadata at %s names issuer %q; set OAUTH_ISSUER to exactly that value", issuer, mu, meta.Issuer)
		}
		if meta.JWKSURI == "" {
			return "", fmt.Errorf("OAUTH_ISSUER: the metadata at %s has no jwks_uri; set OAUTH_JWKS_URL", mu)
		}
		return meta.JWKSURI, nil
	}
	return "", fmt.Errorf("OAUTH_ISSUER %q: no authorization server metadata found: %w", issuer, errors.Join(errs...))
}

type asMetadata struct {
	Issuer  string `json:"issuer"`
	JWKSURI string `json:"jwks_uri"`
}

func fetchMetadata(ctx context.Context, c *http.Client, u string) (*asMetadata, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", u, resp.StatusCode)
	}
	var m asMetadata
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", u, err)
	}
	return &m, nil
}

// checkHTTPSOrLoopback refuses plain HTTP except to loopback (tests, a
// local authorization server).
func checkHTTPSOrLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("%q is not an absolute URL", raw)
	}
	if u.Scheme == "https" {
		return nil
	}
	if u.Scheme == "http" {
		h := u.Hostname()
		if strings.EqualFold(h, "localhost") {
			return nil
		}
		if a, err := netip.ParseAddr(h); err == nil && a.IsLoopback() {
			return nil
		}
	}
	return fmt.Errorf("%q must use https (plain http only to loopback)", raw)
}
