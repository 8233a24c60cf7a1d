package policy

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// protectedAccountNames are newTestProtected's accounts: the built-in ones
// and the configured ones, lower case.
var protectedAccountNames = []string{"root", "administrator", "wazuh", "wazuh-indexer", "ossec", "system", "localsystem",
	"svc_backup", "break-glass", `corp\tier0`}

// couldBe reports whether r is a spelling of the ASCII letter c that some
// case-insensitive system matches: c itself, its other case, or a
// character whose case mapping or fold orbit reaches it (ſ, ı, İ, K).
func couldBe(r rune, c byte) bool {
	want := rune(c)
	if r == want || unicode.ToLower(r) == want || unicode.ToUpper(r) == unicode.ToUpper(want) {
		return true
	}
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f == want || f == unicode.ToUpper(want) {
			return true
		}
	}
	return false
}

// spells reports whether s, rune by rune, could stand for name.
func spells(s, name string) bool {
	if utf8.RuneCountInString(s) != len(name) {
		return false
	}
	i := 0
	for _, r := range s {
		if !couldBe(r, name[i]) {
			return false
		}
		i++
	}
	return true
}

// namesOf are the account names an input may stand for on some system:
// itself, the user of DOMAIN\user or DOMAIN/user, the local part of
// user@domain.
func namesOf(u string) []string {
	names := []string{u}
	if i := strings.LastIndexAny(u, `\/`); i >= 0 {
		names = append(names, u[i+1:])
	}
	for _, n := range names {
		if i := strings.IndexByte(n, '@'); i >= 0 {
			names = append(names, n[:i])
		}
	}
	return names
}

// FuzzCheckAccount: no spelling of a protected account (any case, the
// Unicode letters systems fold to ASCII, DOMAIN\user, user@domain) is
// accepted, a refusal as protected is such a spelling, and an accepted
// name is bounded valid UTF-8 without control or invisible characters.
func FuzzCheckAccount(f *testing.F) {
	for _, s := range []string{"jdoe", "ROOT", "ro\u017ft", "\u212aoot", "Adm\u0130nistrator", "adm\u0131nistrator", `CORP\Administrator`,
		"root@corp.example", "CORP/root", `corp\TIER0`, "tier0", "Break-Glass", "root\x00", "r\u200boot", "\xffroot", " wazuh ", "",
		strings.Repeat("a", 257), "SYSTEM@x@y", `a\b/root@c`} {
		f.Add(s)
	}
	p, err := NewProtected(ProtectedConfig{Accounts: []string{"svc_backup", " Break-Glass ", "CORP\\tier0"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := p.CheckAccount(s)
		u := strings.TrimSpace(s)
		protected := false
		for _, n := range namesOf(u) {
			for _, name := range protectedAccountNames {
				protected = protected || spells(n, name)
			}
		}
		switch {
		case err == nil:
			if protected {
				t.Fatalf("CheckAccount(%q) accepted a protected account", s)
			}
			if u == "" || len(u) > maxAccountLen || !utf8.ValidString(u) ||
				strings.ContainsFunc(u, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }) {
				t.Fatalf("CheckAccount(%q) accepted an invalid name", s)
			}
		case errors.Is(err, ErrProtected):
			if !protected {
				t.Fatalf("CheckAccount(%q) refused as protected: %v", s, err)
			}
		}
	})
}

// FuzzCheckAgent: an agent id is refused as protected exactly when its
// number is a protected agent's (000, 7 and 42 here, in any zero padding),
// accepted when it is 1-8 ASCII digits otherwise, and refused as invalid
// in every other case.
func FuzzCheckAgent(f *testing.F) {
	for _, s := range []string{"000", "0", "00000000", "7", "007", "0042", "001", " 12 ", "123456789", "-1", "+7", "٣", "1e3", "0x7", ""} {
		f.Add(s)
	}
	p, err := NewProtected(ProtectedConfig{Agents: []string{"000", "7", "0042"}})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		err := p.CheckAgent(s)
		id := strings.TrimSpace(s)
		digits := id != "" && len(id) <= 8 && strings.Trim(id, "0123456789") == ""
		n, _ := strconv.Atoi(id)
		switch {
		case !digits:
			if err == nil || errors.Is(err, ErrProtected) {
				t.Fatalf("CheckAgent(%q) = %v, want an invalid-id error", s, err)
			}
		case n == 0 || n == 7 || n == 42:
			if !errors.Is(err, ErrProtected) {
				t.Fatalf("CheckAgent(%q) = %v, want protected", s, err)
			}
		case err != nil:
			t.Fatalf("CheckAgent(%q) refused an unprotected agent: %v", s, err)
		}
	})
}
