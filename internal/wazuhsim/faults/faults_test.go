package faults

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestMiddlewareCounts(t *testing.T) {
	inj := New(1)
	inj.Set(Settings{Next5xx: 2, Next429: 1, ExcludePaths: []string{"/login"}})
	h := inj.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}), func(w http.ResponseWriter, status int) { w.WriteHeader(status) })
	srv := httptest.NewServer(h)
	defer srv.Close()

	get := func(path string) int {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	want := []struct {
		path string
		code int
	}{{"/login", 200}, {"/a", 503}, {"/a", 503}, {"/a", 429}, {"/a", 200}}
	for i, w := range want {
		if got := get(w.path); got != w.code {
			t.Fatalf("request %d %s: got %d, want %d", i, w.path, got, w.code)
		}
	}
	// Every request is recorded in order with its fault, faulted or not.
	rec := inj.Received()
	wantFaults := []Fault{None, Status5xx, Status5xx, Status429, None}
	if len(rec) != len(want) {
		t.Fatalf("received %d requests, want %d", len(rec), len(want))
	}
	for i, r := range rec {
		if r.Method != http.MethodGet || r.Path != want[i].path || r.Fault != wantFaults[i] || r.Time.IsZero() {
			t.Errorf("received[%d] = %+v, want GET %s fault %d", i, r, want[i].path, wantFaults[i])
		}
		if i > 0 && r.Time.Before(rec[i-1].Time) {
			t.Errorf("received[%d] is older than the one before", i)
		}
	}
	inj.ResetReceived()
	if n := len(inj.Received()); n != 0 {
		t.Errorf("after ResetReceived: %d", n)
	}
}

func TestMiddlewareDrop(t *testing.T) {
	inj := New(1)
	inj.Set(Settings{NextDrops: 1})
	h := inj.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}), func(w http.ResponseWriter, s int) { w.WriteHeader(s) })
	srv := httptest.NewServer(h)
	defer srv.Close()
	if resp, err := http.Get(srv.URL); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request answered %d", resp.StatusCode)
	}
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatalf("request after the drop failed: %v", err)
	}
	resp.Body.Close()
}

func TestRateWindowEndsTheStorm(t *testing.T) {
	inj := New(1)
	inj.Set(Settings{Rate429: 1, RateWindow: 150 * time.Millisecond, ExcludePaths: []string{"/login"}})
	h := inj.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusOK)
	}), func(w http.ResponseWriter, status int) { w.WriteHeader(status) })
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer srv.Client().CloseIdleConnections()
	get := func(path string) int {
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	time.Sleep(200 * time.Millisecond) // the window opens with the first faulted request, not at Set
	if got := get("/login"); got != 200 {
		t.Fatalf("excluded path: %d", got)
	}
	if a, b := get("/a"), get("/a"); a != 429 || b != 429 {
		t.Fatalf("in the window: %d %d, want 429s", a, b)
	}
	time.Sleep(200 * time.Millisecond)
	if got := get("/a"); got != 200 {
		t.Fatalf("after the window: %d, want 200", got)
	}
	inj.Set(inj.Get()) // a new Set opens a new window
	if got := get("/a"); got != 429 {
		t.Fatalf("after Set: %d, want 429", got)
	}
}
