package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrConflict is returned when a compare-and-swap finds the action in
// another state than expected: someone else moved it first.
var ErrConflict = errors.New("the action changed state")

// ActionRow is one stored write action. The approval package owns its
// meaning; the store keeps it and moves it between states atomically.
type ActionRow struct {
	ID            string
	Action        string
	Tool          string
	PrincipalID   string
	PrincipalName string
	SessionID     string
	CorrelationID string
	AlertID       string
	Plan          string // canonical JSON
	PlanHash      string
	Mode          string
	Status        string
	CreatedAt     time.Time
	ExpiresAt     time.Time
	UpdatedAt     time.Time
	DecidedBy     string
	DecidedVia    string
	DecidedAt     time.Time
	DecisionNote  string
	Executor      string
	LeaseUntil    time.Time
	StartedAt     time.Time
	FinishedAt    time.Time
	Result        string // JSON
}

const actionColumns = `id, action, tool, principal_id, principal_name, session_id, correlation_id, alert_id,
plan, plan_hash, mode, status, created_at, expires_at, updated_at, decided_by, decided_via, decided_at,
decision_note, executor, lease_until, started_at, finished_at, result`

// InsertAction stores a new action and its audit records in one
// transaction: an action never exists without its audit trail.
func (s *Store) InsertAction(ctx context.Context, a ActionRow, audit ...AuditRecord) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		if err := s.appendAudit(ctx, tx, audit); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO actions(`+actionColumns+`)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, actionArgs(a)...)
		if err != nil {
			return fmt.Errorf("insert action: %w", err)
		}
		return nil
	})
}

func actionArgs(a ActionRow) []any {
	return []any{a.ID, a.Action, a.Tool, a.PrincipalID, a.PrincipalName, a.SessionID, a.CorrelationID, a.AlertID,
		a.Plan, a.PlanHash, a.Mode, a.Status, a.CreatedAt.UnixMilli(), a.ExpiresAt.UnixMilli(), a.UpdatedAt.UnixMilli(),
		a.DecidedBy, a.DecidedVia, milliOrNull(a.DecidedAt), a.DecisionNote, a.Executor, milliOrNull(a.LeaseUntil),
		milliOrNull(a.StartedAt), milliOrNull(a.FinishedAt), a.Result}
}

