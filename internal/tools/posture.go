package tools

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

const postureToolset = "posture"

// postureTools returns the posture toolset.
func postureTools(d Deps) []Tool {
	lim := d.limits()
	return []Tool{
		newTool(postureToolset, Spec{
			Name:        "get_agent_sca",
			Title:       "Get agent SCA results",
			Description: "SCA policies of an agent with pass/fail/invalid counts, score and last scan.",
		}, lim, d.agentSCA),
		newTool(postureToolset, Spec{
			Name:        "get_sca_policy_checks",
			Title:       "Get SCA policy checks",
			Description: "Checks of one SCA policy on an agent with result, remediation and compliance.",
		}, lim, d.scaPolicyChecks),
		newTool(postureToolset, Spec{
			Name:        "get_fim_events",
			Title:       "Get FIM events",
			Description: "File integrity database entries of an agent and its recent FIM alerts.",
		}, lim, d.fimEvents),
		newTool(postureToolset, Spec{
			Name:        "get_rootcheck",
			Title:       "Get rootcheck findings",
			Description: "Rootcheck findings of an agent with the last scan time.",
		}, lim, d.rootcheck),
	}
}

// ScanWindow is when a scan started and ended; an empty end means it is
// running (or never finished).
type ScanWindow struct {
	Start string `json:"start,omitempty"`
	End   string `json:"end,omitempty"`
}

// --- get_agent_sca ---

type agentSCAIn struct {
	AgentID args.String `json:"agent_id"`
}

// AgentSCA is an agent's SCA policy results.
type AgentSCA struct {
	Result
	AgentID  string      `json:"agent_id"`
	Total    int         `json:"total"`
	Policies []SCAResult `json:"policies"`
}

// SCAResult is one policy's last scan.
type SCAResult struct {
	PolicyID string `json:"policy_id"`
	Name     string `json:"name"`
	Pass     int64  `json:"pass"`
	Fail     int64  `json:"fail"`
	Invalid  int64  `json:"invalid" jsonschema:"not applicable checks"`
	Checks   int64  `json:"checks" jsonschema:"total checks"`
	Score    int64  `json:"score" jsonschema:"pass/(pass+fail), percent"`
	Start    string `json:"start_scan,omitempty"`
	End      string `json:"end_scan,omitempty"`
}

// maxSCAPolicies bounds the policies read for one agent.
const maxSCAPolicies = 100

func (d Deps) agentSCA(ctx context.Context, in *agentSCAIn) (*AgentSCA, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	page, err := d.Wazuh.SCA(ctx, id, wazuh.ListOptions{Limit: maxSCAPolicies})
	if err != nil {
		return nil, err
	}
	out := &AgentSCA{AgentID: id, Total: page.Total, Policies: make([]SCAResult, 0, len(page.Items))}
	for _, p := range page.Items {
		out.Policies = append(out.Policies, SCAResult{
			PolicyID: policy.Fence(p.PolicyID, 64), Name: policy.Fence(p.Name, 256),
			Pass: int64(p.Pass), Fail: int64(p.Fail), Invalid: int64(p.Invalid), Checks: int64(p.TotalChecks), Score: int64(p.Score),
			Start: policy.Fence(p.StartScan, 40), End: policy.Fence(p.EndScan, 40),
		})
	}
	if page.Total > len(page.Items) {
		out.AddNote("%d of %d policies shown", len(page.Items), page.Total)
	}
	if page.Total == 0 {
		out.AddNote("no SCA results for this agent (SCA disabled, or the agent never reported)")
	} else {
		out.AddNote("pass get_sca_policy_checks a policy_id to see its checks")
	}
	return out, nil
}

// --- get_sca_policy_checks ---

type scaChecksIn struct {
	AgentID  args.String `json:"agent_id"`
	PolicyID args.String `json:"policy_id"`
	Result   args.String `json:"result,omitempty" jsonschema:"passed, failed, not applicable"`
	Limit    args.Int    `json:"limit,omitempty" jsonschema:"1-500, default 100"`
	Cursor   args.String `json:"cursor,omitempty"`
}

