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

// execer is what appendAudit needs of a transaction.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// appendAudit chains records onto the log inside tx. Transactions take the
// write lock up front (_txlock=immediate), so reading the last hash and
// inserting cannot interleave with another writer.
func appendAudit(ctx context.Context, tx execer, records []AuditRecord) error {
	prev, err := lastAuditHash(ctx, tx)
	if err != nil {
		return err
	}
	for _, r := range records {
		if r.Kind == "" || len(r.Record) == 0 {
			return errors.New("audit: a record needs a kind and a body")
		}
		h := ChainHash(prev, r.Record)
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit(at, kind, record, prev_hash, hash) VALUES (?, ?, ?, ?, ?)`,
			r.At.UnixMilli(), r.Kind, string(r.Record), prev, h); err != nil {
			return fmt.Errorf("audit: append: %w", err)
		}
		prev = h
	}
	return nil
}

func lastAuditHash(ctx context.Context, tx execer) (string, error) {
	var h string
	err := tx.QueryRowContext(ctx, `SELECT hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&h)
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return explainWriteError(fmt.Errorf("audit: %w", err))
	}
	defer tx.Rollback()
	if err := appendAudit(ctx, tx, records); err != nil {
		return explainWriteError(err)
	}
	if err := tx.Commit(); err != nil {
		return explainWriteError(fmt.Errorf("audit: commit: %w", err))
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
