package requestid

import (
	"context"
	"strings"
	"testing"
)

func TestWithFrom(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "abc-123", "abc-123"},
		{"empty", "", ""},
		{"strips CRLF and spaces", "a b\r\nc", "abc"},
		{"non-ascii dropped", "é1", "1"},
		{"truncated", strings.Repeat("x", 300), strings.Repeat("x", maxLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := From(With(context.Background(), tt.in)); got != tt.want {
				t.Fatalf("From(With(%q)) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
	if got := From(context.Background()); got != "" {
		t.Fatalf("From(empty ctx) = %q", got)
	}
}
