package audit

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// seed writes n tool_call events, one minute apart from t0.
func seed(t *testing.T, st *store.Store, n int) {
	t.Helper()
	l := New(st, Options{})
	defer l.Close()
	for i := range n {
		e := Event{Time: t0.Add(time.Duration(i) * time.Minute), Kind: KindToolCall, Tool: fmt.Sprintf("tool_%d", i+1), Outcome: OutcomeOK}
		if err := l.Record(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
}

// tamper opens the database file a second time, drops the append-only
// triggers (they are a guard; the chain is the proof) and runs stmts.
func tamper(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range append([]string{`DROP TRIGGER audit_no_update`, `DROP TRIGGER audit_no_delete`}, stmts...) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}

func hashOf(t *testing.T, st *store.Store, seq int64) string {
	t.Helper()
	var h string
	_ = st.EachAudit(context.Background(), seq-1, time.Time{}, func(r store.AuditRecord) error {
		h = r.Hash
		return errStop
	})
	return h
}

func TestVerifyDetectsTampering(t *testing.T) {
	tests := []struct {
		name string
		// stmts gets the store so that a forger can compute real hashes.
		stmts      func(t *testing.T, st *store.Store) []string
		wantSeq    int64 // 0: the chain verifies
		wantReason string
		wantHead   int64
	}{
		{name: "intact", stmts: func(*testing.T, *store.Store) []string { return nil }, wantHead: 5},
		{
			name: "record edited",
			stmts: func(*testing.T, *store.Store) []string {
				return []string{`UPDATE audit SET record = replace(record, 'tool_3', 'tool_X') WHERE seq = 3`}
			},
			wantSeq: 3, wantReason: "hash does not match", wantHead: 2,
		},
		{
			name: "record edited and its hash recomputed",
			stmts: func(t *testing.T, st *store.Store) []string {
				rec := Event{Time: t0.Add(2 * time.Minute), Kind: KindToolCall, Tool: "tool_X", Outcome: OutcomeOK}.Record().Record
				h := store.ChainHash(hashOf(t, st, 2), rec)
				return []string{fmt.Sprintf(`UPDATE audit SET record = '%s', hash = '%s' WHERE seq = 3`, rec, h)}
			},
			wantSeq: 4, wantReason: "prev_hash does not match the hash of record 3", wantHead: 3,
		},
		{
			name:    "row deleted",
			stmts:   func(*testing.T, *store.Store) []string { return []string{`DELETE FROM audit WHERE seq = 3`} },
			wantSeq: 3, wantReason: "record 3 missing", wantHead: 2,
		},
		{
			name:    "first rows deleted",
			stmts:   func(*testing.T, *store.Store) []string { return []string{`DELETE FROM audit WHERE seq <= 2`} },
			wantSeq: 1, wantReason: "record 1-2 missing", wantHead: 0,
		},
		{
			name: "row deleted and the rest renumbered",
			stmts: func(*testing.T, *store.Store) []string {
				return []string{`DELETE FROM audit WHERE seq = 3`, `UPDATE audit SET seq = seq + 100 WHERE seq > 3`, `UPDATE audit SET seq = seq - 101 WHERE seq > 100`}
			},
			wantSeq: 3, wantReason: "prev_hash does not match the hash of record 2", wantHead: 2,
		},
		{
			name: "forged row inserted in the middle with a correct hash",
			stmts: func(t *testing.T, st *store.Store) []string {
				rec := Event{Time: t0.Add(90 * time.Second), Kind: KindToolCall, Tool: "forged", Outcome: OutcomeOK}.Record().Record
				prev := hashOf(t, st, 2)
				return []string{
					`UPDATE audit SET seq = seq + 100 WHERE seq >= 3`, `UPDATE audit SET seq = seq - 99 WHERE seq > 100`,
					fmt.Sprintf(`INSERT INTO audit(seq, at, kind, record, prev_hash, hash) VALUES (3, %d, 'tool_call', '%s', '%s', '%s')`,
						t0.Add(90*time.Second).UnixMilli(), rec, prev, store.ChainHash(prev, rec)),
				}
			},
			wantSeq: 4, wantReason: "prev_hash does not match the hash of record 3", wantHead: 3,
		},
		{
			name: "row appended off the chain",
			stmts: func(*testing.T, *store.Store) []string {
				rec := Event{Time: t0.Add(time.Hour), Kind: KindToolCall, Tool: "forged"}.Record().Record
				return []string{fmt.Sprintf(`INSERT INTO audit(at, kind, record, prev_hash, hash) VALUES (%d, 'tool_call', '%s', '%s', '%s')`,
					t0.Add(time.Hour).UnixMilli(), rec, store.GenesisHash, store.ChainHash(store.GenesisHash, rec))}
			},
			wantSeq: 6, wantReason: "prev_hash does not match the hash of record 5", wantHead: 5,
		},
		{
			name: "at column moved (outside the hash)",
			stmts: func(*testing.T, *store.Store) []string {
				return []string{`UPDATE audit SET at = at - 86400000 WHERE seq = 4`}
			},
			wantSeq: 4, wantReason: "at or kind column differs", wantHead: 4,
		},
		{
			// The caveat: cutting the tail leaves a valid, shorter chain.
			// Only a head hash kept elsewhere shows it.
			name:     "tail truncated (not detectable from the chain)",
			stmts:    func(*testing.T, *store.Store) []string { return []string{`DELETE FROM audit WHERE seq >= 4`} },
			wantHead: 3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, path := openStore(t)
			seed(t, st, 5)
			tamper(t, path, tt.stmts(t, st)...)
			rep, err := Verify(context.Background(), st)
			if err != nil {
				t.Fatal(err)
			}
			checkReport(t, rep, tt.wantSeq, tt.wantReason, tt.wantHead)
		})
	}
}

func checkReport(t *testing.T, rep Report, wantSeq int64, wantReason string, wantHead int64) {
	t.Helper()
	if wantSeq == 0 {
		if !rep.OK() {
			t.Fatalf("broken at %d: %s; want intact", rep.FirstBroken.Seq, rep.FirstBroken.Reason)
		}
	} else if rep.OK() || rep.FirstBroken.Seq != wantSeq || !strings.Contains(rep.FirstBroken.Reason, wantReason) {
		t.Fatalf("report %+v %+v; want a break at seq %d: %q", rep, rep.FirstBroken, wantSeq, wantReason)
	}
	if rep.HeadSeq != wantHead {
		t.Fatalf("head seq %d, want %d (the last record that verified)", rep.HeadSeq, wantHead)
	}
}

func TestExportVerifiesOffline(t *testing.T) {
	st, _ := openStore(t)
	seed(t, st, 5)
	// A record with characters that json.Marshal would escape differently
	// when re-encoding (<, >, &, U+2028): the export must keep the bytes.
	l := New(st, Options{})
	if err := l.Record(context.Background(), Event{Time: t0.Add(time.Hour), Kind: KindToolCall, Error: "a<b>&c\u2028 é"}); err != nil {
		t.Fatal(err)
	}
	l.Close()
	want := mustVerify(t, st, 6)
	var buf bytes.Buffer
	if err := Export(context.Background(), st, time.Time{}, &buf); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 6 {
		t.Fatalf("%d lines, want 6:\n%s", n, buf.String())
	}
	rep, err := VerifyExport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Records != 6 || rep.FirstSeq != 1 || rep.HeadHash != want.HeadHash {
		t.Fatalf("export report %+v %+v, want 6 records ending at %s", rep, rep.FirstBroken, want.HeadHash)
	}
}

func TestExportSince(t *testing.T) {
	st, _ := openStore(t)
	seed(t, st, 5)
	var buf bytes.Buffer
	if err := Export(context.Background(), st, t0.Add(2*time.Minute), &buf); err != nil {
		t.Fatal(err)
	}
	rep, err := VerifyExport(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Records != 3 || rep.FirstSeq != 3 || rep.HeadSeq != 5 {
		t.Fatalf("partial export report %+v %+v, want seq 3-5", rep, rep.FirstBroken)
	}
}

func TestVerifyExportDetectsTampering(t *testing.T) {
	st, _ := openStore(t)
	seed(t, st, 4)
	var buf bytes.Buffer
	if err := Export(context.Background(), st, time.Time{}, &buf); err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(strings.TrimSuffix(buf.String(), "\n"), "\n")
	tests := []struct {
		name       string
		edit       func([]string) []string
		wantSeq    int64
		wantReason string
	}{
		{"record edited", func(l []string) []string { l[1] = strings.Replace(l[1], "tool_2", "tool_X", 1); return l }, 2, "hash does not match"},
		{"line deleted", func(l []string) []string { return append(l[:2], l[3:]...) }, 3, "record 3 missing"},
		{"lines swapped", func(l []string) []string { l[1], l[2] = l[2], l[1]; return l }, 2, "record 2 missing"},
		{"line duplicated", func(l []string) []string { return append(l[:2], l[1:]...) }, 2, "seq 2 out of order after 2"},
		{"garbage line", func(l []string) []string { l[2] = "not json\n"; return l }, 3, "line 3 is not an export record"},
		{"first line from genesis replaced", func(l []string) []string {
			l[0] = strings.Replace(l[0], store.GenesisHash, strings.Repeat("1", 64), 1)
			return l
		}, 1, "prev_hash does not match the hash of record 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := strings.Join(tt.edit(append([]string(nil), lines...)), "")
			rep, err := VerifyExport(strings.NewReader(edited))
			if err != nil {
				t.Fatal(err)
			}
			if rep.OK() || rep.FirstBroken.Seq != tt.wantSeq || !strings.Contains(rep.FirstBroken.Reason, tt.wantReason) {
				t.Fatalf("report %+v %+v, want a break at %d: %q", rep, rep.FirstBroken, tt.wantSeq, tt.wantReason)
			}
		})
	}
}
