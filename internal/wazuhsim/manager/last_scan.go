package manager

import (
	"net/http"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// handleSyscheckLastScan serves GET /syscheck/{agent_id}/last_scan: one item
// {start, end}; both null when the agent never ran a FIM scan.
func (s *Server) handleSyscheckLastScan(w http.ResponseWriter, _ *http.Request, p params) {
	id := p.path["agent_id"]
	item := s.ds.FIMScans[id]
	if item == nil {
		item = dataset.Item{"start": nil, "end": nil}
	}
	s.serveLastScan(w, id, item, messages{"Last syscheck scan of the agent was returned",
		"Could not get last syscheck scan of the agent", "Could not get last syscheck scan of the agent"})
}

// handleRootcheckLastScan serves GET /rootcheck/{agent_id}/last_scan. As in
// the real framework, start and end are the date_last of the agent's
// "Starting rootcheck scan." and "Ending rootcheck scan." events; end is
// null while a scan runs (it is not after start) and both are null when no
// scan ran.
func (s *Server) handleRootcheckLastScan(w http.ResponseWriter, _ *http.Request, p params) {
	id := p.path["agent_id"]
	s.serveLastScan(w, id, rootcheckLastScan(s.ds.Rootcheck[id]), messages{"Last rootcheck scan of the agent was returned",
		"Could not get last rootcheck scan of the agent", "Could not get last rootcheck scan of the agent"})
}

// rootcheckLastScan derives the last_scan item from rootcheck events.
func rootcheckLastScan(items []dataset.Item) dataset.Item {
	var start, end any
	for _, it := range items {
		switch it["log"] {
		case "Starting rootcheck scan.":
			start = it["date_last"]
		case "Ending rootcheck scan.":
			end = it["date_last"]
		}
	}
	st, okS := scanTime(start)
	et, okE := scanTime(end)
	switch {
	case !okS:
		return dataset.Item{"start": nil, "end": nil}
	case !okE || !et.After(st):
		return dataset.Item{"start": start, "end": nil}
	}
	return dataset.Item{"start": start, "end": end}
}

func scanTime(v any) (time.Time, bool) {
	s, _ := v.(string)
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

func (s *Server) serveLastScan(w http.ResponseWriter, id string, item dataset.Item, m messages) {
	res := newResult()
	if _, _, ok := s.agentStatus(id); !ok {
		res.fail(id, errAgentNotFound)
	} else {
		res.affected = append(res.affected, item)
	}
	writeJSON(w, http.StatusOK, res.response(m))
}
