package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// --- get_wazuh_log_collector_stats ---

type logCollectorIn struct {
	AgentID args.String `json:"agent_id,omitempty" jsonschema:"agent id, default 000 (the manager)"`
}

// LogCollectorStats is the answer of get_wazuh_log_collector_stats.
type LogCollectorStats struct {
	Result
	AgentID  string    `json:"agent_id"`
	Global   LogWindow `json:"global" jsonschema:"since the agent's logcollector started"`
	Interval LogWindow `json:"interval" jsonschema:"the last statistics interval"`
}

// LogWindow is one period of logcollector statistics with its totals.
type LogWindow struct {
	Start  string         `json:"start,omitempty"`
	End    string         `json:"end,omitempty"`
	Events int64          `json:"events"`
	Bytes  int64          `json:"bytes"`
	Drops  int64          `json:"drops"`
	Files  []LogFileStats `json:"files"`
}

// LogFileStats is one monitored location.
type LogFileStats struct {
	Location string `json:"location"`
	Events   int64  `json:"events"`
	Bytes    int64  `json:"bytes"`
	Drops    int64  `json:"drops" jsonschema:"events dropped on the way to their targets"`
}

// maxLogFiles bounds the locations listed per window.
const maxLogFiles = 200

func (d Deps) logCollectorStats(ctx context.Context, in *logCollectorIn) (*LogCollectorStats, error) {
	id, err := args.OptionalAgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	if id == "" {
		id = "000"
	}
	s, err := d.Wazuh.LogcollectorStats(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("logcollector statistics of agent %s: %w", id, err)
	}
	out := &LogCollectorStats{AgentID: id, Global: logWindow(s.Global), Interval: logWindow(s.Interval)}
	out.AddNote("GET /agents/%s/stats/logcollector; drops are summed over each file's targets", id)
	if len(s.Global.Files) > maxLogFiles || len(s.Interval.Files) > maxLogFiles {
		out.AddNote("only the first %d locations per window are listed; totals cover all", maxLogFiles)
	}
	return out, nil
}

func logWindow(p wazuh.LogcollectorPeriod) LogWindow {
	w := LogWindow{Start: policy.Fence(p.Start, 40), End: policy.Fence(p.End, 40), Files: []LogFileStats{}}
	for i, f := range p.Files {
		fs := LogFileStats{Location: policy.Fence(f.Location, 512), Events: int64(f.Events), Bytes: int64(f.Bytes)}
		for _, t := range f.Targets {
			fs.Drops += int64(t.Drops)
		}
		w.Events += fs.Events
		w.Bytes += fs.Bytes
		w.Drops += fs.Drops
		if i < maxLogFiles {
			w.Files = append(w.Files, fs)
		}
	}
	return w
}

// --- search_wazuh_manager_logs, get_wazuh_manager_error_logs ---

type searchManagerLogsIn struct {
	Query args.String `json:"query"`
	Limit args.Int    `json:"limit,omitempty" jsonschema:"max 500"`
}

type managerErrorLogsIn struct {
	Limit args.Int `json:"limit,omitempty" jsonschema:"1-500, default 100"`
}

// ManagerLogs is a page of manager log lines, newest first.
type ManagerLogs struct {
	Result
	Total     int             `json:"total" jsonschema:"matching log lines"`
	Truncated bool            `json:"truncated"`
	Untrusted ManagerLogLines `json:"untrusted"`
}

// ManagerLogLines holds log lines: their text may quote attacker input.
type ManagerLogLines struct {
	Logs []LogLine `json:"logs"`
}

// LogLine is one line of ossec.log.
type LogLine struct {
	Timestamp   string `json:"timestamp"`
	Tag         string `json:"tag"`
	Level       string `json:"level"`
	Description string `json:"description"`
}

func (d Deps) searchManagerLogs(ctx context.Context, in *searchManagerLogsIn) (*ManagerLogs, error) {
	q, err := managerSearch("query", string(in.Query), 500, true)
	if err != nil {
		return nil, err
	}
	out, err := d.managerLogs(ctx, wazuh.LogFilter{ListOptions: wazuh.ListOptions{Search: q}}, in.Limit)
	if err == nil && strings.HasPrefix(q, "-") {
		out.AddNote("a leading - excludes: these are the lines that do not contain %q (Wazuh search semantics)", q[1:])
	}
	return out, err
}

func (d Deps) managerErrorLogs(ctx context.Context, in *managerErrorLogsIn) (*ManagerLogs, error) {
	return d.managerLogs(ctx, wazuh.LogFilter{Level: "error"}, in.Limit)
}

// managerLogs reads one page of /manager/logs, newest first. v4 clients may
// ask for up to 1000 lines; the Manager serves at most 500 per request.
func (d Deps) managerLogs(ctx context.Context, f wazuh.LogFilter, limitArg args.Int) (*ManagerLogs, error) {
	limit, err := args.Limit("limit", limitArg, 100, 1000)
	if err != nil {
		return nil, err
	}
	capped := limit > wazuh.MaxLogLimit
	f.Limit, f.Sort = min(limit, wazuh.MaxLogLimit), "-timestamp"
	p, err := d.Wazuh.ManagerLogs(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("manager logs: %w", err)
	}
	out := &ManagerLogs{Total: p.Total, Untrusted: ManagerLogLines{Logs: make([]LogLine, 0, len(p.Items))}}
	for _, l := range p.Items {
		out.Untrusted.Logs = append(out.Untrusted.Logs, LogLine{Timestamp: policy.Fence(l.Timestamp, 40), Tag: policy.Fence(l.Tag, 64),
			Level: policy.Fence(l.Level, 16), Description: policy.Fence(l.Description, 1024)})
	}
	out.Truncated = p.Total > len(p.Items)
	if capped {
		out.AddNote("limit lowered to %d, the most the Manager serves per request", wazuh.MaxLogLimit)
	}
	if out.Truncated {
		out.AddNote("the newest %d of %d matching lines; raise limit (max 500) or narrow the search", len(p.Items), out.Total)
	}
	if len(p.Items) > 0 {
		out.AddNote("%s", policy.UntrustedNotice)
	}
	return out, nil
}
