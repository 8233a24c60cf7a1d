package manager

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/wql"
)

// listQuery is a collection request: the common parameters of the real API
// (offset, limit, sort, search, select, q, distinct) plus endpoint filters.
type listQuery struct {
	offset, limit int
	sort          string
	search        string
	selects       []string
	q             string
	distinct      bool
	filters       []func(dataset.Item) bool
	// always are fields the real API returns even when select omits them
	// (agents keep "id", syscollector items keep "agent_id").
	always []string
}

// listQueryFrom reads the common parameters. maxLimit is 100000 for
// database collections; some endpoints (logs) declare less in the spec,
// which validateParams has already enforced.
func listQueryFrom(p params) listQuery {
	return listQuery{
		offset:   p.integer("offset", 0),
		limit:    p.integer("limit", 500),
		sort:     p.str("sort"),
		search:   p.str("search"),
		selects:  p.list("select"),
		q:        p.str("q"),
		distinct: p.boolean("distinct"),
	}
}

// where adds an endpoint filter.
func (lq *listQuery) where(f func(dataset.Item) bool) { lq.filters = append(lq.filters, f) }

// whereEq adds "field equals one of the comma-separated values" when the
// parameter is present, the behaviour of the real API's named filters.
func (lq *listQuery) whereEq(p params, param, field string) {
	if !p.has(param) {
		return
	}
	want := p.list(param)
	lq.where(func(it dataset.Item) bool { return anyEquals(it, field, want) })
}

func anyEquals(it dataset.Item, field string, want []string) bool {
	for _, v := range wql.Lookup(it, field) {
		for _, w := range want {
			if c, ok := wql.Order(v, w); ok && c == 0 {
				return true
			}
		}
	}
	return false
}

// apply runs the pipeline of the real API: filter (named filters, q,
// search) → count → sort → page → select → distinct. It returns the page
// and total_affected_items.
func (s *Server) apply(key string, items []dataset.Item, lq listQuery) ([]any, int, *apiError) {
	fields := s.fieldSet(key, items)
	matched, err := s.filter(items, lq, fields)
	if err != nil {
		return nil, 0, err
	}
	if lq.sort != "" {
		if err := s.sortItems(matched, lq.sort, fields); err != nil {
			return nil, 0, err
		}
	}
	if err := s.checkSelect(lq.selects, fields); err != nil {
		return nil, 0, err
	}
	if lq.distinct {
		return s.distinctPage(matched, lq)
	}
	total := len(matched)
	page := pageOf(matched, lq.offset, lq.limit)
	out := make([]any, len(page))
	for i, it := range page {
		out[i] = project(it, lq.selects, lq.always)
	}
	return out, total, nil
}

func (s *Server) filter(items []dataset.Item, lq listQuery, fields map[string]bool) ([]dataset.Item, *apiError) {
	var expr wql.Expr
	if strings.TrimSpace(lq.q) != "" {
		e, err := wql.Parse(lq.q)
		if err != nil {
			return nil, s.queryError(err)
		}
		for _, f := range wql.Fields(e) {
			if len(fields) > 0 && !fields[f] {
				return nil, s.problem(400, errNoField.with(f))
			}
		}
		expr = e
	}
	needle, negate := lq.search, false
	if strings.HasPrefix(needle, "-") {
		needle, negate = needle[1:], true
	}
	needle = strings.ToLower(needle)
	out := make([]dataset.Item, 0, len(items))
	for _, it := range items {
		if !passes(it, lq.filters) || expr != nil && !expr.Match(it) {
			continue
		}
		if needle != "" && containsText(it, needle) == negate {
			continue
		}
		out = append(out, it)
	}
	return out, nil
}

func (s *Server) queryError(err error) *apiError {
	var we *wql.Error
	if errors.As(err, &we) && we.Code == wql.CodeBadOperator {
		return s.problem(400, errBadOp.with(we.Reason))
	}
	reason := err.Error()
	if we != nil {
		reason = we.Reason
	}
	return s.problem(400, errBadQuery.with(reason))
}

