package approval

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/time/rate"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// The approval page: an operator signs in with an operator key, reads a
// pending action in plain words (the plan, the exact Wazuh request, who
// asked for it and the alert that triggered it) and approves or rejects
// it. An approval carries the plan hash the operator was shown, so it
// applies to that plan only.
//
// Everything on the page that comes from a plan or an alert was written,
// directly or not, by an attacker or a model: it is rendered by
// html/template (contextual escaping, never marked safe), control and
// invisible formatting characters are made visible, and the page runs no
// script at all (the Content-Security-Policy allows none).

//go:embed page/*.html
var pageFiles embed.FS

// PageOptions configure the approval page.
type PageOptions struct {
	// VerifyOperator checks an operator key and names its holder (see
	// PageVerifier); the page never reads the store's keys itself. Nil
	// refuses every sign-in.
	VerifyOperator func(ctx context.Context, key string) (Approver, error)
	// OperatorActive, when set, is asked on every signed-in request whether
	// the operator's key is still usable (auth.OperatorKeys.ActiveOperator):
	// revoking the key then ends its sessions at once.
	OperatorActive func(ctx context.Context, id string) error
	// CookieSecret signs session cookies (32+ random bytes). Empty: a
	// random secret, so sessions end when the process does.
	CookieSecret []byte
	// Secure marks the session cookie Secure (the page is served over
	// HTTPS, directly or behind a TLS proxy).
	Secure bool
	// SessionTTL is how long a sign-in lasts (default 30 minutes).
	SessionTTL time.Duration
	// AlertSummary, when set, describes the triggering alert in one line.
	AlertSummary func(ctx context.Context, alertID string) (string, error)
	// ClientIP names the client of a request for the sign-in rate limit
	// (httpapi.ClientIP honours TRUSTED_PROXIES); default: the peer address.
	ClientIP func(*http.Request) string
	// LoginFailuresPerMinute bounds failed sign-ins per client address
	// (default 5, also the burst).
	LoginFailuresPerMinute int
	Logger                 *slog.Logger
	Now                    func() time.Time
}

// PageVerifier adapts an operator key verifier (auth.OperatorKeys) to
// PageOptions.VerifyOperator.
func PageVerifier(v interface {
	VerifyOperator(ctx context.Context, key string) (*auth.Principal, error)
}) func(context.Context, string) (Approver, error) {
	return func(ctx context.Context, key string) (Approver, error) {
		p, err := v.VerifyOperator(ctx, key)
		if err != nil {
			return Approver{}, err
		}
		return Approver{ID: p.ID, Name: p.Name, Via: ViaPage}, nil
	}
}

// Limits of the page.
const (
	pagePrefix      = "/approvals/"
	sessionCookie   = "wazuh_mcp_approval"
	maxFormBytes    = 16 << 10
	maxCookieBytes  = 2048
	maxNoteBytes    = 500
	maxAlertSummary = 300
	maxLimiterIPs   = 4096
	pendingShown    = 100
	recentShown     = 25
)

// PageCSP is the Content-Security-Policy of every answer: no script, no
// external resource, forms post only to this origin, never framed.
const PageCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

var actionIDRe = regexp.MustCompile(`^act_[a-z0-9]{1,64}$`)

type page struct {
	g       *Gate
	o       PageOptions
	tmpl    map[string]*template.Template
	limiter *loginLimiter
	xorigin *http.CrossOriginProtection
	mux     *http.ServeMux
}

