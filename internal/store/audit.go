package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
)

// GenesisHash is the prev_hash of the first audit record.
var GenesisHash = strings.Repeat("0", 64)

// AuditRecord is one entry of the audit log: Record is the entry's JSON,
// written by internal/audit; the store only chains and keeps it.
type AuditRecord struct {
	Seq      int64
	At       time.Time
	Kind     string
	Record   []byte
	PrevHash string
	Hash     string
}

// ChainHash is the hash of a record that follows prev.
func ChainHash(prev string, record []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write([]byte{'\n'})
	h.Write(record)
	return hex.EncodeToString(h.Sum(nil))
}

const (
	lastAuditHashSQL = `SELECT hash FROM audit ORDER BY seq DESC LIMIT 1`
	insertAuditSQL   = `INSERT INTO audit(at, kind, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?)`
)

// auditStmts are the audit log's two statements, prepared once: every tool
// call appends a record, and parsing the SQL again each time was a visible
// share of a call's CPU.
type auditStmts struct {
	lastHash, insert *sql.Stmt
}

func prepareAuditStmts(ctx context.Context, db *sql.DB) (auditStmts, error) {
	last, err := db.PrepareContext(ctx, lastAuditHashSQL)
	if err != nil {
		return auditStmts{}, fmt.Errorf("audit: prepare: %w", err)
	}
	insert, err := db.PrepareContext(ctx, insertAuditSQL)
	if err != nil {
		last.Close()
		return auditStmts{}, fmt.Errorf("audit: prepare: %w", err)
	}
	return auditStmts{lastHash: last, insert: insert}, nil
}

func (a auditStmts) close() {
	if a.lastHash != nil {
		a.lastHash.Close()
		a.insert.Close()
	}
}

// appendAudit chains records onto the log inside tx. Transactions take the
// write lock up front (_txlock=immediate), so reading the last hash and
// inserting cannot interleave with another writer (another process
// included: the head is read from the table, never remembered).
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, records []AuditRecord) error {
	if len(records) == 0 {
		return nil
	}
	prev, err := lastAuditHash(ctx, tx.StmtContext(ctx, s.audit.lastHash))
	if err != nil {
		return err
	}
	insert := tx.StmtContext(ctx, s.audit.insert)
	for _, r := range records {
		if r.Kind == "" || len(r.Record) == 0 {
			return errors.New("audit: a record needs a kind and a body")
		}
		h := ChainHash(prev, r.Record)
		if _, err := insert.ExecContext(ctx, r.At.UnixMilli(), r.Kind, string(r.Record), prev, h); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
		prev = h
	}
	return nil
}

func lastAuditHash(ctx context.Context, stmt *sql.Stmt) (string, error) {
	var h string
	err := stmt.QueryRowContext(ctx).Scan(&h)
	if errors.Is(err, sql.ErrNoRows) {
		return GenesisHash, nil
	}
	if err != nil {
		return "", fmt.Errorf("audit: last hash: %w", err)
	}
	return h, nil
}

// AppendAudit appends records to the audit log in one transaction: all or
// none of them are durable when it returns.
func (s *Store) AppendAudit(ctx context.Context, records ...AuditRecord) error {
	if len(records) == 0 {
		return nil
	}
	if err := s.inTx(ctx, func(tx *sql.Tx) error { return s.appendAudit(ctx, tx, records) }); err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	return nil
}

// EachAudit calls fn for every record with seq > afterSeq and at >= since
// (zero: all), in order, until fn returns an error.
func (s *Store) EachAudit(ctx context.Context, afterSeq int64, since time.Time, fn func(AuditRecord) error) error {
	var sinceMS int64
	if !since.IsZero() {
		sinceMS = since.UnixMilli()
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, kind, record, prev_hash, hash FROM audit
WHERE seq > ? AND at >= ? ORDER BY seq`, afterSeq, sinceMS)
	if err != nil {
		return fmt.Errorf("audit: read: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r AuditRecord
		var at int64
		var rec string
		if err := rows.Scan(&r.Seq, &at, &r.Kind, &rec, &r.PrevHash, &r.Hash); err != nil {
			return fmt.Errorf("audit: read: %w", err)
		}
		r.At, r.Record = time.UnixMilli(at).UTC(), []byte(rec)
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}
