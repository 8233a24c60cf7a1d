package tools

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"
)

// newEvidenceEnv is newEnv with a store (a fresh one per test), returned
// so that tests can read what the tool stored.
func newEvidenceEnv(t *testing.T, mod func(*Deps)) (*env, *store.Store) {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return newEnvOn(t, sharedSim(t), func(d *Deps) {
		d.Store = st
		if mod != nil {
			mod(d)
		}
	}), st
}

// storedBundle is a stored pack decoded for assertions; raw sections keep
// their exact bytes.
type storedBundle struct {
	Manifest EvidenceManifest           `json:"manifest"`
	Sections map[string]json.RawMessage `json:"sections"`
}

func readPack(t *testing.T, st *store.Store, id string) ([]byte, storedBundle) {
	t.Helper()
	row, err := st.GetEvidence(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	var b storedBundle
	if err := json.Unmarshal(row.Bundle, &b); err != nil {
		t.Fatal(err)
	}
	return row.Bundle, b
}

func sectionOf[T any](t *testing.T, b storedBundle, name string) T {
	t.Helper()
	var v T
	raw, ok := b.Sections[name]
	if !ok {
		t.Fatalf("the pack has no %s section (has %v)", name, keysOf(b.Sections))
	}
	if err := json.Unmarshal(raw, &v); err != nil {
		t.Fatalf("section %s: %v", name, err)
	}
	return v
}

func keysOf[V any](m map[string]V) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// pickAlertWithSrcIP is a stand-in alert of a real agent with a source IP,
// from the middle of the dataset (so that its window holds other alerts).
func pickAlertWithSrcIP(t *testing.T, alerts []search.Doc) search.Doc {
	t.Helper()
	for i := len(alerts) / 2; i < len(alerts); i++ {
		d := alerts[i]
		if len(d.Values("data.srcip")) > 0 && !hasValue(d, "agent.id", "000") {
			return d
		}
	}
	t.Fatal("the stand-in has no alert with data.srcip")
	return nil
}

func TestEvidencePackOfAnAlert(t *testing.T) {
	e, st := newEvidenceEnv(t, nil)
	doc := pickAlertWithSrcIP(t, e.sim.Dataset.Alerts)
	agentID := fmt.Sprint(doc.Values("agent.id")[0])
	srcIP := fmt.Sprint(doc.Values("data.srcip")[0])
	ts := alertTime(doc)
	from, to := ts.Add(-24*time.Hour), ts.Add(time.Hour)

	var out EvidencePack
	e.call(t, "create_evidence_pack", map[string]any{"alert_id": doc.ID()}, &out)
	if !evidenceIDRe.MatchString(out.ID) || out.URI != "wazuh://evidence/"+out.ID {
		t.Fatalf("id %q uri %q", out.ID, out.URI)
	}
	if out.Subject.AlertID != doc.ID() || out.Subject.AgentID != agentID {
		t.Fatalf("subject %+v, want alert %s agent %s", out.Subject, doc.ID(), agentID)
	}
	if out.Window != windowOf(from, to) {
		t.Fatalf("window %+v, want 24h before to 1h after %s", out.Window, ts)
	}
	bundle, b := readPack(t, st, out.ID)

	// The hashes recompute from the stored bytes, independently of VerifyEvidence.
	if sum := sha256.Sum256(bundle); hex.EncodeToString(sum[:]) != out.BundleSHA256 || len(bundle) != out.SizeBytes {
		t.Fatalf("bundle_sha256/size do not match the stored bundle")
	}
	var parts struct{ Manifest json.RawMessage }
	if err := json.Unmarshal(bundle, &parts); err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(parts.Manifest); hex.EncodeToString(sum[:]) != out.ManifestSHA256 {
		t.Fatal("manifest_sha256 does not match the stored manifest")
	}
	want := []string{"agent", "alert", "fim", "network", "ports", "processes", "related_alerts", "vulnerabilities"}
	if len(out.Manifest) != len(want) || len(b.Sections) != len(want) {
		t.Fatalf("sections %v / %v, want %v", keysOf(out.Manifest), keysOf(b.Sections), want)
	}
	for _, name := range want {
		dg, ok := out.Manifest[name]
		sum := sha256.Sum256(b.Sections[name])
		if !ok || dg.SHA256 != hex.EncodeToString(sum[:]) || dg != b.Manifest.Sections[name] {
			t.Errorf("section %s: manifest %+v does not match its bytes or the stored manifest", name, dg)
		}
		if dg.Partial {
			t.Errorf("section %s failed: %s", name, dg.Error)
		}
	}

	alert := sectionOf[AlertDetail](t, b, "alert")
	if alert.Alert.ID != fmt.Sprint(doc.Values("id")[0]) || alert.Alert.Agent.ID != agentID || out.Manifest["alert"].Items != 1 {
		t.Fatalf("alert section %+v is not the alert %s", alert.Alert, doc.ID())
	}
	agent := sectionOf[AgentDetail](t, b, "agent")
	wantName := fmt.Sprint(doc.Values("agent.name")[0])
	if agent.Agent.ID != agentID || agent.Agent.Name != wantName {
		t.Fatalf("agent section %s/%s, want %s/%s", agent.Agent.ID, agent.Agent.Name, agentID, wantName)
	}

	rel := sectionOf[RelatedAlerts](t, b, "related_alerts")
	wantAgent := countAlerts(e.sim, func(d search.Doc) bool { return hasValue(d, "agent.id", agentID) && inWindow(d, from, to) })
	wantSrc := countAlerts(e.sim, func(d search.Doc) bool { return hasValue(d, "data.srcip", srcIP) && inWindow(d, from, to) })
	if rel.SameAgent == nil || rel.SameAgent.Total != wantAgent || rel.SameAgent.TotalRelation != "eq" {
		t.Fatalf("same-agent related total %+v, want exactly %d", rel.SameAgent, wantAgent)
	}
	if rel.SameSrcIP == nil || rel.SameSrcIP.Total != wantSrc || wantSrc == 0 {
		t.Fatalf("same-srcip related total %+v, want exactly %d", rel.SameSrcIP, wantSrc)
	}
	if n := min(wantAgent, evidenceRelatedCap) + min(wantSrc, evidenceRelatedCap); int64(out.Manifest["related_alerts"].Items) != n {
		t.Fatalf("related_alerts items %d, want %d", out.Manifest["related_alerts"].Items, n)
	}
	for _, a := range rel.SameAgent.Alerts {
		if a.Agent.ID != agentID {
			t.Fatalf("a related alert of another agent: %+v", a)
		}
	}

	vulns := sectionOf[VulnList](t, b, "vulnerabilities")
	var wantVulns int64
	for _, v := range e.sim.Dataset.Vulnerabilities {
		if hasValue(v, "agent.id", agentID) {
			wantVulns++
		}
	}
	if vulns.Total != wantVulns || int64(vulns.Returned) != min(wantVulns, evidenceVulnCap) {
		t.Fatalf("vulnerabilities total %d returned %d, want %d", vulns.Total, vulns.Returned, wantVulns)
	}
	procs := sectionOf[ProcessList](t, b, "processes")
	if wantProcs := len(e.sim.Dataset.Syscollector[agentID]["processes"]); procs.Total != wantProcs || out.Manifest["processes"].Items != min(wantProcs, evidenceInvCap) {
		t.Fatalf("processes %d (items %d), want %d", procs.Total, out.Manifest["processes"].Items, wantProcs)
	}
	for _, p := range procs.Processes {
		if p.Untrusted != nil {
			t.Fatal("command lines are in the pack without include_command")
		}
	}
	fim := sectionOf[FIMEvents](t, b, "fim")
	wantFIM := countAlerts(e.sim, func(d search.Doc) bool {
		return hasValue(d, "agent.id", agentID) && hasValue(d, "rule.groups", "syscheck") && inWindow(d, from, to)
	})
	if fim.AgentID != agentID || fim.Alerts == nil || fim.Alerts.Total != wantFIM || fim.Alerts.Window != out.Window {
		t.Fatalf("fim section %s alerts %+v, want %d in %+v", fim.AgentID, fim.Alerts, wantFIM, out.Window)
	}
	if strings.Contains(string(bundle), srcIP) && isInternal(srcIP) {
		for name, raw := range b.Sections {
			if i := strings.Index(string(raw), srcIP); i >= 0 {
				t.Errorf("section %s: ...%s...", name, string(raw)[max(0, i-200):min(len(raw), i+50)])
			}
		}
		t.Fatalf("the internal source IP %s is in the pack without include_ip", srcIP)
	}

	// The resource is the stored bundle, byte for byte.
	res, err := e.session.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: out.URI})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Contents) != 1 || res.Contents[0].Text != string(bundle) || res.Contents[0].MIMEType != "application/json" {
		t.Fatal("the resource is not the stored bundle")
	}
	for _, uri := range []string{"wazuh://evidence/evp_aaaaaaaaaaaaaaaa", "wazuh://evidence/../x", "wazuh://evidence/not-an-id"} {
		if _, err := e.session.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: uri}); err == nil || !strings.Contains(err.Error(), "not found") {
			t.Errorf("%s: error %v, want resource not found", uri, err)
		}
	}

	// The same alert with its own agent is accepted; the window args apply.
	var again EvidencePack
	e.call(t, "create_evidence_pack", map[string]any{"alert_id": doc.ID(), "agent_id": strings.TrimLeft(agentID, "0"), "time_range": "2h",
		"include_ip": true, "include_full_log": true}, &again)
	if again.ID == out.ID || again.Window != windowOf(ts.Add(-2*time.Hour), to) {
		t.Fatalf("second pack %s window %+v", again.ID, again.Window)
	}
	_, b2 := readPack(t, st, again.ID)
	if a := sectionOf[AlertDetail](t, b2, "alert").Alert; a.SrcIP != srcIP || a.Untrusted == nil || a.Untrusted.FullLog == "" || !b2.Manifest.Redaction.InternalIPs {
		t.Fatalf("with include_ip and include_full_log: src_ip %q untrusted %+v", a.SrcIP, a.Untrusted)
	}
	if list, err := st.ListEvidence(context.Background(), 10); err != nil || len(list) != 2 || list[0].PrincipalID != "local" {
		t.Fatalf("stored packs %+v (%v)", list, err)
	}
	var audited int
	_ = st.EachAudit(context.Background(), 0, time.Time{}, func(r store.AuditRecord) error {
		if strings.Contains(string(r.Record), out.BundleSHA256) {
			audited++
		}
		return nil
	})
	if audited != 1 {
		t.Fatalf("the pack's bundle hash is in %d audit records, want 1", audited)
	}
}

