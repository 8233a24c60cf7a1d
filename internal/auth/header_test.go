package auth

import (
	"errors"
	"strings"
	"testing"
)

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		in   []string
		want string
		err  error
	}{
		{nil, "", ErrNoToken},
		{[]string{""}, "", ErrNoToken},
		{[]string{"Bearer abc.def-ghi_~+/="}, "abc.def-ghi_~+/=", nil},
		{[]string{"bearer  abc"}, "abc", nil},
		{[]string{"BEARER abc "}, "abc", nil},
		{[]string{"Basic dXNlcjpwYXNz"}, "", ErrMalformed},
		{[]string{"Bearer"}, "", ErrMalformed},
		{[]string{"Bearer "}, "", ErrMalformed},
		{[]string{"Bearer a b"}, "", ErrMalformed},
		{[]string{"Bearer a\tb"}, "", ErrMalformed},
		{[]string{"Bearer ключ"}, "", ErrMalformed},
		{[]string{"Bearer a", "Bearer b"}, "", ErrMalformed},
		{[]string{"Bearer " + strings.Repeat("a", MaxTokenLength+1)}, "", ErrMalformed},
		{[]string{"abc"}, "", ErrMalformed},
	}
	for _, tt := range tests {
		got, err := ParseAuthorization(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
			t.Errorf("%q: %q %v, want %q %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

// FuzzParseAuthorization checks that parsing never panics and that any
// token it accepts is bounded, whitespace-free ASCII found in the header.
func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{"Bearer abc", "bearer eyJhbGciOiJIUzI1NiJ9.e30.sig", "Basic x", "", "Bearer", "Bearer  a b", "Bearer \x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		tok, err := ParseAuthorization([]string{h})
		if err != nil {
			if tok != "" || Reason(err) == "error" {
				t.Fatalf("%q: token %q with error %v", h, tok, err)
			}
			return
		}
		if tok == "" || len(tok) > MaxTokenLength || !isToken68(tok) || !strings.Contains(h, tok) {
			t.Fatalf("%q: accepted token %q", h, tok)
		}
		// The go-sdk re-reads the header with strings.Fields: it must see
		// the same token.
		if f := strings.Fields(h); len(f) != 2 || f[1] != tok {
			t.Fatalf("%q: go-sdk would read %q, we read %q", h, f, tok)
		}
	})
}
