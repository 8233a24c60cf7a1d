package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func openTemp(t *testing.T) *Store {
	t.Helper()
	s, err := Open(context.Background(), filepath.Join(t.TempDir(), "data", FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestMigrationsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), FileName)
	for i := range 3 {
		s, err := Open(ctx, path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := Migrations()[len(Migrations())-1].Version
		if v != want {
			t.Fatalf("open %d: schema version %d, want %d", i, v, want)
		}
		var n int
		if err := s.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations`).Scan(&n); err != nil || n != len(Migrations()) {
			t.Fatalf("open %d: %d migration rows (%v), want %d", i, n, err, len(Migrations()))
		}
		if i == 0 {
			if err := s.CreateAPIKey(ctx, APIKey{ID: "key_1", Name: "a", Scope: "read", Hash: []byte{1}, CreatedAt: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
		keys, err := s.ListAPIKeys(ctx)
		if err != nil || len(keys) != 1 {
			t.Fatalf("open %d: keys %v %v: data must survive reopening", i, keys, err)
		}
		var mode string
		if err := s.db.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal_mode = %q (%v), want wal", mode, err)
		}
		s.Close()
	}
	if runtime.GOOS != "windows" {
		fi, err := os.Stat(path)
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("database mode %v (%v), want 0600", fi.Mode().Perm(), err)
		}
	}
}

func TestAPIKeys(t *testing.T) {
	ctx := context.Background()
	s := openTemp(t)
	now := time.Unix(1_800_000_000, 0)
	a := APIKey{ID: "key_a", Name: "ci", Scope: "read", Hash: []byte("ha"), CreatedAt: now, ExpiresAt: now.Add(time.Hour)}
	if err := s.CreateAPIKey(ctx, a); err != nil {
		t.Fatal(err)
	}
	dup := APIKey{ID: "key_b", Name: "ci", Scope: "write", Hash: []byte("hb"), CreatedAt: now}
	if err := s.CreateAPIKey(ctx, dup); !errors.Is(err, ErrNameTaken) {
		t.Fatalf("duplicate active name: %v, want ErrNameTaken", err)
	}
	if err := s.CreateAPIKey(ctx, APIKey{ID: "key_c", Name: "other", Scope: "admin", Hash: []byte("hc"), CreatedAt: now}); err == nil {
		t.Fatal("scope outside read|write accepted")
	}
	got, err := s.APIKeyByHash(ctx, []byte("ha"))
	if err != nil || got.ID != "key_a" || got.Scope != "read" || !got.ExpiresAt.Equal(a.ExpiresAt) || got.Status(now) != "active" {
		t.Fatalf("by hash: %+v %v", got, err)
	}
	if got.Status(now.Add(2*time.Hour)) != "expired" {
		t.Fatal("key past its expiry is not expired")
	}
	if _, err := s.APIKeyByHash(ctx, []byte("nope")); !errors.Is(err, ErrNotFound) {
		t.Fatalf("unknown hash: %v", err)
	}
	if err := s.TouchAPIKey(ctx, "key_a", now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	// Revoke by name, then the name is free again; revoking twice says so.
	k, err := s.RevokeAPIKey(ctx, "ci", now.Add(2*time.Minute))
	if err != nil || k.ID != "key_a" || k.Status(now) != "revoked" {
		t.Fatalf("revoke by name: %+v %v", k, err)
	}
	if _, err := s.RevokeAPIKey(ctx, "key_a", now); err == nil || !strings.Contains(err.Error(), "already revoked") {
		t.Fatalf("second revoke: %v", err)
	}
	if _, err := s.RevokeAPIKey(ctx, "ci", now); !errors.Is(err, ErrNotFound) {
		t.Fatalf("revoke of a name with no active key: %v", err)
	}
	if err := s.CreateAPIKey(ctx, dup); err != nil {
		t.Fatalf("name of a revoked key not reusable: %v", err)
	}
	keys, err := s.ListAPIKeys(ctx)
	if err != nil || len(keys) != 2 {
		t.Fatalf("list: %v %v", keys, err)
	}
	byID := map[string]APIKey{}
	for _, k := range keys {
		byID[k.ID] = k
	}
	if !byID["key_a"].LastUsedAt.Equal(now.Add(time.Minute)) || byID["key_a"].RevokedAt.IsZero() {
		t.Fatalf("key_a after touch and revoke: %+v", byID["key_a"])
	}
}

func TestOpenUnderAFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), filepath.Join(file, "sub", FileName))
	if err == nil || !strings.Contains(err.Error(), "WAZUH_MCP_DATA_DIR") {
		t.Fatalf("directory that cannot exist: %v", err)
	}
}

func TestOpenErrors(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("permission bits do not bind this user")
	}
	ro := t.TempDir()
	if err := os.Chmod(ro, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(ro, 0o700) })
	_, err := Open(context.Background(), filepath.Join(ro, "sub", FileName))
	if err == nil || !strings.Contains(err.Error(), "WAZUH_MCP_DATA_DIR") {
		t.Fatalf("unwritable directory: %v", err)
	}
	_, err = Open(context.Background(), filepath.Join(ro, FileName))
	if err == nil || !strings.Contains(err.Error(), "WAZUH_MCP_DATA_DIR") {
		t.Fatalf("unwritable file: %v", err)
	}
}

func TestOpenNotADatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(path, []byte(strings.Repeat("not sqlite ", 100)), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "not a wazuh-mcp database") {
		t.Fatalf("garbage file: %v", err)
	}
}

// A data directory whose name holds URI characters opens the file at that
// very path: '?' once split the DSN and '#' ended SQLite's path.
func TestOpenPathWithURICharacters(t *testing.T) {
	ctx := context.Background()
	for _, dir := range []string{"a?b", "a#b", "a%41b", "a?mode=ro#x%"} {
		t.Run(dir, func(t *testing.T) {
			root := t.TempDir()
			path := filepath.Join(root, dir, FileName)
			s, err := Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.AppendAudit(ctx, AuditRecord{At: time.Now(), Kind: "test", Record: []byte(`{"x":1}`)}); err != nil {
				t.Fatal(err)
			}
			s.Close()
			// The tables are in the file at path, and nothing else was created.
			s, err = Open(ctx, path)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			n := 0
			if err := s.EachAudit(ctx, 0, time.Time{}, func(AuditRecord) error { n++; return nil }); err != nil || n != 1 {
				t.Errorf("%d audit records (%v) in %s, want 1", n, err, path)
			}
			entries, _ := os.ReadDir(root)
			if len(entries) != 1 || entries[0].Name() != dir {
				var names []string
				for _, e := range entries {
					names = append(names, e.Name())
				}
				t.Errorf("%s holds %q, want only %q", root, names, dir)
			}
		})
	}
}
