package manager

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/wql"
)

// requirementFields maps the compliance parameters to rule item fields.
func requirementFields() map[string]string {
	return map[string]string{"pci_dss": "pci_dss", "gdpr": "gdpr", "hipaa": "hipaa",
		"nist-800-53": "nist_800_53", "gpg13": "gpg13", "tsc": "tsc", "mitre": "mitre"}
}

func rulesMessages() messages {
	return messages{"All selected rules were returned", "Some rules were not returned", "No rule was returned"}
}

// handleRules serves GET /rules.
func (s *Server) handleRules(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	rename := requirementFields()
	rename["group"] = "groups"
	rename["rule_ids"] = "id"
	skip := []string{"level"}
	if p.str("status") == "all" {
		skip = append(skip, "status")
	}
	namedFilters(&lq, p, rename, skip...)
	if p.has("level") {
		lo, hi, ok := parseLevel(p.str("level"))
		if !ok {
			writeProblem(w, s.problem(http.StatusBadRequest, errBadLevel))
			return
		}
		lq.where(func(it dataset.Item) bool {
			for _, v := range wql.Lookup(it, "level") {
				n, err := strconv.ParseFloat(wql.Text(v), 64)
				if err == nil && n >= lo && n <= hi {
					return true
				}
			}
			return false
		})
	}
	s.serveList(w, "rules", s.ds.Rules, lq, rulesMessages())
}

// parseLevel reads "4" or "2-4".
func parseLevel(v string) (float64, float64, bool) {
	a, b, isRange := strings.Cut(v, "-")
	lo, err := strconv.Atoi(a)
	if err != nil {
		return 0, 0, false
	}
	if !isRange {
		return float64(lo), float64(lo), true
	}
	hi, err := strconv.Atoi(b)
	if err != nil || hi < lo {
		return 0, 0, false
	}
	return float64(lo), float64(hi), true
}

// handleRuleGroups serves GET /rules/groups: the distinct group names.
func (s *Server) handleRuleGroups(w http.ResponseWriter, _ *http.Request, p params) {
	s.serveStrings(w, p, distinctValues(s.ds.Rules, "groups"),
		messages{"All groups in rules were returned", "Some groups in rules were not returned", "No groups in rules were returned"})
}

// handleRuleRequirement serves GET /rules/requirement/{requirement}.
func (s *Server) handleRuleRequirement(w http.ResponseWriter, _ *http.Request, p params) {
	field := requirementFields()[p.path["requirement"]]
	s.serveStrings(w, p, distinctValues(s.ds.Rules, field), rulesMessages())
}

// distinctValues collects the sorted distinct string values of a field.
func distinctValues(items []dataset.Item, field string) []string {
	seen := map[string]bool{}
	for _, it := range items {
		for _, v := range wql.Lookup(it, field) {
			if t := wql.Text(v); t != "" {
				seen[t] = true
			}
		}
	}
	out := make([]string, 0, len(seen))
	for v := range seen {
		out = append(out, v)
	}
	sort.Strings(out)
	return out
}

// serveStrings pages a list of strings with search and sort (+/-), as the
// real API does for lists of names.
func (s *Server) serveStrings(w http.ResponseWriter, p params, vals []string, m messages) {
	lq := listQueryFrom(p)
	needle, negate := lq.search, false
	if strings.HasPrefix(needle, "-") {
		needle, negate = needle[1:], true
	}
	var kept []string
	for _, v := range vals {
		if needle != "" && strings.Contains(strings.ToLower(v), strings.ToLower(needle)) == negate {
			continue
		}
		kept = append(kept, v)
	}
	if strings.HasPrefix(strings.TrimSpace(lq.sort), "-") {
		sort.Sort(sort.Reverse(sort.StringSlice(kept)))
	}
	res := newResult()
	res.total = len(kept)
	end := len(kept)
	if lq.offset+lq.limit < end {
		end = lq.offset + lq.limit
	}
	for i := lq.offset; i < end; i++ {
		res.affected = append(res.affected, kept[i])
	}
	writeJSON(w, http.StatusOK, res.response(m))
}

// handleRuleFiles serves GET /rules/files.
func (s *Server) handleRuleFiles(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	var skip []string
	if p.str("status") == "all" {
		skip = append(skip, "status")
	}
	namedFilters(&lq, p, nil, skip...)
	s.serveList(w, "rule-files", s.ds.RuleFiles, lq, messages{"All rules files were returned",
		"Some rules files were not returned", "No rules files were returned"})
}

