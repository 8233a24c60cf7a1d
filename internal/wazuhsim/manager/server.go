// Package manager is the stand-in's Wazuh Manager REST API (port 55000):
// JWT login, the 300 requests/minute limit, the {data, message, error}
// envelope, problem+json errors with the real codes, the common list
// parameters (offset, limit, sort, search, select, q, distinct) and the
// read endpoints the MCP server uses, over a generated dataset. Active
// responses, agent and manager restarts are recorded; an accepted active
// response also produces the alerts the agent's active-responses.log would
// (ar_alerts.go).
package manager

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

// Real defaults of api.yaml / security.yaml.
const (
	DefaultUser                 = "wazuh"
	DefaultPassword             = "wazuh"
	DefaultTokenLifetime        = 900 * time.Second
	DefaultMaxRequestsPerMinute = 300
	DefaultMaxLoginAttempts     = 50
	DefaultBlockTime            = 300 * time.Second
)

// Options configure a Server. The zero value gives the real defaults.
type Options struct {
	// Users maps user names to passwords (default wazuh/wazuh).
	Users map[string]string
	// TokenLifetime is auth_token_exp_timeout (default 900 s).
	TokenLifetime time.Duration
	// MaxRequestsPerMinute is access.max_request_per_minute: 0 means the
	// real default (300), a negative value disables the limit.
	MaxRequestsPerMinute int
	// MaxLoginAttempts failed logins from one IP within BlockTime block it
	// (403). 0 means the real default (50); negative disables blocking.
	MaxLoginAttempts int
	BlockTime        time.Duration
	// ARCommands are the names defined in ar.conf, which active response
	// accepts without "!" (default: derived from the dataset's manager
	// configuration, see arConfFrom).
	ARCommands []string
	// ARAlerts, when set, receives the alerts an agent's
	// active-responses.log produces when it runs an accepted active
	// response (ar_alerts.go).
	ARAlerts ARAlertSink
	// Now is the clock (default time.Now); tests move it to expire tokens
	// and rate-limit windows.
	Now func() time.Time
	// Faults, when set, wraps the API with fault injection.
	Faults *faults.Injector
}

// Server is one Manager API.
type Server struct {
	ds         *dataset.Dataset
	opts       Options
	users      map[string]string
	auth       *authority
	limiter    *rateLimiter
	stats      *statsCounter
	rec        *recorder
	formats    formats
	routes     []route
	agents     map[string]dataset.Item
	arCommands map[string]bool
	arConf     []arEntry
	arRun      *arRunner
	fieldCache sync.Map // collection key -> map[string]bool
	handler    http.Handler
}

// New builds a Server over ds, which must not be modified afterwards.
func New(ds *dataset.Dataset, opts Options) (*Server, error) {
	if ds == nil {
		return nil, fmt.Errorf("manager: nil dataset")
	}
	opts = withDefaults(opts)
	auth, err := newAuthority(opts.Now, opts.TokenLifetime)
	if err != nil {
		return nil, fmt.Errorf("manager: %w", err)
	}
	s := &Server{
		ds: ds, opts: opts, users: opts.Users, auth: auth,
		limiter: newRateLimiter(opts.MaxRequestsPerMinute, opts.Now),
		stats:   newStatsCounter(opts.Now), rec: &recorder{}, formats: newFormats(),
		agents: map[string]dataset.Item{}, arCommands: map[string]bool{},
	}
	for _, a := range ds.Agents {
		if id, ok := a["id"].(string); ok {
			s.agents[id] = a
		}
	}
	s.arConf = arConfFrom(ds.Manager.Config)
	if opts.ARCommands != nil {
		s.arConf = arConfFromNames(opts.ARCommands, s.arConf)
	}
	for _, e := range s.arConf {
		s.arCommands[e.Name] = true
	}
	s.arRun = newARRunner(s)
	if err := s.buildRoutes(); err != nil {
		return nil, err
	}
	var api http.Handler = http.HandlerFunc(s.serveAPI)
	if opts.Faults != nil {
		api = opts.Faults.Middleware(api, writeInjected)
	}
	s.handler = s.withSimPaths(api)
	return s, nil
}

