package policy

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

// ErrProtected marks a refused target; the message says which rule.
var ErrProtected = errors.New("protected target")

// Protected holds what no write action may target: addresses and ranges,
// accounts and agents. Addresses are compared as parsed values, never as
// strings, so other notations of a protected address cannot slip past.
type Protected struct {
	prefixes []namedPrefix
	accounts map[string]bool // lower case
	agents   map[string]bool // normalised 3-digit ids
}

type namedPrefix struct {
	prefix netip.Prefix
	why    string
}

// ProtectedConfig lists the configured protections; the built-in ones are
// always added.
type ProtectedConfig struct {
	// IPs are addresses or CIDR ranges (WAZUH_MCP_PROTECTED_IPS).
	IPs []string
	// ServerIPs are the Wazuh manager's and indexer's addresses.
	ServerIPs []netip.Addr
	// Accounts are extra account names (WAZUH_MCP_PROTECTED_ACCOUNTS).
	Accounts []string
	// Agents are agent ids (WAZUH_MCP_PROTECTED_AGENTS, default 000).
	Agents []string
}

// builtinAccounts can never be disabled: losing them locks operators out
// or stops Wazuh itself.
var builtinAccounts = []string{"root", "administrator", "wazuh", "wazuh-indexer", "ossec", "system", "localsystem"}

// builtinRanges are never blocked: blocking them breaks the host itself or
// is meaningless for a firewall rule.
var builtinRanges = []struct{ cidr, why string }{
	{"0.0.0.0/8", "unspecified / this network"},
	{"127.0.0.0/8", "loopback"},
	{"169.254.0.0/16", "link-local"},
	{"224.0.0.0/4", "multicast"},
	{"240.0.0.0/4", "reserved (includes broadcast 255.255.255.255)"},
	{"::1/128", "loopback"},
	{"::/96", "unspecified / IPv4-compatible"},
	{"fe80::/10", "link-local"},
	{"ff00::/8", "multicast"},
}

// NewProtected compiles cfg with the built-in protections.
func NewProtected(cfg ProtectedConfig) (*Protected, error) {
	p := &Protected{accounts: map[string]bool{}, agents: map[string]bool{}}
	for _, r := range builtinRanges {
		p.prefixes = append(p.prefixes, namedPrefix{netip.MustParsePrefix(r.cidr), r.why})
	}
	for _, s := range cfg.IPs {
		pfx, err := parsePrefixOrAddr(s)
		if err != nil {
			return nil, fmt.Errorf("protected IPs: %w", err)
		}
		p.prefixes = append(p.prefixes, namedPrefix{pfx, "configured protected range " + pfx.String()})
	}
	for _, a := range cfg.ServerIPs {
		a = a.Unmap()
		p.prefixes = append(p.prefixes, namedPrefix{netip.PrefixFrom(a, a.BitLen()), "a Wazuh server address"})
	}
	for _, a := range append(slices.Clone(builtinAccounts), cfg.Accounts...) {
		if a = foldAccount(strings.TrimSpace(a)); a != "" {
			p.accounts[a] = true
		}
	}
	for _, id := range cfg.Agents {
		n, err := normalAgent(id)
		if err != nil {
			return nil, fmt.Errorf("protected agents: %w", err)
		}
		p.agents[n] = true
	}
	return p, nil
}

