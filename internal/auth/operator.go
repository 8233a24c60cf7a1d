package auth

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// KeyScopeOperator is the stored scope of operator keys (`wazuh-mcp keys
// create NAME --scope operator`). An operator key signs a person in to the
// approval page, where they approve or reject actions the model proposed;
// it holds no MCP scope, so it can never call a tool, open an MCP session
// or be exchanged for a token. Keeping the two kinds of key apart means a
// model's credential can never approve its own proposals.
const KeyScopeOperator = "operator"

// KindOperator is a principal signed in with an operator key.
const KindOperator Kind = "operator_key"

// OperatorKeyOnly is what an operator key is told where MCP refuses it.
const OperatorKeyOnly = "operator keys sign in to the approval page only"

var (
	// ErrOperatorKey refuses an operator key on MCP (/mcp, /sse,
	// /auth/token): it is an insufficient-scope failure (403).
	ErrOperatorKey = fmt.Errorf("%s: %w", OperatorKeyOnly, ErrInsufficientScope)
	// ErrNotOperator refuses an MCP key (read or write, or MCP_API_KEY) at
	// the approval page.
	ErrNotOperator = errors.New("only operator keys sign in to the approval page; this is an MCP key (read or write), which cannot approve actions")
)

// OperatorKeys verifies operator keys against the store, for the approval
// page. It never accepts MCP_API_KEY or a JWT: only a stored key whose
// scope is operator.
type OperatorKeys struct {
	store KeyStore
	now   func() time.Time
}

// NewOperatorKeys verifies operator keys in st; now may be nil (time.Now).
func NewOperatorKeys(st KeyStore, now func() time.Time) *OperatorKeys {
	if now == nil {
		now = time.Now
	}
	return &OperatorKeys{store: st, now: now}
}

// VerifyOperator returns the principal of an active operator key. An
// unknown key is ErrInvalid, a revoked or expired one ErrRevoked or
// ErrExpired, a read or write key ErrNotOperator; any other error means
// the store could not answer.
func (o *OperatorKeys) VerifyOperator(ctx context.Context, key string) (*Principal, error) {
	if key == "" {
		return nil, ErrNoToken
	}
	if len(key) > MaxTokenLength {
		return nil, ErrMalformed
	}
	if o == nil || o.store == nil {
		return nil, ErrInvalid
	}
	k, err := o.store.APIKeyByHash(ctx, HashKey(key))
	if errors.Is(err, store.ErrNotFound) {
		return nil, ErrInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("look up operator key: %w", err)
	}
	p, err := o.check(k)
	if err != nil {
		return nil, err
	}
	_ = o.store.TouchAPIKey(ctx, k.ID, o.now()) // best effort: the sign-in itself is what matters
	return p, nil
}

// ActiveOperator says whether operator key id is still usable: the
// approval page asks on every signed-in request, so revoking the key ends
// its sessions at once.
func (o *OperatorKeys) ActiveOperator(ctx context.Context, id string) error {
	if o == nil || o.store == nil {
		return ErrRevoked
	}
	k, err := o.store.APIKeyByID(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return ErrRevoked
	}
	if err != nil {
		return fmt.Errorf("look up operator key: %w", err)
	}
	_, err = o.check(k)
	return err
}

func (o *OperatorKeys) check(k *store.APIKey) (*Principal, error) {
	switch k.Status(o.now()) {
	case "revoked":
		return nil, ErrRevoked
	case "expired":
		return nil, ErrExpired
	}
	if k.Scope != KeyScopeOperator {
		return nil, ErrNotOperator
	}
	return &Principal{ID: k.ID, Name: k.Name, Kind: KindOperator, ExpiresAt: k.ExpiresAt}, nil
}
