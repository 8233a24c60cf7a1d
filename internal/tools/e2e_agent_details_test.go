package tools

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// agentWithStatus returns the first stand-in agent (not the manager) with status.
func agentWithStatus(t *testing.T, e *env, status string) string {
	t.Helper()
	for _, a := range e.sim.Dataset.Agents {
		if a["status"] == status && a["id"] != "000" {
			return a["id"].(string)
		}
	}
	t.Fatalf("the stand-in has no %s agent", status)
	return ""
}

func itemInt(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func TestGetAgentHasInventory(t *testing.T) {
	e := newEnv(t)
	var out AgentDetail
	e.call(t, "get_agent", map[string]any{"agent_id": "1"}, &out)
	inv := e.sim.Dataset.Syscollector["001"]
	osItem, hw := inv["os"][0], inv["hardware"][0]
	osv := osItem["os"].(map[string]any)
	if out.Inventory == nil || out.Inventory.OS == nil || out.Inventory.Hardware == nil {
		t.Fatalf("no inventory: %+v", out)
	}
	if out.Inventory.OS.Name != osv["name"] || out.Inventory.OS.Version != osv["version"] ||
		out.Inventory.OS.Arch != osItem["architecture"] || out.Inventory.OS.Kernel != fmt.Sprint(osItem["sysname"], " ", osItem["release"]) {
		t.Errorf("os %+v, dataset %v", out.Inventory.OS, osItem)
	}
	cpu, ram := hw["cpu"].(dataset.Item), hw["ram"].(dataset.Item)
	if out.Inventory.Hardware.CPU != cpu["name"] || out.Inventory.Hardware.Cores != itemInt(cpu["cores"]) ||
		out.Inventory.Hardware.RAMTotalMB != itemInt(ram["total"])/1024 || out.Inventory.Hardware.RAMUsage != itemInt(ram["usage"]) {
		t.Errorf("hardware %+v, dataset %v", out.Inventory.Hardware, hw)
	}
	if out.Agent.ID != "001" || out.Agent.Status != "active" {
		t.Errorf("agent %+v", out.Agent)
	}

	never := agentWithStatus(t, e, "never_connected")
	var bare AgentDetail
	e.call(t, "get_agent", map[string]any{"agent_id": never}, &bare)
	if bare.Inventory != nil || !slices.ContainsFunc(bare.Notes, func(n string) bool { return strings.Contains(n, "no syscollector OS inventory") }) {
		t.Errorf("never-connected agent %s: inventory %+v, notes %v", never, bare.Inventory, bare.Notes)
	}
}

func TestAgentNetworkGroupsAddressesAndRedacts(t *testing.T) {
	e := newEnv(t)
	inv := e.sim.Dataset.Syscollector["001"]
	var out AgentNetwork
	e.call(t, "get_agent_network", map[string]any{"agent_id": "001"}, &out)
	if len(out.Interfaces) != len(inv["netiface"]) {
		t.Fatalf("%d interfaces, dataset has %d", len(out.Interfaces), len(inv["netiface"]))
	}
	addrs := 0
	for _, n := range out.Interfaces {
		var want dataset.Item
		for _, it := range inv["netiface"] {
			if it["name"] == n.Name {
				want = it
			}
		}
		if want == nil || n.MAC != want["mac"] || n.MTU != itemInt(want["mtu"]) || n.RX == nil ||
			n.RX.Bytes != itemInt(want["rx"].(dataset.Item)["bytes"]) || n.TX.Packets != itemInt(want["tx"].(dataset.Item)["packets"]) {
			t.Errorf("interface %+v, dataset %v", n, want)
		}
		for _, a := range n.Addresses {
			addrs++
			if a.Address != policy.RedactedIP {
				t.Errorf("private address shown without include_ip: %+v", a)
			}
		}
	}
	if addrs != len(inv["netaddr"]) || addrs == 0 {
		t.Fatalf("%d addresses, dataset has %d", addrs, len(inv["netaddr"]))
	}
	e.call(t, "get_agent_network", map[string]any{"agent_id": "001", "include_ip": true}, &out)
	var got []string
	for _, n := range out.Interfaces {
		for _, a := range n.Addresses {
			got = append(got, n.Name+" "+a.Proto+" "+a.Address+" "+a.Netmask)
		}
	}
	var want []string
	for _, it := range inv["netaddr"] {
		want = append(want, fmt.Sprint(it["iface"], " ", it["proto"], " ", it["address"], " ", it["netmask"]))
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("addresses %v, dataset %v", got, want)
	}
}

func TestAgentPackagesFilterAndPaging(t *testing.T) {
	e := newEnv(t)
	pkgs := e.sim.Dataset.Syscollector["001"]["packages"]
	var first PackageList
	e.call(t, "get_agent_packages", map[string]any{"agent_id": "001", "limit": 1000}, &first)
	if first.Total != len(pkgs) || first.Returned != len(pkgs) || first.Truncated {
		t.Fatalf("total %d returned %d, dataset has %d", first.Total, first.Returned, len(pkgs))
	}
	// Paging walks every package once.
	seen := map[string]int{}
	args := map[string]any{"agent_id": "1", "limit": 100}
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("paging does not end")
		}
		var page PackageList
		e.call(t, "get_agent_packages", args, &page)
		for _, p := range page.Packages {
			seen[p.Name+"\x00"+p.Version+"\x00"+p.Architecture]++
		}
		if page.NextCursor == "" {
			break
		}
		args["cursor"] = page.NextCursor
	}
	if len(seen) != len(pkgs) {
		t.Fatalf("paging saw %d distinct packages, dataset has %d", len(seen), len(pkgs))
	}
	for k, n := range seen {
		if n != 1 {
			t.Fatalf("package %q seen %d times", k, n)
		}
	}
	// The name filter is a case-insensitive substring of the name.
	for _, needle := range []string{"ssl", "LIB", "python3"} {
		want := 0
		for _, p := range pkgs {
			if strings.Contains(strings.ToLower(p["name"].(string)), strings.ToLower(needle)) {
				want++
			}
		}
		if want == 0 || want == len(pkgs) {
			t.Fatalf("name %q does not discriminate (%d of %d packages)", needle, want, len(pkgs))
		}
		var out PackageList
		e.call(t, "get_agent_packages", map[string]any{"agent_id": "001", "name": needle, "limit": 1000}, &out)
		if out.Total != want {
			t.Errorf("name %q: total %d, dataset %d", needle, out.Total, want)
		}
		for _, p := range out.Packages {
			if !strings.Contains(strings.ToLower(p.Name), strings.ToLower(needle)) {
				t.Errorf("name %q: got %q", needle, p.Name)
			}
		}
	}
	for _, bad := range []string{"a,name=x", "x;y", "(x)", "null", "libstdc++", "a|b", "=x", strings.Repeat("a", 200)} {
		msg := resultError(t, e.call(t, "get_agent_packages", map[string]any{"agent_id": "001", "name": bad}, nil))
		if !strings.Contains(msg, "invalid argument name") {
			t.Errorf("name %q: %s", bad, msg)
		}
	}
}

