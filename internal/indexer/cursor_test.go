package indexer

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestCursorRoundTrip(t *testing.T) {
	values := []any{json.Number("1763719200123"), `1.1"}`, nil, true}
	c, err := encodeCursor(values, "fp1")
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeCursor(c, "fp1", len(values))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0] != json.Number("1763719200123") || got[1] != `1.1"}` || got[2] != nil || got[3] != true {
		t.Errorf("round trip = %#v", got)
	}
	if strings.ContainsAny(string(c), "+/=") {
		t.Errorf("cursor %q is not base64url without padding", c)
	}
}

func TestCursorRejects(t *testing.T) {
	good, _ := encodeCursor([]any{json.Number("5"), "a"}, "fp1")
	payload, _ := base64.RawURLEncoding.DecodeString(string(good))
	reencode := func(s string) Cursor { return Cursor(base64.RawURLEncoding.EncodeToString([]byte(s))) }
	tampered := reencode(strings.Replace(string(payload), `"a"`, `"b"`, 1))
	tests := []struct {
		name    string
		c       Cursor
		fp      string
		n       int
		wantErr string
	}{
		{"other query", good, "fp2", 2, "cursor does not match this query"},
		{"other sort length", good, "fp1", 4, "sort values"},
		{"edited values", tampered, "fp1", 2, "modified or truncated"},
		{"truncated", good[:len(good)-3], "fp1", 2, "invalid cursor"},
		{"not base64", "%%%", "fp1", 2, "bad encoding"},
		{"not json", reencode("hello"), "fp1", 2, "not a cursor"},
		{"unknown field", reencode(`{"v":1,"s":[1],"f":"fp1","c":"x","x":1}`), "fp1", 1, "not a cursor"},
		{"object value", reencode(`{"v":1,"s":[{"a":1}],"f":"fp1","c":"x"}`), "fp1", 1, "bad sort value"},
		{"no values", reencode(`{"v":1,"s":[],"f":"fp1","c":"x"}`), "fp1", 0, "bad sort values"},
		{"version", reencode(`{"v":2,"s":[1],"f":"fp1","c":"x"}`), "fp1", 1, "unsupported version"},
		{"trailing", reencode(`{"v":1,"s":[1],"f":"fp1","c":"x"} {}`), "fp1", 1, "trailing data"},
		{"too long", Cursor(strings.Repeat("A", maxCursorLen+1)), "fp1", 1, "too long"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := decodeCursor(tt.c, tt.fp, tt.n)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want containing %q", err, tt.wantErr)
			}
			if !errors.Is(err, ErrBadCursor) || !errors.Is(err, ErrInvalidQuery) {
				t.Errorf("%v must match ErrBadCursor and ErrInvalidQuery", err)
			}
		})
	}
}

// TestCursorBindsQuery: a cursor from one filter is refused by another,
// and accepted again when the page size or _source changes.
func TestCursorBindsQuery(t *testing.T) {
	spec := func(level int) searchSpec {
		q, _ := AlertFilter{MinLevel: level}.Query()
		return searchSpec{index: DefaultAlertsIndex, query: q, sort: withTieBreakers(nil, alertsDefaultSort, alertsTieBreakers)}
	}
	_, fp, err := buildSearchBody(spec(5))
	if err != nil {
		t.Fatal(err)
	}
	c, _ := encodeCursor([]any{json.Number("1"), "1.1"}, fp)
	s := spec(5)
	s.after, s.size, s.source = c, 10, []string{"rule.id"}
	body, _, err := buildSearchBody(s)
	if err != nil {
		t.Fatalf("same query, other size: %v", err)
	}
	if !strings.Contains(string(body), `"search_after":[1,"1.1"]`) {
		t.Errorf("body lacks search_after: %s", body)
	}
	s = spec(6)
	s.after = c
	if _, _, err := buildSearchBody(s); !errors.Is(err, ErrBadCursor) || !strings.Contains(err.Error(), "does not match this query") {
		t.Errorf("other query: err = %v", err)
	}
}

func FuzzCursor(f *testing.F) {
	good, _ := encodeCursor([]any{json.Number("1763719200123"), "1.1"}, "fp")
	for _, s := range []string{string(good), "", "e30", "%%", reencodeString(`{"v":1,"s":[1e400],"f":"fp","c":""}`)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		vals, err := decodeCursor(Cursor(s), "fp", 2)
		if err != nil {
			if !errors.Is(err, ErrBadCursor) {
				t.Fatalf("error %v does not match ErrBadCursor", err)
			}
			return
		}
		// Whatever decodes must be re-marshalable scalars.
		b, err := json.Marshal(vals)
		if err != nil || !json.Valid(b) {
			t.Fatalf("decoded values do not marshal: %v", err)
		}
	})
}

func reencodeString(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

// TestCursorImplicitTieBreaker: servers that append an implicit tie-breaker
// to hit.sort (OpenSearch with a point in time, the stand-in) get it back.
func TestCursorImplicitTieBreaker(t *testing.T) {
	c, _ := encodeCursor([]any{json.Number("1"), "1.1", "doc-7"}, "fp")
	got, err := decodeCursor(c, "fp", 2)
	if err != nil || len(got) != 3 || got[2] != "doc-7" {
		t.Errorf("got %#v, %v", got, err)
	}
	if _, err := decodeCursor(c, "fp", 1); !errors.Is(err, ErrBadCursor) {
		t.Errorf("two extra values: err = %v", err)
	}
}
