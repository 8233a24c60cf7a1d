package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth/authtest"
)

const testResource = "https://mcp.example.com/mcp"

func newTestOAuth(t *testing.T, idp *authtest.IdP) *OAuth {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	o, err := NewOAuth(ctx, OAuthConfig{Issuer: idp.Issuer(), Audiences: []string{testResource}})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func TestOAuthDiscovery(t *testing.T) {
	for _, path := range []string{
		"/.well-known/oauth-authorization-server/realms/soc", // RFC 8414
		"/realms/soc/.well-known/openid-configuration",       // OIDC (Keycloak, Entra ID, Auth0, Authentik)
	} {
		idp := authtest.NewIdP(t, path)
		o := newTestOAuth(t, idp)
		p, err := o.Authenticate(context.Background(), idp.Mint(t, "RS256", idp.Claims(testResource, ScopeRead)))
		if err != nil || p.ID != "oauth:user-42" || p.Name != "alice" || p.Scope() != "read" {
			t.Fatalf("metadata at %s: %+v %v", path, p, err)
		}
	}
}

func TestOAuthDiscoveryErrors(t *testing.T) {
	idp := authtest.NewIdP(t, "/realms/soc/.well-known/openid-configuration")
	ctx := context.Background()
	if _, err := NewOAuth(ctx, OAuthConfig{Issuer: idp.URL + "/realms/other", Audiences: []string{testResource}}); err == nil || !strings.Contains(err.Error(), "no authorization server metadata") {
		t.Errorf("unknown realm: %v", err)
	}
	if _, err := NewOAuth(ctx, OAuthConfig{Issuer: "http://idp.example.com", Audiences: []string{testResource}}); err == nil || !strings.Contains(err.Error(), "https") {
		t.Errorf("plain http issuer: %v", err)
	}
	if _, err := NewOAuth(ctx, OAuthConfig{Issuer: idp.Issuer()}); err == nil || !strings.Contains(err.Error(), "MCP_PUBLIC_URL") {
		t.Errorf("no audience: %v", err)
	}
}

func TestOAuthTokens(t *testing.T) {
	idp := authtest.NewIdP(t, "/.well-known/oauth-authorization-server/realms/soc")
	o := newTestOAuth(t, idp)
	edit := func(scope string, f func(jwt.MapClaims)) jwt.MapClaims {
		c := idp.Claims(testResource, scope)
		if f != nil {
			f(c)
		}
		return c
	}
	now := time.Now()
	tests := []struct {
		name   string
		alg    string
		claims jwt.MapClaims
		raw    string
		want   error
		scope  string
	}{
		{"rsa read", "RS256", edit(ScopeRead, nil), "", nil, "read"},
		{"ec write", "ES256", edit(ScopeWrite, nil), "", nil, "write"},
		{"both scopes among others", "RS256", edit("openid profile wazuh:read wazuh:write", nil), "", nil, "write"},
		{"scp string (Entra ID)", "RS256", edit("", func(c jwt.MapClaims) { c["scp"] = "wazuh:read" }), "", nil, "read"},
		{"scp array", "ES256", edit("", func(c jwt.MapClaims) { c["scp"] = []string{"wazuh:write"} }), "", nil, "write"},
		{"aud array with ours", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["aud"] = []string{"account", testResource} }), "", nil, "read"},
		{"aud with trailing slash", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["aud"] = testResource + "/" }), "", nil, "read"},
		{"no wazuh scope", "RS256", edit("openid profile", nil), "", ErrInsufficientScope, ""},
		{"wrong audience", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["aud"] = "https://other.example.com/mcp" }), "", ErrInvalid, ""},
		{"no audience", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { delete(c, "aud") }), "", ErrInvalid, ""},
		{"wrong issuer", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["iss"] = "https://evil.example.com" }), "", ErrInvalid, ""},
		{"issuer with trailing slash", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["iss"] = idp.Issuer() + "/" }), "", nil, "read"},
		{"issuer of another realm", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["iss"] = idp.URL + "/realms/socx" }), "", ErrInvalid, ""},
		{"no issuer", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { delete(c, "iss") }), "", ErrInvalid, ""},
		{"expired", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["exp"] = now.Add(-time.Hour).Unix() }), "", ErrExpired, ""},
		{"no exp", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { delete(c, "exp") }), "", ErrInvalid, ""},
		{"not yet valid", "RS256", edit(ScopeRead, func(c jwt.MapClaims) { c["nbf"] = now.Add(time.Hour).Unix() }), "", ErrInvalid, ""},
		{"no subject", "ES256", edit(ScopeRead, func(c jwt.MapClaims) { delete(c, "sub") }), "", ErrInvalid, ""},
		{"signed by another key", "rogue", edit(ScopeRead, nil), "", ErrInvalid, ""},
		{"alg none", "", nil, unsignedToken(idp.Claims(testResource, ScopeRead)), ErrInvalid, ""},
		{"garbage", "", nil, "eyJhbGciOiJSUzI1NiJ9.e30.AAAA", ErrInvalid, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok := tt.raw
			if tok == "" {
				tok = idp.Mint(t, tt.alg, tt.claims)
			}
			p, err := o.Authenticate(context.Background(), tok)
			if !errors.Is(err, tt.want) || (tt.want == nil && err != nil) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && (p.Scope() != tt.scope || p.Kind != KindOAuth || p.ExpiresAt.IsZero()) {
				t.Fatalf("principal %+v, want scope %s", p, tt.scope)
			}
		})
	}
}

func TestOAuthCustomScopeNames(t *testing.T) {
	idp := authtest.NewIdP(t, "/realms/soc/.well-known/openid-configuration")
	o, err := NewOAuth(context.Background(), OAuthConfig{Issuer: idp.Issuer(), Audiences: []string{"api://wazuh-mcp"},
		ReadScope: "Wazuh.Read", WriteScope: "Wazuh.Write", JWKSURL: idp.URL + "/jwks"})
	if err != nil {
		t.Fatal(err)
	}
	c := idp.Claims("api://wazuh-mcp", "")
	c["scp"] = "Wazuh.Write"
	p, err := o.Authenticate(context.Background(), idp.Mint(t, "RS256", c))
	if err != nil || !p.CanWrite() || !p.CanRead() {
		t.Fatalf("%+v %v", p, err)
	}
}

func unsignedToken(c jwt.MapClaims) string {
	s, _ := jwt.NewWithClaims(jwt.SigningMethodNone, c).SignedString(jwt.UnsafeAllowNoneSignatureType)
	return s
}
