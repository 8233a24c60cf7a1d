package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"
)

// These tests take the disk away from an open store — full (SQLite's
// max_page_count, or a real tmpfs filled to the last byte) and read-only
// (query_only, or a real read-only mount) — and check that every write
// fails with an error naming the cause, that nothing is half-written (an
// action and its audit record are one commit), that the database and the
// audit chain are intact, and that the store works again when the disk
// does.

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// diskAction is action i with a plan of planBytes bytes and its
// "proposed" audit record.
func diskAction(i, planBytes int) (ActionRow, AuditRecord) {
	id := fmt.Sprintf("act_disk%03d", i)
	plan, _ := json.Marshal(map[string]string{"pad": strings.Repeat("p", planBytes)})
	at := t0.Add(time.Duration(i) * time.Second)
	row := ActionRow{ID: id, Action: "block_ip", Tool: "wazuh_block_ip", PrincipalID: "key_a", Plan: string(plan),
		PlanHash: fmt.Sprintf("%064d", i), Mode: "human", Status: "pending", CreatedAt: at, ExpiresAt: at.Add(time.Hour), UpdatedAt: at}
	return row, transitionRecord(id, "proposed", at, 0)
}

// transitionRecord is an audit record of action id, padded to padBytes.
func transitionRecord(id, transition string, at time.Time, padBytes int) AuditRecord {
	rec, _ := json.Marshal(map[string]string{"kind": "action", "action_id": id, "transition": transition, "pad": strings.Repeat("r", padBytes)})
	return AuditRecord{At: at, Kind: "action", Record: rec}
}

// diskState is everything the store holds that a failed write must not
// change.
type diskState struct {
	Actions []ActionRow
	Audit   []AuditRecord
}

