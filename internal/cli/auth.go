package cli

import (
	"context"
	"log/slog"
	"path/filepath"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

// guardWrites wraps every write tool's handler with the scope check (see
// auth.GuardWrite); over HTTP a call without a principal is refused.
func guardWrites(ts []tools.Tool, overHTTP bool) []tools.Tool {
	out := make([]tools.Tool, len(ts))
	for i, t := range ts {
		if t.Write {
			t.Handler = auth.GuardWrite(t.Handler, overHTTP)
		}
		out[i] = t
	}
	return out
}

// readTools is the catalogue of read-scoped principals.
func readTools(ts []tools.Tool) []tools.Tool {
	var out []tools.Tool
	for _, t := range ts {
		if !t.Write {
			out = append(out, t)
		}
	}
	return out
}

// openStore opens the store in the configured data directory.
func openStore(ctx context.Context, cfg *config.Config) (*store.Store, error) {
	path, err := storeFile(cfg)
	if err != nil {
		return nil, err
	}
	return store.Open(ctx, path)
}

// storeFile is the store's file in the configured data directory.
func storeFile(cfg *config.Config) (string, error) {
	dir, err := cfg.DataDirectory()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, store.FileName), nil
}

// buildAuth makes the HTTP authentication of cfg.Auth.Mode, with keys from
// the app's store. The returned function releases what it opened. ctx
// bounds the OAuth key refresh.
func buildAuth(ctx context.Context, cfg *config.Config, log *slog.Logger, a *app) (httpapi.AuthOptions, func(), error) {
	opts := httpapi.AuthOptions{Mode: cfg.Auth.Mode, ReadServer: a.readServer}
	noop := func() {}
	switch cfg.Auth.Mode {
	case httpapi.AuthNone:
		log.Warn("AUTH_MODE=none: no authentication; the server is read-only and listens on loopback only")
		return opts, noop, nil
	case httpapi.AuthOAuth:
		o, err := auth.NewOAuth(ctx, oauthConfig(cfg, log))
		if err != nil {
			return opts, noop, err
		}
		opts.Verifier = o
		opts.ResourceURL = cfg.Auth.PublicURL
		opts.AuthorizationServers = []string{cfg.Auth.OAuth.Issuer}
		opts.ReadScope, opts.WriteScope = o.ReadScope(), o.WriteScope()
		log.Info("OAuth resource server", "issuer", o.Issuer(), "resource", cfg.Auth.PublicURL)
		return opts, noop, nil
	}
	st := a.store
	if cfg.Auth.APIKey != "" && len(cfg.Auth.APIKey) < 16 {
		log.Warn("MCP_API_KEY is shorter than 16 characters and easy to guess; `wazuh-mcp keys create` makes strong keys")
	}
	audience := cfg.Auth.PublicURL
	b, err := auth.NewBearer(auth.BearerConfig{
		Store:       st,
		EnvKey:      cfg.Auth.APIKey,
		EnvKeyScope: cfg.Auth.APIKeyScope,
		Secret:      []byte(cfg.Auth.SecretKey),
		TokenTTL:    cfg.Auth.TokenTTL,
		Audience:    audience,
		Logger:      log,
	})
	if err != nil {
		return opts, noop, err
	}
	opts.Verifier, opts.Exchanger = b, b
	log.Info("bearer authentication", "store", st.Path(), "env_key", cfg.Auth.APIKey != "", "token_ttl", cfg.Auth.TokenTTL.String())
	return opts, noop, nil
}

func oauthConfig(cfg *config.Config, log *slog.Logger) auth.OAuthConfig {
	audiences := cfg.Auth.OAuth.Audience
	if len(audiences) == 0 {
		audiences = []string{cfg.Auth.PublicURL}
	}
	return auth.OAuthConfig{
		Issuer:     cfg.Auth.OAuth.Issuer,
		Audiences:  audiences,
		JWKSURL:    cfg.Auth.OAuth.JWKSURL,
		ReadScope:  cfg.Auth.OAuth.ReadScope,
		WriteScope: cfg.Auth.OAuth.WriteScope,
		Logger:     log,
	}
}

// describeAuth is the one line saying how to authenticate, for the start log.
func describeAuth(mode string) string {
	switch mode {
	case httpapi.AuthBearer:
		return "send Authorization: Bearer <API key or token from POST /auth/token>"
	case httpapi.AuthOAuth:
		return "send an access token from the OAuth authorization server"
	}
	return "no authentication"
}
