package policy

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode"
)

// TestOnlyTwoRunesFoldToASCII backs foldsSafely: under Unicode simple case
// folding (what (?i) and EqualFold use), the only non-ASCII runes whose
// fold orbit holds an ASCII letter are ſ and the Kelvin sign.
func TestOnlyTwoRunesFoldToASCII(t *testing.T) {
	for r := rune(0x80); r <= unicode.MaxRune; r++ {
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < 0x80 && r != '\u017f' && r != '\u212a' {
				t.Errorf("%U folds to %q", r, f)
			}
		}
	}
}

// scrubRegexps is Scrub without its pre-check.
func scrubRegexps(s string) string { return scrubAll(s) }

// randomText joins fragments that matter to the patterns, in random case.
func randomText(r *rand.Rand) string {
	frags := []string{"pass", "PaSsWoRd", "passwd", "secret", "token", "TOKEN", "api_key", "apikey", "api-key", "private_key",
		"auth-key", "hash_key", "hook", "credential", "bearer", "Basic", "authorization:", "eyJ", "eyJhbGciOiJIUzI1NiJ9", "abcdefghij",
		"://", "https://", "user:pw@", "@", "=", ": ", "\"", "'", " ", "\t", "\n", "key", "_key", "dsn", "ſ", "\u212a", "é", "\xff",
		"x", "K", "S", "k", "s", "0123456789", "/", ";", ",", "X-API-Key: ", "Authorization: ApiKey ", "admin:pw@host", "(", "["}
	var b strings.Builder
	for range 1 + r.IntN(12) {
		f := frags[r.IntN(len(frags))]
		if r.IntN(3) == 0 {
			f = strings.ToUpper(f)
		}
		b.WriteString(f)
	}
	return b.String()
}

func TestScrubAndIsSecretKeyMatchTheRegexps(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		s := randomText(r)
		if got, want := Scrub(s), scrubRegexps(s); got != want {
			t.Fatalf("Scrub(%q) = %q, want %q", s, got, want)
		}
		if got, want := IsSecretKey(s), secretKey.MatchString(s); got != want {
			t.Fatalf("IsSecretKey(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestFencePlainTruncationMatchesTheLoop compares the plain-text shortcut
// with the rune loop.
func TestFencePlainTruncationMatchesTheLoop(t *testing.T) {
	for _, s := range []string{"abc", strings.Repeat("x", 2049), strings.Repeat("line\n\tmore ", 300), "exactly"} {
		for _, max := range []int{1, 3, 7, 100, 2048} {
			want := fenceLoop(s, max)
			if got := Fence(s, max); got != want {
				t.Errorf("Fence(%.20q…, %d) = %.40q…, want %.40q…", s, max, got, want)
			}
		}
	}
}

// fenceLoop forces Fence's rune loop by adding a character that is not
// plain after the cut, where it cannot change the output.
func fenceLoop(s string, max int) string {
	if len(s) <= max {
		return s
	}
	out := Fence(s+"\u200b", max)
	// the extra 3 bytes are counted in the truncation note
	return strings.Replace(out, "[truncated "+itoa(len(s)+3-max)+" bytes]", "[truncated "+itoa(len(s)-max)+" bytes]", 1)
}
