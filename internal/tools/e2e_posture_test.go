package tools

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

func TestAgentSCAMatchesDataset(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"001", "010"} {
		var out AgentSCA
		e.call(t, "get_agent_sca", map[string]any{"agent_id": id}, &out)
		want := e.sim.Dataset.SCA[id]
		if out.Total != len(want) || len(out.Policies) != len(want) || len(want) == 0 {
			t.Fatalf("agent %s: %d policies, dataset %d", id, out.Total, len(want))
		}
		for i, p := range out.Policies {
			w := want[i]
			if p.PolicyID != w["policy_id"] || p.Pass != itemInt(w["pass"]) || p.Fail != itemInt(w["fail"]) || p.Invalid != itemInt(w["invalid"]) ||
				p.Checks != itemInt(w["total_checks"]) || p.Score != itemInt(w["score"]) || p.End != w["end_scan"] {
				t.Errorf("agent %s policy %+v, dataset %v", id, p, w)
			}
		}
	}
	never := agentWithStatus(t, e, "never_connected")
	var none AgentSCA
	e.call(t, "get_agent_sca", map[string]any{"agent_id": never}, &none)
	if none.Total != 0 || len(none.Notes) == 0 {
		t.Errorf("never-connected agent: %+v", none)
	}
}

func TestSCAPolicyChecksFiltersAndPages(t *testing.T) {
	e := newEnv(t)
	id := "001"
	pid := e.sim.Dataset.SCA[id][0]["policy_id"].(string)
	checks := e.sim.Dataset.SCAChecks[id][pid]
	for _, result := range []string{"", "passed", "failed", "not applicable"} {
		var want []dataset.Item
		for _, c := range checks {
			if result == "" || c["result"] == result {
				want = append(want, c)
			}
		}
		if len(want) == 0 {
			t.Fatalf("result %q selects no check: the test would prove nothing", result)
		}
		slices.SortFunc(want, func(a, b dataset.Item) int { return int(itemInt(a["id"]) - itemInt(b["id"])) })
		var got []SCACheck
		args := map[string]any{"agent_id": "1", "policy_id": pid, "result": result, "limit": 40}
		for pages := 0; ; pages++ {
			if pages > 50 {
				t.Fatal("paging does not end")
			}
			var page SCAChecks
			e.call(t, "get_sca_policy_checks", args, &page)
			if page.Total != len(want) {
				t.Fatalf("result %q: total %d, dataset %d", result, page.Total, len(want))
			}
			got = append(got, page.Checks...)
			if page.NextCursor == "" {
				break
			}
			args["cursor"] = page.NextCursor
		}
		if len(got) != len(want) {
			t.Fatalf("result %q: walked %d checks, dataset %d", result, len(got), len(want))
		}
		for i, c := range got {
			w := want[i]
			if c.ID != itemInt(w["id"]) || c.Title != w["title"] || c.Result != w["result"] || c.Remediation != w["remediation"] ||
				len(c.Compliance) != len(w["compliance"].([]any)) {
				t.Fatalf("check %+v, dataset %v", c, w)
			}
			if w["reason"] != nil && c.Reason != w["reason"] {
				t.Fatalf("reason %q, dataset %v", c.Reason, w["reason"])
			}
		}
		if len(got[0].Compliance) > 0 && !strings.Contains(got[0].Compliance[0], ":") {
			t.Errorf("compliance tags are not framework:requirement: %v", got[0].Compliance)
		}
	}
	for _, bad := range []map[string]any{
		{"agent_id": "1", "policy_id": "../x"}, {"agent_id": "1", "policy_id": "a b"}, {"agent_id": "1"},
		{"agent_id": "1", "policy_id": pid, "result": "broken"},
	} {
		msg := resultError(t, e.call(t, "get_sca_policy_checks", bad, nil))
		if !strings.Contains(msg, "invalid argument policy_id") && !strings.Contains(msg, "invalid argument result") {
			t.Errorf("%v: %s", bad, msg)
		}
	}
}

