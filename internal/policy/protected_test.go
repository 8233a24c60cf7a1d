package policy

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

func newTestProtected(t testing.TB) *Protected {
	t.Helper()
	p, err := NewProtected(ProtectedConfig{
		IPs:       []string{"10.0.0.0/8", "::ffff:172.16.0.0/108", "198.51.100.7", " 2001:db8:bad::/48 "},
		ServerIPs: []netip.Addr{netip.MustParseAddr("192.0.2.10"), netip.MustParseAddr("::ffff:192.0.2.11"), netip.MustParseAddr("2001:db8:1::10")},
		Accounts:  []string{"svc_backup", " Break-Glass ", "CORP\\tier0"},
		Agents:    []string{"000", "7", "0042"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Protected targets in every notation are refused (ErrProtected) or
// rejected as invalid; never accepted.
func TestCheckIPRefusesProtected(t *testing.T) {
	p := newTestProtected(t)
	tests := []struct {
		in        string
		protected bool // true: refused as protected; false: rejected as not an address
	}{
		// IPv4 loopback in every notation inet_aton or a browser reads
		{"127.0.0.1", true},
		{"127.255.255.254", true},
		{"127.1", false},
		{"127.0.1", false},
		{"0x7f.0.0.1", false},
		{"0x7f.1", false},
		{"0x7f000001", false},
		{"0X7F000001", false},
		{"2130706433", false},
		{"017700000001", false},
		{"0177.0.0.1", false},
		{"0177.0000.0000.0001", false},
		{"127.000.000.001", false},
		{"127.0.0.01", false},
		{"127.0.0.1.", false},
		{"127.0.0.1/32", false},
		{"127.0.0.1:22", false},
		{"127.0.0.1 8.8.8.8", false},
		{"127.0.0.1,8.8.8.8", false},
		// IPv6 loopback and mapped/compatible loopback
		{"::1", true},
		{"[::1]", true},
		{"0:0:0:0:0:0:0:1", true},
		{"0000:0000:0000:0000:0000:0000:0000:0001", true},
		{"::0:1", true},
		{"::ffff:127.0.0.1", true},
		{"::FFFF:127.0.0.1", true},
		{"::ffff:7f00:1", true},
		{"0:0:0:0:0:ffff:7f00:1", true},
		{"[::ffff:127.0.0.1]", true},
		{"::127.0.0.1", true},
		{"::7f00:1", true},
		{"::ffff:0:127.0.0.1", true}, // SIIT-translated loopback
		{"64:ff9b::127.0.0.1", true}, // NAT64 loopback
		{"::ffff:127.000.0.1", false},
		{"[::1", false},
		{"[[::1]]", false},
		{"::1/128", false},
		{"::1%lo", false},
		// unspecified
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"::", true},
		{"::0", true},
		{"::ffff:0.0.0.0", true},
		{"0", false},
		{"0.0", false},
		// link-local, including the cloud metadata address
		{"169.254.169.254", true},
		{"::ffff:169.254.169.254", true},
		{"::ffff:a9fe:a9fe", true},
		{"fe80::1", true},
		{"FE80::1", true},
		{"febf:ffff::1", true},
		{"fe80::1%eth0", false},
		{"fe80::1%25eth0", false},
		{"[fe80::1%eth0]", false},
		// multicast and broadcast
		{"224.0.0.1", true},
		{"239.255.255.250", true},
		{"ff02::1", true},
		{"ff05::1:3", true},
		{"255.255.255.255", true},
		{"::ffff:255.255.255.255", true},
		{"240.0.0.1", true},
		// whitespace around is trimmed, then the address is protected
		{" 127.0.0.1", true},
		{"127.0.0.1 ", true},
		{"127.0.0.1\n", true},
		{"\t127.0.0.1\r\n", true},
		{"\u00a0127.0.0.1\u0085", true},
		{" [::1] ", true},
		// inside: not an address
		{"127.0.0.1\n8.8.8.8", false},
		{"127.0.0.1\x00", false},
		{"\x00127.0.0.1", false},
		{"127.0.0\x00.1", false},
		{"::1\x00", false},
		{"127.0.0.1\u200b", false},
		{"\ufeff127.0.0.1", false},
		// unicode digits and dots
		{"１２７.0.0.1", false},
		{"１２７．０．０．１", false},
		{"127。0。0。1", false},
		{"١٢٧.0.0.1", false},
		{"𝟏𝟐𝟕.0.0.1", false},
		{"::ｆｆｆｆ:127.0.0.1", false},
		// configured ranges, in every notation
		{"10.1.2.3", true},
		{"10.0.0.0", true},
		{"10.255.255.255", true},
		{"::ffff:10.1.2.3", true},
		{"::ffff:a01:203", true},
		{"[::ffff:10.1.2.3]", true},
		{"64:ff9b::10.1.2.3", true},
		{"::ffff:0:10.1.2.3", true},
		{"010.1.2.3", false},
		{"0xa.1.2.3", false},
		{"167838211", false},
		{"172.16.5.5", true}, // configured as ::ffff:172.16.0.0/108
		{"172.31.255.255", true},
		{"::ffff:172.20.0.1", true},
		{"198.51.100.7", true},
		{"::ffff:198.51.100.7", true},
		{"2001:db8:bad::1", true},
		{"2001:DB8:BAD:0:0:0:0:1", true},
		{"2001:db8:bad:ffff::", true},
		// the Wazuh servers
		{"192.0.2.10", true},
		{"::ffff:192.0.2.10", true},
		{"192.0.2.11", true},
		{"::ffff:c000:20b", true},
		{"64:ff9b::192.0.2.10", true},
		{"2001:db8:1::10", true},
		{"2001:db8:1:0:0:0:0:10", true},
		{"2001:0db8:0001::0010", true},
		// junk
		{"", false},
		{"   ", false},
		{"localhost", false},
		{"example.com", false},
		{"[]", false},
		{strings.Repeat("1", 10000), false},
	}
	for _, tt := range tests {
		a, err := p.CheckIP(tt.in)
		if err == nil {
			t.Errorf("CheckIP(%q) accepted as %s", tt.in, a)
			continue
		}
		if got := errors.Is(err, ErrProtected); got != tt.protected {
			t.Errorf("CheckIP(%q): protected=%t, want %t (%v)", tt.in, got, tt.protected, err)
		}
		if len(err.Error()) > 400 {
			t.Errorf("CheckIP(%q): error of %d bytes", tt.in[:10], len(err.Error()))
		}
	}
}

func TestCheckIPAccepts(t *testing.T) {
	p := newTestProtected(t)
	tests := []struct{ in, want string }{
		{"8.8.8.8", "8.8.8.8"},
		{" 203.0.113.5\n", "203.0.113.5"},
		{"::ffff:8.8.8.8", "8.8.8.8"},
		{"::FFFF:808:808", "8.8.8.8"},
		{"[2001:db8::1]", "2001:db8::1"},
		{"2001:DB8:0:0:0:0:0:1", "2001:db8::1"},
		{"2001:0db8::0001", "2001:db8::1"},
		{"11.0.0.1", "11.0.0.1"},                 // just outside 10.0.0.0/8
		{"9.255.255.255", "9.255.255.255"},       // just below it
		{"172.32.0.1", "172.32.0.1"},             // outside the configured /108 (172.16/12)
		{"192.0.2.12", "192.0.2.12"},             // next to a server
		{"198.51.100.8", "198.51.100.8"},         // next to a configured single address
		{"192.168.1.1", "192.168.1.1"},           // private ranges are legitimate targets
		{"100.64.0.1", "100.64.0.1"},             // CGNAT too
		{"fd00::1", "fd00::1"},                   // unique local
		{"2001:db8:bae::1", "2001:db8:bae::1"},   // next to the configured /48
		{"64:ff9b::808:808", "64:ff9b::808:808"}, // NAT64 of a public address
		{"223.255.255.255", "223.255.255.255"},   // just below multicast
		{"169.253.255.255", "169.253.255.255"},   // just below link-local
		{"1.0.0.0", "1.0.0.0"},                   // just above 0.0.0.0/8
		{"126.255.255.255", "126.255.255.255"},   // just below loopback
		{"128.0.0.0", "128.0.0.0"},               // just above it
		{"fec0::1", "fec0::1"},                   // just above fe80::/10
		{"::1:0:0:1", "::1:0:0:1"},               // outside ::/96
		{"feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"}, // below ff00::/8
	}
	for _, tt := range tests {
		a, err := p.CheckIP(tt.in)
		if err != nil {
			t.Errorf("CheckIP(%q): %v", tt.in, err)
			continue
		}
		if a.String() != tt.want {
			t.Errorf("CheckIP(%q) = %s, want %s (canonical)", tt.in, a, tt.want)
		}
		if a.Is4In6() || a.Zone() != "" {
			t.Errorf("CheckIP(%q) = %s: mapped or zoned", tt.in, a)
		}
	}
}

func TestNewProtectedConfig(t *testing.T) {
	good := []string{"10.0.0.0/8", "10.1.2.3/8", "::ffff:10.0.0.0/104", "::ffff:10.1.2.3", "fd00::/8", " 192.0.2.1 ", "[::1]"}
	for _, s := range good {
		if _, err := NewProtected(ProtectedConfig{IPs: []string{s}}); err != nil {
			t.Errorf("IPs %q: %v", s, err)
		}
	}
	bad := []string{"", "bogus", "10.0.0.0/33", "::ffff:10.0.0.0/90", "0x0a000001", "10.1", "010.0.0.0/8", "fe80::1%eth0", "10.0.0.0/8,11.0.0.0/8"}
	for _, s := range bad {
		if _, err := NewProtected(ProtectedConfig{IPs: []string{s}}); err == nil {
			t.Errorf("IPs %q accepted", s)
		}
	}
	for _, s := range []string{"abc", "-1", "1.5", "000000001", ""} {
		if _, err := NewProtected(ProtectedConfig{Agents: []string{s}}); err == nil {
			t.Errorf("Agents %q accepted", s)
		}
	}
	// A host address with host bits is masked: 10.1.2.3/8 protects all of 10/8.
	p, err := NewProtected(ProtectedConfig{IPs: []string{"10.1.2.3/8", "::ffff:10.0.0.0/104"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"10.200.0.1", "::ffff:10.0.0.1"} {
		if _, err := p.CheckIP(s); !errors.Is(err, ErrProtected) {
			t.Errorf("%s: %v", s, err)
		}
	}
	// Built-ins hold with no configuration at all.
	p, err = NewProtected(ProtectedConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"127.0.0.1", "::1", "169.254.169.254", "255.255.255.255"} {
		if _, err := p.CheckIP(s); !errors.Is(err, ErrProtected) {
			t.Errorf("unconfigured %s: %v", s, err)
		}
	}
	if err := p.CheckAccount("root"); !errors.Is(err, ErrProtected) {
		t.Errorf("unconfigured root: %v", err)
	}
	// The message of a loopback refusal says loopback.
	if _, err := p.CheckIP("::1"); err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("::1: %v", err)
	}
}

func TestCheckAccount(t *testing.T) {
	p := newTestProtected(t)
	tests := []struct {
		in   string
		want string // "ok", "protected" or "invalid"
	}{
		{"root", "protected"},
		{"ROOT", "protected"},
		{"Root", "protected"},
		{" root ", "protected"},
		{"root\n", "protected"},
		{"Administrator", "protected"},
		{"administrator", "protected"},
		{"ADMINISTRATOR", "protected"},
		{"administrator@corp.local", "protected"},
		{"Administrator@CORP.LOCAL", "protected"},
		{`CORP\Administrator`, "protected"},
		{`.\Administrator`, "protected"},
		{`corp.local/administrator`, "protected"},
		{`CORP\root@corp.local`, "protected"},
		{"wazuh", "protected"},
		{"WAZUH", "protected"},
		{"wazuh-indexer", "protected"},
		{"ossec", "protected"},
		{"SYSTEM", "protected"},
		{"LocalSystem", "protected"},
		{`NT AUTHORITY\SYSTEM`, "protected"},
		{"svc_backup", "protected"},
		{"SVC_BACKUP", "protected"},
		{"svc_backup@corp.local", "protected"},
		{"break-glass", "protected"},
		{"BREAK-GLASS", "protected"},
		{`corp\TIER0`, "protected"},
		// Unicode letters that case-fold to ASCII
		{"ſystem", "protected"},        // U+017F long s
		{"ſyſtem", "protected"},        //
		{"admınistrator", "protected"}, // U+0131 dotless i
		{"admİnistrator", "protected"}, // U+0130 dotted capital I
		{"wazuh-\u212Aey", "ok"},       // Kelvin sign folds to k: "wazuh-key" is not protected
		{"roo\u0074", "protected"},     // plain t, escaped
		{"ｒｏｏｔ", "ok"},                 // fullwidth letters are other characters to every system
		// invisible and control characters are not names
		{"root\x00", "invalid"},
		{"root\x00x", "invalid"},
		{"\x00root", "invalid"},
		{"ro\u200bot", "invalid"},
		{"\u200broot", "invalid"},
		{"root\u00ad", "invalid"},
		{"ro\x1bot", "invalid"},
		{"root\nadmin", "invalid"},
		{"\ufeffroot", "invalid"},
		{"root\xff", "invalid"},
		{"", "invalid"},
		{"  ", "invalid"},
		{strings.Repeat("a", 300), "invalid"},
		// ordinary accounts
		{"jdoe", "ok"},
		{"jdoe@corp.local", "ok"},
		{`CORP\jdoe`, "ok"},
		{"rooted", "ok"},
		{"root2", "ok"},
		{"administrators", "ok"},
		{"wazuh-user", "ok"},
		{"svc_backup2", "ok"},
		{`OTHER\tier0`, "ok"}, // the configured account is CORP\tier0
		{"José", "ok"},
	}
	for _, tt := range tests {
		err := p.CheckAccount(tt.in)
		if got := verdict(err); got != tt.want {
			t.Errorf("CheckAccount(%q) = %s (%v), want %s", tt.in, verdict(err), err, tt.want)
		}
	}
}

func TestCheckAgent(t *testing.T) {
	p := newTestProtected(t) // protects 000 (the default), 7 and 0042
	tests := []struct {
		in   string
		want string
	}{
		{"000", "protected"},
		{"0", "protected"},
		{"00", "protected"},
		{"0000", "protected"},
		{"00000000", "protected"},
		{" 000 ", "protected"},
		{"000\n", "protected"},
		{"007", "protected"},
		{"7", "protected"},
		{"0007", "protected"},
		{"042", "protected"},
		{"42", "protected"},
		{"001", "ok"},
		{"1", "ok"},
		{"070", "ok"},
		{"700", "ok"},
		{"1042", "ok"},
		{"12345678", "ok"},
		{"123456789", "invalid"},
		{"", "invalid"},
		{"all", "invalid"},
		{"-0", "invalid"},
		{"+0", "invalid"},
		{"0x0", "invalid"},
		{"0.0", "invalid"},
		{"000\x00", "invalid"},
		{"0\x0000", "invalid"},
		{"０００", "invalid"},
		{"٠٠٠", "invalid"},
		{"00 0", "invalid"},
		{"000,001", "invalid"},
	}
	for _, tt := range tests {
		err := p.CheckAgent(tt.in)
		if got := verdict(err); got != tt.want {
			t.Errorf("CheckAgent(%q) = %s (%v), want %s", tt.in, verdict(err), err, tt.want)
		}
	}
	// Without 000 in the configuration, the manager is an ordinary target.
	open, err := NewProtected(ProtectedConfig{Agents: []string{"5"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := open.CheckAgent("000"); err != nil {
		t.Errorf("000 not configured: %v", err)
	}
	if err := open.CheckAgent("005"); !errors.Is(err, ErrProtected) {
		t.Errorf("005: %v", err)
	}
}

// verdict names the outcome of a check: ok, protected or invalid.
func verdict(err error) string {
	switch {
	case errors.Is(err, ErrProtected):
		return "protected"
	case err != nil:
		return "invalid"
	}
	return "ok"
}

// inBuiltinRange is an independent statement of the built-in protections.
func inBuiltinRange(a netip.Addr) bool {
	if a.IsLoopback() || a.IsUnspecified() || a.IsMulticast() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() {
		return true
	}
	if a.Is4() {
		b := a.As4()
		return b[0] == 0 || b[0] >= 240
	}
	b := a.As16()
	for _, x := range b[:12] {
		if x != 0 {
			return false
		}
	}
	return true // ::/96
}

func FuzzCheckIP(f *testing.F) {
	for _, s := range []string{"127.0.0.1", "::ffff:127.0.0.1", "8.8.8.8", "2001:db8::1", "[::1]", "fe80::1%eth0",
		"::ffff:7f00:1", "64:ff9b::7f00:1", " 10.1.2.3\n", "0x7f000001", "１２７.0.0.1", "::127.0.0.1", "255.255.255.255"} {
		f.Add(s)
	}
	p, err := NewProtected(ProtectedConfig{})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := p.CheckIP(s)
		if err != nil {
			return
		}
		if !a.IsValid() || a.Zone() != "" || a.Is4In6() {
			t.Fatalf("CheckIP(%q) = %s: invalid, zoned or mapped", s, a)
		}
		if inBuiltinRange(a) {
			t.Fatalf("CheckIP(%q) accepted %s, a built-in protected address", s, a)
		}
		if v4, ok := embeddedIPv4(a); ok && inBuiltinRange(v4) {
			t.Fatalf("CheckIP(%q) accepted %s, which embeds %s", s, a, v4)
		}
		back, err := ParseIP(a.String())
		if err != nil || back != a {
			t.Fatalf("CheckIP(%q) = %s does not re-parse to itself: %s, %v", s, a, back, err)
		}
		if again, err := p.CheckIP(a.String()); err != nil || again != a {
			t.Fatalf("the canonical form %s of %q is judged differently: %v", a, s, err)
		}
	})
}

// TestNormalAgentIsArgsAgentID: protection compares agents in the same
// canonical form the tools and the client use.
func TestNormalAgentIsArgsAgentID(t *testing.T) {
	for _, in := range []string{"1", "01", "0001", "0", "0000", "12345678", "123456789", "", "x1"} {
		got, err := normalAgent(in)
		want, werr := args.AgentID("agent_id", in)
		if got != want || (err == nil) != (werr == nil) {
			t.Errorf("normalAgent(%q) = %q, %v; args.AgentID = %q, %v", in, got, err, want, werr)
		}
	}
	_, err := NewProtected(ProtectedConfig{Agents: []string{"x1"}})
	if err == nil || !strings.Contains(err.Error(), `protected agents: "x1" is not an agent id`) {
		t.Errorf("bad configured agent: %v", err)
	}
}

// TestParseIPIsArgsIP: an action target and a filter argument follow one
// address rule; ParseIP's error leaves the argument for its caller to name.
func TestParseIPIsArgsIP(t *testing.T) {
	for _, in := range []string{"203.0.113.7", " ::ffff:203.0.113.7 ", "[2001:db8::1]", "", "127.1", "010.0.0.1", "[::1", "fe80::1%eth0", "２０３.0.113.7"} {
		got, err := ParseIP(in)
		want, werr := args.IP("ip_address", in)
		if got != want || (err == nil) != (werr == nil) {
			t.Errorf("ParseIP(%q) = %v, %v; args.IP = %v, %v", in, got, err, want, werr)
			continue
		}
		if err != nil && "invalid argument ip_address: "+err.Error() != werr.Error() {
			t.Errorf("ParseIP(%q) error %q, want args.IP's problem %q", in, err, werr)
		}
	}
}