func snapshot(t *testing.T, s *Store) diskState {
	t.Helper()
	ctx := context.Background()
	var st diskState
	var err error
	if st.Actions, err = s.ListActions(ctx, ActionFilter{Limit: 10000}); err != nil {
		t.Fatal(err)
	}
	if err := s.EachAudit(ctx, 0, time.Time{}, func(r AuditRecord) error { st.Audit = append(st.Audit, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return st
}

// checkIntact checks the database (integrity_check), the audit chain
// (every hash recomputed, seqs consecutive), that every action has its
// "proposed" record and every such record its action, and that what was
// there before (if given) is unchanged.
func checkIntact(t *testing.T, s *Store, before *diskState) diskState {
	t.Helper()
	var ok string
	if err := s.db.QueryRowContext(context.Background(), `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Fatalf("integrity_check: %q %v", ok, err)
	}
	now := snapshot(t, s)
	prev := GenesisHash
	proposed := map[string]bool{}
	for i, r := range now.Audit {
		if r.Seq != int64(i+1) || r.PrevHash != prev || ChainHash(prev, r.Record) != r.Hash {
			t.Fatalf("audit chain broken at seq %d (record %d)", r.Seq, i+1)
		}
		prev = r.Hash
		var ev struct {
			ActionID   string `json:"action_id"`
			Transition string `json:"transition"`
		}
		_ = json.Unmarshal(r.Record, &ev)
		if ev.Transition == "proposed" {
			proposed[ev.ActionID] = true
		}
	}
	for _, a := range now.Actions {
		if !proposed[a.ID] {
			t.Fatalf("action %s is stored without its audit record", a.ID)
		}
		delete(proposed, a.ID)
	}
	if len(proposed) > 0 {
		t.Fatalf("audit records of actions that are not stored: %v", proposed)
	}
	if before != nil {
		if len(now.Audit) < len(before.Audit) || !reflect.DeepEqual(now.Audit[:len(before.Audit)], before.Audit) {
			t.Fatal("earlier audit records changed")
		}
		have := map[string]ActionRow{}
		for _, a := range now.Actions {
			have[a.ID] = a
		}
		for _, a := range before.Actions {
			if got, ok := have[a.ID]; !ok || (got.Status == a.Status && !reflect.DeepEqual(got, a)) {
				t.Fatalf("earlier action %s lost or changed", a.ID)
			}
		}
	}
	return now
}

// seedDisk stores n small actions, the first one approved.
func seedDisk(t *testing.T, s *Store, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		row, rec := diskAction(i, 100)
		if err := s.InsertAction(ctx, row, rec); err != nil {
			t.Fatal(err)
		}
	}
	a, err := s.GetAction(ctx, "act_disk000")
	if err != nil {
		t.Fatal(err)
	}
	a.Status, a.DecidedBy = "approved", "cli:op"
	if err := s.Transition(ctx, "pending", a, transitionRecord(a.ID, "approved", t0.Add(time.Minute), 0)); err != nil {
		t.Fatal(err)
	}
}

// writesFail tries every kind of write with payloads that need new pages
// and checks each fails with want in its error and changes nothing. It
// returns the error of the action insert.
func writesFail(t *testing.T, s *Store, want string) error {
	t.Helper()
	ctx := context.Background()
	before := checkIntact(t, s, nil)
	row, rec := diskAction(900, 64<<10)
	insertErr := s.InsertAction(ctx, row, rec)
	if insertErr == nil || !strings.Contains(insertErr.Error(), want) {
		t.Fatalf("InsertAction on the bad disk: %v, want %q", insertErr, want)
	}
	a, err := s.GetAction(ctx, "act_disk001")
	if err != nil {
		t.Fatal(err)
	}
	a.Status, a.DecidedBy = "approved", "cli:op"
	a.DecisionNote = strings.Repeat("n", 64<<10)
	if err := s.Transition(ctx, "pending", a, transitionRecord(a.ID, "approved", t0.Add(2*time.Minute), 0)); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("Transition on the bad disk: %v, want %q", err, want)
	}
	if err := s.AppendAudit(ctx, transitionRecord("", "note", t0.Add(3*time.Minute), 64<<10)); err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("AppendAudit on the bad disk: %v, want %q", err, want)
	}
	if after := checkIntact(t, s, &before); !reflect.DeepEqual(after, before) {
		t.Fatal("a failed write changed the store")
	}
	return insertErr
}

// writesWork checks the store accepts every kind of write again.
func writesWork(t *testing.T, s *Store, before diskState) {
	t.Helper()
	ctx := context.Background()
	row, rec := diskAction(901, 64<<10)
	if err := s.InsertAction(ctx, row, rec); err != nil {
		t.Fatalf("InsertAction once the disk is back: %v", err)
	}
	a, err := s.GetAction(ctx, "act_disk001")
	if err != nil {
		t.Fatal(err)
	}
	a.Status, a.DecidedBy = "approved", "cli:op"
	if err := s.Transition(ctx, "pending", a, transitionRecord(a.ID, "approved", t0.Add(4*time.Minute), 0)); err != nil {
		t.Fatalf("Transition once the disk is back: %v", err)
	}
	if err := s.AppendAudit(ctx, transitionRecord("", "note", t0.Add(5*time.Minute), 64<<10)); err != nil {
		t.Fatalf("AppendAudit once the disk is back: %v", err)
	}
	after := checkIntact(t, s, &before)
	if len(after.Actions) != len(before.Actions)+1 || len(after.Audit) != len(before.Audit)+3 {
		t.Fatalf("%d actions, %d records after 3 writes to %d, %d", len(after.Actions), len(after.Audit), len(before.Actions), len(before.Audit))
	}
}

// oneConnection makes the pool a single connection, so that a PRAGMA
// set on it governs every later statement.
func oneConnection(t *testing.T, s *Store) {
	t.Helper()
	s.db.SetMaxOpenConns(1)
	s.db.SetMaxIdleConns(1)
}

func pragma(t *testing.T, s *Store, p string) {
	t.Helper()
	if _, err := s.db.Exec("PRAGMA " + p); err != nil {
		t.Fatalf("PRAGMA %s: %v", p, err)
	}
}

// TestDiskFullPageLimit fills the database up to SQLite's page limit:
// portable, and the same SQLITE_FULL a full disk gives.
func TestDiskFullPageLimit(t *testing.T) {
	s := openTemp(t)
	oneConnection(t, s)
	seedDisk(t, s, 3)
	var pages int
	if err := s.db.QueryRow(`PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	pragma(t, s, fmt.Sprintf("max_page_count = %d", pages))
	// The small audit record fits in a page that has room; the 64 KiB plan
	// does not: the insert fails after its audit record was written in
	// the same transaction, and that record must be gone too.
	if err := writesFail(t, s, "store: the disk is full; nothing was written"); !strings.Contains(err.Error(), "insert action") {
		t.Fatalf("the insert failed before its audit record was written: %v", err)
	}
	before := snapshot(t, s)
	pragma(t, s, "max_page_count = 1073741823")
	writesWork(t, s, before)
}

// TestDiskReadOnlyQueryOnly makes the open store's connection read-only.
func TestDiskReadOnlyQueryOnly(t *testing.T) {
	s := openTemp(t)
	oneConnection(t, s)
	seedDisk(t, s, 3)
	pragma(t, s, "query_only = 1")
	writesFail(t, s, "store: the database is read-only; nothing was written")
	before := snapshot(t, s)
	pragma(t, s, "query_only = 0")
	writesWork(t, s, before)
}

// mountTmpfs mounts a tmpfs of size at a new directory, or skips the test
// when this process may not mount (not root, or no mount namespace).
func mountTmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("a real full or read-only disk needs mount, which needs root; the portable variants cover the store's behaviour")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount -t tmpfs is not permitted here (%v: %s); the portable variants cover the store's behaviour", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", "-l", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
		}
	})
	return dir
}

