package approval

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/auth/keytest"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// clock is a settable time shared by the gate, the page and the keys.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// pageEnv is the approval page over a real store and gate (no executor:
// approved actions stay approved), with keys of every kind.
type pageEnv struct {
	st    *store.Store
	g     *Gate
	ops   *auth.OperatorKeys
	clock *clock
	ts    *httptest.Server
	opts  PageOptions

	opKey, opID     string // operator "alice"
	op2Key, op2ID   string // operator "bob"
	readKey, wrtKey string // MCP keys
}

func newPageEnv(t *testing.T, mod func(*PageOptions)) *pageEnv {
	t.Helper()
	st := keytest.Store(t)
	e := &pageEnv{st: st, clock: &clock{t: time.Now().UTC().Truncate(time.Second)}}
	mk := func(name, scope string) (string, string) { return keytest.Create(t, st, name, scope, e.clock.Now()) }
	e.opKey, e.opID = mk("alice", auth.KeyScopeOperator)
	e.op2Key, e.op2ID = mk("bob", auth.KeyScopeOperator)
	e.readKey, _ = mk("reader", "read")
	e.wrtKey, _ = mk("writer", "write")
	e.g = New(st, nil, Options{Now: e.clock.Now})
	e.ops = auth.NewOperatorKeys(st, e.clock.Now)
	e.opts = PageOptions{VerifyOperator: PageVerifier(e.ops), OperatorActive: e.ops.ActiveOperator,
		CookieSecret: []byte("0123456789abcdef0123456789abcdef"), Now: e.clock.Now,
		ClientIP: func(r *http.Request) string { return r.Header.Get("X-Test-Client") }}
	if mod != nil {
		mod(&e.opts)
	}
	e.ts = httptest.NewServer(NewPage(e.g, e.opts))
	t.Cleanup(e.ts.Close)
	return e
}

// propose stores a pending block of 203.0.113.9 on agent 001 (changed by
// mod), requested by an MCP key.
func (e *pageEnv) propose(t *testing.T, mod func(*Proposal)) Action {
	t.Helper()
	req, err := wazuh.ActiveResponseRequest([]string{"001"}, wazuh.ActiveResponseCommand{
		Command: "firewall-drop", Alert: wazuh.AlertData{SrcIP: "203.0.113.9"}})
	if err != nil {
		t.Fatal(err)
	}
	p := Proposal{Tool: "block_ip", Mode: ModeHuman, AlertID: "1732000000.4242",
		Plan: Plan{Action: "block_ip", Request: req, Targets: []string{"agent 001"},
			Summary: "Block 203.0.113.9 on agent 001 with firewall-drop", Undo: "unblock_ip 203.0.113.9 on agent 001"},
		Requester: Requester{ID: "key_requester01", Name: "soc-bot", Session: "sess-1", CorrelationID: "corr-1"}}
	if mod != nil {
		mod(&p)
	}
	out, err := e.g.Propose(context.Background(), p)
	if err != nil || out.Action.Status != Pending {
		t.Fatalf("propose: %+v %v", out, err)
	}
	return out.Action
}

// browser is a client with its own cookies and address; it does not
// follow redirects, so that each answer can be checked.
type browser struct {
	t    *testing.T
	e    *pageEnv
	c    *http.Client
	ip   string
	hdrs map[string]string // extra headers on every request
}

