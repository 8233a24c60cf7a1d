// Package authtest is an OAuth authorization server for tests: metadata,
// a JWKS with an RSA and an EC key, and token minting.
package authtest

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// IdP is an OAuth authorization server as far as a resource server
// sees one: metadata, a JWKS with an RSA and an EC key, and a way to mint
// tokens (also with keys the JWKS does not hold).
type IdP struct {
	*httptest.Server
	rsa, ec, rogue crypto.Signer
}

// NewIdP serves the metadata at metaPath, e.g.
// /.well-known/oauth-authorization-server/realms/soc (RFC 8414) or
// /realms/soc/.well-known/openid-configuration (OpenID Connect).
func NewIdP(t testing.TB, metaPath string) *IdP {
	t.Helper()
	rk, _ := rsa.GenerateKey(rand.Reader, 2048)
	ek, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rogue, _ := rsa.GenerateKey(rand.Reader, 2048)
	idp := &IdP{rsa: rk, ec: ek, rogue: rogue}
	mux := http.NewServeMux()
	idp.Server = httptest.NewServer(mux)
	t.Cleanup(idp.Close)
	mux.HandleFunc("GET "+metaPath, func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]string{"issuer": idp.Issuer(), "jwks_uri": idp.URL + "/jwks"})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		ep := ek.PublicKey.X.FillBytes(make([]byte, 32))
		eq := ek.PublicKey.Y.FillBytes(make([]byte, 32))
		b64 := base64.RawURLEncoding.EncodeToString
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": []map[string]string{
			{"kty": "RSA", "kid": "rsa1", "use": "sig", "alg": "RS256", "n": b64(rk.N.Bytes()), "e": b64(big.NewInt(int64(rk.E)).Bytes())},
			{"kty": "EC", "kid": "ec1", "use": "sig", "alg": "ES256", "crv": "P-256", "x": b64(ep), "y": b64(eq)},
		}})
	})
	return idp
}

// Issuer is the issuer URL (with a realm path, as Keycloak has).
func (i *IdP) Issuer() string { return i.URL + "/realms/soc" }

// Mint signs claims; alg is RS256 (rsa1), ES256 (ec1) or "rogue" (RS256
// with a key id the JWKS holds but another private key).
func (i *IdP) Mint(t testing.TB, alg string, c jwt.MapClaims) string {
	t.Helper()
	var tok *jwt.Token
	var key crypto.Signer
	switch alg {
	case "RS256":
		tok, key = jwt.NewWithClaims(jwt.SigningMethodRS256, c), i.rsa
		tok.Header["kid"] = "rsa1"
	case "ES256":
		tok, key = jwt.NewWithClaims(jwt.SigningMethodES256, c), i.ec
		tok.Header["kid"] = "ec1"
	case "rogue":
		tok, key = jwt.NewWithClaims(jwt.SigningMethodRS256, c), i.rogue
		tok.Header["kid"] = "rsa1"
	default:
		t.Fatalf("alg %s", alg)
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Claims returns valid claims for audience aud with the given scope claim.
func (i *IdP) Claims(aud string, scope string) jwt.MapClaims {
	now := time.Now()
	return jwt.MapClaims{
		"iss": i.Issuer(), "sub": "user-42", "aud": aud, "scope": scope,
		"exp": now.Add(10 * time.Minute).Unix(), "iat": now.Unix(), "nbf": now.Add(-time.Minute).Unix(),
		"preferred_username": "alice",
	}
}
