package tools

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// TestDecodeArguments covers both paths: one decode of the whole object when
// every key is an argument, and the per-argument path that names the
// argument at fault and leaves out unknown keys (which encoding/json would
// otherwise match to a field case-insensitively).
func TestDecodeArguments(t *testing.T) {
	type in struct {
		Limit *int   `json:"limit"`
		Name  string `json:"name"`
	}
	known := map[string]bool{"limit": true, "name": true}
	cases := []struct {
		raw         string
		limit       int // 0: unset
		name        string
		ignored     []string
		wantErr     string
		description string
	}{
		{raw: `{"limit":5,"name":"web"}`, limit: 5, name: "web", description: "all known"},
		{raw: `{"Limit":5}`, ignored: []string{"Limit"}, description: "a case variant is not the argument"},
		{raw: `{"limit":5,"zzz":1,"aaa":2}`, limit: 5, ignored: []string{"aaa", "zzz"}, description: "unknown keys sorted"},
		{raw: `{"limit":"x"}`, wantErr: "invalid argument limit: expected", description: "wrong type named"},
		{raw: `{"name":"ok","limit":"x"}`, wantErr: "invalid argument limit", description: "the failing one of several"},
		{raw: `{"limit":"x","limit":7}`, limit: 7, description: "the last duplicate wins, as in the key map"},
		{raw: `null`, description: "null"},
		{raw: ``, description: "empty"},
		{raw: `[1]`, wantErr: "arguments must be a JSON object", description: "not an object"},
	}
	for _, c := range cases {
		var got in
		ignored, err := decodeArguments(json.RawMessage(c.raw), known, &got)
		if c.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: %s: err = %v, want %q", c.description, c.raw, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %s: %v", c.description, c.raw, err)
			continue
		}
		limit := 0
		if got.Limit != nil {
			limit = *got.Limit
		}
		if limit != c.limit || got.Name != c.name || !slices.Equal(ignored, c.ignored) {
			t.Errorf("%s: %s: limit %d name %q ignored %v; want %d %q %v", c.description, c.raw, limit, got.Name, ignored, c.limit, c.name, c.ignored)
		}
	}
}