// handleRuleFile serves GET /rules/files/{filename}: the XML with raw=true,
// otherwise the XML converted to JSON the way xmltodict does.
func (s *Server) handleRuleFile(w http.ResponseWriter, _ *http.Request, p params) {
	name := p.path["filename"]
	content, ok := s.ds.RuleFileXML[name]
	if !ok {
		if p.boolean("raw") {
			writeProblem(w, s.problem(http.StatusBadRequest, errRuleFile))
			return
		}
		res := newResult()
		res.fail(name, errRuleFile)
		writeJSON(w, http.StatusOK, res.response(messages{"Selected rule was returned", "", "No rule was returned"}))
		return
	}
	if p.boolean("raw") {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		_, _ = w.Write([]byte(content))
		return
	}
	doc, err := xmlToJSON(content)
	if err != nil {
		writeProblem(w, &apiError{Status: http.StatusInternalServerError, Title: "Wazuh Internal Error",
			Detail: "Error reading rules file: " + err.Error(), Code: 1413})
		return
	}
	serveItems(w, []dataset.Item{doc}, messages{"Selected rule was returned", "", "No rule was returned"})
}

// handleDecoders serves GET /decoders.
func (s *Server) handleDecoders(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	var skip []string
	if p.str("status") == "all" {
		skip = append(skip, "status")
	}
	namedFilters(&lq, p, map[string]string{"decoder_names": "name"}, skip...)
	s.serveList(w, "decoders", s.ds.Decoders, lq, messages{"All selected decoders were returned",
		"Some decoders were not returned", "No decoder was returned"})
}

// handleDecoderFiles serves GET /decoders/files, derived from the decoders.
func (s *Server) handleDecoderFiles(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	var skip []string
	if p.str("status") == "all" {
		skip = append(skip, "status")
	}
	namedFilters(&lq, p, nil, skip...)
	files := fileItems(s.ds.Decoders, "filename", "relative_dirname", "status")
	s.serveList(w, "decoder-files", files, lq, messages{"All decoder files were returned",
		"Some decoder files were not returned", "No decoder files were returned"})
}

// fileItems builds one item per distinct filename with the given fields.
func fileItems(items []dataset.Item, fields ...string) []dataset.Item {
	seen := map[string]bool{}
	var out []dataset.Item
	for _, it := range items {
		name, _ := it["filename"].(string)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		f := dataset.Item{}
		for _, k := range fields {
			if v, ok := it[k]; ok {
				f[k] = v
			}
		}
		out = append(out, f)
	}
	return out
}

// handleLists serves GET /lists.
func (s *Server) handleLists(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	namedFilters(&lq, p, nil)
	s.serveList(w, "lists", s.ds.Lists, lq, messages{"All specified lists were returned",
		"Some lists were not returned", "No list was returned"})
}

// handleListFiles serves GET /lists/files.
func (s *Server) handleListFiles(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	namedFilters(&lq, p, nil)
	s.serveList(w, "list-files", fileItems(s.ds.Lists, "filename", "relative_dirname"), lq,
		messages{"All specified paths were returned", "Some paths were not returned", "No path was returned"})
}

// handleListFile serves GET /lists/files/{filename}: {key: value} as JSON,
// or "key:value" lines with raw=true.
func (s *Server) handleListFile(w http.ResponseWriter, _ *http.Request, p params) {
	name := p.path["filename"]
	var list dataset.Item
	for _, l := range s.ds.Lists {
		if l["filename"] == name {
			list = l
			break
		}
	}
	if list == nil {
		writeProblem(w, s.problem(http.StatusNotFound, errListFile))
		return
	}
	entries, _ := list["items"].([]any)
	kv := dataset.Item{}
	var raw strings.Builder
	for _, e := range entries {
		m, _ := e.(map[string]any)
		k, v := wql.Text(m["key"]), wql.Text(m["value"])
		kv[k] = v
		raw.WriteString(k + ":" + v + "\n")
	}
	if p.boolean("raw") {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte(raw.String()))
		return
	}
	serveItems(w, []dataset.Item{kv}, messages{"CDB list was returned", "", "No CDB list was returned"})
}

// handleMitreTechniques serves GET /mitre/techniques; technique_ids match
// the ATT&CK external id (T1110) or the internal id.
func (s *Server) handleMitreTechniques(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	if p.has("technique_ids") {
		ids := p.list("technique_ids")
		lq.where(func(it dataset.Item) bool { return anyEquals(it, "external_id", ids) || anyEquals(it, "id", ids) })
	}
	s.serveList(w, "mitre-techniques", s.ds.MitreTechniques, lq, messages{"MITRE techniques information was returned",
		"Some MITRE techniques information was not returned", "No MITRE techniques information was returned"})
}