func passes(it dataset.Item, filters []func(dataset.Item) bool) bool {
	for _, f := range filters {
		if !f(it) {
			return false
		}
	}
	return true
}

// containsText reports whether any scalar inside v contains needle
// (lower-case), the real API's `search` semantics.
func containsText(v any, needle string) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, c := range t {
			if containsText(c, needle) {
				return true
			}
		}
	default:
		if list, ok := wql.AsList(t); ok {
			for _, c := range list {
				if containsText(c, needle) {
					return true
				}
			}
			return false
		}
		return strings.Contains(strings.ToLower(wql.Text(t)), needle)
	}
	return false
}

// sortKey is one field of a sort parameter.
type sortKey struct {
	field string
	desc  bool
}

// parseSort reads "+a,-b". As in the real API a leading sign sets the
// order of every field ("-a,b" sorts both descending); a sign on a later
// field overrides it for that field (an extension the real API rejects).
func parseSort(spec string) []sortKey {
	spec = strings.TrimSpace(spec)
	desc := strings.HasPrefix(spec, "-")
	var keys []sortKey
	for i, f := range strings.Split(spec, ",") {
		f = strings.TrimSpace(f)
		d := desc
		switch {
		case strings.HasPrefix(f, "-"):
			f, d = f[1:], true
		case strings.HasPrefix(f, "+"):
			f = f[1:]
			if i > 0 {
				d = false
			}
		}
		if f != "" {
			keys = append(keys, sortKey{field: f, desc: d})
		}
	}
	return keys
}

func (s *Server) sortItems(items []dataset.Item, spec string, fields map[string]bool) *apiError {
	keys := parseSort(spec)
	for _, k := range keys {
		if len(fields) > 0 && !fields[k.field] {
			return s.problem(400, errBadSort.with(k.field))
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		for _, k := range keys {
			c := compareField(items[i], items[j], k.field)
			if c != 0 {
				return (c < 0) != k.desc
			}
		}
		return false
	})
	return nil
}

// compareField orders two items by a field: missing values first (SQL
// NULLs), numbers numerically, strings case-insensitively.
func compareField(a, b dataset.Item, field string) int {
	va, vb := wql.Lookup(a, field), wql.Lookup(b, field)
	switch {
	case len(va) == 0 && len(vb) == 0:
		return 0
	case len(va) == 0:
		return -1
	case len(vb) == 0:
		return 1
	}
	x, y := va[0], vb[0]
	if fx, ok := wql.Number(x); ok {
		if fy, ok := wql.Number(y); ok {
			switch {
			case fx < fy:
				return -1
			case fx > fy:
				return 1
			}
			return 0
		}
	}
	sx, sy := wql.Text(x), wql.Text(y)
	if c := strings.Compare(strings.ToLower(sx), strings.ToLower(sy)); c != 0 {
		return c
	}
	return strings.Compare(sx, sy)
}

func (s *Server) checkSelect(selects []string, fields map[string]bool) *apiError {
	var bad []string
	for _, f := range selects {
		if len(fields) > 0 && !fields[f] {
			bad = append(bad, f)
		}
	}
	if len(bad) > 0 {
		return s.problem(400, errBadSelect.with(strings.Join(bad, ", ")))
	}
	return nil
}

func pageOf(items []dataset.Item, offset, limit int) []dataset.Item {
	if offset >= len(items) {
		return nil
	}
	end := len(items)
	if limit > 0 && offset+limit < end {
		end = offset + limit
	}
	return items[offset:end]
}

// distinctPage returns the unique projections of the matched items; the
// real API counts distinct rows as total_affected_items.
func (s *Server) distinctPage(items []dataset.Item, lq listQuery) ([]any, int, *apiError) {
	seen := map[string]bool{}
	var uniq []dataset.Item
	for _, it := range items {
		p := project(it, lq.selects, nil)
		b, _ := json.Marshal(p)
		if seen[string(b)] {
			continue
		}
		seen[string(b)] = true
		uniq = append(uniq, p)
	}
	page := pageOf(uniq, lq.offset, lq.limit)
	out := make([]any, len(page))
	for i, it := range page {
		out[i] = it
	}
	return out, len(uniq), nil
}

