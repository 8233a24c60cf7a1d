package wazuh

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// TestTypedCallsDecodeRealExamples serves the real spec examples and checks
// the typed calls read them, including the type drifts (pid as a string,
// agent_id as a number, rules/files "file").
func TestTypedCallsDecodeRealExamples(t *testing.T) {
	ex := specExamples(t)
	f := newFakeManager(t)
	routes := map[string]string{
		"/agents":                         "GET /agents",
		"/agents/summary/status":          "GET /agents/summary/status",
		"/syscollector/001/processes":     "GET /syscollector/{agent_id}/processes",
		"/syscollector/001/ports":         "GET /syscollector/{agent_id}/ports",
		"/syscollector/001/packages":      "GET /syscollector/{agent_id}/packages",
		"/syscollector/001/netaddr":       "GET /syscollector/{agent_id}/netaddr",
		"/syscollector/001/netiface":      "GET /syscollector/{agent_id}/netiface",
		"/syscollector/001/os":            "GET /syscollector/{agent_id}/os",
		"/syscollector/001/hardware":      "GET /syscollector/{agent_id}/hardware",
		"/syscollector/001/hotfixes":      "GET /syscollector/{agent_id}/hotfixes",
		"/rules":                          "GET /rules",
		"/rules/files":                    "GET /rules/files",
		"/decoders":                       "GET /decoders",
		"/lists":                          "GET /lists",
		"/sca/001":                        "GET /sca/{agent_id}",
		"/sca/001/checks/cis_ubuntu20-04": "GET /sca/{agent_id}/checks/{policy_id}",
		"/syscheck/001":                   "GET /syscheck/{agent_id}",
		"/rootcheck/001":                  "GET /rootcheck/{agent_id}",
		"/manager/info":                   "GET /manager/info",
		"/manager/status":                 "GET /manager/status",
		"/manager/stats/hourly":           "GET /manager/stats/hourly",
		"/manager/stats/weekly":           "GET /manager/stats/weekly",
		"/manager/stats/analysisd":        "GET /manager/stats/analysisd",
		"/manager/stats/remoted":          "GET /manager/stats/remoted",
		"/manager/logs":                   "GET /manager/logs",
		"/manager/logs/summary":           "GET /manager/logs/summary",
		"/manager/daemons/stats":          "GET /manager/daemons/stats",
		"/cluster/status":                 "GET /cluster/status",
		"/cluster/nodes":                  "GET /cluster/nodes",
		"/cluster/healthcheck":            "GET /cluster/healthcheck",
		"/cluster/local/info":             "GET /cluster/local/info",
		"/mitre/techniques":               "GET /mitre/techniques",
		"/groups":                         "GET /groups",
		"/agents/001/stats/logcollector":  "GET /agents/{agent_id}/stats/{component}",
		"/agents/001/config/agent/client": "GET /agents/{agent_id}/config/{component}/{configuration}",
	}
	for path, op := range routes {
		f.handleJSON(path, mustExample(t, ex, op))
	}
	c := testClient(t, f, nil)
	ctx := context.Background()
	check := func(name string, err error, ok bool) {
		t.Helper()
		if err != nil || !ok {
			t.Errorf("%s: err=%v ok=%v", name, err, ok)
		}
	}

	agents, err := c.ListAgents(ctx, AgentFilter{})
	check("agents", err, len(agents.Items) == 3 && agents.Items[0].OS.Platform == "ubuntu" && agents.Items[0].Group[0] == "default" && agents.Items[0].NodeName == "worker2")
	sum, err := c.AgentsSummary(ctx)
	check("summary", err, sum.Connection.Active == 8 && sum.Configuration.NotSynced == 3)
	procs, err := c.Processes(ctx, "1", ListOptions{})
	check("processes (pid as string)", err, len(procs.Items) == 1 && procs.Items[0].PID == 1 && procs.Items[0].Name == "bash" && procs.Items[0].EUser == "root")
	ports, err := c.Ports(ctx, "001", ListOptions{})
	check("ports", err, len(ports.Items) == 3 && ports.Items[1].Local.Port == 1514 && ports.Items[1].State == "listening")
	pk, err := c.Packages(ctx, "001", ListOptions{})
	check("packages", err, len(pk.Items) > 0 && pk.Items[0].Name == "libquadmath0")
	na, err := c.NetAddr(ctx, "001", ListOptions{})
	check("netaddr (agent_id as number)", err, len(na.Items) == 1 && na.Items[0].AgentID == "1" && na.Items[0].Address == "172.26.0.7")
	ni, err := c.NetIface(ctx, "001", ListOptions{})
	check("netiface", err, len(ni.Items) == 1 && ni.Items[0].RX.Bytes == 679529)
	osi, err := c.OS(ctx, "001", ListOptions{})
	check("os", err, len(osi.Items) == 1 && osi.Items[0].OS.Major == "20")
	hw, err := c.Hardware(ctx, "001", ListOptions{})
	check("hardware", err, len(hw.Items) == 1 && hw.Items[0].CPU.Cores == 4)
	hf, err := c.Hotfixes(ctx, "001", ListOptions{})
	check("hotfixes", err, len(hf.Items) == 1 && hf.Items[0].Hotfix == "KB2978691")
	rules, err := c.Rules(ctx, ListOptions{})
	check("rules", err, len(rules.Items) == 1 && rules.Items[0].ID == 1001 && rules.Items[0].PCIDSS[0] == "0.2.4")
	rf, err := c.RuleFiles(ctx, ListOptions{})
	check("rule files (file → filename)", err, len(rf.Items) == 4 && rf.Items[0].Filename == "0010-rules_config.xml" && rf.Items[0].Extra == nil)
	dec, err := c.Decoders(ctx, ListOptions{})
	check("decoders", err, len(dec.Items) == 2 && dec.Items[1].Name == "agent-buffer")
	lists, err := c.Lists(ctx, ListOptions{})
	check("lists", err, len(lists.Items) == 1 && lists.Items[0].Items[0].Key == "audit-wazuh-w")
	sca, err := c.SCA(ctx, "001", ListOptions{})
	check("sca", err, len(sca.Items) == 1 && sca.Items[0].Score == 39)
	checks, err := c.SCAChecks(ctx, "001", "cis_ubuntu20-04", ListOptions{})
	check("sca checks", err, len(checks.Items) > 0 && checks.Items[0].ID == 19000)
	fim, err := c.Syscheck(ctx, "001", ListOptions{})
	check("syscheck", err, len(fim.Items) == 2 && fim.Total == 1433)
	rc, err := c.Rootcheck(ctx, "001", ListOptions{})
	check("rootcheck", err, len(rc.Items) == 2 && rc.Items[0].Status == "outstanding")
	mi, err := c.ManagerInfo(ctx)
	check("manager info", err, mi.Version == "v4.3.0" && mi.MaxAgents == "unlimited")
	ms, err := c.ManagerStatus(ctx)
	check("manager status", err, ms["wazuh-analysisd"] == "running")
	hs, err := c.ManagerStatsHourly(ctx)
	check("hourly", err, len(hs.Averages) == 24)
	ws, err := c.ManagerStatsWeekly(ctx)
	check("weekly", err, len(ws) == 7 && len(ws["Sun"].Averages) == 24)
	an, err := c.ManagerAnalysisd(ctx)
	check("analysisd", err, an["total_events_decoded"] == 113.0)
	rm, err := c.ManagerRemoted(ctx)
	check("remoted", err, rm["tcp_sessions"] == 4.0)
	logs, err := c.ManagerLogs(ctx, LogFilter{Level: "error"})
	check("logs", err, len(logs.Items) == 3)
	req, _ := f.last("/manager/logs")
	check("logs level param", nil, req.URL.Query().Get("level") == "error")
	lsum, err := c.ManagerLogsSummary(ctx)
	check("logs summary", err, lsum["wazuh-db"].Error == 3)
	ds, err := c.ManagerDaemonStats(ctx, []string{"wazuh-remoted"})
	check("daemon stats", err, len(ds.Items) == 1 && ds.Items[0].Name == "wazuh-remoted")
	cs, err := c.ClusterStatus(ctx)
	check("cluster status", err, cs.Enabled == "yes")
	cn, err := c.ClusterNodes(ctx, ListOptions{})
	check("cluster nodes", err, len(cn.Items) == 3 && cn.Items[0].Type == "master")
	chk, err := c.ClusterHealthcheck(ctx, nil)
	check("healthcheck", err, len(chk.Items) == 3 && chk.Items[0].Info.NActiveAgents == 5)
	li, err := c.ClusterLocalInfo(ctx)
	check("local info", err, li.Cluster == "wazuh")
	mt, err := c.MitreTechniques(ctx, ListOptions{})
	check("mitre", err, len(mt.Items) > 0 && mt.Items[0].ExternalID == "T1590")
	gr, err := c.Groups(ctx, ListOptions{})
	check("groups", err, len(gr.Items) == 3 && gr.Items[1].Count == 3)
	lc, err := c.LogcollectorStats(ctx, "001")
	check("logcollector", err, len(lc.Global.Files) == 4 && lc.Global.Files[0].Events == 20)
	cfgRaw, err := c.AgentConfig(ctx, "001", "agent", "client")
	check("agent config", err, strings.Contains(string(cfgRaw), `"client"`))
}