func remount(t *testing.T, dir, mode string) {
	t.Helper()
	if out, err := exec.Command("mount", "-o", "remount,"+mode, dir).CombinedOutput(); err != nil {
		t.Fatalf("remount %s %s: %v: %s", dir, mode, err, out)
	}
}

// fillDisk writes a file until the file system has no byte left.
func fillDisk(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "filler")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 4096)
	for {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatalf("filling the disk: %v", err)
			}
			break
		}
	}
	for _, n := range []int{512, 64, 1} { // the last partial page
		for {
			if _, err := f.Write(chunk[:n]); err != nil {
				break
			}
		}
	}
	return path
}

// TestDiskFullTmpfs fills a real file system under an open store: SQLite
// gets ENOSPC from write(2).
func TestDiskFullTmpfs(t *testing.T) {
	dir := mountTmpfs(t, "4m")
	s, err := Open(context.Background(), filepath.Join(dir, FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedDisk(t, s, 3)
	filler := fillDisk(t, dir)
	writesFail(t, s, "store: the disk is full; nothing was written")
	before := snapshot(t, s)
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	writesWork(t, s, before)
}

// TestDiskReadOnlyMount: Linux refuses to make a file system read-only
// while a file on it is open for writing (EBUSY), so a store sees a
// read-only disk when it opens: Open must say what is wrong, leave the
// file as it was, and work once the disk is writable again.
func TestDiskReadOnlyMount(t *testing.T) {
	dir := mountTmpfs(t, "4m")
	path := filepath.Join(dir, FileName)
	s, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	seedDisk(t, s, 3)
	before := checkIntact(t, s, nil)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	remount(t, dir, "ro")
	if _, err := Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "read-only file system") ||
		!strings.Contains(err.Error(), "WAZUH_MCP_DATA_DIR") {
		t.Fatalf("Open on a read-only disk: %v", err)
	}
	remount(t, dir, "rw")
	s, err = Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkIntact(t, s, &before)
	writesWork(t, s, before)
}