// SCAChecks is a page of one policy's checks.
type SCAChecks struct {
	Result
	listPage
	Checks []SCACheck `json:"checks"`
}

// SCACheck is one check.
type SCACheck struct {
	ID          int64    `json:"id"`
	Title       string   `json:"title"`
	Result      string   `json:"result"`
	Reason      string   `json:"reason,omitempty" jsonschema:"why it was not applicable"`
	Remediation string   `json:"remediation,omitempty"`
	Compliance  []string `json:"compliance,omitempty" jsonschema:"framework:requirement"`
}

func (d Deps) scaPolicyChecks(ctx context.Context, in *scaChecksIn) (*SCAChecks, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	pid := strings.TrimSpace(string(in.PolicyID))
	if pid == "" {
		return nil, args.Errorf("policy_id", "is required (get_agent_sca lists the agent's policies)")
	}
	if _, err := args.Groups("policy_id", []string{pid}); err != nil || strings.Trim(pid, ".") == "" {
		return nil, args.Errorf("policy_id", "%q is not an SCA policy id (letters, digits, _ . -, up to 64, e.g. cis_ubuntu22-04)", truncateName(pid))
	}
	result, err := args.OneOf("result", strings.ReplaceAll(string(in.Result), "_", " "), "", "passed", "failed", "not applicable")
	if err != nil {
		return nil, err
	}
	limit, err := args.Limit("limit", in.Limit, 100, 500)
	if err != nil {
		return nil, err
	}
	fp := fingerprint("sca-checks", id, pid, result, strconv.Itoa(limit))
	offset, err := decodeOffsetCursor("cursor", string(in.Cursor), fp)
	if err != nil {
		return nil, err
	}
	opts := wazuh.ListOptions{Offset: offset, Limit: limit, Sort: "+id"}
	if result != "" {
		opts.Params = url.Values{"result": {result}}
	}
	page, err := d.Wazuh.SCAChecks(ctx, id, pid, opts)
	if err != nil {
		return nil, err
	}
	out := &SCAChecks{listPage: newListPage(page.Total, len(page.Items), offset, fp), Checks: make([]SCACheck, 0, len(page.Items))}
	for _, c := range page.Items {
		var tags []string
		for _, kv := range c.Compliance {
			tags = append(tags, policy.Fence(kv.Key+":"+string(kv.Value), 256))
		}
		out.Checks = append(out.Checks, SCACheck{
			ID: int64(c.ID), Title: policy.Fence(c.Title, 512), Result: policy.Fence(c.Result, 32),
			Reason: policy.Fence(c.Reason, 512), Remediation: policy.Fence(c.Remediation, 1024), Compliance: tags,
		})
	}
	if page.Total == 0 && result == "" {
		out.AddNote("no checks for policy %s on agent %s (see get_agent_sca for its policies)", pid, id)
	}
	if out.Truncated {
		out.AddNote("%d of %d checks returned (by id); pass next_cursor as cursor for more", out.Returned, out.Total)
	}
	return out, nil
}

// --- get_fim_events ---

type fimEventsIn struct {
	AgentID       args.String `json:"agent_id"`
	Limit         args.Int    `json:"limit,omitempty" jsonschema:"per part, 1-500, default 50"`
	TimeRange     args.String `json:"time_range,omitempty" jsonschema:"alerts window, default 24h"`
	IncludeHashes args.Bool   `json:"include_hashes,omitempty"`
}

// FIMEvents is the FIM state of an agent and its recent FIM alerts.
type FIMEvents struct {
	Result
	AgentID string     `json:"agent_id"`
	Files   FIMFiles   `json:"files" jsonschema:"FIM database, most recently changed first"`
	Alerts  *FIMAlerts `json:"alerts,omitempty" jsonschema:"FIM alerts in the window, newest first"`
}

// FIMFiles is a part of the agent's FIM database.
type FIMFiles struct {
	Total    int         `json:"total"`
	Returned int         `json:"returned"`
	LastScan *ScanWindow `json:"last_scan,omitempty"`
	Entries  []FIMEntry  `json:"entries"`
}

