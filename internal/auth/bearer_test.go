package auth

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

type bearerEnv struct {
	b     *Bearer
	st    *store.Store
	now   *time.Time
	read  string // a read key
	write string // a write key
	short string // a write key expiring in 10 minutes
}

func newBearerEnv(t *testing.T, envKey string) *bearerEnv {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	now := time.Now().Truncate(time.Second)
	e := &bearerEnv{st: st, now: &now}
	mk := func(name, scope string, exp time.Time) string {
		key, id := NewKey()
		if err := st.CreateAPIKey(ctx, store.APIKey{ID: id, Name: name, Scope: scope, Hash: HashKey(key), CreatedAt: now, ExpiresAt: exp}); err != nil {
			t.Fatal(err)
		}
		return key
	}
	e.read, e.write, e.short = mk("reader", "read", time.Time{}), mk("writer", "write", time.Time{}), mk("short", "write", now.Add(10*time.Minute))
	e.b, err = NewBearer(BearerConfig{Store: st, EnvKey: envKey, Secret: []byte(strings.Repeat("s", 32)),
		TokenTTL: time.Hour, Now: func() time.Time { return *e.now }})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestBearerKeysAndTokens(t *testing.T) {
	ctx := context.Background()
	e := newBearerEnv(t, "operator chosen key!")
	cases := []struct {
		name, token string
		kind        Kind
		scope       string
		err         error
	}{
		{"read key", e.read, KindAPIKey, "read", nil},
		{"write key", e.write, KindAPIKey, "write", nil},
		{"env key, read by default", "operator chosen key!", KindEnvKey, "read", nil},
		{"wrong key", "operator chosen key?", "", "", ErrInvalid},
		{"prefix of a key", e.read[:20], "", "", ErrInvalid},
		{"jwt-looking garbage", "eyJhbGciOiJIUzI1NiJ9.e30.x", "", "", ErrInvalid},
	}
	for _, tt := range cases {
		p, err := e.b.Authenticate(ctx, tt.token)
		if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.err)
			continue
		}
		if tt.err == nil && (p.Kind != tt.kind || p.Scope() != tt.scope) {
			t.Errorf("%s: principal %+v", tt.name, p)
		}
	}

	// Exchange: a JWT that authenticates as the key's principal.
	tok, p, err := e.b.Exchange(ctx, e.write)
	if err != nil || p.Kind != KindJWT || !tok.ExpiresAt.Equal(e.now.Add(time.Hour)) {
		t.Fatalf("exchange: %+v %+v %v", tok, p, err)
	}
	keyP, _ := e.b.Authenticate(ctx, e.write)
	jp, err := e.b.Authenticate(ctx, tok.Value)
	if err != nil || jp.ID != keyP.ID || jp.Kind != KindJWT || jp.Scope() != "write" {
		t.Fatalf("JWT: %+v %v (key principal %+v)", jp, err, keyP)
	}
	// A key expiring before the TTL caps the token.
	st, _, err := e.b.Exchange(ctx, e.short)
	if err != nil || !st.ExpiresAt.Equal(e.now.Add(10*time.Minute)) {
		t.Fatalf("short key exchange: %+v %v", st, err)
	}
	// JWTs cannot be exchanged for JWTs.
	if _, _, err := e.b.Exchange(ctx, tok.Value); !errors.Is(err, ErrInvalid) {
		t.Fatalf("exchanging a JWT: %v", err)
	}
	// Env key tokens work too.
	et, _, err := e.b.Exchange(ctx, "operator chosen key!")
	if err != nil {
		t.Fatal(err)
	}
	if p, err := e.b.Authenticate(ctx, et.Value); err != nil || p.Kind != KindJWT || p.Name != "MCP_API_KEY" {
		t.Fatalf("env key JWT: %+v %v", p, err)
	}

	// Time passes: the token expires; the short key expires.
	*e.now = e.now.Add(2 * time.Hour)
	if _, err := e.b.Authenticate(ctx, tok.Value); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired JWT: %v", err)
	}
	if _, err := e.b.Authenticate(ctx, e.short); !errors.Is(err, ErrExpired) {
		t.Fatalf("expired key: %v", err)
	}
	if _, _, err := e.b.Exchange(ctx, e.short); !errors.Is(err, ErrExpired) {
		t.Fatalf("exchanging an expired key: %v", err)
	}
}

