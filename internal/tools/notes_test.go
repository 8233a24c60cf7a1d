package tools

import (
	"strings"
	"testing"
)

func TestNoteAlertAnswer(t *testing.T) {
	tests := []struct {
		name         string
		noIndex      bool
		timedOut     bool
		failedShards int
		want         []string
	}{
		{"complete", false, false, 0, nil},
		{"no index", true, false, 0, []string{"no alert index matched"}},
		{"timed out", false, true, 0, []string{"answered partially (timed out: true, failed shards: 0): counts may be low"}},
		{"failed shards", false, false, 2, []string{"failed shards: 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Result
			noteAlertAnswer(&r, tt.noIndex, tt.timedOut, tt.failedShards)
			if len(r.Notes) != len(tt.want) {
				t.Fatalf("notes %q, want %d", r.Notes, len(tt.want))
			}
			for i, w := range tt.want {
				if !strings.Contains(r.Notes[i], w) {
					t.Errorf("note %q lacks %q", r.Notes[i], w)
				}
			}
		})
	}
}