func TestAgentConfiguration(t *testing.T) {
	e := newEnv(t)
	var list AgentConfiguration
	e.call(t, "get_agent_configuration", map[string]any{"agent_id": "001"}, &list)
	if len(list.Sections) != 39 || !slices.Contains(list.Sections, "syscheck/syscheck") || list.Sync == nil || list.Untrusted != nil {
		t.Fatalf("section list: %+v", list)
	}
	var agent dataset.Item
	for _, a := range e.sim.Dataset.Agents {
		if a["id"] == "001" {
			agent = a
		}
	}
	if list.Sync.Status != agent["group_config_status"] || list.Sync.MergedSum != agent["mergedSum"] {
		t.Errorf("sync %+v, agent %v", list.Sync, agent)
	}

	var cfg AgentConfiguration
	e.call(t, "get_agent_configuration", map[string]any{"agent_id": "001", "component": "syscheck", "configuration": "syscheck"}, &cfg)
	sc, ok := cfg.Untrusted.Configuration.(map[string]any)["syscheck"].(map[string]any)
	want := e.sim.Dataset.AgentConfig["001"]["syscheck/syscheck"]["syscheck"].(dataset.Item)
	if !ok || cfg.Section != "syscheck/syscheck" || sc["frequency"] != float64(itemInt(want["frequency"])) || len(sc["directories"].([]any)) != len(want["directories"].([]any)) {
		t.Fatalf("syscheck config: %+v", cfg)
	}

	// Secret-looking values are redacted; labels keep their names.
	e.call(t, "get_agent_configuration", map[string]any{"agent_id": "001", "component": "agent", "configuration": "client"}, &cfg)
	client := cfg.Untrusted.Configuration.(map[string]any)["client"].(map[string]any)
	enroll := client["enrollment"].(map[string]any)
	if enroll["authorization_pass_path"] != redactedValue || enroll["port"] != float64(1515) {
		t.Fatalf("enrollment not redacted: %v", enroll)
	}
	if !slices.ContainsFunc(cfg.Notes, func(n string) bool { return strings.Contains(n, "redacted") }) {
		t.Errorf("no redaction note: %v", cfg.Notes)
	}
	e.call(t, "get_agent_configuration", map[string]any{"agent_id": "001", "component": "agent", "configuration": "labels"}, &cfg)
	labelValue := func(cfg AgentConfiguration, key string) any {
		for _, l := range cfg.Untrusted.Configuration.(map[string]any)["labels"].([]any) {
			if l.(map[string]any)["key"] == key {
				return l.(map[string]any)["value"]
			}
		}
		return nil
	}
	if labelValue(cfg, "role") == nil || labelValue(cfg, "network.ip") != policy.RedactedIP {
		t.Fatalf("labels: %v", cfg.Untrusted.Configuration)
	}
	e.call(t, "get_agent_configuration", map[string]any{"agent_id": "001", "component": "agent", "configuration": "labels", "include_ip": true}, &cfg)
	if ip := labelValue(cfg, "network.ip"); ip != agent["ip"] {
		t.Fatalf("network.ip with include_ip: %v, agent ip %v", ip, agent["ip"])
	}

	// A single-configuration component needs no configuration argument.
	e.call(t, "get_agent_configuration", map[string]any{"agent_id": "001", "component": "wmodules"}, &cfg)
	if cfg.Section != "wmodules/wmodules" {
		t.Errorf("wmodules: %+v", cfg)
	}

	disconnected := agentWithStatus(t, e, "disconnected")
	msg := resultError(t, e.call(t, "get_agent_configuration", map[string]any{"agent_id": disconnected, "component": "agent", "configuration": "client"}, nil))
	if !strings.Contains(msg, "disconnected") || !strings.Contains(msg, "connected") {
		t.Errorf("disconnected agent: %s", msg)
	}
	bad := []struct {
		args map[string]any
		want string
	}{
		{map[string]any{"agent_id": "001", "component": "../etc"}, "invalid argument component"},
		{map[string]any{"agent_id": "001", "component": "syscheck", "configuration": "client"}, "invalid argument configuration"},
		{map[string]any{"agent_id": "001", "component": "agent"}, "invalid argument configuration"},
		{map[string]any{"agent_id": "001", "configuration": "client"}, "invalid argument component"},
		{map[string]any{"agent_id": "x"}, "invalid argument agent_id"},
	}
	for _, b := range bad {
		if msg := resultError(t, e.call(t, "get_agent_configuration", b.args, nil)); !strings.Contains(msg, b.want) {
			t.Errorf("%v: %s", b.args, msg)
		}
	}
}

