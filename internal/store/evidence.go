package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EvidenceRow is one stored evidence pack. Bundle is the pack's JSON,
// stored and returned byte for byte: its SHA-256 is what a pack's holder
// checks, so nothing here re-encodes it.
type EvidenceRow struct {
	ID             string
	CreatedAt      time.Time
	PrincipalID    string
	Subject        string // what the pack is about, e.g. "alert 1732-abc" or "agent 001"
	ManifestSHA256 string // SHA-256 of the pack's manifest (which holds each section's hash)
	Size           int64  // len(Bundle)
	Bundle         []byte // empty in ListEvidence results
}

// InsertEvidence stores a pack and its audit records in one transaction.
// Size is taken from the bundle.
func (s *Store) InsertEvidence(ctx context.Context, e EvidenceRow, audit ...AuditRecord) error {
	if e.ID == "" || len(e.Bundle) == 0 {
		return errors.New("insert evidence pack: an id and a bundle are required")
	}
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.appendAudit(ctx, tx, audit); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO evidence_packs(id, created_at, principal_id, subject, manifest_sha256, size, bundle)
VALUES (?, ?, ?, ?, ?, ?, ?)`, e.ID, e.CreatedAt.UnixMilli(), e.PrincipalID, e.Subject, e.ManifestSHA256, len(e.Bundle), e.Bundle)
		if err != nil {
			return fmt.Errorf("insert evidence pack %s: %w", e.ID, err)
		}
		return nil
	})
}

// GetEvidence reads one pack with its bundle.
func (s *Store) GetEvidence(ctx context.Context, id string) (EvidenceRow, error) {
	var e EvidenceRow
	var created int64
	err := s.db.QueryRowContext(ctx, `SELECT id, created_at, principal_id, subject, manifest_sha256, size, bundle
FROM evidence_packs WHERE id = ?`, id).Scan(&e.ID, &created, &e.PrincipalID, &e.Subject, &e.ManifestSHA256, &e.Size, &e.Bundle)
	if errors.Is(err, sql.ErrNoRows) {
		return e, fmt.Errorf("evidence pack %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return e, fmt.Errorf("read evidence pack %q: %w", id, err)
	}
	e.CreatedAt = fromMilli(created)
	return e, nil
}

// ListEvidence returns up to limit packs (default 100), newest first,
// without their bundles.
func (s *Store) ListEvidence(ctx context.Context, limit int) ([]EvidenceRow, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, created_at, principal_id, subject, manifest_sha256, size
FROM evidence_packs ORDER BY created_at DESC, id LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("list evidence packs: %w", err)
	}
	defer rows.Close()
	var out []EvidenceRow
	for rows.Next() {
		var e EvidenceRow
		var created int64
		if err := rows.Scan(&e.ID, &created, &e.PrincipalID, &e.Subject, &e.ManifestSHA256, &e.Size); err != nil {
			return nil, fmt.Errorf("list evidence packs: %w", err)
		}
		e.CreatedAt = fromMilli(created)
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list evidence packs: %w", err)
	}
	return out, nil
}
