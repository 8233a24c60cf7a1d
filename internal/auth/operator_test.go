package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// TestOperatorKeys: operator keys sign in to the approval page and nowhere
// else; MCP keys (read, write, MCP_API_KEY) never sign in to the page.
func TestOperatorKeys(t *testing.T) {
	ctx := context.Background()
	e := newBearerEnv(t, "the-env-key-0123456789")
	st, now, read, write := e.st, *e.now, e.read, e.write
	mk := func(name string, exp time.Time) (string, string) {
		key, id := NewKey()
		k := store.APIKey{ID: id, Name: name, Scope: KeyScopeOperator, Hash: HashKey(key), CreatedAt: now, ExpiresAt: exp}
		if err := st.CreateAPIKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		return key, id
	}
	op, opID := mk("alice", time.Time{})
	gone, goneID := mk("bob", time.Time{})
	old, _ := mk("carol", now.Add(time.Minute))
	if _, err := st.RevokeAPIKey(ctx, goneID, now); err != nil {
		t.Fatal(err)
	}
	readID := keyID(t, st, read)
	clock := now
	ops := NewOperatorKeys(st, func() time.Time { return clock })

	p, err := ops.VerifyOperator(ctx, op)
	if err != nil || p.ID != opID || p.Name != "alice" || p.Kind != KindOperator || len(p.Scopes) != 0 || p.CanRead() {
		t.Fatalf("operator key: %+v %v", p, err)
	}
	if k, _ := st.APIKeyByID(ctx, opID); k.LastUsedAt.IsZero() {
		t.Error("a sign-in does not record the key's use")
	}
	clock = now.Add(2 * time.Minute)
	for name, c := range map[string]struct {
		key  string
		want error
	}{
		"read key":    {read, ErrNotOperator},
		"write key":   {write, ErrNotOperator},
		"revoked":     {gone, ErrRevoked},
		"expired":     {old, ErrExpired},
		"unknown":     {"not-a-key-0123456789", ErrInvalid},
		"empty":       {"", ErrNoToken},
		"oversized":   {strings.Repeat("k", MaxTokenLength+1), ErrMalformed},
		"env key too": {"the-env-key-0123456789", ErrInvalid},
	} {
		if p, err := ops.VerifyOperator(ctx, c.key); !errors.Is(err, c.want) || p != nil {
			t.Errorf("%s: %+v %v, want %v", name, p, err, c.want)
		}
	}
	if err := ops.ActiveOperator(ctx, opID); err != nil {
		t.Errorf("active operator: %v", err)
	}
	for id, want := range map[string]error{goneID: ErrRevoked, readID: ErrNotOperator, "key_nobody": ErrRevoked} {
		if err := ops.ActiveOperator(ctx, id); !errors.Is(err, want) {
			t.Errorf("ActiveOperator(%s) = %v, want %v", id, err, want)
		}
	}

	// The MCP side refuses the operator key: as a bearer key, for a token,
	// and (were one ever minted) as a JWT of its id.
	b := e.b
	if p, err := b.Authenticate(ctx, op); !errors.Is(err, ErrOperatorKey) || !errors.Is(err, ErrInsufficientScope) || p != nil {
		t.Errorf("operator key on MCP: %+v %v", p, err)
	}
	if Reason(ErrOperatorKey) != "insufficient_scope" || !strings.Contains(ErrOperatorKey.Error(), OperatorKeyOnly) {
		t.Errorf("ErrOperatorKey: %v / %s", ErrOperatorKey, Reason(ErrOperatorKey))
	}
	if _, _, err := b.Exchange(ctx, op); !errors.Is(err, ErrOperatorKey) {
		t.Errorf("operator key exchanged for a token: %v", err)
	}
	// A read key still works (the refusal is by scope, not a broken lookup).
	if p, err := b.Authenticate(ctx, read); err != nil || !p.CanRead() || p.CanWrite() {
		t.Errorf("read key: %+v %v", p, err)
	}
	// An unknown stored scope grants nothing.
	if s := scopesFor("operator"); len(s) != 0 {
		t.Errorf("scopesFor(operator) = %v", s)
	}
}

func keyID(t *testing.T, st *store.Store, key string) string {
	t.Helper()
	k, err := st.APIKeyByHash(context.Background(), HashKey(key))
	if err != nil {
		t.Fatal(err)
	}
	return k.ID
}