// FIMEntry is one monitored file or registry key.
type FIMEntry struct {
	Type      string        `json:"type"`
	Size      int64         `json:"size,omitempty"`
	MTime     string        `json:"mtime,omitempty"`
	Changed   string        `json:"changed,omitempty" jsonschema:"when FIM last recorded it"`
	Changes   int64         `json:"changes,omitempty"`
	Perm      string        `json:"perm,omitempty"`
	Hashes    *FileHashes   `json:"hashes,omitempty"`
	Untrusted *FIMUntrusted `json:"untrusted"`
}

// FIMUntrusted are the host-controlled names of a FIM entry.
type FIMUntrusted struct {
	Path  string `json:"path"`
	Owner string `json:"owner,omitempty"`
	Group string `json:"group,omitempty"`
}

// FileHashes are a file's digests.
type FileHashes struct {
	MD5    string `json:"md5,omitempty"`
	SHA1   string `json:"sha1,omitempty"`
	SHA256 string `json:"sha256,omitempty"`
}

// FIMAlerts are the agent's syscheck alerts in a window.
type FIMAlerts struct {
	Total    int64      `json:"total"`
	Returned int        `json:"returned"`
	Window   Window     `json:"window"`
	Events   []FIMAlert `json:"events"`
}

// FIMAlert is one FIM alert.
type FIMAlert struct {
	Time      string        `json:"time"`
	AlertID   string        `json:"alert_id"`
	RuleID    string        `json:"rule_id,omitempty"`
	Event     string        `json:"event,omitempty" jsonschema:"added, modified or deleted"`
	Mode      string        `json:"mode,omitempty" jsonschema:"scheduled, realtime or whodata"`
	Hashes    *FileHashes   `json:"hashes,omitempty" jsonschema:"after the change"`
	Untrusted *FIMUntrusted `json:"untrusted,omitempty"`
}

// fimAlertSource are the alert fields get_fim_events reads.
var fimAlertSource = []string{"timestamp", "id", "rule.id", "syscheck.path", "syscheck.event", "syscheck.mode",
	"syscheck.uname_after", "syscheck.gname_after", "syscheck.md5_after", "syscheck.sha1_after", "syscheck.sha256_after"}

func (d Deps) fimEvents(ctx context.Context, in *fimEventsIn) (*FIMEvents, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	limit, err := args.Limit("limit", in.Limit, 50, 500)
	if err != nil {
		return nil, err
	}
	from, to, err := args.TimeRange("time_range", string(in.TimeRange), "24h", d.now())
	if err != nil {
		return nil, err
	}
	return d.fimState(ctx, id, limit, from, to, bool(in.IncludeHashes))
}

// fimState is get_fim_events' answer for validated arguments: the agent's
// FIM database (limit entries) and its FIM alerts in [from, to].
func (d Deps) fimState(ctx context.Context, id string, limit int, from, to time.Time, hashes bool) (*FIMEvents, error) {
	page, err := d.Wazuh.Syscheck(ctx, id, wazuh.ListOptions{Limit: limit, Sort: "-date"})
	if err != nil {
		return nil, err
	}
	out := &FIMEvents{AgentID: id, Files: FIMFiles{Total: page.Total, Returned: len(page.Items), Entries: make([]FIMEntry, 0, len(page.Items))}}
	for _, f := range page.Items {
		e := FIMEntry{
			Type: policy.Fence(f.Type, 32), Size: int64(f.Size), MTime: policy.Fence(f.MTime, 40), Changed: policy.Fence(f.Date, 40),
			Changes: int64(f.Changes), Perm: policy.Fence(f.Perm, 256),
			Untrusted: &FIMUntrusted{Path: policy.Fence(f.File, 1024), Owner: policy.Fence(f.UName, 128), Group: policy.Fence(f.GName, 128)},
		}
		if hashes {
			e.Hashes = fileHashes(f.MD5, f.SHA1, f.SHA256)
		}
		out.Files.Entries = append(out.Files.Entries, e)
	}
	if scan, err := d.Wazuh.SyscheckLastScan(ctx, id); err == nil {
		out.Files.LastScan = scanWindow(scan)
	} else {
		out.AddNote("last FIM scan time unavailable: %s", errorText(err))
	}
	if page.Total > len(page.Items) {
		out.AddNote("%d of %d FIM database entries shown, most recently changed first; raise limit for more", len(page.Items), page.Total)
	}
	d.addFIMAlerts(ctx, out, id, from, to, limit, hashes)
	if !hashes {
		out.AddNote("file hashes omitted; pass include_hashes=true to see them")
	}
	out.AddNote(policy.UntrustedNotice)
	return out, nil
}