func TestRevokingAKeyKillsItsTokens(t *testing.T) {
	ctx := context.Background()
	e := newBearerEnv(t, "")
	tok, p, err := e.b.Exchange(ctx, e.read)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.b.Authenticate(ctx, tok.Value); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.RevokeAPIKey(ctx, p.ID, *e.now); err != nil {
		t.Fatal(err)
	}
	for name, cred := range map[string]string{"JWT": tok.Value, "key": e.read} {
		if _, err := e.b.Authenticate(ctx, cred); !errors.Is(err, ErrRevoked) {
			t.Errorf("%s of a revoked key: %v, want ErrRevoked", name, err)
		}
	}
}

func TestForeignJWTs(t *testing.T) {
	ctx := context.Background()
	e := newBearerEnv(t, "env-key-value-1")
	sign := func(secret string, m jwt.SigningMethod, c jwt.MapClaims) string {
		s, err := jwt.NewWithClaims(m, c).SignedString([]byte(secret))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	good := func() jwt.MapClaims {
		return jwt.MapClaims{"iss": "wazuh-mcp", "aud": "wazuh-mcp", "sub": e.b.envID, "scope": "wazuh:read wazuh:write",
			"exp": e.now.Add(time.Hour).Unix(), "iat": e.now.Unix()}
	}
	secret := strings.Repeat("s", 32)
	if _, err := e.b.Authenticate(ctx, sign(secret, jwt.SigningMethodHS256, good())); err != nil {
		t.Fatalf("well-formed token rejected: %v", err)
	}
	with := func(k string, v any) jwt.MapClaims {
		c := good()
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	tests := map[string]string{
		"other secret":   sign(strings.Repeat("x", 32), jwt.SigningMethodHS256, good()),
		"HS512":          sign(secret, jwt.SigningMethodHS512, good()),
		"alg none":       unsignedToken(good()),
		"wrong issuer":   sign(secret, jwt.SigningMethodHS256, with("iss", "someone")),
		"wrong audience": sign(secret, jwt.SigningMethodHS256, with("aud", "other")),
		"no exp":         sign(secret, jwt.SigningMethodHS256, with("exp", nil)),
		"iat in future":  sign(secret, jwt.SigningMethodHS256, with("iat", e.now.Add(time.Hour).Unix())),
	}
	for name, tok := range tests {
		if _, err := e.b.Authenticate(ctx, tok); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
	// A signed token for a key id that never existed, or for an env key
	// that has since changed, is treated as revoked.
	for name, sub := range map[string]string{"unknown key id": "key_doesnotexist", "old env key": "env:0011223344556677"} {
		if _, err := e.b.Authenticate(ctx, sign(secret, jwt.SigningMethodHS256, with("sub", sub))); !errors.Is(err, ErrRevoked) {
			t.Errorf("%s: %v, want ErrRevoked", name, err)
		}
	}
}

func TestRandomSecretWarns(t *testing.T) {
	var logs bytes.Buffer
	_, err := NewBearer(BearerConfig{EnvKey: "k", Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	if err != nil || !strings.Contains(logs.String(), "AUTH_SECRET_KEY is not set") {
		t.Fatalf("%v: %s", err, logs.String())
	}
	if _, err := NewBearer(BearerConfig{EnvKey: "k", EnvKeyScope: "admin"}); err == nil {
		t.Fatal("MCP_API_KEY_SCOPE=admin accepted")
	}
}

func TestNewKey(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		k, id := NewKey()
		if len(k) != 43 || !strings.HasPrefix(id, "key_") || seen[k] || seen[id] {
			t.Fatalf("key %q id %q", k, id)
		}
		seen[k], seen[id] = true, true
	}
}

// FuzzBearerAuthenticate feeds arbitrary Authorization headers through
// parsing and the bearer authenticator: no panic, and nothing but the
// env key or a token this server signed ever authenticates.
func FuzzBearerAuthenticate(f *testing.F) {
	const envKey = "fuzz-env-key-0123456789"
	b, err := NewBearer(BearerConfig{EnvKey: envKey, Secret: []byte(strings.Repeat("f", 32))})
	if err != nil {
		f.Fatal(err)
	}
	tok, _, err := b.Exchange(context.Background(), envKey)
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{"Bearer " + envKey, "Bearer " + tok.Value, "Bearer " + tok.Value + "x", "Bearer eyJ.e30.", "bearer " + tok.Value[:40]} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		token, err := ParseAuthorization([]string{h})
		if err != nil {
			return
		}
		p, err := b.Authenticate(context.Background(), token)
		if err == nil && token != envKey && token != tok.Value {
			// Another token that verifies must at least be a JWT signed
			// with our secret for the env key's id (e.g. re-encoded).
			if p.Kind != KindJWT || p.ID != b.envID {
				t.Fatalf("%q authenticated as %+v", token, p)
			}
		}
		if err != nil && Reason(err) == "error" {
			t.Fatalf("%q: unclassified error %v", token, err)
		}
	})
}

// countingStore counts the key look-ups by hash.
type countingStore struct {
	KeyStore
	byHash int
}

func (c *countingStore) APIKeyByHash(ctx context.Context, hash []byte) (*store.APIKey, error) {
	c.byHash++
	return c.KeyStore.APIKeyByHash(ctx, hash)
}

// TestAuthenticateAsksTheStoreOnlyForKeys: a JWT is verified as a JWT
// without first being looked up as a stored key (stored keys never contain
// '.'), with the same outcome for every kind of credential, including an
// MCP_API_KEY that looks like a JWT.
func TestAuthenticateAsksTheStoreOnlyForKeys(t *testing.T) {
	ctx := context.Background()
	const envKey = "eyJenv.chosen.key" // an operator may pick anything
	e := newBearerEnv(t, envKey)
	cs := &countingStore{KeyStore: e.st}
	e.b.cfg.Store = cs
	jwtOf := func(key string) string {
		tok, _, err := e.b.Exchange(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		return tok.Value
	}
	readJWT, envJWT := jwtOf(e.read), jwtOf(envKey)
	revokedKey, _ := NewKey()
	revokedID := "key_revokedkey01"
	if err := e.st.CreateAPIKey(ctx, store.APIKey{ID: revokedID, Name: "gone", Scope: "read", Hash: HashKey(revokedKey), CreatedAt: *e.now}); err != nil {
		t.Fatal(err)
	}
	revokedJWT := jwtOf(revokedKey)
	if _, err := e.st.RevokeAPIKey(ctx, revokedID, *e.now); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, token string
		kind        Kind
		err         error
		lookups     int // APIKeyByHash calls
	}{
		{"stored key", e.read, KindAPIKey, nil, 1},
		{"env key that looks like a JWT", envKey, KindEnvKey, nil, 0},
		{"JWT of a stored key", readJWT, KindJWT, nil, 0},
		{"JWT of the env key", envJWT, KindJWT, nil, 0},
		{"revoked key", revokedKey, "", ErrRevoked, 1},
		{"JWT of a revoked key", revokedJWT, "", ErrRevoked, 0},
		{"unknown key", "not-a-key", "", ErrInvalid, 1},
		{"JWT-shaped garbage", "eyJhbGciOiJIUzI1NiJ9.e30.x", "", ErrInvalid, 0},
	}
	for _, tt := range tests {
		cs.byHash = 0
		p, err := e.b.Authenticate(ctx, tt.token)
		switch {
		case tt.err != nil && !errors.Is(err, tt.err), tt.err == nil && err != nil:
			t.Errorf("%s: err %v, want %v", tt.name, err, tt.err)
		case tt.err == nil && p.Kind != tt.kind:
			t.Errorf("%s: kind %q, want %q", tt.name, p.Kind, tt.kind)
		}
		if cs.byHash != tt.lookups {
			t.Errorf("%s: %d look-ups by hash, want %d", tt.name, cs.byHash, tt.lookups)
		}
	}
}

// TestJWTClockLeeway: a token from a replica whose clock is a little ahead
// (iat in the future) or just past exp is accepted within 30s, not beyond.
func TestJWTClockLeeway(t *testing.T) {
	ctx := context.Background()
	e := newBearerEnv(t, "env-key-value-1")
	secret := []byte(strings.Repeat("s", 32))
	tests := []struct {
		name    string
		iat     time.Duration // relative to the verifier's clock
		exp     time.Duration
		wantErr error
	}{
		{"issued now", 0, time.Hour, nil},
		{"issued 5s in the future", 5 * time.Second, time.Hour, nil},
		{"issued 2min in the future", 2 * time.Minute, time.Hour, ErrInvalid},
		{"expired 10s ago", -time.Hour, -10 * time.Second, nil},
		{"expired 2min ago", -time.Hour, -2 * time.Minute, ErrExpired},
	}
	for _, tt := range tests {
		c := jwt.MapClaims{"iss": "wazuh-mcp", "aud": "wazuh-mcp", "sub": e.b.envID, "scope": "wazuh:read",
			"iat": e.now.Add(tt.iat).Unix(), "exp": e.now.Add(tt.exp).Unix()}
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.b.Authenticate(ctx, tok)
		if (tt.wantErr == nil && err != nil) || (tt.wantErr != nil && !errors.Is(err, tt.wantErr)) {
			t.Errorf("%s: %v, want %v", tt.name, err, tt.wantErr)
		}
	}
}
