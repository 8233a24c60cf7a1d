package manager

import (
	"fmt"
	"net/http"
	"sort"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// handleManagerInfo serves GET /manager/info.
func (s *Server) handleManagerInfo(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, []dataset.Item{orEmpty(s.ds.Manager.Info)}, messages{
		"Basic information was successfully read in specified node", "", "Could not read basic information in specified node"})
}

// handleManagerStatus serves GET /manager/status.
func (s *Server) handleManagerStatus(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, []dataset.Item{orEmpty(s.ds.Manager.Status)}, messages{
		"Processes status was successfully read in specified node", "", "Could not read basic information in specified node"})
}

func configMessages() messages {
	return messages{"Configuration was successfully read", "", "Could not read configuration"}
}

// handleManagerConfig serves GET /manager/configuration with the optional
// section and field filters (1106 unknown section, 1103 unknown field) and
// raw=true (the configuration as ossec.conf XML).
func (s *Server) handleManagerConfig(w http.ResponseWriter, _ *http.Request, p params) {
	cfg := orEmpty(s.ds.Manager.Config)
	section, field := p.str("section"), p.str("field")
	if field != "" && section == "" {
		writeProblem(w, s.problem(http.StatusBadRequest, wazuhError{Code: 1103, Message: "Invalid field in section: a section is required to select a field"}))
		return
	}
	if section != "" {
		v, ok := cfg[section]
		if !ok {
			writeProblem(w, s.problem(http.StatusBadRequest, errSection.with(section)))
			return
		}
		if field != "" {
			fv, ok := pickField(v, field)
			if !ok {
				writeProblem(w, s.problem(http.StatusBadRequest, wazuhError{Code: 1103, Message: "Invalid field in section: " + field}))
				return
			}
			v = fv
		}
		cfg = dataset.Item{section: v}
	}
	if p.boolean("raw") {
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		_, _ = w.Write([]byte(configXML(cfg)))
		return
	}
	serveItems(w, []dataset.Item{cfg}, configMessages())
}

// pickField keeps one field of a section (an object or a list of objects).
func pickField(v any, field string) (any, bool) {
	switch t := v.(type) {
	case map[string]any:
		fv, ok := t[field]
		return map[string]any{field: fv}, ok
	case []any:
		var out []any
		found := false
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				if fv, ok := m[field]; ok {
					out = append(out, map[string]any{field: fv})
					found = true
				}
			}
		}
		return out, found
	}
	return nil, false
}

// configXML renders a configuration object as <ossec_config> XML.
func configXML(cfg map[string]any) string {
	var b strings.Builder
	b.WriteString("<ossec_config>\n")
	writeXML(&b, cfg, 1)
	b.WriteString("</ossec_config>\n")
	return b.String()
}

func writeXML(b *strings.Builder, m map[string]any, depth int) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		writeXMLValue(b, k, m[k], depth)
	}
}

func writeXMLValue(b *strings.Builder, name string, v any, depth int) {
	pad := strings.Repeat("  ", depth)
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			writeXMLValue(b, name, e, depth)
		}
	case map[string]any:
		fmt.Fprintf(b, "%s<%s>\n", pad, name)
		writeXML(b, t, depth+1)
		fmt.Fprintf(b, "%s</%s>\n", pad, name)
	default:
		fmt.Fprintf(b, "%s<%s>%s</%s>\n", pad, name, xmlEscape(fmt.Sprint(t)), name)
	}
}

func xmlEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func statsMessages() messages {
	return messages{"Statistical information was successfully read", "", "Could not read statistical information"}
}

// handleManagerStats serves GET /manager/stats. The dataset holds today's
// file only; other dates give 1308 as a missing stats file does.
func (s *Server) handleManagerStats(w http.ResponseWriter, _ *http.Request, p params) {
	if d := p.str("date"); d != "" && d != s.ds.Now.Format("2006-01-02") {
		writeProblem(w, s.problem(http.StatusBadRequest, errNoStats))
		return
	}
	serveItems(w, s.ds.Manager.Stats, statsMessages())
}

func (s *Server) handleManagerStatsHourly(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, s.ds.Manager.StatsHourly, messages{"Statistical information per hour was successfully read", "", "Could not read statistical information per hour"})
}

func (s *Server) handleManagerStatsWeekly(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, s.ds.Manager.StatsWeekly, messages{"Statistical information per week was successfully read", "", "Could not read statistical information per week"})
}

func (s *Server) handleManagerAnalysisd(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, s.ds.Manager.Analysisd, statsMessages())
}

func (s *Server) handleManagerRemoted(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, s.ds.Manager.Remoted, statsMessages())
}

// handleDaemonStats serves GET /manager/daemons/stats (daemons_list filter).
func (s *Server) handleDaemonStats(w http.ResponseWriter, _ *http.Request, p params) {
	items := s.ds.Manager.DaemonStats
	if p.has("daemons_list") {
		names := p.list("daemons_list")
		items = filterItems(items, func(it dataset.Item) bool { return anyEquals(it, "name", names) })
	}
	serveItems(w, items, messages{"Statistical information for each daemon was successfully read", "",
		"Could not read statistical information for any daemon"})
}

// handleManagerLogs serves GET /manager/logs (level, tag and the list
// parameters; limit is capped at 500 by the spec).
func (s *Server) handleManagerLogs(w http.ResponseWriter, _ *http.Request, p params) {
	lq := listQueryFrom(p)
	namedFilters(&lq, p, nil)
	s.serveList(w, "manager-logs", s.ds.Manager.Logs, lq, messages{"Logs were successfully read",
		"Could not read logs", "Could not read logs"})
}

// handleManagerLogsSummary serves GET /manager/logs/summary.
func (s *Server) handleManagerLogsSummary(w http.ResponseWriter, _ *http.Request, _ params) {
	serveItems(w, s.ds.Manager.LogsSummary, messages{"Log was successfully summarized", "", "Could not summarize the log"})
}
