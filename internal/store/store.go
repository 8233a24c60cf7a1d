// Package store is wazuh-mcp's embedded database: one SQLite file (pure Go,
// no cgo) in WAL mode holding API keys now, and approvals, the audit log and
// evidence packs as those features land. The schema evolves only through
// numbered migrations recorded in schema_migrations, so opening an old file
// with a newer binary upgrades it in place and opening it twice is harmless.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// FileName is the database file inside the data directory.
const FileName = "wazuh-mcp.db"

// busyTimeout is how long a writer waits for another process (the keys CLI
// next to a running server) to release the database.
const busyTimeout = 5 * time.Second

// Store is an open database.
type Store struct {
	db    *sql.DB
	path  string
	audit auditStmts
}

// Open opens (creating if needed) the database at path and applies every
// pending migration. The parent directory is created with mode 0700 and the
// file with 0600: it holds key hashes and, later, the audit log.
func Open(ctx context.Context, path string) (*Store, error) {
	if strings.TrimSpace(path) == "" {
		return nil, errors.New("store: no database path")
	}
	if err := prepareFile(path); err != nil {
		return nil, err
	}
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate") // writers take the lock up front: no upgrade deadlocks
	db, err := sql.Open("sqlite", "file:"+uriPath(path)+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("store %s: %w", path, err)
	}
	s := &Store{db: db, path: path}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, explainOpenError(path, err)
	}
	if s.audit, err = prepareAuditStmts(ctx, db); err != nil {
		db.Close()
		return nil, explainOpenError(path, err)
	}
	return s, nil
}

// uriPath escapes path for a "file:" URI: the driver splits the DSN at its
// first '?', and SQLite ends the path at '#' and decodes %XX, so a data
// directory holding any of them would open another file. Cleaning also
// turns a leading "//" (a URI authority to SQLite) into "/".
func uriPath(path string) string {
	return strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(filepath.Clean(path))
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

// Close closes the database.
func (s *Store) Close() error {
	s.audit.close()
	return s.db.Close()
}

// prepareFile makes sure the directory exists and the file can be written,
// with errors that say which setting to change.
func prepareFile(path string) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("store: cannot create the data directory %s (set WAZUH_MCP_DATA_DIR to a writable directory): %w", dir, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("store: cannot open %s for writing (set WAZUH_MCP_DATA_DIR to a writable directory): %w", path, err)
	}
	return f.Close()
}

func explainOpenError(path string, err error) error {
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only") || strings.Contains(msg, "unable to open") {
		return fmt.Errorf("store %s is not writable (the directory must be writable too, for the WAL files; set WAZUH_MCP_DATA_DIR): %w", path, err)
	}
	if strings.Contains(msg, "not a database") {
		return fmt.Errorf("store %s is not a wazuh-mcp database: %w", path, err)
	}
	return fmt.Errorf("store %s: %w", path, err)
}

// Migration is one schema step. Versions are never reused or edited once
// released: a change is a new migration.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations lists every schema step in order. Features that need tables
// append a migration here.
func Migrations() []Migration {
	return []Migration{
		{1, "api_keys", `
CREATE TABLE api_keys (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	scope        TEXT NOT NULL CHECK (scope IN ('read', 'write')),
	hash         BLOB NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER,
	revoked_at   INTEGER,
	last_used_at INTEGER,
	delegated    INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX api_keys_active_name ON api_keys(name) WHERE revoked_at IS NULL;`},
		// SQLite cannot alter a CHECK constraint: the table is rebuilt to
		// admit operator keys (they approve actions; they cannot call tools).
		{2, "api_keys_operator_scope", `
CREATE TABLE api_keys_new (
	id           TEXT PRIMARY KEY,
	name         TEXT NOT NULL,
	scope        TEXT NOT NULL CHECK (scope IN ('read', 'write', 'operator')),
	hash         BLOB NOT NULL UNIQUE,
	created_at   INTEGER NOT NULL,
	expires_at   INTEGER,
	revoked_at   INTEGER,
	last_used_at INTEGER,
	delegated    INTEGER NOT NULL DEFAULT 0
);
INSERT INTO api_keys_new SELECT id, name, scope, hash, created_at, expires_at, revoked_at, last_used_at, delegated FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
CREATE UNIQUE INDEX api_keys_active_name ON api_keys(name) WHERE revoked_at IS NULL;`},
		// Write actions: one row per proposed plan, moved through its
		// states only by compare-and-swap on status (actions.go).
		{3, "actions", `
CREATE TABLE actions (
	id             TEXT PRIMARY KEY,
	action         TEXT NOT NULL,
	tool           TEXT NOT NULL,
	principal_id   TEXT NOT NULL,
	principal_name TEXT NOT NULL DEFAULT '',
	session_id     TEXT NOT NULL DEFAULT '',
	correlation_id TEXT NOT NULL DEFAULT '',
	alert_id       TEXT NOT NULL DEFAULT '',
	plan           TEXT NOT NULL,
	plan_hash      TEXT NOT NULL,
	mode           TEXT NOT NULL CHECK (mode IN ('human', 'confirm', 'auto', 'delegated')),
	status         TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'executing', 'succeeded', 'failed', 'failed_unknown', 'expired', 'rejected')),
	created_at     INTEGER NOT NULL,
	expires_at     INTEGER NOT NULL,
	updated_at     INTEGER NOT NULL,
	decided_by     TEXT NOT NULL DEFAULT '',
	decided_via    TEXT NOT NULL DEFAULT '',
	decided_at     INTEGER,
	decision_note  TEXT NOT NULL DEFAULT '',
	executor       TEXT NOT NULL DEFAULT '',
	lease_until    INTEGER,
	started_at     INTEGER,
	finished_at    INTEGER,
	result         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX actions_status ON actions(status, expires_at);
CREATE INDEX actions_plan ON actions(plan_hash, created_at);`},
		// The audit log is append-only and hash-chained: hash =
		// SHA-256(prev_hash "\n" record). audit.go appends; nothing updates.
		{4, "audit", `
CREATE TABLE audit (
	seq       INTEGER PRIMARY KEY AUTOINCREMENT,
	at        INTEGER NOT NULL,
	kind      TEXT NOT NULL,
	record    TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash      TEXT NOT NULL
);
CREATE INDEX audit_at ON audit(at);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;`},
		{5, "evidence_packs", `
CREATE TABLE evidence_packs (
	id              TEXT PRIMARY KEY,
	created_at      INTEGER NOT NULL,
	principal_id    TEXT NOT NULL DEFAULT '',
	subject         TEXT NOT NULL,
	manifest_sha256 TEXT NOT NULL,
	size            INTEGER NOT NULL,
	bundle          BLOB NOT NULL
);
CREATE INDEX evidence_created ON evidence_packs(created_at);`},
	}
}

func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
	version    INTEGER PRIMARY KEY,
	name       TEXT NOT NULL,
	applied_at INTEGER NOT NULL)`); err != nil {
		return err
	}
	for _, m := range Migrations() {
		if err := s.apply(ctx, m); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return nil
}

// apply runs one migration in a transaction unless it is already recorded;
// the check and the step share the transaction, so two processes opening a
// new file at once apply it once.
func (s *Store) apply(ctx context.Context, m Migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version, name, applied_at) VALUES (?, ?, ?)`,
		m.Version, m.Name, time.Now().Unix()); err != nil {
		return err
	}
	return tx.Commit()
}

// SchemaVersion is the highest applied migration.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.db.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	return int(v.Int64), err
}