func isInternal(ip string) bool {
	return strings.HasPrefix(ip, "10.") || strings.HasPrefix(ip, "192.168.") || strings.HasPrefix(ip, "172.")
}

func TestEvidencePackOfAnAgent(t *testing.T) {
	e, st := newEvidenceEnv(t, nil)
	var out EvidencePack
	e.call(t, "create_evidence_pack", map[string]any{"agent_id": "1", "time_range": "6h"}, &out)
	from := simNow.Add(-6 * time.Hour)
	if out.Subject != (EvidenceSubject{AgentID: "001"}) || out.Window != windowOf(from, simNow) {
		t.Fatalf("subject %+v window %+v", out.Subject, out.Window)
	}
	_, b := readPack(t, st, out.ID)
	if _, ok := b.Sections["alert"]; ok {
		t.Fatal("an agent pack has an alert section")
	}
	rel := sectionOf[RelatedAlerts](t, b, "related_alerts")
	want := countAlerts(e.sim, func(d search.Doc) bool { return hasValue(d, "agent.id", "001") && inWindow(d, from, simNow) })
	if rel.SameAgent.Total != want || rel.SameSrcIP != nil {
		t.Fatalf("related %d (srcip %v), want %d", rel.SameAgent.Total, rel.SameSrcIP, want)
	}
	if b.Manifest.Principal != "local" || b.Manifest.ID != out.ID || b.Manifest.Format != EvidenceFormat {
		t.Fatalf("manifest head %+v", b.Manifest)
	}
}

