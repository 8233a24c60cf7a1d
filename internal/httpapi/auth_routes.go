package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
)

// routes adds the authentication endpoints of the mode: /auth/token and
// /auth/validate (bearer), /auth/validate and the protected resource
// metadata (oauth).
func (a *authLayer) routes(mux *http.ServeMux) {
	switch a.opts.Mode {
	case AuthBearer:
		if a.opts.Exchanger != nil {
			mux.HandleFunc("POST /auth/token", a.token)
		}
		mux.HandleFunc("GET /auth/validate", a.validate)
	case AuthOAuth:
		mux.HandleFunc("GET /auth/validate", a.validate)
		a.wellKnown(mux)
	}
}

// maxTokenRequest bounds the body of POST /auth/token.
const maxTokenRequest = 16 << 10

// token exchanges an API key, sent as a Bearer token or as JSON
// {"api_key": "…"}, for a JWT. The answer has both "token" (Wazuh MCP
// Server v4 clients) and the OAuth names.
func (a *authLayer) token(w http.ResponseWriter, r *http.Request) {
	key, err := auth.ParseAuthorization(r.Header.Values("Authorization"))
	if errors.Is(err, auth.ErrNoToken) {
		key, err = keyFromBody(r)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	tok, p, err := a.opts.Exchanger.Exchange(r.Context(), key)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Pragma", "no-cache")
	writeJSON(w, http.StatusOK, map[string]any{
		"token":        tok.Value,
		"access_token": tok.Value,
		"token_type":   "bearer",
		"expires_in":   int64(time.Until(tok.ExpiresAt).Round(time.Second) / time.Second),
		"scope":        strings.Join(p.Scopes, " "),
	})
}

func keyFromBody(r *http.Request) (string, error) {
	var body struct {
		APIKey string `json:"api_key"`
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxTokenRequest+1))
	switch {
	case err != nil || len(b) > maxTokenRequest:
		return "", auth.ErrMalformed
	case len(strings.TrimSpace(string(b))) == 0:
		return "", auth.ErrNoToken
	case json.Unmarshal(b, &body) != nil:
		return "", auth.ErrMalformed
	case body.APIKey == "":
		return "", auth.ErrNoToken
	case len(body.APIKey) > auth.MaxTokenLength:
		return "", auth.ErrMalformed
	}
	return body.APIKey, nil
}

// validate says whether the request's token is good, and whose it is.
func (a *authLayer) validate(w http.ResponseWriter, r *http.Request) {
	p, err := a.authenticate(r)
	if err != nil {
		a.fail(w, r, err)
		return
	}
	out := map[string]any{
		"valid":     true,
		"principal": p.Name,
		"id":        p.ID,
		"kind":      p.Kind,
		"scope":     p.Scope(),
		"scopes":    p.Scopes,
	}
	if !p.ExpiresAt.IsZero() {
		out["expires_at"] = p.ExpiresAt.UTC().Format(time.RFC3339)
		out["expires_in"] = int64(time.Until(p.ExpiresAt).Round(time.Second) / time.Second)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, out)
}
