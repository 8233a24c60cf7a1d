package manager

import (
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

type sinkAlert struct {
	at  time.Time
	id  string
	src map[string]any
}

type memSink struct {
	mu     sync.Mutex
	alerts []sinkAlert
}

func (m *memSink) AddAlert(at time.Time, id string, src map[string]any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.alerts = append(m.alerts, sinkAlert{at, id, src})
}

func (m *memSink) all() []sinkAlert {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]sinkAlert(nil), m.alerts...)
}

// TestARConfFromConfiguration: ar.conf is the stock header plus one name
// per enabled block (command + timeout; 0 when the command does not allow
// a timeout; duplicates dropped), and only those names are accepted.
func TestARConfFromConfiguration(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	want := []string{
		"restart-ossec0 - restart-ossec.sh - 0", "restart-wazuh0 - restart-wazuh - 0",
		"firewall-drop600 - firewall-drop - 600", "host-deny3600 - host-deny - 3600",
		"disable-account300 - disable-account.sh - 300",
	}
	if got := s.ARConf(); !reflect.DeepEqual(got, want) {
		t.Fatalf("ar.conf:\n got %q\nwant %q", got, want)
	}
	c := newClient(t, s)
	for cmd, ok := range map[string]bool{"host-deny3600": true, "host-deny600": false, "host-deny60": false, "restart-wazuh0": true, "firewall-drop3600": false} {
		rec := c.do(http.MethodPut, "/active-response?agents_list=001", `{"command":"`+cmd+`"}`)
		if got := !strings.Contains(rec.Body.String(), "1652"); got != ok {
			t.Errorf("%s accepted=%v, want %v: %s", cmd, got, ok, rec.Body)
		}
	}
}

// TestActiveResponseAlerts: an accepted active response produces, per
// affected agent, the alert of rules 651-657 at once and, with a timeout,
// the "delete" alert timeout seconds later; refused targets produce none.
func TestActiveResponseAlerts(t *testing.T) {
	sink := &memSink{}
	s, clock := newTestServer(t, Options{ARAlerts: sink})
	c := newClient(t, s)
	now := clock.Now()
	rec := c.do(http.MethodPut, "/active-response?agents_list=001,002,004",
		`{"command":"firewall-drop600","arguments":[],"alert":{"data":{"srcip":"203.0.113.7"}}}`)
	if rec.Code != 200 {
		t.Fatal(rec.Body)
	}
	got := sink.all()
	if len(got) != 4 { // 001 and 004 affected (002 disconnected): add + delete each
		t.Fatalf("%d alerts, want 4: %+v", len(got), got)
	}
	a := got[0]
	if a.src["agent"].(map[string]any)["id"] != "001" || !a.at.Equal(now) {
		t.Fatalf("first alert: %v at %v", a.src["agent"], a.at)
	}
	rule := a.src["rule"].(map[string]any)
	data := a.src["data"].(map[string]any)
	if rule["id"] != "651" || rule["description"] != "Host Blocked by firewall-drop Active Response" || rule["level"] != 3 ||
		!reflect.DeepEqual(rule["groups"], []any{"ossec", "active_response"}) || !reflect.DeepEqual(rule["pci_dss"], []any{"11.4"}) {
		t.Errorf("rule: %v", rule)
	}
	if data["srcip"] != "203.0.113.7" || data["command"] != "add" || data["version"] != "1" ||
		!reflect.DeepEqual(data["origin"], map[string]any{"name": "master-node", "module": "wazuh-execd"}) ||
		data["parameters"].(map[string]any)["program"] != "active-response/bin/firewall-drop" {
		t.Errorf("data: %v", data)
	}
	if a.src["location"] != "/var/ossec/logs/active-responses.log" || a.src["decoder"].(map[string]any)["name"] != "ar_log_json" ||
		a.src["timestamp"] != "2026-11-20T10:05:00.000+0000" || a.id != a.src["id"] {
		t.Errorf("alert: %v", a.src)
	}
	// full_log is the script's line, whose JSON is the execd message.
	line := a.src["full_log"].(string)
	prefix := "2026/11/20 10:05:00 active-response/bin/firewall-drop: "
	if !strings.HasPrefix(line, prefix) {
		t.Fatalf("full_log: %s", line)
	}
	var msg map[string]any
	if err := json.Unmarshal([]byte(strings.TrimPrefix(line, prefix)), &msg); err != nil || msg["command"] != "add" {
		t.Errorf("full_log JSON: %v %v", err, msg)
	}
	var del sinkAlert
	for _, x := range got[1:] {
		if x.src["agent"].(map[string]any)["id"] == "001" {
			del = x
		}
	}
	if del.src == nil || del.src["rule"].(map[string]any)["id"] != "652" || !del.at.Equal(now.Add(600*time.Second)) ||
		del.src["data"].(map[string]any)["command"] != "delete" {
		t.Errorf("delete alert: %v at %v", del.src, del.at)
	}
	ids := map[string]bool{}
	for _, x := range got {
		ids[x.id] = true
	}
	if len(ids) != len(got) {
		t.Errorf("alert ids are not unique: %v", ids)
	}
}