func TestExtraKeepsUnknownFields(t *testing.T) {
	var a Agent
	if err := json.Unmarshal([]byte(`{"id":"001","name":"web","new_field":{"x":1},"status":"active"}`), &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != "001" || string(a.Extra["new_field"]) != `{"x":1}` || len(a.Extra) != 1 {
		t.Fatalf("%+v", a)
	}
}

func TestPathEscaping(t *testing.T) {
	tests := []struct {
		tmpl    string
		params  []string
		want    string
		wantErr bool
	}{
		{"/agents/{agent_id}/config/{component}/{configuration}", []string{"001", "agent", "client"}, "/agents/001/config/agent/client", false},
		{"/rules/files/{filename}", []string{"../etc/passwd"}, "/rules/files/..%2Fetc%2Fpasswd", false},
		{"/rules/files/{filename}", []string{"a b?x=1#y"}, "/rules/files/a%20b%3Fx=1%23y", false},
		{"/rules/files/{filename}", []string{".."}, "", true},
		{"/rules/files/{filename}", []string{""}, "", true},
		{"/rules/files/{filename}", nil, "", true},
		{"/manager/info", []string{"x"}, "", true},
	}
	for _, tt := range tests {
		got, err := expandPath(tt.tmpl, tt.params)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("expandPath(%q, %q) = %q, %v; want %q", tt.tmpl, tt.params, got, err, tt.want)
		}
	}
}

func TestListOptionsValidation(t *testing.T) {
	bad := []ListOptions{
		{Limit: -1}, {Limit: MaxLimit + 1}, {Sort: "name;drop"}, {Select: []string{"a,b"}},
		{Params: map[string][]string{"q": {"x=1"}}}, {Q: Eq("name", "a,b")},
	}
	for _, o := range bad {
		if _, err := o.values(); err == nil {
			t.Errorf("%+v accepted", o)
		}
	}
	v, err := ListOptions{Offset: 10, Limit: 5, Sort: "-dateAdd,+name", Search: "web", Select: []string{"id", "os.name"},
		Q: And(Eq("status", "active"), Like("os.name", "ubuntu"))}.values()
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Encode(); got != "limit=5&offset=10&q=status%3Dactive%3Bos.name~ubuntu&search=web&select=id%2Cos.name&sort=-dateAdd%2C%2Bname" {
		t.Fatalf("query = %s", got)
	}
	_, err = ListOptions{Q: Eq("bad field!", "x")}.values()
	if !errors.Is(err, ErrInvalidQuery) {
		t.Fatalf("err = %v", err)
	}
}