func TestEvidencePackPartialSections(t *testing.T) {
	// No indexer: the indexer-backed sections fail, the pack is still made
	// and says which sections are partial.
	e, st := newEvidenceEnv(t, func(d *Deps) {
		ic, err := indexer.New(indexer.Config{})
		if err != nil {
			t.Fatal(err)
		}
		d.Indexer = ic
	})
	var out EvidencePack
	e.call(t, "create_evidence_pack", map[string]any{"agent_id": "002"}, &out)
	for name, dg := range out.Manifest {
		wantPartial := name == "related_alerts" || name == "vulnerabilities"
		if dg.Partial != wantPartial || (wantPartial && dg.Error == "") {
			t.Errorf("section %s: partial %v error %q", name, dg.Partial, dg.Error)
		}
	}
	_, b := readPack(t, st, out.ID)
	if e := sectionOf[map[string]string](t, b, "vulnerabilities")["error"]; e != out.Manifest["vulnerabilities"].Error {
		t.Fatalf("the failed section records %q", e)
	}
	if !strings.Contains(strings.Join(out.Notes, "\n"), "related_alerts, vulnerabilities") {
		t.Fatalf("notes do not name the failed sections: %v", out.Notes)
	}
}

func TestEvidencePackBadArguments(t *testing.T) {
	e, _ := newEvidenceEnv(t, nil)
	doc := pickAlertWithSrcIP(t, e.sim.Dataset.Alerts)
	other := "003"
	if hasValue(doc, "agent.id", other) {
		other = "004"
	}
	for _, tc := range []struct {
		args map[string]any
		want string
	}{
		{map[string]any{}, "invalid argument alert_id: give alert_id or agent_id"},
		{map[string]any{"agent_id": "abc"}, "invalid argument agent_id"},
		{map[string]any{"agent_id": "999"}, "no agent 999"},
		{map[string]any{"alert_id": strings.Repeat("x", 200)}, "invalid argument alert_id"},
		{map[string]any{"alert_id": "no-such-alert"}, "not found"},
		{map[string]any{"alert_id": doc.ID(), "agent_id": other}, "invalid argument agent_id: alert " + doc.ID() + " was reported by agent"},
		{map[string]any{"agent_id": "001", "time_range": "1h", "timestamp_start": "now-2h"}, "not both"},
		{map[string]any{"agent_id": "001", "time_range": "soon"}, "invalid argument time_range"},
		{map[string]any{"agent_id": "001", "timestamp_start": "now", "timestamp_end": "now-1h"}, "must be before"},
	} {
		res := e.call(t, "create_evidence_pack", tc.args, nil)
		if msg := resultError(t, res); !strings.Contains(msg, tc.want) {
			t.Errorf("%v: %q, want it to contain %q", tc.args, msg, tc.want)
		}
	}

	noStore := newEnv(t)
	res := noStore.call(t, "create_evidence_pack", map[string]any{"agent_id": "001"}, nil)
	if msg := resultError(t, res); !strings.Contains(msg, "need the server's store") {
		t.Fatalf("without a store: %q", msg)
	}
	if _, err := noStore.session.ReadResource(context.Background(), &mcp.ReadResourceParams{URI: "wazuh://evidence/evp_aaaaaaaaaaaaaaaa"}); err == nil {
		t.Fatal("a server without a store serves evidence resources")
	}
}