func TestActiveResponseAlertRules(t *testing.T) {
	tests := []struct {
		body      string
		n         int
		rule, dsc string
		field     string
		value     any
	}{
		{`{"command":"host-deny3600","alert":{"data":{"srcip":"198.51.100.4"}}}`, 2, "653", "Host Blocked by host-deny Active Response", "srcip", "198.51.100.4"},
		{`{"command":"disable-account300","alert":{"data":{"dstuser":"jdoe"}}}`, 2, "657", "Active response: active-response/bin/disable-account.sh - add", "dstuser", "jdoe"},
		{`{"command":"!isolate-host.sh","arguments":["--on"]}`, 1, "657", "Active response: active-response/bin/isolate-host.sh - add", "", nil},
		{`{"command":"!route-null","alert":{"data":{"srcip":"192.0.2.9"}}}`, 1, "655", "Host Blocked by route-null Active Response", "srcip", "192.0.2.9"},
	}
	for _, tt := range tests {
		sink := &memSink{}
		s, _ := newTestServer(t, Options{ARAlerts: sink})
		c := newClient(t, s)
		if rec := c.do(http.MethodPut, "/active-response?agents_list=004", tt.body); rec.Code != 200 || strings.Contains(rec.Body.String(), `"error":1`) {
			t.Fatalf("%s: %s", tt.body, rec.Body)
		}
		got := sink.all()
		if len(got) != tt.n {
			t.Fatalf("%s: %d alerts, want %d", tt.body, len(got), tt.n)
		}
		rule := got[0].src["rule"].(map[string]any)
		data := got[0].src["data"].(map[string]any)
		if rule["id"] != tt.rule || rule["description"] != tt.dsc {
			t.Errorf("%s: rule %v", tt.body, rule)
		}
		if tt.field != "" && data[tt.field] != tt.value {
			t.Errorf("%s: data.%s = %v", tt.body, tt.field, data[tt.field])
		}
		if strings.Contains(tt.body, "arguments") {
			if !reflect.DeepEqual(data["parameters"].(map[string]any)["extra_args"], []any{"--on"}) {
				t.Errorf("extra_args: %v", data["parameters"])
			}
		}
	}
}

func TestManagerRestart(t *testing.T) {
	s, _ := newTestServer(t, Options{})
	c := newClient(t, s)
	rec := c.do(http.MethodPut, "/manager/restart", "")
	if rec.Code != http.StatusAccepted || !strings.Contains(rec.Body.String(),
		`{"data":{"affected_items":["master-node"],"total_affected_items":1,"total_failed_items":0,"failed_items":[]},"message":"Restart request sent to all specified nodes","error":0}`) {
		t.Errorf("restart manager: %d %s", rec.Code, rec.Body)
	}
	reqs := s.Requests()
	if len(reqs) != 1 || reqs[0].Path != "/manager/restart" || reqs[0].Status != 202 || !reflect.DeepEqual(reqs[0].Affected, []string{"master-node"}) {
		t.Errorf("recorded: %+v", reqs)
	}
}