// addFIMAlerts adds the agent's syscheck alerts in [from, to]. The FIM
// database part stays useful without an indexer, so a failure here is a
// note, not an error.
func (d Deps) addFIMAlerts(ctx context.Context, out *FIMEvents, id string, from, to time.Time, limit int, hashes bool) {
	res, err := d.Indexer.SearchAlerts(ctx, indexer.SearchRequest{
		Filter:         indexer.AlertFilter{From: from, To: to, AgentIDs: []string{id}, RuleGroups: []string{"syscheck"}},
		Size:           limit,
		Source:         fimAlertSource,
		TrackTotalHits: true,
	})
	if err != nil {
		out.AddNote("FIM alerts unavailable: %s", errorText(alertError(err)))
		return
	}
	a := &FIMAlerts{Total: res.Total, Returned: len(res.Hits), Window: windowOf(from, to), Events: make([]FIMAlert, 0, len(res.Hits))}
	for _, h := range res.Hits {
		var raw rawFIMAlert
		if err := json.Unmarshal(h.Source, &raw); err != nil {
			continue
		}
		ev := FIMAlert{
			Time: policy.Fence(raw.Timestamp, 40), AlertID: policy.Fence(h.ID, 128), RuleID: policy.Fence(raw.Rule.ID, 16),
			Event: policy.Fence(raw.Syscheck.Event, 32), Mode: policy.Fence(raw.Syscheck.Mode, 32),
		}
		if raw.Syscheck.Path != "" {
			ev.Untrusted = &FIMUntrusted{Path: policy.Fence(raw.Syscheck.Path, 1024), Owner: policy.Fence(raw.Syscheck.UName, 128), Group: policy.Fence(raw.Syscheck.GName, 128)}
		}
		if hashes {
			ev.Hashes = fileHashes(raw.Syscheck.MD5, raw.Syscheck.SHA1, raw.Syscheck.SHA256)
		}
		a.Events = append(a.Events, ev)
	}
	out.Alerts = a
	noteAlertAnswer(&out.Result, res.NoIndex, res.TimedOut, res.FailedShards)
	if res.Total > int64(len(res.Hits)) {
		out.AddNote("%d of %d FIM alerts in the window shown, newest first; get_wazuh_alerts with rule_groups=syscheck pages through all", len(res.Hits), res.Total)
	}
}

func fileHashes(md5, sha1, sha256 string) *FileHashes {
	if md5 == "" && sha1 == "" && sha256 == "" {
		return nil
	}
	return &FileHashes{MD5: policy.Fence(md5, 64), SHA1: policy.Fence(sha1, 64), SHA256: policy.Fence(sha256, 128)}
}

func scanWindow(s wazuh.ScanTimes) *ScanWindow {
	if s.Start == "" && s.End == "" {
		return nil
	}
	return &ScanWindow{Start: policy.Fence(s.Start, 40), End: policy.Fence(s.End, 40)}
}

// --- get_rootcheck ---

type rootcheckIn struct {
	AgentID args.String `json:"agent_id"`
	Status  args.String `json:"status,omitempty" jsonschema:"outstanding, solved, all"`
	Limit   args.Int    `json:"limit,omitempty" jsonschema:"1-500, default 100"`
	Cursor  args.String `json:"cursor,omitempty"`
}