// NewPage returns the approval page, served under /approvals/.
func NewPage(g *Gate, opts PageOptions) http.Handler {
	if opts.SessionTTL <= 0 {
		opts.SessionTTL = 30 * time.Minute
	}
	if len(opts.CookieSecret) == 0 {
		opts.CookieSecret = make([]byte, 32)
		_, _ = rand.Read(opts.CookieSecret)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.LoginFailuresPerMinute <= 0 {
		opts.LoginFailuresPerMinute = 5
	}
	if opts.ClientIP == nil {
		opts.ClientIP = peerIP
	}
	p := &page{g: g, o: opts, tmpl: parseTemplates(), xorigin: http.NewCrossOriginProtection(),
		limiter: newLoginLimiter(opts.LoginFailuresPerMinute, maxLimiterIPs)}
	m := http.NewServeMux()
	m.HandleFunc("GET "+pagePrefix+"{$}", p.index)
	m.HandleFunc("POST "+pagePrefix+"login", p.login)
	m.HandleFunc("POST "+pagePrefix+"logout", p.logout)
	m.HandleFunc("GET "+pagePrefix+"{id}", p.show)
	m.HandleFunc("POST "+pagePrefix+"{id}/approve", p.decide(true))
	m.HandleFunc("POST "+pagePrefix+"{id}/reject", p.decide(false))
	p.mux = m
	return p
}

func (p *page) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", PageCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	}
	p.mux.ServeHTTP(w, r)
}

func parseTemplates() map[string]*template.Template {
	funcs := template.FuncMap{"visible": visible, "ts": formatTS}
	out := map[string]*template.Template{}
	for _, name := range []string{"login", "index", "action", "message"} {
		out[name] = template.Must(template.New(name).Funcs(funcs).ParseFS(pageFiles, "page/layout.html", "page/"+name+".html"))
	}
	return out
}

// operator is who is signed in.
type operator struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	Exp  int64  `json:"exp"`
	N    string `json:"n"` // per-session nonce: the CSRF token is bound to it
}

// view is what every template gets.
type view struct {
	Title    string
	Operator *operator
	CSRF     string
	Error    string
	Notice   string
	Pending  []Action
	Recent   []Action
	Action   *actionView
	Now      time.Time
}

// actionView is an action with what the page computes for it.
type actionView struct {
	Action
	Method, Path, PathError, Line string
	Query                         [][2]string
	Body                          string
	ShownStatus                   string
	Decidable                     bool
	AlertSummary                  string
	AlertNote                     string
}

// --- handlers ---

func (p *page) index(w http.ResponseWriter, r *http.Request) {
	op, msg := p.session(w, r)
	if op == nil {
		p.render(w, http.StatusOK, "login", &view{Title: "Sign in", Error: msg})
		return
	}
	v := &view{Title: "Actions", Operator: op, CSRF: p.csrf(op), Now: p.now()}
	var err error
	if v.Pending, err = p.g.List(r.Context(), pendingShown, Pending); err == nil {
		v.Recent, err = p.g.List(r.Context(), recentShown, Approved, Executing, Succeeded, Failed, FailedUnknown, Expired, Rejected)
	}
	if err != nil {
		p.o.Logger.Error("approval page: listing actions", "error", err)
		v.Error = "The actions could not be read from the store. Try again in a moment."
		p.render(w, http.StatusServiceUnavailable, "index", v)
		return
	}
	p.render(w, http.StatusOK, "index", v)
}

func (p *page) login(w http.ResponseWriter, r *http.Request) {
	if !p.sameOrigin(w, r) {
		return
	}
	if err := r.ParseForm(); err != nil {
		p.render(w, http.StatusRequestEntityTooLarge, "login", &view{Title: "Sign in", Error: "The form could not be read (too large or malformed)."})
		return
	}
	ip := p.o.ClientIP(r)
	key := strings.TrimSpace(r.PostForm.Get("key"))
	if key == "" {
		p.render(w, http.StatusBadRequest, "login", &view{Title: "Sign in", Error: "Enter an operator key."})
		return
	}
	attempt, ok := p.limiter.attempt(ip, p.now())
	if !ok {
		p.o.Logger.Warn("approval page: sign-in rate limited", "remote", ip)
		p.render(w, http.StatusTooManyRequests, "login", &view{Title: "Sign in",
			Error: "Too many failed sign-ins from your address. Wait a minute and try again."})
		return
	}
	if p.o.VerifyOperator == nil {
		attempt.cancel()
		p.render(w, http.StatusServiceUnavailable, "login", &view{Title: "Sign in",
			Error: "Sign-in is not available: this server has no operator key store."})
		return
	}
	who, err := p.o.VerifyOperator(r.Context(), key)
	if err != nil {
		status, text, counted := signInFailure(err)
		if !counted {
			attempt.cancel()
			p.o.Logger.Error("approval page: operator key could not be checked", "error", err)
		} else {
			p.o.Logger.Warn("approval page: sign-in refused", "reason", auth.Reason(err), "remote", ip)
		}
		p.render(w, status, "login", &view{Title: "Sign in", Error: text})
		return
	}
	attempt.cancel() // a success does not count against the address
	op := &operator{ID: who.ID, Name: who.Name, Exp: p.now().Add(p.o.SessionTTL).Unix(), N: strings.ToLower(rand.Text())}
	http.SetCookie(w, p.cookie(p.encode(op), p.o.SessionTTL))
	p.o.Logger.Info("approval page: operator signed in", "operator", op.ID, "name", op.Name, "remote", ip)
	http.Redirect(w, r, pagePrefix, http.StatusSeeOther)
}

