package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// KeyStore is the part of the store the bearer authenticator uses.
type KeyStore interface {
	APIKeyByHash(ctx context.Context, hash []byte) (*store.APIKey, error)
	APIKeyByID(ctx context.Context, id string) (*store.APIKey, error)
	TouchAPIKey(ctx context.Context, id string, at time.Time) error
}

// BearerConfig configures AUTH_MODE=bearer.
type BearerConfig struct {
	Store       KeyStore // keys made with `wazuh-mcp keys create`; nil: MCP_API_KEY only
	EnvKey      string   // MCP_API_KEY; empty: none
	EnvKeyScope string   // MCP_API_KEY_SCOPE: read (default) or write
	// Secret signs the JWTs (AUTH_SECRET_KEY). Empty: a random secret is
	// made and a warning logged, since tokens then die with the process.
	Secret   []byte
	TokenTTL time.Duration // lifetime of issued JWTs (default 1h)
	Issuer   string        // iss of issued JWTs (default "wazuh-mcp")
	Audience string        // aud of issued JWTs (default "wazuh-mcp")
	Now      func() time.Time
	Logger   *slog.Logger
}

// Bearer authenticates API keys and the JWTs it issues for them.
type Bearer struct {
	cfg      BearerConfig
	envID    string
	envHash  []byte // SHA-256 of MCP_API_KEY, made once; nil: no env key
	touchMu  sync.Mutex
	touched  map[string]time.Time // key id -> last recorded use
	touchGap time.Duration
}

// NewBearer builds the authenticator.
func NewBearer(cfg BearerConfig) (*Bearer, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = time.Hour
	}
	if cfg.Issuer == "" {
		cfg.Issuer = "wazuh-mcp"
	}
	if cfg.Audience == "" {
		cfg.Audience = "wazuh-mcp"
	}
	switch cfg.EnvKeyScope {
	case "":
		cfg.EnvKeyScope = "read"
	case "read", "write":
	default:
		return nil, fmt.Errorf("MCP_API_KEY_SCOPE: %q is not allowed (read or write)", cfg.EnvKeyScope)
	}
	if len(cfg.Secret) == 0 {
		cfg.Secret = make([]byte, 32)
		_, _ = rand.Read(cfg.Secret)
		cfg.Logger.Warn("AUTH_SECRET_KEY is not set: JWTs from /auth/token are signed with a random secret and will not survive a restart; set AUTH_SECRET_KEY (32+ random bytes) to keep them")
	}
	b := &Bearer{cfg: cfg, touched: map[string]time.Time{}, touchGap: time.Minute}
	if cfg.EnvKey != "" {
		b.envID = envKeyID(cfg.Secret, cfg.EnvKey)
		b.envHash = HashKey(cfg.EnvKey)
	}
	if cfg.Store == nil && cfg.EnvKey == "" {
		cfg.Logger.Warn("no API key can authenticate: set MCP_API_KEY or create one with `wazuh-mcp keys create`")
	}
	return b, nil
}

// Authenticate accepts an API key or a JWT issued by Exchange.
func (b *Bearer) Authenticate(ctx context.Context, token string) (*Principal, error) {
	if !looksLikeJWT(token) {
		return b.authenticateKey(ctx, token)
	}
	p, err := b.authenticateJWT(ctx, token)
	if !errors.Is(err, ErrInvalid) {
		return p, err
	}
	// Not a token of ours. Stored keys never contain '.' (NewKey), so the
	// store is not asked; MCP_API_KEY is chosen freely and may look like a
	// JWT.
	if b.isEnvKey(HashKey(token)) {
		return b.envPrincipal(time.Time{}), nil
	}
	return nil, err
}

// isEnvKey compares the hash of a token with MCP_API_KEY's in constant time.
func (b *Bearer) isEnvKey(hash []byte) bool {
	return b.envHash != nil && subtle.ConstantTimeCompare(hash, b.envHash) == 1
}

// authenticateKey checks token as an API key; ErrInvalid means it is none.
func (b *Bearer) authenticateKey(ctx context.Context, token string) (*Principal, error) {
	hash := HashKey(token) // once, for the env key and the store
	if b.isEnvKey(hash) {
		return b.envPrincipal(time.Time{}), nil
	}
	if b.cfg.Store == nil {
		return nil, ErrInvalid
	}
	k, err := b.cfg.Store.APIKeyByHash(ctx, hash)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("look up API key: %w", err)
	}
	p, err := b.keyPrincipal(k, KindAPIKey)
	if err == nil {
		b.touch(ctx, k.ID)
	}
	return p, err
}

func (b *Bearer) envPrincipal(exp time.Time) *Principal {
	return &Principal{ID: b.envID, Name: "MCP_API_KEY", Kind: KindEnvKey, Scopes: scopesFor(b.cfg.EnvKeyScope), ExpiresAt: exp}
}