func withDefaults(o Options) Options {
	if len(o.Users) == 0 {
		o.Users = map[string]string{DefaultUser: DefaultPassword}
	}
	if o.TokenLifetime <= 0 {
		o.TokenLifetime = DefaultTokenLifetime
	}
	if o.MaxRequestsPerMinute == 0 {
		o.MaxRequestsPerMinute = DefaultMaxRequestsPerMinute
	}
	if o.MaxLoginAttempts == 0 {
		o.MaxLoginAttempts = DefaultMaxLoginAttempts
	}
	if o.BlockTime <= 0 {
		o.BlockTime = DefaultBlockTime
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Handler returns the HTTP handler of the API.
func (s *Server) Handler() http.Handler { return s.handler }

// Stats returns a snapshot of the request counters.
func (s *Server) Stats() Stats { return s.stats.snapshot() }

// ResetStats zeroes the counters (between benchmark phases).
func (s *Server) ResetStats() { s.stats.reset() }

// Requests returns the recorded state-changing requests, oldest first.
func (s *Server) Requests() []RecordedRequest { return s.rec.all() }

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() { s.rec.reset() }

// ExpireAllTokens invalidates every token issued so far, as a revocation
// or a manager restart would; clients must log in again.
func (s *Server) ExpireAllTokens() { s.auth.revokeAll() }

// SetTokenLifetime changes auth_token_exp_timeout for new tokens. As in the
// real API, tokens issued with a different lifetime stop being valid.
func (s *Server) SetTokenLifetime(d time.Duration) { s.auth.setLifetime(d) }

// SetMaxRequestsPerMinute changes the rate limit (0 or less disables it).
func (s *Server) SetMaxRequestsPerMinute(n int) { s.limiter.setMax(n) }

// nodeName is the key of dapi_errors: the cluster node, or "unknown-node"
// as the real API writes when it cannot tell.
func (s *Server) nodeName() string {
	if n, ok := s.ds.Cluster.LocalInfo["node"].(string); ok && n != "" {
		return n
	}
	return "unknown-node"
}

// serveAPI is the real API: rate limit, routing, authentication,
// parameter validation, handler — the order of the real middlewares.
func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request) {
	s.stats.request(r)
	if !s.limiter.allow() {
		s.stats.rateLimited()
		w.Header().Set("Retry-After", fmt.Sprint(int(s.limiter.retryAfter().Seconds())))
		writeProblem(w, errTooManyRequests())
		return
	}
	if strings.Contains(r.URL.RawQuery, ";") {
		// Go drops ";"-separated pairs silently; the real API refuses them.
		writeProblem(w, &apiError{Status: http.StatusBadRequest, Title: "Bad Request", Code: 2009,
			Detail: "Semicolon (;) is a reserved character and must be percent-encoded (%3B) to use it."})
		return
	}
	rt, pathParams, apiErr := s.match(r.Method, r.URL.Path)
	if apiErr != nil {
		writeProblem(w, apiErr)
		return
	}
	p := params{query: r.URL.Query(), path: pathParams, specs: rt.params}
	if !rt.public {
		tok, ok := bearer(r)
		user := ""
		if ok {
			user, ok = s.auth.verify(tok)
		}
		if !ok {
			s.stats.unauthorized()
			writeProblem(w, errUnauthorized())
			return
		}
		p.user = user
	}
	if err := s.validateParams(rt.params, p.query, p.path); err != nil {
		writeProblem(w, err)
		return
	}
	rt.h(w, r, p)
}

// withSimPaths adds the stand-in-only endpoints, which bypass the API
// (no auth, no rate limit, not counted).
func (s *Server) withSimPaths(api http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/__sim/stats":
			writeJSON(w, http.StatusOK, s.Stats())
		case "/__sim/requests":
			reqs := s.Requests()
			if reqs == nil {
				reqs = []RecordedRequest{}
			}
			writeJSON(w, http.StatusOK, reqs)
		default:
			api.ServeHTTP(w, r)
		}
	})
}

// route is one operation.
type route struct {
	method  string
	pattern string
	segs    []string
	public  bool
	params  []paramSpec
	h       func(http.ResponseWriter, *http.Request, params)
}

// match finds the operation for a request: 404 when no path matches, 405
// when the path exists with other methods. Literal segments win over
// path parameters ("/agents/summary/status" over "/agents/{agent_id}/...").
func (s *Server) match(method, path string) (*route, map[string]string, *apiError) {
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	var best *route
	var bestVars map[string]string
	bestScore, pathFound := -1, false
	for i := range s.routes {
		rt := &s.routes[i]
		vars, score, ok := matchSegs(rt.segs, segs)
		if !ok {
			continue
		}
		pathFound = true
		if rt.method == method && score > bestScore {
			best, bestVars, bestScore = rt, vars, score
		}
	}
	switch {
	case best != nil:
		return best, bestVars, nil
	case pathFound:
		return nil, nil, errMethodNotAllowed()
	}
	return nil, nil, errNotFound()
}

func matchSegs(pattern, segs []string) (map[string]string, int, bool) {
	if len(pattern) != len(segs) {
		return nil, 0, false
	}
	vars := map[string]string{}
	score := 0
	for i, ps := range pattern {
		if strings.HasPrefix(ps, "{") && strings.HasSuffix(ps, "}") {
			if segs[i] == "" {
				return nil, 0, false
			}
			vars[ps[1:len(ps)-1]] = segs[i]
			continue
		}
		if ps != segs[i] {
			return nil, 0, false
		}
		score++
	}
	return vars, score, true
}

// handle registers an operation; its parameters come from the spec table.
func (s *Server) handle(table map[string][]paramSpec, method, pattern string, h func(http.ResponseWriter, *http.Request, params)) error {
	ps, ok := table[method+" "+pattern]
	if !ok {
		return fmt.Errorf("manager: no spec parameters for %s %s", method, pattern)
	}
	segs := strings.Split(strings.TrimPrefix(pattern, "/"), "/")
	s.routes = append(s.routes, route{method: method, pattern: pattern, segs: segs, params: ps, h: h})
	return nil
}