// signInFailure words a refused key; counted says whether it counts
// against the address's failed sign-ins (a store failure does not).
func signInFailure(err error) (status int, text string, counted bool) {
	switch {
	case errors.Is(err, auth.ErrNotOperator):
		return http.StatusForbidden, "This is an MCP key (read or write scope): it cannot sign in here. Only operator keys approve actions; create one with: wazuh-mcp keys create NAME --scope operator", true
	case errors.Is(err, auth.ErrRevoked):
		return http.StatusUnauthorized, "This operator key has been revoked.", true
	case errors.Is(err, auth.ErrExpired):
		return http.StatusUnauthorized, "This operator key has expired.", true
	case errors.Is(err, auth.ErrInvalid), errors.Is(err, auth.ErrMalformed), errors.Is(err, auth.ErrNoToken), errors.Is(err, auth.ErrOperatorKey):
		return http.StatusUnauthorized, "This key is not valid for this server.", true
	}
	return http.StatusServiceUnavailable, "The key could not be checked right now (the store did not answer). Try again in a moment.", false
}

func (p *page) logout(w http.ResponseWriter, r *http.Request) {
	if !p.sameOrigin(w, r) {
		return
	}
	op, _ := p.session(w, r)
	if op != nil {
		if err := r.ParseForm(); err != nil || !p.csrfOK(op, r.PostForm.Get("csrf")) {
			p.refuseCSRF(w, op)
			return
		}
		p.o.Logger.Info("approval page: operator signed out", "operator", op.ID)
	}
	http.SetCookie(w, p.cookie("", -1))
	http.Redirect(w, r, pagePrefix, http.StatusSeeOther)
}

func (p *page) show(w http.ResponseWriter, r *http.Request) {
	op, msg := p.session(w, r)
	if op == nil {
		p.render(w, http.StatusUnauthorized, "login", &view{Title: "Sign in", Error: cmp.Or(msg, "Sign in to see this action.")})
		return
	}
	v := &view{Title: "Action", Operator: op, CSRF: p.csrf(op), Now: p.now()}
	switch r.URL.Query().Get("done") {
	case "approved":
		v.Notice = "You approved this action. The server executes it once; reload this page to see the outcome."
	case "rejected":
		v.Notice = "You rejected this action. It will not be run."
	}
	p.renderAction(w, r, http.StatusOK, v, r.PathValue("id"))
}

