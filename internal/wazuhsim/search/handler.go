package search

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/faults"
)

// Defaults of HandlerOptions.
const (
	DefaultUsername     = "admin"
	DefaultPassword     = "admin"
	DefaultClusterName  = "wazuh-cluster"
	DefaultNodeName     = "node-1"
	DefaultVersion      = "2.19.2" // the OpenSearch release Wazuh indexer 4.14 is built on
	DefaultMaxBodyBytes = 1 << 20
)

// HandlerOptions configure the stand-in indexer's HTTP API.
type HandlerOptions struct {
	// Indices returns the current indices; it is called once per request.
	Indices func() []Index
	// Username and Password are the basic-auth credentials (admin/admin by
	// default, as a fresh Wazuh indexer). DisableAuth accepts anyone.
	Username, Password string
	DisableAuth        bool
	// Now anchors date math ("now-24h"); time.Now by default.
	Now func() time.Time
	// Faults, when set, injects latency and failures before requests.
	Faults *faults.Injector
	// ClusterName, NodeName and Version shape GET / and /_cluster/health.
	ClusterName, NodeName, Version string
	// MaxBodyBytes caps request bodies (1 MiB by default).
	MaxBodyBytes int64
}

func (o *HandlerOptions) setDefaults() {
	if o.Indices == nil {
		o.Indices = func() []Index { return nil }
	}
	if o.Username == "" && o.Password == "" {
		o.Username, o.Password = DefaultUsername, DefaultPassword
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ClusterName == "" {
		o.ClusterName = DefaultClusterName
	}
	if o.NodeName == "" {
		o.NodeName = DefaultNodeName
	}
	if o.Version == "" {
		o.Version = DefaultVersion
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
}

type server struct {
	opts HandlerOptions
}

// NewHandler returns the indexer's HTTP API: GET /, /_cluster/health,
// /_cat/indices, /{index}/_search, /{index}/_count and /{index}/_doc/{id}.
func NewHandler(opts HandlerOptions) http.Handler {
	opts.setDefaults()
	s := &server{opts: opts}
	var h http.Handler = http.HandlerFunc(s.serve)
	if opts.Faults != nil {
		h = opts.Faults.Middleware(h, writeStatusError)
	}
	return s.withAuth(h)
}

// withAuth answers like the OpenSearch security plugin: 401, a Basic
// challenge and a plain "Unauthorized" body.
func (s *server) withAuth(next http.Handler) http.Handler {
	want := sha256.Sum256([]byte(s.opts.Username + ":" + s.opts.Password))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.opts.DisableAuth {
			user, pass, ok := r.BasicAuth()
			got := sha256.Sum256([]byte(user + ":" + pass))
			if !ok || subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
				w.Header().Set("WWW-Authenticate", `Basic realm="OpenSearch Security"`)
				w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = io.WriteString(w, "Unauthorized")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func (s *server) serve(w http.ResponseWriter, r *http.Request) {
	path := strings.Trim(r.URL.Path, "/")
	parts := strings.Split(path, "/")
	if path == "" {
		parts = nil
	}
	switch {
	case len(parts) == 0:
		s.methods(w, r, s.root, http.MethodGet, http.MethodHead)
	case parts[0] == "_cluster" && len(parts) >= 2 && parts[1] == "health":
		s.methods(w, r, s.health, http.MethodGet)
	case parts[0] == "_cat" && len(parts) >= 2 && parts[1] == "indices":
		s.methods(w, r, func(w http.ResponseWriter, r *http.Request) { s.catIndices(w, r, strings.Join(parts[2:], ",")) }, http.MethodGet)
	case len(parts) == 1 && (parts[0] == "_search" || parts[0] == "_count"):
		s.methods(w, r, s.searchOrCount("", parts[0]), http.MethodGet, http.MethodPost)
	case len(parts) == 2 && (parts[1] == "_search" || parts[1] == "_count"):
		s.methods(w, r, s.searchOrCount(parts[0], parts[1]), http.MethodGet, http.MethodPost)
	case len(parts) == 3 && parts[1] == "_doc":
		s.methods(w, r, func(w http.ResponseWriter, r *http.Request) { s.getDoc(w, r, parts[0], parts[2]) }, http.MethodGet, http.MethodHead)
	case len(parts) == 1 && !strings.HasPrefix(parts[0], "_"):
		s.methods(w, r, func(w http.ResponseWriter, r *http.Request) { s.indexInfo(w, r, parts[0]) }, http.MethodGet, http.MethodHead)
	default:
		writeJSON(w, r, http.StatusBadRequest, map[string]any{
			"error":  fmt.Sprintf("no handler found for uri [%s] and method [%s]", r.URL.RequestURI(), r.Method),
			"status": http.StatusBadRequest,
		})
	}
}

func (s *server) methods(w http.ResponseWriter, r *http.Request, h http.HandlerFunc, allowed ...string) {
	for _, m := range allowed {
		if r.Method == m {
			h(w, r)
			return
		}
	}
	writeJSON(w, r, http.StatusMethodNotAllowed, map[string]any{
		"error":  fmt.Sprintf("Incorrect HTTP method for uri [%s] and method [%s], allowed: [%s]", r.URL.RequestURI(), r.Method, strings.Join(allowed, ", ")),
		"status": http.StatusMethodNotAllowed,
	})
}

func (s *server) clusterUUID() string {
	sum := sha256.Sum256([]byte("cluster:" + s.opts.ClusterName))
	return encodeID(sum[:16])
}

func encodeID(b []byte) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	out := make([]byte, 22)
	for i := range out {
		out[i] = alphabet[int(b[i%len(b)]+byte(i*7))%len(alphabet)]
	}
	return string(out)
}

func (s *server) root(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]any{
		"name":         s.opts.NodeName,
		"cluster_name": s.opts.ClusterName,
		"cluster_uuid": s.clusterUUID(),
		"version": map[string]any{
			"distribution":                        "opensearch",
			"number":                              s.opts.Version,
			"build_type":                          "rpm",
			"build_hash":                          "6adc0bf476e1624190564d7fbe4aba00ccf49ad8",
			"build_date":                          "2025-05-20T10:15:23.052458Z",
			"build_snapshot":                      false,
			"lucene_version":                      "9.12.1",
			"minimum_wire_compatibility_version":  "7.10.0",
			"minimum_index_compatibility_version": "7.0.0",
		},
		"tagline": "The OpenSearch Project: https://opensearch.org/",
	})
}

func (s *server) health(w http.ResponseWriter, r *http.Request) {
	n := len(s.opts.Indices())
	writeJSON(w, r, http.StatusOK, map[string]any{
		"cluster_name":                     s.opts.ClusterName,
		"status":                           "green",
		"timed_out":                        false,
		"number_of_nodes":                  1,
		"number_of_data_nodes":             1,
		"discovered_master":                true,
		"discovered_cluster_manager":       true,
		"active_primary_shards":            n,
		"active_shards":                    n,
		"relocating_shards":                0,
		"initializing_shards":              0,
		"unassigned_shards":                0,
		"delayed_unassigned_shards":        0,
		"number_of_pending_tasks":          0,
		"number_of_in_flight_fetch":        0,
		"task_max_waiting_in_queue_millis": 0,
		"active_shards_percent_as_number":  100.0,
	})
}

func (s *server) catIndices(w http.ResponseWriter, r *http.Request, pattern string) {
	indices, err := ResolveIndices(s.opts.Indices(), pattern, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	rows := make([]map[string]any, 0, len(indices))
	for _, idx := range indices {
		sum := sha256.Sum256([]byte("index:" + idx.Name))
		size := fmt.Sprintf("%.1fmb", float64(len(idx.Docs))*1.2/1024)
		rows = append(rows, map[string]any{
			"health": "green", "status": "open", "index": idx.Name, "uuid": encodeID(sum[:16]),
			"pri": "1", "rep": "0", "docs.count": strconv.Itoa(len(idx.Docs)), "docs.deleted": "0",
			"store.size": size, "pri.store.size": size,
		})
	}
	if r.URL.Query().Get("format") == "json" {
		writeJSON(w, r, http.StatusOK, rows)
		return
	}
	cols := []string{"health", "status", "index", "uuid", "pri", "rep", "docs.count", "docs.deleted", "store.size", "pri.store.size"}
	var b strings.Builder
	if _, v := r.URL.Query()["v"]; v {
		b.WriteString(strings.Join(cols, " ") + "\n")
	}
	for _, row := range rows {
		vals := make([]string, len(cols))
		for i, c := range cols {
			vals[i] = row[c].(string)
		}
		b.WriteString(strings.Join(vals, " ") + "\n")
	}
	w.Header().Set("Content-Type", "text/plain; charset=UTF-8")
	_, _ = io.WriteString(w, b.String())
}

func (s *server) indexInfo(w http.ResponseWriter, r *http.Request, expr string) {
	indices, err := ResolveIndices(s.opts.Indices(), expr, false)
	if err == nil && len(indices) == 0 {
		err = indexNotFound(expr)
	}
	if err != nil {
		if r.Method == http.MethodHead {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		writeError(w, r, err)
		return
	}
	if r.Method == http.MethodHead {
		w.WriteHeader(http.StatusOK)
		return
	}
	out := map[string]any{}
	for _, idx := range indices {
		out[idx.Name] = map[string]any{
			"aliases":  map[string]any{},
			"mappings": map[string]any{},
			"settings": map[string]any{"index": map[string]any{
				"number_of_shards": "1", "number_of_replicas": "0", "provided_name": idx.Name,
			}},
		}
	}
	writeJSON(w, r, http.StatusOK, out)
}

func (s *server) getDoc(w http.ResponseWriter, r *http.Request, expr, id string) {
	indices, err := ResolveIndices(s.opts.Indices(), expr, false)
	if err != nil {
		writeError(w, r, err)
		return
	}
	for _, idx := range indices {
		for _, d := range idx.Docs {
			if d.ID() == id {
				writeJSON(w, r, http.StatusOK, map[string]any{
					"_index": idx.Name, "_id": id, "_version": 1, "_seq_no": 0, "_primary_term": 1,
					"found": true, "_source": d.Source(),
				})
				return
			}
		}
	}
	writeJSON(w, r, http.StatusNotFound, map[string]any{"_index": expr, "_id": id, "found": false})
}

// searchOrCount serves _search and _count on an index expression.
func (s *server) searchOrCount(expr, endpoint string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		indices, err := ResolveIndices(s.opts.Indices(), expr, q.Get("ignore_unavailable") == "true")
		if err != nil {
			writeError(w, r, err)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.opts.MaxBodyBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				writeError(w, r, newError(http.StatusRequestEntityTooLarge, "content_too_long_exception",
					"request body is larger than %d bytes", s.opts.MaxBodyBytes))
				return
			}
			writeError(w, r, parsingError("failed to read request body: %s", err.Error()))
			return
		}
		now := s.opts.Now()
		if endpoint == "_count" {
			s.count(w, r, indices, body, now)
			return
		}
		s.search(w, r, indices, body, now)
	}
}

func (s *server) search(w http.ResponseWriter, r *http.Request, indices []Index, body []byte, now time.Time) {
	req, err := parseRequest(body, now)
	if err == nil {
		err = applyURLParams(req, r.URL.Query(), now)
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	resp, err := execute(r.Context(), indices, req, now)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if r.URL.Query().Get("rest_total_hits_as_int") == "true" {
		writeJSON(w, r, http.StatusOK, intTotalView(resp))
		return
	}
	writeJSON(w, r, http.StatusOK, resp)
}

// intTotalView renders hits.total as a bare integer, the pre-7.0 shape some
// clients still request.
func intTotalView(resp *SearchResponse) any {
	total := 0
	if resp.Hits.Total != nil {
		total = resp.Hits.Total.Value
	}
	return struct {
		*SearchResponse
		Hits struct {
			Total    int      `json:"total"`
			MaxScore *float64 `json:"max_score"`
			Hits     []Hit    `json:"hits"`
		} `json:"hits"`
	}{SearchResponse: resp, Hits: struct {
		Total    int      `json:"total"`
		MaxScore *float64 `json:"max_score"`
		Hits     []Hit    `json:"hits"`
	}{total, resp.Hits.MaxScore, resp.Hits.Hits}}
}

func (s *server) count(w http.ResponseWriter, r *http.Request, indices []Index, body []byte, now time.Time) {
	n, err := countWithParams(r.Context(), indices, body, r.URL.Query().Get("q"), now)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, map[string]any{
		"count":   n,
		"_shards": ShardsInfo{Total: len(indices), Successful: len(indices)},
	})
}

func countWithParams(ctx context.Context, indices []Index, body []byte, q string, now time.Time) (int, error) {
	if q == "" {
		return Count(ctx, indices, body, now)
	}
	query, err := parseQueryString(&queryParser{now: now}, q, qsOptions{fields: []fieldSpec{{name: "*", boost: 1, wildcard: true}}})
	if err != nil {
		return 0, err
	}
	refs, _ := collect(ctx, indices, query, nil)
	return len(refs), nil
}

// writeError writes err as OpenSearch's error JSON with its status.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := asError(err)
	writeJSON(w, r, e.Status, e.Body())
}

// writeStatusError is the fault injector's error writer: the body an
// overloaded or unavailable indexer answers with.
func writeStatusError(w http.ResponseWriter, status int) {
	var e *Error
	switch status {
	case http.StatusTooManyRequests:
		e = newError(status, "rejected_execution_exception",
			"rejected execution of coordinating operation [coordinating_and_primary_bytes=0, replica_bytes=0, all_bytes=0, coordinating_operation_bytes=0, max_coordinating_and_primary_bytes=0]")
	case http.StatusServiceUnavailable:
		e = newError(status, "cluster_block_exception", "blocked by: [SERVICE_UNAVAILABLE/1/state not recovered / initialized];")
	default:
		e = newError(status, "exception", "%s", http.StatusText(status))
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(e.Body())
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	enc := json.NewEncoder(w)
	if _, pretty := r.URL.Query()["pretty"]; pretty {
		enc.SetIndent("", "  ")
	}
	_ = enc.Encode(v)
}
