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

func TestClean(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain", "abc-123", "abc-123"},
		{"empty", "", ""},
		{"strips CRLF and spaces", "a b\r\nc", "abc"},
		{"non-ascii dropped", "é1", "1"},
		{"DEL dropped", "a\x7fb", "ab"},
		{"truncated", strings.Repeat("x", 300), strings.Repeat("x", maxLen)},
		{"exactly the limit", strings.Repeat("y", maxLen), strings.Repeat("y", maxLen)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Clean(tt.in); got != tt.want {
				t.Fatalf("Clean(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := From(With(context.Background(), tt.in)); got != tt.want {
				t.Fatalf("From(With(%q)) = %q, want %q (as Clean)", tt.in, got, tt.want)
			}
		})
	}
	// A clean id, the usual case, is returned without a copy.
	id := strings.Repeat("W74X4MPJDO4FDW3J", 4)
	if n := testing.AllocsPerRun(100, func() { sink = Clean(id) }); n != 0 {
		t.Fatalf("Clean of a clean id allocates %v times", n)
	}
}

var sink string // keeps Clean's result on the heap in the allocation test
