package audit

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

var t0 = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// openStore opens a store in a temporary directory and returns its path.
func openStore(t testing.TB) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), store.FileName)
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, path
}

// events reads back every stored event in order.
func events(t *testing.T, st *store.Store) []Event {
	t.Helper()
	var out []Event
	err := st.EachAudit(context.Background(), 0, time.Time{}, func(r store.AuditRecord) error {
		var e Event
		if err := json.Unmarshal(r.Record, &e); err != nil {
			return err
		}
		out = append(out, e)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustVerify(t *testing.T, st *store.Store, records int64) Report {
	t.Helper()
	rep, err := Verify(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK() || rep.Records != records || rep.HeadSeq != records || len(rep.HeadHash) != 64 {
		t.Fatalf("verify: %+v (broken: %+v), want %d intact records", rep, rep.FirstBroken, records)
	}
	return rep
}

func TestRecordConcurrent(t *testing.T) {
	st, _ := openStore(t)
	l := New(st, Options{})
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			errs <- l.Record(context.Background(), Event{Time: t0, Kind: KindToolCall, Tool: fmt.Sprintf("tool_%03d", i), Outcome: OutcomeOK})
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// Every Record returned, so every event is already stored (before Close).
	got := events(t, st)
	if len(got) != n {
		t.Fatalf("%d events stored, want %d", len(got), n)
	}
	seen := map[string]bool{}
	for _, e := range got {
		seen[e.Tool] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct events, want %d", len(seen), n)
	}
	mustVerify(t, st, n)
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
}

func TestRecordDefaultsAndRefusals(t *testing.T) {
	st, _ := openStore(t)
	l := New(st, Options{Now: func() time.Time { return t0.Add(1500 * time.Microsecond) }})
	ctx := context.Background()
	if err := l.Record(ctx, Event{Tool: "x"}); err == nil {
		t.Fatal("an event without a kind was accepted")
	}
	if err := l.Record(ctx, Event{Kind: KindToolCall, Tool: "x"}); err != nil {
		t.Fatal(err)
	}
	got := events(t, st)
	if len(got) != 1 || !got[0].Time.Equal(t0.Add(time.Millisecond)) {
		t.Fatalf("stored %+v, want one event at the (ms-truncated) clock time", got)
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if err := l.Record(cancelled, Event{Kind: KindToolCall}); err == nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("Record with a cancelled context: %v", err)
	}
	l.Close()
	l.Close() // twice is harmless
	if err := l.Record(ctx, Event{Kind: KindToolCall}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Record after Close: %v", err)
	}
}

func TestRecordFailingStore(t *testing.T) {
	st, _ := openStore(t)
	l := New(st, Options{})
	defer l.Close()
	st.Close()
	err := l.Record(context.Background(), Event{Kind: KindToolCall, Tool: "x"})
	if err == nil {
		t.Fatal("Record succeeded on a closed store")
	}
}

func TestCloseFlushesAndStops(t *testing.T) {
	st, _ := openStore(t)
	before := runtime.NumGoroutine()
	l := New(st, Options{})
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { _ = l.Record(context.Background(), Event{Kind: KindToolCall}) })
	}
	wg.Wait()
	l.Close()
	if n := len(events(t, st)); n != 50 {
		t.Fatalf("%d events after Close, want 50", n)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d before New, %d after Close:\n%s", before, runtime.NumGoroutine(), buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestGroupCommit shows that waiting events share a transaction: with the
// writer held up, 100 events queue and land in far fewer commits.
func TestGroupCommit(t *testing.T) {
	st, path := openStore(t)
	l := New(st, Options{})
	defer l.Close()
	// Hold the write lock from another connection so the first batch waits.
	db, err := sql.Open("sqlite", "file:"+path+"?_txlock=immediate")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() {
			if err := l.Record(context.Background(), Event{Kind: KindToolCall}); err != nil {
				t.Error(err)
			}
		})
	}
	time.Sleep(300 * time.Millisecond)
	tx.Rollback()
	wg.Wait()
	if n := l.batches.Load(); n > 10 {
		t.Fatalf("100 waiting events took %d transactions", n)
	}
	mustVerify(t, st, 100)
}

func BenchmarkRecordParallel(b *testing.B) {
	st, _ := openStore(b)
	l := New(st, Options{})
	defer l.Close()
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0))) // 32 writers
	args := RedactArguments(json.RawMessage(`{"agent_id":"001","time_range":"24h","limit":50}`))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			e := Event{Kind: KindToolCall, Principal: "key_bench", Tool: "get_alerts", Arguments: args, Outcome: OutcomeOK, DurationMS: 12}
			if err := l.Record(context.Background(), e); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkRecordSerial is one writer: every record is its own commit, the
// baseline that group commit improves on.
func BenchmarkRecordSerial(b *testing.B) {
	st, _ := openStore(b)
	l := New(st, Options{})
	defer l.Close()
	for b.Loop() {
		if err := l.Record(context.Background(), Event{Kind: KindToolCall, Tool: "get_alerts", Outcome: OutcomeOK}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// TestLingerGathersCallsInFlight: while more tool calls are running than the
// batch holds, the writer waits (up to Linger) for their records, so they
// share one commit; a call alone is never held.
func TestLingerGathersCallsInFlight(t *testing.T) {
	ctx := context.Background()
	t.Run("calls in flight share a commit", func(t *testing.T) {
		st, _ := openStore(t)
		l := New(st, Options{Linger: time.Hour}) // bounded only by the calls in flight
		defer l.Close()
		l.expecting.Add(3)
		var wg sync.WaitGroup
		for i := range 3 {
			wg.Go(func() {
				time.Sleep(time.Duration(i) * 20 * time.Millisecond) // arrive apart
				if err := l.Record(ctx, Event{Kind: KindToolCall}); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		if n := l.batches.Load(); n != 1 {
			t.Fatalf("3 records of 3 calls in flight took %d commits, want 1", n)
		}
		mustVerify(t, st, 3)
	})
	t.Run("a lone call is not held", func(t *testing.T) {
		st, _ := openStore(t)
		l := New(st, Options{Linger: time.Hour}) // a wait would time the test out
		defer l.Close()
		l.expecting.Add(1)
		for range 3 {
			if err := l.Record(ctx, Event{Kind: KindToolCall}); err != nil {
				t.Fatal(err)
			}
		}
		if n := l.batches.Load(); n != 3 {
			t.Fatalf("3 sequential records took %d commits, want 3", n)
		}
	})
	t.Run("the wait is bounded", func(t *testing.T) {
		st, _ := openStore(t)
		l := New(st, Options{Linger: 50 * time.Millisecond})
		defer l.Close()
		l.expecting.Add(2) // the other call never records
		start := time.Now()
		if err := l.Record(ctx, Event{Kind: KindToolCall}); err != nil {
			t.Fatal(err)
		}
		if waited := time.Since(start); waited < 50*time.Millisecond {
			t.Fatalf("committed after %s: the writer did not wait for the call in flight", waited)
		}
		mustVerify(t, st, 1)
	})
	t.Run("negative turns it off", func(t *testing.T) {
		st, _ := openStore(t)
		l := New(st, Options{Linger: -1})
		defer l.Close()
		l.expecting.Add(100)
		done := make(chan error, 1)
		go func() { done <- l.Record(ctx, Event{Kind: KindToolCall}) }()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Linger -1 still waited")
		}
	})
}
