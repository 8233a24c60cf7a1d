package indexer

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestIndices(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request, _ []byte, _ int) {
		switch {
		case strings.HasSuffix(r.URL.Path, "/wazuh-alerts-4.x-*"):
			writeJSON(w, 200, `[{"index":"wazuh-alerts-4.x-2026.11.20","health":"green","docs.count":"10"},
				{"index":"wazuh-alerts-4.x-2026.11.21","health":"yellow","docs.count":"5"},
				{"index":"wazuh-alerts-4.x-2026.11.19","health":"green"}]`)
		case strings.HasSuffix(r.URL.Path, "/missing"):
			writeJSON(w, 404, `{"error":{"type":"index_not_found_exception","reason":"no such index [missing]"},"status":404}`)
		case strings.HasSuffix(r.URL.Path, "/empty-*"):
			writeJSON(w, 200, `[]`)
		default:
			writeJSON(w, 403, `{"error":{"type":"security_exception","reason":"no permissions"},"status":403}`)
		}
	})
	c := newTestClient(t, f.srv.URL, nil)
	ctx := context.Background()
	got, err := c.Indices(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if got.Indices != 3 || got.Docs != 15 || got.Health != "yellow" || got.Pattern != "wazuh-alerts-4.x-*" {
		t.Fatalf("alerts: %+v", got)
	}
	if q := f.last().query; !strings.Contains(q, "format=json") {
		t.Fatalf("query %q", q)
	}
	for _, p := range []string{"missing", "empty-*"} {
		got, err := c.Indices(ctx, p)
		if err != nil || got.Indices != 0 || got.Health != "" {
			t.Fatalf("%s: %+v %v", p, got, err)
		}
	}
	if _, err := c.Indices(ctx, "denied"); !errors.Is(err, ErrForbidden) {
		t.Fatalf("denied: %v", err)
	}
	if _, err := c.Indices(ctx, "Bad/../x"); !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf("bad pattern: %v", err)
	}
}