func TestRedactConfig(t *testing.T) {
	in := map[string]any{
		"password": "hunter2", "api_key": "abc", "nested": []any{map[string]any{"client_secret": "s", "port": 1}},
		"labels": []any{map[string]any{"key": "db.password", "value": "p"}, map[string]any{"key": "env", "value": "prod"}},
		"token":  "", "name": "ok", "server": "10.0.0.5", "public": "203.0.113.7",
	}
	r := configRedaction{secrets: true, internalIPs: true}
	m := r.redact(in).(map[string]any)
	if len(r.paths) != 4 || m["password"] != redactedValue || m["api_key"] != redactedValue || m["name"] != "ok" || m["token"] != "" {
		t.Fatalf("redacted %v: %v", r.paths, m)
	}
	if m["nested"].([]any)[0].(map[string]any)["client_secret"] != redactedValue {
		t.Fatalf("nested: %v", m["nested"])
	}
	labels := m["labels"].([]any)
	if labels[0].(map[string]any)["value"] != redactedValue || labels[0].(map[string]any)["key"] != "db.password" || labels[1].(map[string]any)["value"] != "prod" {
		t.Fatalf("labels: %v", labels)
	}
	if r.nIPs != 1 || m["server"] != policy.RedactedIP || m["public"] != "203.0.113.7" {
		t.Fatalf("addresses: %d %v %v", r.nIPs, m["server"], m["public"])
	}
	open := configRedaction{}
	if m := open.redact(in).(map[string]any); m["password"] != "hunter2" || m["server"] != "10.0.0.5" || len(open.paths)+open.nIPs != 0 {
		t.Fatalf("nothing should be redacted when allowed: %v", m)
	}
	if in["password"] != "hunter2" {
		t.Fatal("the input was modified")
	}
}