// Transition moves action id from status `from` to a.Status, writing every
// column of a (the caller read the row, changed it and passes it back) and
// the audit records, in one transaction. It fails with ErrConflict when the
// stored status is no longer `from`: of two concurrent approvals, or two
// executors, exactly one wins.
func (s *Store) Transition(ctx context.Context, from string, a ActionRow, audit ...AuditRecord) error {
	return s.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE actions SET status = ?, updated_at = ?, decided_by = ?, decided_via = ?,
decided_at = ?, decision_note = ?, executor = ?, lease_until = ?, started_at = ?, finished_at = ?, result = ?
WHERE id = ? AND status = ? AND plan_hash = ?`,
			a.Status, a.UpdatedAt.UnixMilli(), a.DecidedBy, a.DecidedVia, milliOrNull(a.DecidedAt), a.DecisionNote,
			a.Executor, milliOrNull(a.LeaseUntil), milliOrNull(a.StartedAt), milliOrNull(a.FinishedAt), a.Result,
			a.ID, from, a.PlanHash)
		if err != nil {
			return fmt.Errorf("action %s: %s → %s: %w", a.ID, from, a.Status, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return fmt.Errorf("action %s: %s → %s: %w", a.ID, from, a.Status, ErrConflict)
		}
		return s.appendAudit(ctx, tx, audit)
	})
}

// GetAction reads one action.
func (s *Store) GetAction(ctx context.Context, id string) (ActionRow, error) {
	rows, err := queryActions(ctx, s.db, sqlClause{`WHERE id = ?`, []any{id}})
	if err != nil {
		return ActionRow{}, err
	}
	if len(rows) == 0 {
		return ActionRow{}, fmt.Errorf("action %q: %w", id, ErrNotFound)
	}
	return rows[0], nil
}

// ActionFilter selects actions for ListActions; zero fields match all.
type ActionFilter struct {
	Statuses     []string
	PlanHash     string
	CreatedAfter time.Time
	Limit        int // default 100
}

// ListActions returns matching actions, newest first.
func (s *Store) ListActions(ctx context.Context, f ActionFilter) ([]ActionRow, error) {
	return queryActions(ctx, s.db, listClause(f))
}

// InsertActionUnless inserts a with its audit records unless one of the
// filters, run in order, finds a row that dup accepts; that row is then
// returned instead. The search and the insert share one transaction, and
// transactions take the write lock up front (_txlock=immediate), so two
// processes proposing the same plan at once store it once.
func (s *Store) InsertActionUnless(ctx context.Context, filters []ActionFilter, dup func(ActionRow) bool, a ActionRow, audit ...AuditRecord) (prev ActionRow, found bool, err error) {
	err = s.inTx(ctx, func(tx *sql.Tx) error {
		for _, f := range filters {
			rows, err := queryActions(ctx, tx, listClause(f))
			if err != nil {
				return err
			}
			for _, r := range rows {
				if dup(r) {
					prev, found = r, true
					return nil
				}
			}
		}
		if err := s.appendAudit(ctx, tx, audit); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO actions(`+actionColumns+`)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, actionArgs(a)...); err != nil {
			return fmt.Errorf("insert action: %w", err)
		}
		return nil
	})
	return prev, found, err
}

// DueActions returns what an executor's sweep must act on at now, at most
// limit of each kind: executions whose lease ended, pending actions past
// their expiry (both found through actions_status(status, expires_at) or
// its status prefix), and approved actions, oldest decision first. Listing
// by status alone, newest first, let newer pending proposals hide an older
// approved action from the executor for as long as they kept coming.
func (s *Store) DueActions(ctx context.Context, now time.Time, limit int) ([]ActionRow, error) {
	if limit <= 0 {
		limit = 100
	}
	ms := now.UnixMilli()
	var out []ActionRow
	for _, c := range []sqlClause{
		{`WHERE status = 'executing' AND lease_until < ? ORDER BY lease_until, id LIMIT ?`, []any{ms, limit}},
		{`WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at, id LIMIT ?`, []any{ms, limit}},
		{`WHERE status = 'approved' ORDER BY decided_at, created_at, id LIMIT ?`, []any{limit}},
	} {
		rows, err := queryActions(ctx, s.db, c)
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
	}
	return out, nil
}

// sqlClause is a WHERE/ORDER/LIMIT tail and its arguments.
type sqlClause struct {
	sql  string
	args []any
}

func listClause(f ActionFilter) sqlClause {
	var where []string
	var args []any
	if len(f.Statuses) > 0 {
		where = append(where, "status IN ("+strings.TrimSuffix(strings.Repeat("?,", len(f.Statuses)), ",")+")")
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.PlanHash != "" {
		where = append(where, "plan_hash = ?")
		args = append(args, f.PlanHash)
	}
	if !f.CreatedAfter.IsZero() {
		where = append(where, "created_at > ?")
		args = append(args, f.CreatedAfter.UnixMilli())
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	clause := ""
	if len(where) > 0 {
		clause = "WHERE " + strings.Join(where, " AND ")
	}
	args = append(args, limit)
	return sqlClause{clause + ` ORDER BY created_at DESC, id LIMIT ?`, args}
}

// querier is a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryActions(ctx context.Context, q querier, c sqlClause) ([]ActionRow, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+actionColumns+` FROM actions `+c.sql, c.args...)
	if err != nil {
		return nil, fmt.Errorf("read actions: %w", err)
	}
	defer rows.Close()
	var out []ActionRow
	for rows.Next() {
		a, err := scanAction(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func scanAction(rows *sql.Rows) (ActionRow, error) {
	var a ActionRow
	var created, expires, updated int64
	var decided, lease, started, finished sql.NullInt64
	err := rows.Scan(&a.ID, &a.Action, &a.Tool, &a.PrincipalID, &a.PrincipalName, &a.SessionID, &a.CorrelationID,
		&a.AlertID, &a.Plan, &a.PlanHash, &a.Mode, &a.Status, &created, &expires, &updated, &a.DecidedBy,
		&a.DecidedVia, &decided, &a.DecisionNote, &a.Executor, &lease, &started, &finished, &a.Result)
	if err != nil {
		return a, fmt.Errorf("read action: %w", err)
	}
	a.CreatedAt, a.ExpiresAt, a.UpdatedAt = fromMilli(created), fromMilli(expires), fromMilli(updated)
	a.DecidedAt, a.LeaseUntil = nullMilli(decided), nullMilli(lease)
	a.StartedAt, a.FinishedAt = nullMilli(started), nullMilli(finished)
	return a, nil
}

func (s *Store) inTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return explainWriteError(err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return explainWriteError(err)
	}
	return explainWriteError(tx.Commit())
}

// explainWriteError names the usual causes of a failed write (full or
// read-only disk) so that the operator knows what to fix.
func explainWriteError(err error) error {
	if err == nil {
		return nil
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "disk is full") || strings.Contains(msg, "database or disk is full"):
		return fmt.Errorf("store: the disk is full; nothing was written: %w", err)
	case strings.Contains(msg, "readonly") || strings.Contains(msg, "read-only"):
		return fmt.Errorf("store: the database is read-only; nothing was written: %w", err)
	}
	return err
}

func milliOrNull(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMilli(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

func nullMilli(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return fromMilli(v.Int64)
}