// decide handles approve and reject.
func (p *page) decide(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !p.sameOrigin(w, r) {
			return
		}
		op, msg := p.session(w, r)
		if op == nil {
			p.render(w, http.StatusUnauthorized, "login", &view{Title: "Sign in",
				Error: cmp.Or(msg, "Sign in first: nothing was decided.")})
			return
		}
		if err := r.ParseForm(); err != nil || !p.csrfOK(op, r.PostForm.Get("csrf")) {
			p.refuseCSRF(w, op)
			return
		}
		id := r.PathValue("id")
		if !actionIDRe.MatchString(id) {
			p.message(w, http.StatusNotFound, op, "There is no action with this id.")
			return
		}
		who := Approver{ID: op.ID, Name: op.Name, Via: ViaPage}
		hash := r.PostForm.Get("plan_hash")
		var err error
		verb := "approved"
		if approve {
			_, err = p.g.Approve(r.Context(), id, hash, who)
		} else {
			verb = "rejected"
			_, err = p.g.Reject(r.Context(), id, hash, who, truncateRunes(strings.TrimSpace(r.PostForm.Get("note")), maxNoteBytes))
		}
		if err == nil {
			p.o.Logger.Info("approval page: decision", "action", id, "decision", verb, "operator", op.ID)
			http.Redirect(w, r, pagePrefix+id+"?done="+verb, http.StatusSeeOther)
			return
		}
		p.o.Logger.Warn("approval page: decision refused", "action", id, "decision", verb, "operator", op.ID, "error", err)
		v := &view{Title: "Action", Operator: op, CSRF: p.csrf(op), Now: p.now()}
		status, text := p.decisionError(r.Context(), id, err)
		v.Error = text
		p.renderAction(w, r, status, v, id)
	}
}

// decisionError words a refused decision.
func (p *page) decisionError(ctx context.Context, id string, err error) (int, string) {
	switch {
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, "There is no action with this id. Nothing was decided."
	case errors.Is(err, ErrHashMismatch):
		return http.StatusConflict, "Nothing was decided: the plan hash sent with your decision does not match the stored plan. " +
			"The plan changed since this page was loaded, or the stored plan was altered. Review the plan below and decide again."
	case errors.Is(err, ErrSelfApproval):
		return http.StatusForbidden, "Nothing was decided: you proposed this action, and the requester of an action cannot approve it. Another operator must decide."
	case errors.Is(err, ErrNotPending):
		a, gerr := p.g.Get(ctx, id)
		switch {
		case gerr != nil:
			return http.StatusConflict, "Nothing was decided: this action is no longer pending."
		case a.Status == Expired:
			return http.StatusConflict, fmt.Sprintf("Too late: this action expired at %s without a decision, so nothing will be run. It must be proposed again.", formatTS(a.ExpiresAt))
		case a.Decision != nil:
			return http.StatusConflict, fmt.Sprintf("Already decided: this action is %s; it was decided by %s (%s) at %s. Your decision was not recorded.",
				a.Status, visible(a.Decision.By), a.Decision.Via, formatTS(a.Decision.At))
		}
		return http.StatusConflict, fmt.Sprintf("Already decided: this action is %s. Your decision was not recorded.", a.Status)
	}
	p.o.Logger.Error("approval page: recording a decision", "action", id, "error", err)
	return http.StatusServiceUnavailable, "The decision could not be recorded (the store failed); nothing changed. Try again."
}

// renderAction shows action id in v with the given status.
func (p *page) renderAction(w http.ResponseWriter, r *http.Request, status int, v *view, id string) {
	if !actionIDRe.MatchString(id) {
		p.message(w, http.StatusNotFound, v.Operator, "There is no action with this id.")
		return
	}
	a, err := p.g.Get(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		p.message(w, http.StatusNotFound, v.Operator, "There is no action with this id.")
		return
	}
	if err != nil {
		p.o.Logger.Error("approval page: reading an action", "action", id, "error", err)
		p.message(w, http.StatusServiceUnavailable, v.Operator, "The action could not be read from the store. Try again in a moment.")
		return
	}
	v.Action = p.describe(r.Context(), a)
	p.render(w, status, "action", v)
}

