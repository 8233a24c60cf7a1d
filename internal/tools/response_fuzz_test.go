package tools

import (
	"errors"
	"path"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

// builtinAccountNames are the accounts no configuration can unprotect
// (policy.builtinAccounts), spelled out here as an independent oracle.
var builtinAccountNames = []string{"root", "administrator", "wazuh", "wazuh-indexer", "ossec", "system", "localsystem"}

// FuzzCheckUser: an account name the response tools accept goes into an
// active-response request as alert.data.dstuser, which the stock
// disable-account passes to passwd/net user as one argument. So an
// accepted name is the trimmed input, from the allowed alphabet only (no
// separator, quote, shell or control character), never an option (a
// leading "-"), never only dots, and never a protected account in any
// case or user@domain form.
func FuzzCheckUser(f *testing.F) {
	for _, s := range []string{"jdoe", "j.doe@corp.example", "ROOT", "root@corp", "Administrator", "-d", "--help",
		"..", ".", "a..b", " alice ", "wazuh-indexer", "sa\x00", "ro\u017ft", "u;id", "$(id)", "a b", strings.Repeat("a", 129)} {
		f.Add(s)
	}
	r := responder{}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := r.checkUser("username", s)
		if err != nil {
			var ae *args.Error
			if !errors.As(err, &ae) || ae.Arg != "username" {
				t.Fatalf("checkUser(%q): error %v does not name the argument", s, err)
			}
			return
		}
		if got != strings.TrimSpace(s) {
			t.Fatalf("checkUser(%q) = %q, not the trimmed input", s, got)
		}
		if got == "" || len(got) > 128 || strings.Trim(got, ".") == "" || strings.HasPrefix(got, "-") {
			t.Fatalf("checkUser(%q) accepted %q", s, got)
		}
		for _, c := range got {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._@-", c)) {
				t.Fatalf("checkUser(%q) accepted %q with %q", s, got, c)
			}
		}
		local, _, _ := strings.Cut(got, "@")
		for _, b := range builtinAccountNames {
			if strings.EqualFold(got, b) || strings.EqualFold(local, b) {
				t.Fatalf("checkUser(%q) accepted the protected account %q", s, got)
			}
		}
	})
}

// FuzzCheckFilePath: a path the quarantine tool accepts is the input
// itself, at most 500 bytes, valid UTF-8 without control or invisible
// formatting characters (which would hide its real text on the approval
// page), absolute (POSIX or drive letter), and clean: no "." or ".."
// segment, no repeated separator, in either separator style.
func FuzzCheckFilePath(f *testing.F) {
	for _, s := range []string{"/tmp/evil.sh", `C:\Users\Public\x.exe`, "C:/x", "/", "/a/../etc/passwd", `C:\a\..\b`,
		"/a//b", "/a/./b", "relative/x", "/a/b/", "/tmp/\u202egpj.exe", "/tmp/a\x00b", "/tmp/\xff", `\\server\share\x`,
		"/..", "/tmp/%2e%2e/x", "/tmp/a b;rm -rf", "-rf", "c:x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := checkFilePath(s)
		if err != nil {
			var ae *args.Error
			if !errors.As(err, &ae) || ae.Arg != "file_path" {
				t.Fatalf("checkFilePath(%q): error %v does not name the argument", s, err)
			}
			return
		}
		if got != s || len(got) > maxFilePath || !utf8.ValidString(got) {
			t.Fatalf("checkFilePath(%q) = %q", s, got)
		}
		for _, c := range got {
			if unicode.IsControl(c) || unicode.Is(unicode.Cf, c) {
				t.Fatalf("checkFilePath(%q) accepted the control or invisible character %U", s, c)
			}
		}
		slashed := strings.ReplaceAll(got, `\`, "/")
		drive := len(slashed) > 2 && slashed[1] == ':' && slashed[2] == '/'
		if !strings.HasPrefix(slashed, "/") && !drive {
			t.Fatalf("checkFilePath(%q) accepted a relative path", s)
		}
		rest := slashed
		if drive {
			rest = slashed[2:]
		}
		for i, seg := range strings.Split(rest, "/") {
			if seg == ".." || seg == "." || (seg == "" && i > 0 && i < len(strings.Split(rest, "/"))-1) {
				t.Fatalf("checkFilePath(%q) accepted the segment %q", s, seg)
			}
		}
		if strings.Contains(rest, "//") || path.Clean(rest) != strings.TrimSuffix(rest, "/") && rest != "/" {
			t.Fatalf("checkFilePath(%q) accepted an unclean path", s)
		}
	})
}