// project keeps only the selected (dotted) fields plus the always-present
// ones. Without a selection the item is returned as is (items are
// read-only, so sharing them is safe).
func project(it dataset.Item, selects, always []string) dataset.Item {
	if len(selects) == 0 {
		return it
	}
	out := dataset.Item{}
	for _, f := range append(append([]string{}, always...), selects...) {
		copyPath(out, it, strings.Split(f, "."))
	}
	return out
}

// copyPath copies src[path] into dst, creating intermediate objects and
// mapping through arrays of objects.
func copyPath(dst, src map[string]any, path []string) {
	v, ok := src[path[0]]
	if !ok {
		return
	}
	if len(path) == 1 {
		dst[path[0]] = v
		return
	}
	switch t := v.(type) {
	case map[string]any:
		sub, _ := dst[path[0]].(map[string]any)
		if sub == nil {
			sub = map[string]any{}
			dst[path[0]] = sub
		}
		copyPath(sub, t, path[1:])
	default:
		list, ok := wql.AsList(t)
		if !ok {
			return
		}
		prev, _ := dst[path[0]].([]any)
		arr := make([]any, len(list))
		for i, e := range list {
			m, ok := e.(map[string]any)
			if !ok {
				continue
			}
			var sub map[string]any
			if i < len(prev) {
				sub, _ = prev[i].(map[string]any)
			}
			if sub == nil {
				sub = map[string]any{}
			}
			copyPath(sub, m, path[1:])
			arr[i] = sub
		}
		dst[path[0]] = arr
	}
}

// fieldSet returns every dotted path present in a collection (objects and
// their leaves), cached per collection key since the dataset is immutable.
func (s *Server) fieldSet(key string, items []dataset.Item) map[string]bool {
	if v, ok := s.fieldCache.Load(key); ok {
		return v.(map[string]bool)
	}
	set := map[string]bool{}
	for _, it := range items {
		addFields(set, "", it)
	}
	s.fieldCache.Store(key, set)
	return set
}

func addFields(set map[string]bool, prefix string, v any) {
	switch t := v.(type) {
	case map[string]any:
		for k, c := range t {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			set[p] = true
			addFields(set, p, c)
		}
	default:
		list, _ := wql.AsList(t)
		for _, c := range list {
			if _, ok := c.(map[string]any); ok {
				addFields(set, prefix, c)
			}
		}
	}
}

// commonParams are handled by the list pipeline or ignored (pretty,
// wait_for_complete), never as field filters.
func commonParams() map[string]bool {
	return map[string]bool{"pretty": true, "wait_for_complete": true, "offset": true, "limit": true,
		"sort": true, "search": true, "select": true, "q": true, "distinct": true, "raw": true}
}

// namedFilters turns the endpoint's remaining query parameters into field
// equality filters, the behaviour of most named filters of the real API
// (e.g. ?os.platform=ubuntu&status=active). rename maps a parameter to its
// item field where they differ; skip lists parameters the handler treats
// itself.
func namedFilters(lq *listQuery, p params, rename map[string]string, skip ...string) {
	common := commonParams()
	for _, ps := range p.specs {
		if ps.In != "query" || common[ps.Name] || contains(skip, ps.Name) {
			continue
		}
		field := ps.Name
		if f, ok := rename[ps.Name]; ok {
			field = f
		}
		lq.whereEq(p, ps.Name, field)
	}
}

// serveList answers a collection request with the affected-items envelope.
func (s *Server) serveList(w http.ResponseWriter, key string, items []dataset.Item, lq listQuery, m messages) {
	page, total, err := s.apply(key, items, lq)
	if err != nil {
		writeProblem(w, err)
		return
	}
	res := newResult()
	res.affected, res.total = page, total
	writeJSON(w, http.StatusOK, res.response(m))
}

// serveItems answers with a fixed list of items (no list parameters).
func serveItems(w http.ResponseWriter, items []dataset.Item, m messages) {
	res := newResult()
	for _, it := range items {
		res.affected = append(res.affected, it)
	}
	writeJSON(w, http.StatusOK, res.response(m))
}
