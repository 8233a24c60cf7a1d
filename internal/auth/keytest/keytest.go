// Package keytest makes a store with API keys for tests of the packages
// that authenticate with them (the approval page, the HTTP layer, the CLI).
package keytest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// Store opens a fresh store in a temporary directory, closed at the end of
// the test.
func Store(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// Create stores a key of scope (read, write or operator) named name,
// created at created and never expiring, and returns it and its id.
func Create(t testing.TB, st *store.Store, name, scope string, created time.Time) (key, id string) {
	t.Helper()
	key, id = auth.NewKey()
	if err := st.CreateAPIKey(context.Background(), store.APIKey{ID: id, Name: name, Scope: scope, Hash: auth.HashKey(key), CreatedAt: created}); err != nil {
		t.Fatal(err)
	}
	return key, id
}