// Rootcheck is a page of rootcheck findings.
type Rootcheck struct {
	Result
	listPage
	AgentID  string             `json:"agent_id"`
	LastScan *ScanWindow        `json:"last_scan,omitempty"`
	Findings []RootcheckFinding `json:"findings"`
}

// RootcheckFinding is one rootcheck event.
type RootcheckFinding struct {
	Status    string              `json:"status"`
	First     string              `json:"first_seen,omitempty"`
	Last      string              `json:"last_seen,omitempty"`
	PCIDSS    string              `json:"pci_dss,omitempty"`
	CIS       string              `json:"cis,omitempty"`
	Untrusted *RootcheckUntrusted `json:"untrusted"`
}

// RootcheckUntrusted is the finding's text, written by the scanned host.
type RootcheckUntrusted struct {
	Event string `json:"event"`
}

func (d Deps) rootcheck(ctx context.Context, in *rootcheckIn) (*Rootcheck, error) {
	id, err := args.AgentID("agent_id", string(in.AgentID))
	if err != nil {
		return nil, err
	}
	status, err := args.OneOf("status", string(in.Status), "all", "outstanding", "solved", "all")
	if err != nil {
		return nil, err
	}
	limit, err := args.Limit("limit", in.Limit, 100, 500)
	if err != nil {
		return nil, err
	}
	fp := fingerprint("rootcheck", id, status, strconv.Itoa(limit))
	offset, err := decodeOffsetCursor("cursor", string(in.Cursor), fp)
	if err != nil {
		return nil, err
	}
	page, err := d.Wazuh.Rootcheck(ctx, id, wazuh.ListOptions{Offset: offset, Limit: limit, Sort: "-date_last,+log", Params: url.Values{"status": {status}}})
	if err != nil {
		return nil, err
	}
	out := &Rootcheck{listPage: newListPage(page.Total, len(page.Items), offset, fp), AgentID: id, Findings: make([]RootcheckFinding, 0, len(page.Items))}
	for _, r := range page.Items {
		out.Findings = append(out.Findings, RootcheckFinding{
			Status: policy.Fence(r.Status, 16), First: policy.Fence(r.DateFirst, 40), Last: policy.Fence(r.DateLast, 40),
			PCIDSS: policy.Fence(r.PCIDSS, 64), CIS: policy.Fence(r.CIS, 64),
			Untrusted: &RootcheckUntrusted{Event: policy.Fence(r.Log, policy.DefaultFieldLimit)},
		})
	}
	scan, scanErr := d.Wazuh.RootcheckLastScan(ctx, id)
	if scanErr == nil {
		out.LastScan = scanWindow(scan)
	} else {
		out.AddNote("last rootcheck scan time unavailable: %s", errorText(scanErr))
	}
	switch {
	case scanErr != nil: // not known whether it ran
	case out.LastScan == nil:
		out.AddNote("rootcheck has not run on this agent (disabled, or the agent never reported)")
	case out.LastScan.End == "":
		out.AddNote("the last rootcheck scan has not finished: findings may be incomplete")
	}
	if out.Truncated {
		out.AddNote("%d of %d findings returned, most recent first; pass next_cursor as cursor for more", out.Returned, out.Total)
	}
	if len(out.Findings) > 0 {
		out.AddNote(policy.UntrustedNotice)
	}
	return out, nil
}

// rawFIMAlert is the part of an alert get_fim_events reads.
type rawFIMAlert struct {
	Timestamp string `json:"timestamp"`
	ID        string `json:"id"`
	Rule      struct {
		ID string `json:"id"`
	} `json:"rule"`
	Syscheck struct {
		Path   string `json:"path"`
		Event  string `json:"event"`
		Mode   string `json:"mode"`
		UName  string `json:"uname_after"`
		GName  string `json:"gname_after"`
		MD5    string `json:"md5_after"`
		SHA1   string `json:"sha1_after"`
		SHA256 string `json:"sha256_after"`
	} `json:"syscheck"`
}