// describe computes what the page shows of a.
func (p *page) describe(ctx context.Context, a Action) *actionView {
	av := &actionView{Action: a, Method: a.Plan.Request.Method, ShownStatus: string(a.Status), Line: a.Plan.Request.String()}
	path, err := a.Plan.Request.Path()
	if err != nil {
		av.Path, av.PathError = a.Plan.Request.Endpoint, err.Error()
	} else {
		av.Path = path
	}
	keys := make([]string, 0, len(a.Plan.Request.Query))
	for k := range a.Plan.Request.Query {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		av.Query = append(av.Query, [2]string{k, a.Plan.Request.Query[k]})
	}
	if len(a.Plan.Request.Body) > 0 {
		var b bytes.Buffer
		if json.Indent(&b, a.Plan.Request.Body, "", "  ") == nil {
			av.Body = b.String()
		} else {
			av.Body = string(a.Plan.Request.Body)
		}
	}
	expired := a.Status == Pending && !p.now().Before(a.ExpiresAt)
	if expired {
		av.ShownStatus = "expired (no decision in time; it can no longer be approved)"
	}
	av.Decidable = a.Status == Pending && !expired
	if a.AlertID != "" && p.o.AlertSummary != nil {
		actx, cancel := context.WithTimeout(ctx, 3*time.Second)
		s, err := p.o.AlertSummary(actx, a.AlertID)
		cancel()
		if err != nil {
			p.o.Logger.Warn("approval page: alert summary", "action", a.ID, "error", err)
			av.AlertNote = "The alert could not be looked up right now."
		} else {
			av.AlertSummary = truncateRunes(strings.Join(strings.Fields(s), " "), maxAlertSummary)
		}
	}
	return av
}

func (p *page) message(w http.ResponseWriter, status int, op *operator, text string) {
	v := &view{Title: "Approvals", Operator: op, Error: text}
	if op != nil {
		v.CSRF = p.csrf(op)
	}
	p.render(w, status, "message", v)
}

func (p *page) refuseCSRF(w http.ResponseWriter, op *operator) {
	p.message(w, http.StatusForbidden, op, "Refused: the form's security token is missing or does not belong to your session. "+
		"Reload the page and try again. Nothing was decided.")
}

func (p *page) render(w http.ResponseWriter, status int, name string, v *view) {
	var b bytes.Buffer
	if err := p.tmpl[name].ExecuteTemplate(&b, "layout", v); err != nil {
		p.o.Logger.Error("approval page: rendering", "template", name, "error", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// sameOrigin refuses cross-origin POSTs (Sec-Fetch-Site, else Origin
// against Host); requests from non-browser clients carry neither and pass,
// the CSRF token still binds them to a session.
func (p *page) sameOrigin(w http.ResponseWriter, r *http.Request) bool {
	if err := p.xorigin.Check(r); err != nil {
		p.o.Logger.Warn("approval page: cross-origin request refused", "path", r.URL.Path, "origin", visible(truncateRunes(r.Header.Get("Origin"), 200)))
		op, _ := p.session(w, r)
		p.message(w, http.StatusForbidden, op, "Refused: this request did not come from this page (cross-site request). Nothing was changed.")
		return false
	}
	return true
}

// --- sessions ---

func (p *page) now() time.Time { return p.o.Now().UTC() }

func (p *page) cookie(value string, ttl time.Duration) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: pagePrefix, HttpOnly: true, Secure: p.o.Secure, SameSite: http.SameSiteStrictMode}
	if ttl < 0 {
		c.MaxAge = -1
	} else {
		c.MaxAge = int(ttl / time.Second)
	}
	return c
}

func (p *page) mac(purpose, data string) []byte {
	m := hmac.New(sha256.New, p.o.CookieSecret)
	m.Write([]byte(purpose + "\x00" + data))
	return m.Sum(nil)
}

func (p *page) encode(op *operator) string {
	b, _ := json.Marshal(op)
	payload := base64.RawURLEncoding.EncodeToString(b)
	return payload + "." + base64.RawURLEncoding.EncodeToString(p.mac("approval-session", payload))
}

// session returns the signed-in operator, or nil and, when a session
// ended, why. An invalid or ended session cookie is cleared.
func (p *page) session(w http.ResponseWriter, r *http.Request) (*operator, string) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, ""
	}
	op, msg := p.decode(r.Context(), c.Value)
	if op == nil {
		http.SetCookie(w, p.cookie("", -1))
	}
	return op, msg
}

