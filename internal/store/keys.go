package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrNotFound is returned when no row matches.
var ErrNotFound = errors.New("not found")

// ErrNameTaken is returned when an active API key already has the name.
var ErrNameTaken = errors.New("an active API key already has this name")

// APIKey is a stored API key. The key itself is never stored: only its
// SHA-256 hash (see internal/auth for why a fast hash is right here).
type APIKey struct {
	ID         string
	Name       string
	Scope      string // read | write
	Hash       []byte
	CreatedAt  time.Time
	ExpiresAt  time.Time // zero: never
	RevokedAt  time.Time // zero: active
	LastUsedAt time.Time // zero: never used
	Delegated  bool      // reserved: keys minted for delegated (on-behalf-of) use
}

// Status says whether the key can be used at now.
func (k *APIKey) Status(now time.Time) string {
	switch {
	case !k.RevokedAt.IsZero():
		return "revoked"
	case !k.ExpiresAt.IsZero() && !now.Before(k.ExpiresAt):
		return "expired"
	}
	return "active"
}

// CreateAPIKey inserts a key. Names are unique among keys not revoked.
func (s *Store) CreateAPIKey(ctx context.Context, k APIKey) error {
	_, err := s.db.ExecContext(ctx, `INSERT INTO api_keys(id, name, scope, hash, created_at, expires_at, delegated)
VALUES (?, ?, ?, ?, ?, ?, ?)`, k.ID, k.Name, k.Scope, k.Hash, k.CreatedAt.Unix(), unixOrNull(k.ExpiresAt), k.Delegated)
	if err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed: api_keys.name") {
		return fmt.Errorf("API key name %q: %w", k.Name, ErrNameTaken)
	}
	if err != nil {
		return fmt.Errorf("create API key: %w", err)
	}
	return nil
}

const keyColumns = `id, name, scope, hash, created_at, expires_at, revoked_at, last_used_at, delegated`

// ListAPIKeys returns every key, newest first.
func (s *Store) ListAPIKeys(ctx context.Context) ([]APIKey, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+keyColumns+` FROM api_keys ORDER BY created_at DESC, id`)
	if err != nil {
		return nil, fmt.Errorf("list API keys: %w", err)
	}
	defer rows.Close()
	var out []APIKey
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *k)
	}
	return out, rows.Err()
}

// APIKeyByHash finds the key whose hash is hash.
func (s *Store) APIKeyByHash(ctx context.Context, hash []byte) (*APIKey, error) {
	return s.oneKey(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE hash = ?`, hash)
}

// APIKeyByID finds a key by id.
func (s *Store) APIKeyByID(ctx context.Context, id string) (*APIKey, error) {
	return s.oneKey(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE id = ?`, id)
}

// RevokeAPIKey revokes the key with this id, or else the active key with
// this name. Revoking a revoked key is an error naming its state.
func (s *Store) RevokeAPIKey(ctx context.Context, idOrName string, at time.Time) (*APIKey, error) {
	k, err := s.APIKeyByID(ctx, idOrName)
	if errors.Is(err, ErrNotFound) {
		k, err = s.oneKey(ctx, `SELECT `+keyColumns+` FROM api_keys WHERE name = ? AND revoked_at IS NULL`, idOrName)
	}
	if err != nil {
		return nil, fmt.Errorf("API key %q: %w", idOrName, err)
	}
	if !k.RevokedAt.IsZero() {
		return k, fmt.Errorf("API key %s (%s) was already revoked at %s", k.ID, k.Name, k.RevokedAt.UTC().Format(time.RFC3339))
	}
	if _, err := s.db.ExecContext(ctx, `UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, at.Unix(), k.ID); err != nil {
		return nil, fmt.Errorf("revoke API key %s: %w", k.ID, err)
	}
	k.RevokedAt = time.Unix(at.Unix(), 0)
	return k, nil
}

// TouchAPIKey records a use of the key.
func (s *Store) TouchAPIKey(ctx context.Context, id string, at time.Time) error {
	_, err := s.db.ExecContext(ctx, `UPDATE api_keys SET last_used_at = ? WHERE id = ?`, at.Unix(), id)
	return err
}

func (s *Store) oneKey(ctx context.Context, query string, arg any) (*APIKey, error) {
	k, err := scanKey(s.db.QueryRowContext(ctx, query, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	return k, err
}

type scanner interface{ Scan(dest ...any) error }

func scanKey(r scanner) (*APIKey, error) {
	var k APIKey
	var created int64
	var expires, revoked, used sql.NullInt64
	if err := r.Scan(&k.ID, &k.Name, &k.Scope, &k.Hash, &created, &expires, &revoked, &used, &k.Delegated); err != nil {
		return nil, err
	}
	k.CreatedAt = time.Unix(created, 0)
	k.ExpiresAt = fromNull(expires)
	k.RevokedAt = fromNull(revoked)
	k.LastUsedAt = fromNull(used)
	return &k, nil
}

func unixOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Unix()
}

func fromNull(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.Unix(v.Int64, 0)
}
