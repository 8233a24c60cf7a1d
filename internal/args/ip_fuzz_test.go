package args

import (
	"errors"
	"net/netip"
	"strings"
	"testing"
)

// FuzzIP: an accepted address is valid, has no zone, is never an
// IPv4-mapped IPv6 (it is unmapped, so ::ffff:10.0.0.1 and 10.0.0.1 are one
// address for every later check), and its text form parses back to
// itself; OptionalIP returns exactly that text. A refusal names the
// argument.
func FuzzIP(f *testing.F) {
	for _, s := range []string{"10.0.0.1", " 192.168.1.1\n", "::ffff:10.0.0.1", "2001:db8::1", "fe80::1%eth0", "010.0.0.1",
		"0x7f000001", "127.1", "[::1]", "1.2.3.4.5", "::", "", "1.2.3.4;rm", "１２７.0.0.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := IP("ip", s)
		if err != nil {
			var ae *Error
			if !errors.As(err, &ae) || ae.Arg != "ip" {
				t.Fatalf("IP(%q): error %v does not name the argument", s, err)
			}
			if opt, err2 := OptionalIP("ip", s); strings.TrimSpace(s) != "" && (err2 == nil || opt != "") {
				t.Fatalf("OptionalIP(%q) = %q, %v after IP refused it", s, opt, err2)
			}
			return
		}
		if !a.IsValid() || a.Zone() != "" || a.Is4In6() {
			t.Fatalf("IP(%q) = %s: invalid, zoned or mapped", s, a)
		}
		back, err := netip.ParseAddr(a.String())
		if err != nil || back != a {
			t.Fatalf("IP(%q) = %s does not re-parse to itself: %s, %v", s, a, back, err)
		}
		if opt, err := OptionalIP("ip", s); err != nil || opt != a.String() {
			t.Fatalf("OptionalIP(%q) = %q, %v; want %s", s, opt, err, a)
		}
		if strings.ContainsAny(a.String(), " \t\n;,[]%") {
			t.Fatalf("IP(%q) = %q carries a separator", s, a)
		}
	})
}