func (p *page) decode(ctx context.Context, v string) (*operator, string) {
	if len(v) > maxCookieBytes {
		return nil, ""
	}
	payload, sig, ok := strings.Cut(v, ".")
	if !ok {
		return nil, ""
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, p.mac("approval-session", payload)) {
		return nil, ""
	}
	raw, err := base64.RawURLEncoding.DecodeString(payload)
	if err != nil {
		return nil, ""
	}
	var op operator
	if json.Unmarshal(raw, &op) != nil || op.ID == "" || op.N == "" {
		return nil, ""
	}
	if p.now().Unix() >= op.Exp {
		return nil, "Your session has ended. Sign in again."
	}
	if p.o.OperatorActive != nil {
		if err := p.o.OperatorActive(ctx, op.ID); err != nil {
			if auth.Reason(err) == "error" {
				p.o.Logger.Error("approval page: checking the operator key", "operator", op.ID, "error", err)
				return nil, "Your operator key could not be checked right now. Sign in again in a moment."
			}
			return nil, "Your operator key is no longer active (revoked or expired). Sign in with an active key."
		}
	}
	return &op, ""
}

// csrf is the form token of a session: bound to its nonce, so a token
// from another session (or none) is refused.
func (p *page) csrf(op *operator) string {
	return hex.EncodeToString(p.mac("approval-csrf", op.ID+"\x00"+op.N)[:16])
}

func (p *page) csrfOK(op *operator, token string) bool {
	return token != "" && hmac.Equal([]byte(token), []byte(p.csrf(op)))
}

// --- sign-in rate limit ---

// loginLimiter bounds failed sign-ins per client address. Each attempt
// takes a token up front (so parallel guesses cannot overtake the count)
// and gives it back when the attempt did not fail. The map is bounded:
// when it is full of addresses still limited, new addresses share one
// limiter.
type loginLimiter struct {
	mu       sync.Mutex
	perMin   int
	max      int
	ips      map[string]*rate.Limiter
	overflow *rate.Limiter
}

func newLoginLimiter(perMin, max int) *loginLimiter {
	return &loginLimiter{perMin: perMin, max: max, ips: map[string]*rate.Limiter{}, overflow: newIPLimiter(perMin)}
}

func newIPLimiter(perMin int) *rate.Limiter {
	return rate.NewLimiter(rate.Every(time.Minute/time.Duration(perMin)), perMin)
}

type loginAttempt struct {
	r   *rate.Reservation
	now time.Time
}

// cancel gives the attempt's token back.
func (a loginAttempt) cancel() { a.r.CancelAt(a.now) }

func (l *loginLimiter) attempt(ip string, now time.Time) (loginAttempt, bool) {
	lim := l.limiter(ip, now)
	r := lim.ReserveN(now, 1)
	if !r.OK() || r.DelayFrom(now) > 0 {
		r.CancelAt(now)
		return loginAttempt{}, false
	}
	return loginAttempt{r: r, now: now}, true
}

func (l *loginLimiter) limiter(ip string, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	if lim, ok := l.ips[ip]; ok {
		return lim
	}
	if len(l.ips) >= l.max {
		for k, lim := range l.ips {
			if lim.TokensAt(now) >= float64(l.perMin) { // idle: back to a full burst
				delete(l.ips, k)
			}
		}
		if len(l.ips) >= l.max {
			return l.overflow
		}
	}
	lim := newIPLimiter(l.perMin)
	l.ips[ip] = lim
	return lim
}

// --- text helpers ---

// visible makes control and invisible formatting characters (bidi
// overrides, zero-width characters) visible as \u{…}, so that a plan cannot
// show the operator something other than what it contains. Newlines and
// tabs stay.
func visible(s string) string {
	if !strings.ContainsFunc(s, hidden) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if hidden(r) {
			fmt.Fprintf(&b, `\u{%04X}`, r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func hidden(r rune) bool {
	if r == '\n' || r == '\t' {
		return false
	}
	return r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || unicode.In(r, unicode.Zl, unicode.Zp)
}

func formatTS(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05 UTC")
}

// truncateRunes cuts s to at most n bytes without splitting a character.
func truncateRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func peerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