func parsePrefixOrAddr(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if pfx, err := netip.ParsePrefix(s); err == nil {
		a := pfx.Addr()
		if a.Is4In6() {
			bits := pfx.Bits() - 96
			if bits < 0 {
				return netip.Prefix{}, fmt.Errorf("%q: an IPv4-mapped range needs at least /96", s)
			}
			return netip.PrefixFrom(a.Unmap(), bits).Masked(), nil
		}
		return pfx.Masked(), nil
	}
	a, err := ParseIP(s)
	if err != nil {
		return netip.Prefix{}, err
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// ParseIP parses a target address by args.IP, the one strict rule (no
// inet_aton shorthands, no zones, IPv4-mapped unmapped). The error leaves
// the argument to the caller to name.
func ParseIP(s string) (netip.Addr, error) {
	a, err := args.IP("ip_address", s)
	if err != nil {
		return netip.Addr{}, problemOf(err)
	}
	return a, nil
}

// CheckIP parses s and refuses protected addresses. It returns the
// canonical address, which is what goes into the request.
func (p *Protected) CheckIP(s string) (netip.Addr, error) {
	a, err := ParseIP(s)
	if err != nil {
		return netip.Addr{}, err
	}
	if a.Is4() && a == netip.AddrFrom4([4]byte{255, 255, 255, 255}) {
		return a, fmt.Errorf("%w: %s is the broadcast address", ErrProtected, a)
	}
	for _, np := range p.prefixes {
		if np.prefix.Contains(a) {
			return a, fmt.Errorf("%w: %s is protected (%s)", ErrProtected, a, np.why)
		}
	}
	if v4, ok := embeddedIPv4(a); ok {
		for _, np := range p.prefixes {
			if np.prefix.Contains(v4) {
				return a, fmt.Errorf("%w: %s embeds %s, which is protected (%s)", ErrProtected, a, v4, np.why)
			}
		}
	}
	return a, nil
}

// translatedPrefixes are IPv6 ranges whose last 32 bits are an IPv4
// address that translators (NAT64, SIIT) turn the packet into: on an
// IPv6-only host behind NAT64, the manager at 10.0.0.5 is 64:ff9b::a00:5,
// so blocking that address would cut the agent off just the same.
var translatedPrefixes = []netip.Prefix{
	netip.MustParsePrefix("64:ff9b::/96"),    // RFC 6052 well-known NAT64 prefix
	netip.MustParsePrefix("::ffff:0:0:0/96"), // RFC 2765 IPv4-translated (SIIT)
}

func embeddedIPv4(a netip.Addr) (netip.Addr, bool) {
	if !a.Is6() {
		return netip.Addr{}, false
	}
	for _, t := range translatedPrefixes {
		if t.Contains(a) {
			b := a.As16()
			return netip.AddrFrom4([4]byte(b[12:])), true
		}
	}
	return netip.Addr{}, false
}

// maxAccountLen bounds an account name (Windows: 20 (SAM) / 104 (UPN)
// characters; Linux: 32 bytes); longer input is not a name.
const maxAccountLen = 256

// CheckAccount refuses protected accounts. Windows accounts are case
// insensitive and may come as user@domain or DOMAIN\user, so the user
// part is checked too; letters that some system folds to ASCII (ſ → s,
// ı → i, K (Kelvin) → k) count as that ASCII letter. Names with control or
// invisible characters (a NUL would cut "root\x00x" to "root" in C) are
// refused as invalid.
func (p *Protected) CheckAccount(user string) error {
	u := strings.TrimSpace(user)
	switch {
	case u == "":
		return errors.New("empty account name")
	case len(u) > maxAccountLen:
		return fmt.Errorf("account name %q is longer than %d bytes", truncateForError(u), maxAccountLen)
	case !utf8.ValidString(u):
		return fmt.Errorf("account name %q is not valid UTF-8", truncateForError(u))
	case strings.ContainsFunc(u, func(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }):
		return fmt.Errorf("account name %q contains control or invisible characters", truncateForError(u))
	}
	for _, name := range accountForms(foldAccount(u)) {
		if p.accounts[name] {
			return fmt.Errorf("%w: account %q is protected (built in: root, Administrator, wazuh, ossec, SYSTEM; more with WAZUH_MCP_PROTECTED_ACCOUNTS)", ErrProtected, user)
		}
	}
	return nil
}

// accountForms are the names u may stand for: itself, the user part of
// DOMAIN\user (or DOMAIN/user), and the local part of user@domain.
func accountForms(u string) []string {
	forms := []string{u}
	if i := strings.LastIndexAny(u, `\/`); i >= 0 {
		forms = append(forms, u[i+1:])
	}
	for _, f := range forms {
		if i := strings.IndexByte(f, '@'); i >= 0 {
			forms = append(forms, f[:i])
		}
	}
	return forms
}

// foldAccount lower-cases s and maps every letter that has an ASCII case
// variant (ſ, ı, İ, K) to that ASCII letter, so no spelling of a protected
// name that a case-insensitive system would match differs here.
func foldAccount(s string) string {
	return strings.Map(func(r rune) rune {
		if r < utf8.RuneSelf {
			return unicode.ToLower(r)
		}
		for _, c := range []rune{unicode.ToLower(r), unicode.ToUpper(r)} {
			if c < utf8.RuneSelf {
				return unicode.ToLower(c)
			}
		}
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf {
				return unicode.ToLower(f)
			}
		}
		return unicode.ToLower(r)
	}, s)
}

// CheckAgent refuses protected agents (000, the manager, by default).
func (p *Protected) CheckAgent(id string) error {
	n, err := normalAgent(id)
	if err != nil {
		return err
	}
	if p.agents[n] {
		why := "configured in WAZUH_MCP_PROTECTED_AGENTS"
		if n == "000" {
			why = "the Wazuh manager itself; remove 000 from WAZUH_MCP_PROTECTED_AGENTS to allow it"
		}
		return fmt.Errorf("%w: agent %s is protected (%s)", ErrProtected, n, why)
	}
	return nil
}

// normalAgent is args.AgentID without an argument name: the callers name
// it (the tool's argument, or WAZUH_MCP_PROTECTED_AGENTS).
func normalAgent(id string) (string, error) {
	n, err := args.AgentID("agent_id", id)
	if err != nil {
		return "", problemOf(err)
	}
	return n, nil
}

// problemOf strips the argument name from an *args.Error.
func problemOf(err error) error {
	var ae *args.Error
	if errors.As(err, &ae) {
		return errors.New(ae.Problem)
	}
	return err
}

func truncateForError(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