func (e *pageEnv) browser(t *testing.T, ip string) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, ip: ip, c: &http.Client{Jar: jar, Timeout: 10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type answer struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(method, path string, form url.Values) answer {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, b.e.ts.URL+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("X-Test-Client", b.ip)
	for k, v := range b.hdrs {
		req.Header.Set(k, v)
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	a := answer{resp.StatusCode, resp.Header, string(raw)}
	checkHeaders(b.t, method+" "+path, a)
	return a
}

func checkHeaders(t *testing.T, what string, a answer) {
	t.Helper()
	want := map[string]string{
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
		"X-Frame-Options":         "DENY",
		"Referrer-Policy":         "no-referrer",
		"Cache-Control":           "no-store",
		"X-Content-Type-Options":  "nosniff",
	}
	for k, v := range want {
		if got := a.header.Get(k); got != v {
			t.Errorf("%s: %s = %q, want %q", what, k, got, v)
		}
	}
}

func (b *browser) signIn(key string) answer {
	b.t.Helper()
	return b.do("POST", "/approvals/login", url.Values{"key": {key}})
}

var (
	csrfRe = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)
	hashRe = regexp.MustCompile(`name="plan_hash" value="([0-9a-f]+)"`)
)

// form reads the CSRF token and plan hash of an action page.
func (b *browser) form(id string) (csrf, hash string) {
	b.t.Helper()
	a := b.do("GET", "/approvals/"+id, nil)
	if a.status != http.StatusOK {
		b.t.Fatalf("GET action: %d %s", a.status, a.body)
	}
	c, h := csrfRe.FindStringSubmatch(a.body), hashRe.FindStringSubmatch(a.body)
	if c == nil || h == nil {
		b.t.Fatalf("no decision form on the action page:\n%s", a.body)
	}
	return c[1], h[1]
}

func (e *pageEnv) status(t *testing.T, id string) Action {
	t.Helper()
	a, err := e.g.Get(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestPageSignIn(t *testing.T) {
	e := newPageEnv(t, nil)
	act := e.propose(t, nil)
	b := e.browser(t, "192.0.2.1")
	if a := b.do("GET", "/approvals/", nil); a.status != 200 || !strings.Contains(a.body, `name="key" type="password"`) || strings.Contains(a.body, act.ID) {
		t.Fatalf("signed out: %d %s", a.status, a.body)
	}
	if a := b.do("GET", "/approvals/"+act.ID, nil); a.status != http.StatusUnauthorized || strings.Contains(a.body, act.PlanHash) {
		t.Fatalf("action page signed out: %d", a.status)
	}
	for _, c := range []struct {
		name, key string
		status    int
		text      string
	}{
		{"wrong key", "not-a-key-at-all-0123456789", 401, "not valid"},
		{"read key", e.readKey, 403, "This is an MCP key"},
		{"write key", e.wrtKey, 403, "--scope operator"},
		{"empty", " ", 400, "Enter an operator key"},
	} {
		a := b.signIn(c.key)
		if a.status != c.status || !strings.Contains(a.body, c.text) || a.header.Get("Set-Cookie") != "" {
			t.Errorf("%s: %d %q %s", c.name, a.status, a.header.Get("Set-Cookie"), a.body)
		}
		if strings.Contains(a.body, c.key) && strings.TrimSpace(c.key) != "" {
			t.Errorf("%s: the key is echoed in the page", c.name)
		}
	}
	a := b.signIn(e.opKey)
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/approvals/" {
		t.Fatalf("operator sign-in: %d %v", a.status, a.header)
	}
	ck := a.header.Get("Set-Cookie")
	for _, want := range []string{"HttpOnly", "SameSite=Strict", "Path=/approvals/", "Max-Age=1800"} {
		if !strings.Contains(ck, want) {
			t.Errorf("session cookie %q lacks %s", ck, want)
		}
	}
	if strings.Contains(ck, "Secure") || strings.Contains(ck, e.opKey) {
		t.Errorf("session cookie %q", ck)
	}
	a = b.do("GET", "/approvals/", nil)
	if a.status != 200 || !strings.Contains(a.body, "Signed in as <strong id=\"operator\">alice</strong>") ||
		!strings.Contains(a.body, `href="/approvals/`+act.ID+`"`) || !strings.Contains(a.body, "Block 203.0.113.9 on agent 001") {
		t.Fatalf("signed in list: %d %s", a.status, a.body)
	}
	// Other methods and unknown routes also carry the headers (checked by do).
	if a := b.do("PUT", "/approvals/", nil); a.status != http.StatusMethodNotAllowed {
		t.Errorf("PUT: %d", a.status)
	}
	if a := b.do("GET", "/approvals/act_doesnotexist", nil); a.status != http.StatusNotFound || !strings.Contains(a.body, "no action with this id") {
		t.Errorf("unknown action: %d %s", a.status, a.body)
	}
	if a := b.do("GET", "/approvals/..%2f..%2fetc", nil); a.status != http.StatusNotFound {
		t.Errorf("odd id: %d", a.status)
	}
	// Sign out: needs the session's token, then the cookie is gone.
	if a := b.do("POST", "/approvals/logout", url.Values{"csrf": {"00"}}); a.status != http.StatusForbidden {
		t.Errorf("logout without the token: %d", a.status)
	}
	csrf, _ := b.form(act.ID)
	if a := b.do("POST", "/approvals/logout", url.Values{"csrf": {csrf}}); a.status != http.StatusSeeOther || !strings.Contains(a.header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: %d %v", a.status, a.header)
	}
	if a := b.do("GET", "/approvals/", nil); strings.Contains(a.body, "Signed in as") {
		t.Error("still signed in after logout")
	}
}

func TestPageSecureCookie(t *testing.T) {
	e := newPageEnv(t, func(o *PageOptions) { o.Secure, o.SessionTTL = true, 10*time.Minute })
	ck := e.browser(t, "192.0.2.1").signIn(e.opKey).header.Get("Set-Cookie")
	if !strings.Contains(ck, "; Secure") || !strings.Contains(ck, "Max-Age=600") {
		t.Errorf("cookie %q", ck)
	}
}

func TestPageApprove(t *testing.T) {
	e := newPageEnv(t, nil)
	act := e.propose(t, nil)
	alice, bob := e.browser(t, "192.0.2.1"), e.browser(t, "192.0.2.2")
	alice.signIn(e.opKey)
	bob.signIn(e.op2Key)
	csrf, hash := alice.form(act.ID)
	bobCSRF, _ := bob.form(act.ID)
	if hash != act.PlanHash {
		t.Fatalf("page hash %s, stored %s", hash, act.PlanHash)
	}
	page := alice.do("GET", "/approvals/"+act.ID, nil).body
	for _, want := range []string{
		"Block 203.0.113.9 on agent 001 with firewall-drop", "agent 001", "unblock_ip 203.0.113.9 on agent 001",
		"PUT", "/active-response", "agents_list = 001", `&#34;command&#34;: &#34;firewall-drop&#34;`, `&#34;srcip&#34;: &#34;203.0.113.9&#34;`,
		"soc-bot", "key_requester01", "sess-1", "corr-1", "1732000000.4242", "human", act.PlanHash,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the action page lacks %q", want)
		}
	}
	approve := func(b *browser, form url.Values) answer { return b.do("POST", "/approvals/"+act.ID+"/approve", form) }
	refused := []struct {
		name   string
		b      *browser
		form   url.Values
		hdrs   map[string]string
		status int
		text   string
	}{
		{"no csrf", alice, url.Values{"plan_hash": {hash}}, nil, 403, "security token"},
		{"wrong csrf", alice, url.Values{"plan_hash": {hash}, "csrf": {strings.Repeat("0", 32)}}, nil, 403, "security token"},
		{"another session's csrf", alice, url.Values{"plan_hash": {hash}, "csrf": {bobCSRF}}, nil, 403, "security token"},
		{"cross-site", alice, url.Values{"plan_hash": {hash}, "csrf": {csrf}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403, "cross-site"},
		{"foreign origin", alice, url.Values{"plan_hash": {hash}, "csrf": {csrf}}, map[string]string{"Origin": "https://evil.example"}, 403, "cross-site"},
		{"stale hash", alice, url.Values{"plan_hash": {strings.Repeat("ab", 32)}, "csrf": {csrf}}, nil, 409, "does not match the stored plan"},
		{"no hash", alice, url.Values{"csrf": {csrf}}, nil, 409, "does not match the stored plan"},
	}
	for _, c := range refused {
		c.b.hdrs = c.hdrs
		a := approve(c.b, c.form)
		c.b.hdrs = nil
		if a.status != c.status || !strings.Contains(a.body, c.text) {
			t.Errorf("%s: %d %s", c.name, a.status, a.body)
		}
		if s := e.status(t, act.ID).Status; s != Pending {
			t.Fatalf("%s: the action became %s", c.name, s)
		}
	}
	// A same-origin browser POST (what the page's own form sends) passes.
	alice.hdrs = map[string]string{"Sec-Fetch-Site": "same-origin", "Origin": e.ts.URL}
	a := approve(alice, url.Values{"plan_hash": {hash}, "csrf": {csrf}})
	alice.hdrs = nil
	if a.status != http.StatusSeeOther || a.header.Get("Location") != "/approvals/"+act.ID+"?done=approved" {
		t.Fatalf("approve: %d %s", a.status, a.body)
	}
	got := e.status(t, act.ID)
	if got.Status != Approved || got.Decision == nil || got.Decision.By != e.opID || got.Decision.Via != ViaPage {
		t.Fatalf("after approval: %+v %+v", got, got.Decision)
	}
	a = alice.do("GET", a.header.Get("Location"), nil)
	if !strings.Contains(a.body, `id="status">approved<`) || !strings.Contains(a.body, "You approved this action") ||
		strings.Contains(a.body, `id="approve"`) || !strings.Contains(a.body, e.opID) {
		t.Errorf("the page after approval:\n%s", a.body)
	}
	// Bob, who still has the form open, is told it is already decided.
	a = approve(bob, url.Values{"plan_hash": {hash}, "csrf": {bobCSRF}})
	if a.status != http.StatusConflict || !strings.Contains(a.body, "Already decided: this action is approved; it was decided by "+e.opID) {
		t.Errorf("second approval: %d %s", a.status, a.body)
	}
	if got := e.status(t, act.ID); got.Decision.By != e.opID {
		t.Errorf("the second approval changed the decision: %+v", got.Decision)
	}
	list := alice.do("GET", "/approvals/", nil).body
	if !strings.Contains(list, `id="no-pending"`) || !strings.Contains(list, `id="recent"`) {
		t.Errorf("the list after approval:\n%s", list)
	}
}

func TestPageReject(t *testing.T) {
	e := newPageEnv(t, nil)
	act := e.propose(t, nil)
	b := e.browser(t, "192.0.2.1")
	b.signIn(e.opKey)
	csrf, hash := b.form(act.ID)
	note := "not this host: it is the <b>backup</b> server"
	a := b.do("POST", "/approvals/"+act.ID+"/reject", url.Values{"plan_hash": {hash}, "csrf": {csrf}, "note": {note}})
	if a.status != http.StatusSeeOther {
		t.Fatalf("reject: %d %s", a.status, a.body)
	}
	got := e.status(t, act.ID)
	if got.Status != Rejected || got.Decision.By != e.opID || got.Decision.Note != note || got.Decision.Via != ViaPage {
		t.Fatalf("after rejection: %+v %+v", got, got.Decision)
	}
	a = b.do("GET", a.header.Get("Location"), nil)
	if !strings.Contains(a.body, `id="status">rejected<`) || !strings.Contains(a.body, "You rejected this action") ||
		!strings.Contains(a.body, "the &lt;b&gt;backup&lt;/b&gt; server") {
		t.Errorf("the page after rejection:\n%s", a.body)
	}
	a = b.do("POST", "/approvals/"+act.ID+"/approve", url.Values{"plan_hash": {hash}, "csrf": {csrf}})
	if a.status != http.StatusConflict || !strings.Contains(a.body, "Already decided: this action is rejected") {
		t.Errorf("approve after reject: %d %s", a.status, a.body)
	}
}

func TestPageSelfApprovalAndExpiry(t *testing.T) {
	e := newPageEnv(t, nil)
	own := e.propose(t, func(p *Proposal) { p.Requester.ID, p.Requester.Name = e.opID, "alice" })
	later := e.propose(t, func(p *Proposal) { p.Plan.Targets = []string{"agent 001", "again"} })
	b := e.browser(t, "192.0.2.1")
	b.signIn(e.opKey)
	csrf, hash := b.form(own.ID)
	a := b.do("POST", "/approvals/"+own.ID+"/approve", url.Values{"plan_hash": {hash}, "csrf": {csrf}})
	if a.status != http.StatusForbidden || !strings.Contains(a.body, "you proposed this action") || e.status(t, own.ID).Status != Pending {
		t.Errorf("self-approval: %d %s", a.status, a.body)
	}
	_, hash = b.form(later.ID)
	e.clock.Add(16 * time.Minute) // past the gate's 15m TTL; the session (30m) lives on
	a = b.do("GET", "/approvals/"+later.ID, nil)
	if !strings.Contains(a.body, "expired (no decision in time") || strings.Contains(a.body, `id="approve"`) {
		t.Errorf("expired action page:\n%s", a.body)
	}
	a = b.do("POST", "/approvals/"+later.ID+"/approve", url.Values{"plan_hash": {hash}, "csrf": {csrf}})
	if a.status != http.StatusConflict || !strings.Contains(a.body, "Too late: this action expired") || e.status(t, later.ID).Status != Expired {
		t.Errorf("approve after expiry: %d %s", a.status, a.body)
	}
	e.clock.Add(15 * time.Minute) // the session ends
	a = b.do("GET", "/approvals/", nil)
	if !strings.Contains(a.body, "Your session has ended") || strings.Contains(a.body, "Signed in as") {
		t.Errorf("after the session's end:\n%s", a.body)
	}
}

func TestPageSessions(t *testing.T) {
	e := newPageEnv(t, nil)
	act := e.propose(t, nil)
	b := e.browser(t, "192.0.2.1")
	b.signIn(e.opKey)
	u, _ := url.Parse(e.ts.URL + "/approvals/")
	ck := b.c.Jar.Cookies(u)
	if len(ck) != 1 {
		t.Fatalf("cookies %v", ck)
	}
	// A cookie altered in any way (here: another operator id with the old
	// signature) is no session.
	payload, sig, _ := strings.Cut(ck[0].Value, ".")
	forged := e.browser(t, "192.0.2.9")
	p := &page{o: PageOptions{CookieSecret: []byte("another secret entirely, 32 byte")}}
	forgedValue := p.encode(&operator{ID: e.op2ID, Exp: e.clock.Now().Add(time.Hour).Unix(), N: "x"})
	for _, v := range []string{payload + "." + sig + "x", forgedValue, "garbage", strings.Repeat("a", 5000)} {
		forged.c.Jar.SetCookies(u, []*http.Cookie{{Name: sessionCookie, Value: v, Path: "/approvals/"}})
		if a := forged.do("GET", "/approvals/", nil); strings.Contains(a.body, "Signed in as") {
			t.Errorf("forged cookie %.20q signed in", v)
		}
	}
	// Revoking the operator key ends its session at once.
	if _, err := e.st.RevokeAPIKey(context.Background(), e.opID, e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	a := b.do("GET", "/approvals/"+act.ID, nil)
	if a.status != http.StatusUnauthorized || !strings.Contains(a.body, "no longer active") || strings.Contains(a.body, act.PlanHash) {
		t.Errorf("revoked operator: %d %s", a.status, a.body)
	}
	if a := b.signIn(e.opKey); a.status != http.StatusUnauthorized || !strings.Contains(a.body, "revoked") {
		t.Errorf("revoked key sign-in: %d %s", a.status, a.body)
	}
}

func TestPageXSS(t *testing.T) {
	const (
		script = `<script>alert(1)</script>`
		img    = `"><img src=x onerror=alert(2)>`
	)
	e := newPageEnv(t, func(o *PageOptions) {
		o.AlertSummary = func(_ context.Context, id string) (string, error) {
			return "rule 5710 on " + id + " " + img, nil
		}
	})
	act := e.propose(t, func(p *Proposal) {
		p.Plan.Summary = "Block " + script + " now\u202egnp.exe"
		p.Plan.Targets = []string{img, "javascript:alert(3)"}
		p.Plan.Undo = script
		p.AlertID = "1732.1" + script
		p.Requester.Name = img
		p.Requester.Session = script
	})
	b := e.browser(t, "192.0.2.1")
	b.signIn(e.opKey)
	for _, path := range []string{"/approvals/", "/approvals/" + act.ID} {
		body := b.do("GET", path, nil).body
		for _, bad := range []string{"<script", "<img", "\u202e", `href="javascript`} {
			if strings.Contains(body, bad) {
				t.Errorf("%s renders %q unescaped", path, bad)
			}
		}
		if !strings.Contains(body, "&lt;script&gt;alert(1)&lt;/script&gt;") || !strings.Contains(body, `\u{202E}gnp.exe`) {
			t.Errorf("%s does not show the escaped text:\n%s", path, body)
		}
	}
	body := b.do("GET", "/approvals/"+act.ID, nil).body
	if !strings.Contains(body, `id="alert-summary">rule 5710 on 1732.1&lt;script&gt;`) || !strings.Contains(body, "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;") {
		t.Errorf("alert summary:\n%s", body)
	}
	// The escaped page still approves the plan it shows.
	csrf, hash := b.form(act.ID)
	if a := b.do("POST", "/approvals/"+act.ID+"/approve", url.Values{"plan_hash": {hash}, "csrf": {csrf}}); a.status != http.StatusSeeOther || e.status(t, act.ID).Status != Approved {
		t.Errorf("approve: %d %s", a.status, a.body)
	}
}

func TestPageLoginRateLimit(t *testing.T) {
	e := newPageEnv(t, func(o *PageOptions) { o.LoginFailuresPerMinute = 3 })
	attacker, other := e.browser(t, "198.51.100.7"), e.browser(t, "198.51.100.8")
	for i := range 3 {
		if a := attacker.signIn("guess-" + strings.Repeat("x", i+20)); a.status != http.StatusUnauthorized {
			t.Fatalf("guess %d: %d", i, a.status)
		}
	}
	if a := attacker.signIn(e.opKey); a.status != http.StatusTooManyRequests || !strings.Contains(a.body, "Too many failed sign-ins") {
		t.Fatalf("after 3 failures: %d %s", a.status, a.body)
	}
	// Successes do not count: another address signs in again and again.
	for range 5 {
		if a := other.signIn(e.opKey); a.status != http.StatusSeeOther {
			t.Fatalf("other address: %d %s", a.status, a.body)
		}
	}
	e.clock.Add(time.Minute) // refilled
	if a := attacker.signIn(e.opKey); a.status != http.StatusSeeOther {
		t.Errorf("a minute later: %d %s", a.status, a.body)
	}
}

func TestLoginLimiterIsBounded(t *testing.T) {
	l := newLoginLimiter(2, 3)
	now := time.Now()
	for _, ip := range []string{"a", "b", "c"} {
		at, _ := l.attempt(ip, now) // a failure each: not idle
		_ = at
	}
	if _, ok := l.attempt("d", now); !ok || len(l.ips) != 3 {
		t.Fatalf("a new address when full: ok=%v size=%d", ok, len(l.ips))
	}
	// Idle entries are dropped to make room.
	if _, ok := l.attempt("e", now.Add(time.Hour)); !ok || len(l.ips) != 1 {
		t.Errorf("after idling: ok=%v size=%d", ok, len(l.ips))
	}
}

func TestPageBodyLimit(t *testing.T) {
	e := newPageEnv(t, nil)
	b := e.browser(t, "192.0.2.1")
	a := b.do("POST", "/approvals/login", url.Values{"key": {strings.Repeat("k", maxFormBytes+10)}})
	if a.status != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized form: %d", a.status)
	}
}

func TestVisible(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\n":   "plain\ttext\n",
		"a\u202eb":        `a\u{202E}b`,
		"zero\u200bwidth": `zero\u{200B}width`,
		"bell\x07":        `bell\u{0007}`,
		"bad\xffutf8":     `bad\u{FFFD}utf8`,
	} {
		if got := visible(in); got != want {
			t.Errorf("visible(%q) = %q, want %q", in, got, want)
		}
	}
	if got := truncateRunes("aé", 2); got != "a" {
		t.Errorf("truncateRunes split a character: %q", got)
	}
}