// keyPrincipal checks that a stored key is usable now.
func (b *Bearer) keyPrincipal(k *store.APIKey, kind Kind) (*Principal, error) {
	switch k.Status(b.cfg.Now()) {
	case "revoked":
		return nil, ErrRevoked
	case "expired":
		return nil, ErrExpired
	}
	if k.Scope == KeyScopeOperator {
		return nil, ErrOperatorKey // the approval page only: never MCP, never a token
	}
	return &Principal{ID: k.ID, Name: k.Name, Kind: kind, Scopes: scopesFor(k.Scope), ExpiresAt: k.ExpiresAt, Delegated: k.Delegated}, nil
}

// touch records a key's use at most once per touchGap per key, so that a
// busy client does not turn every request into a database write.
func (b *Bearer) touch(ctx context.Context, id string) {
	now := b.cfg.Now()
	b.touchMu.Lock()
	last, ok := b.touched[id]
	if ok && now.Sub(last) < b.touchGap {
		b.touchMu.Unlock()
		return
	}
	b.touched[id] = now
	b.touchMu.Unlock()
	if err := b.cfg.Store.TouchAPIKey(ctx, id, now); err != nil {
		b.cfg.Logger.Warn("could not record API key use", "key_id", id, "error", err)
	}
}

// claims are the JWT claims of an issued token.
type claims struct {
	jwt.RegisteredClaims
	Scope string `json:"scope"`
}

// Token is an issued JWT.
type Token struct {
	Value     string
	ExpiresAt time.Time
}

// Exchange trades an API key (never a JWT) for a JWT that expires after
// TokenTTL, or with the key if that comes first.
func (b *Bearer) Exchange(ctx context.Context, key string) (Token, *Principal, error) {
	p, err := b.authenticateKey(ctx, key)
	if err != nil {
		return Token{}, nil, err
	}
	now := b.cfg.Now()
	exp := now.Add(b.cfg.TokenTTL)
	if !p.ExpiresAt.IsZero() && p.ExpiresAt.Before(exp) {
		exp = p.ExpiresAt
	}
	c := claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    b.cfg.Issuer,
			Subject:   p.ID,
			Audience:  jwt.ClaimStrings{b.cfg.Audience},
			ExpiresAt: jwt.NewNumericDate(exp),
			IssuedAt:  jwt.NewNumericDate(now),
			ID:        strings.ToLower(rand.Text()),
		},
		Scope: strings.Join(p.Scopes, " "),
	}
	signed, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(b.cfg.Secret)
	if err != nil {
		return Token{}, nil, fmt.Errorf("sign token: %w", err)
	}
	tp := *p
	tp.Kind, tp.ExpiresAt = KindJWT, time.Unix(exp.Unix(), 0)
	return Token{Value: signed, ExpiresAt: tp.ExpiresAt}, &tp, nil
}

// jwtLeeway is the clock skew allowed on iat and exp, as for OAuth tokens:
// replicas sharing AUTH_SECRET_KEY verify each other's tokens, and a clock a
// few seconds ahead must not make a fresh token "issued in the future".
const jwtLeeway = 30 * time.Second

// authenticateJWT validates a JWT from Exchange and checks, on every
// request, that the key it came from is still active: revoking a key
// invalidates its tokens at once.
func (b *Bearer) authenticateJWT(ctx context.Context, token string) (*Principal, error) {
	var c claims
	_, err := jwt.ParseWithClaims(token, &c, func(*jwt.Token) (any, error) { return b.cfg.Secret, nil },
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(b.cfg.Issuer),
		jwt.WithAudience(b.cfg.Audience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(jwtLeeway),
		jwt.WithTimeFunc(b.cfg.Now),
	)
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return nil, ErrExpired
	case err != nil:
		return nil, ErrInvalid
	}
	exp := c.ExpiresAt.Time
	if b.envID != "" && c.Subject == b.envID {
		p := b.envPrincipal(exp)
		p.Kind = KindJWT
		return p, nil
	}
	if b.cfg.Store == nil || !strings.HasPrefix(c.Subject, "key_") {
		return nil, ErrRevoked // an env key that changed, or a store that is gone
	}
	k, err := b.cfg.Store.APIKeyByID(ctx, c.Subject)
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrRevoked
	}
	if err != nil {
		return nil, fmt.Errorf("look up API key: %w", err)
	}
	p, err := b.keyPrincipal(k, KindJWT)
	if err != nil {
		return nil, err
	}
	p.ExpiresAt = exp
	return p, nil
}

// looksLikeJWT reports whether s has the shape of a compact JWS.
func looksLikeJWT(s string) bool {
	return strings.Count(s, ".") == 2 && strings.HasPrefix(s, "eyJ")
}