func TestFIMEventsHashesAndTotals(t *testing.T) {
	e := newEnv(t)
	id := "001"
	files := e.sim.Dataset.Syscheck[id]
	var out FIMEvents
	e.call(t, "get_fim_events", map[string]any{"agent_id": id, "limit": 500, "time_range": "7d"}, &out)
	if out.Files.Total != len(files) || out.Files.Returned != len(files) {
		t.Fatalf("files: total %d returned %d, dataset %d", out.Files.Total, out.Files.Returned, len(files))
	}
	latest := ""
	for _, f := range files {
		latest = max(latest, f["date"].(string))
	}
	if out.Files.Entries[0].Changed != latest {
		t.Errorf("not most recently changed first: %s, newest in dataset %s", out.Files.Entries[0].Changed, latest)
	}
	scan := e.sim.Dataset.FIMScans[id]
	if out.Files.LastScan == nil || out.Files.LastScan.Start != scan["start"] || out.Files.LastScan.End != scan["end"] {
		t.Errorf("last scan %+v, dataset %v", out.Files.LastScan, scan)
	}
	from := e.now.Add(-7 * 24 * time.Hour)
	wantAlerts := countAlerts(e.sim, func(d search.Doc) bool {
		at := alertTime(d)
		return hasValue(d, "agent.id", id) && hasValue(d, "rule.groups", "syscheck") && !at.Before(from) && !at.After(e.now)
	})
	if wantAlerts == 0 || out.Alerts == nil || out.Alerts.Total != wantAlerts || out.Alerts.Returned != int(min(wantAlerts, 500)) {
		t.Fatalf("alerts: %+v, dataset %d", out.Alerts, wantAlerts)
	}
	for _, f := range out.Files.Entries {
		if f.Hashes != nil || f.Untrusted == nil || f.Untrusted.Path == "" {
			t.Fatalf("entry without include_hashes: %+v", f)
		}
	}
	for _, a := range out.Alerts.Events {
		if a.Hashes != nil {
			t.Fatalf("alert hashes without include_hashes: %+v", a)
		}
	}
	if !slices.ContainsFunc(out.Notes, func(n string) bool { return strings.Contains(n, "include_hashes") }) {
		t.Errorf("no note on omitted hashes: %v", out.Notes)
	}

	var with FIMEvents
	e.call(t, "get_fim_events", map[string]any{"agent_id": id, "limit": 500, "time_range": "7d", "include_hashes": true}, &with)
	byPath := map[string]dataset.Item{}
	for _, f := range files {
		byPath[f["file"].(string)] = f
	}
	hashed := 0
	for _, f := range with.Files.Entries {
		w := byPath[f.Untrusted.Path]
		if w == nil {
			t.Fatalf("unknown path %q", f.Untrusted.Path)
		}
		if w["sha256"] != "" {
			hashed++
			if f.Hashes == nil || f.Hashes.MD5 != w["md5"] || f.Hashes.SHA1 != w["sha1"] || f.Hashes.SHA256 != w["sha256"] {
				t.Fatalf("%s: hashes %+v, dataset %v", f.Untrusted.Path, f.Hashes, w)
			}
		}
	}
	alertHashes := 0
	for _, a := range with.Alerts.Events {
		if a.Hashes != nil && a.Hashes.SHA256 != "" {
			alertHashes++
		}
	}
	if hashed == 0 || alertHashes == 0 {
		t.Fatalf("include_hashes showed %d file and %d alert hashes", hashed, alertHashes)
	}

	// limit bounds both parts and the totals stay exact.
	var small FIMEvents
	e.call(t, "get_fim_events", map[string]any{"agent_id": id, "limit": 3}, &small)
	from24 := e.now.Add(-24 * time.Hour)
	want24 := countAlerts(e.sim, func(d search.Doc) bool {
		at := alertTime(d)
		return hasValue(d, "agent.id", id) && hasValue(d, "rule.groups", "syscheck") && !at.Before(from24) && !at.After(e.now)
	})
	if small.Files.Returned != 3 || small.Files.Total != len(files) || small.Alerts.Total != want24 || small.Alerts.Returned != int(min(want24, 3)) {
		t.Fatalf("limit 3: files %d/%d, alerts %d/%d (dataset %d in 24h)", small.Files.Returned, small.Files.Total, small.Alerts.Returned, small.Alerts.Total, want24)
	}
	if msg := resultError(t, e.call(t, "get_fim_events", map[string]any{"agent_id": id, "time_range": "ever"}, nil)); !strings.Contains(msg, "invalid argument time_range") {
		t.Errorf("bad time_range: %s", msg)
	}
}

func TestRootcheckMatchesDataset(t *testing.T) {
	e := newEnv(t)
	id := "001"
	items := e.sim.Dataset.Rootcheck[id]
	for _, status := range []string{"", "outstanding", "solved"} {
		want := 0
		for _, it := range items {
			if status == "" || it["status"] == status {
				want++
			}
		}
		var out Rootcheck
		e.call(t, "get_rootcheck", map[string]any{"agent_id": id, "status": status}, &out)
		if out.Total != want || out.Returned != want {
			t.Fatalf("status %q: total %d returned %d, dataset %d", status, out.Total, out.Returned, want)
		}
		for _, f := range out.Findings {
			if f.Untrusted == nil || f.Untrusted.Event == "" || (status != "" && f.Status != status) {
				t.Fatalf("finding %+v", f)
			}
		}
	}
	var out Rootcheck
	e.call(t, "get_rootcheck", map[string]any{"agent_id": id, "limit": 2}, &out)
	seen := map[string]bool{}
	for pages := 0; ; pages++ {
		for _, f := range out.Findings {
			key := fmt.Sprint(f.Untrusted.Event, f.Last)
			if seen[key] {
				t.Fatalf("finding seen twice: %s", key)
			}
			seen[key] = true
		}
		if out.NextCursor == "" || pages > 20 {
			break
		}
		next := out.NextCursor
		out = Rootcheck{}
		e.call(t, "get_rootcheck", map[string]any{"agent_id": id, "limit": 2, "cursor": next}, &out)
	}
	if len(seen) != len(items) {
		t.Fatalf("paging saw %d findings, dataset %d", len(seen), len(items))
	}
	var start any
	for _, it := range items {
		if it["log"] == "Starting rootcheck scan." {
			start = it["date_last"]
		}
	}
	if start == nil || out.LastScan == nil || out.LastScan.Start != start {
		t.Errorf("last scan %+v, dataset start %v", out.LastScan, start)
	}
	var mac Rootcheck
	macID := ""
	for _, a := range e.sim.Dataset.Agents {
		if a["status"] == "active" && strings.Contains(strings.ToLower(fmt.Sprint(a["os"].(dataset.Item)["platform"])), "darwin") {
			macID = a["id"].(string)
		}
	}
	if macID == "" {
		t.Fatal("the stand-in has no active macOS agent")
	}
	e.call(t, "get_rootcheck", map[string]any{"agent_id": macID}, &mac)
	if mac.Total != 0 || mac.LastScan != nil || len(mac.Notes) == 0 {
		t.Errorf("macOS agent %s: %+v", macID, mac)
	}
	if msg := resultError(t, e.call(t, "get_rootcheck", map[string]any{"agent_id": id, "status": "open"}, nil)); !strings.Contains(msg, "invalid argument status") {
		t.Errorf("bad status: %s", msg)
	}
}