func TestVerifyEvidenceDetectsTampering(t *testing.T) {
	m := EvidenceManifest{Format: EvidenceFormat, ID: "evp_aaaaaaaaaaaaaaaa"}
	bundle, err := buildBundle(&m, map[string]section{
		"agent": {value: map[string]string{"id": "001"}, items: 1},
		"ports": {err: fmt.Errorf("boom")},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := VerifyEvidence(bundle)
	if err != nil || !c.OK() || c.ID != m.ID || len(c.Sections) != 2 || !c.Sections[1].Partial {
		t.Fatalf("intact bundle: %+v %v", c, err)
	}
	for name, tamper := range map[string]func(string) string{
		"section edited":  func(s string) string { return strings.Replace(s, `"id":"001"`, `"id":"002"`, 1) },
		"section dropped": func(s string) string { return strings.Replace(s, `"ports":{"error":"boom"}`, `"x":{}`, 1) },
		"reformatted":     func(s string) string { return strings.Replace(s, `{"id":"001"}`, `{ "id": "001" }`, 1) },
		"section injected": func(s string) string {
			return strings.Replace(s, `"sections":{"agent":{"id"`, `"sections":{"zz":1,"agent":{"id"`, 1)
		},
	} {
		c, err := VerifyEvidence([]byte(tamper(string(bundle))))
		if err != nil || c.OK() {
			t.Errorf("%s: not detected (%+v, %v)", name, c, err)
		}
	}
	for _, bad := range []string{"", "[]", `{"manifest":{"format":"other"}}`, string(bundle) + "{}"} {
		if _, err := VerifyEvidence([]byte(bad)); err == nil {
			t.Errorf("%q accepted as an evidence pack", bad)
		}
	}
}
