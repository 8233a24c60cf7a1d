package events

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"testing"
	"time"
)

func mustGenerate(t testing.TB, in Input) Output {
	t.Helper()
	out, err := Generate(in)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return out
}

func alertsOf(out Output) []*alert {
	as := make([]*alert, len(out.Alerts))
	for i, d := range out.Alerts {
		as[i] = d.(*alert)
	}
	return as
}

func TestGenerateDeterministic(t *testing.T) {
	a := mustGenerate(t, testInput(3000))
	b := mustGenerate(t, testInput(3000))
	if len(a.Alerts) != len(b.Alerts) {
		t.Fatalf("lengths differ: %d vs %d", len(a.Alerts), len(b.Alerts))
	}
	for i := range a.Alerts {
		ja, _ := json.Marshal(a.Alerts[i].Source())
		jb, _ := json.Marshal(b.Alerts[i].Source())
		if string(ja) != string(jb) {
			t.Fatalf("alert %d differs:\n%s\n%s", i, ja, jb)
		}
	}
	for i := range a.Vulnerabilities {
		if a.Vulnerabilities[i].ID() != b.Vulnerabilities[i].ID() {
			t.Fatalf("vulnerability %d differs", i)
		}
	}
	other := testInput(3000)
	other.Seed = 43
	c := mustGenerate(t, other)
	same := 0
	for i := range min(len(a.Alerts), len(c.Alerts)) {
		if a.Alerts[i].ID() == c.Alerts[i].ID() {
			same++
		}
	}
	if same == len(a.Alerts) {
		t.Fatal("a different seed produced the same alerts")
	}
}

func TestGenerateCounts(t *testing.T) {
	incidents := len(mustGenerate(t, testInput(1)).Alerts)
	if incidents < 100 {
		t.Fatalf("incidents produced only %d alerts", incidents)
	}
	for _, tc := range []struct {
		name string
		n    int
		want int
	}{
		{"none", 0, 0},
		{"below incidents", 10, incidents},
		{"small", 1000, 1000},
		{"default", 10000, 10000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := mustGenerate(t, testInput(tc.n))
			if len(out.Alerts) != tc.want {
				t.Fatalf("got %d alerts, want %d", len(out.Alerts), tc.want)
			}
			total := 0
			for _, ix := range out.AlertIndices {
				total += len(ix.Docs)
				for _, d := range ix.Docs {
					if got := AlertIndexName(ix.TimeOf(d)); got != ix.Name || ix.TimeField != "timestamp" {
						t.Fatalf("doc %s in index %s, belongs to %s", d.ID(), ix.Name, got)
					}
				}
			}
			if total != tc.want {
				t.Fatalf("indices hold %d docs, want %d", total, tc.want)
			}
			if len(out.VulnerabilityIndices) != 1 || out.VulnerabilityIndices[0].Name != "wazuh-states-vulnerabilities-wazuh" {
				t.Fatalf("vulnerability indices: %+v", out.VulnerabilityIndices)
			}
		})
	}
	if _, err := Generate(Input{Alerts: -1, Now: testNow}); err == nil {
		t.Fatal("negative count accepted")
	}
}

func TestAlertsSortedUniqueAndInWindow(t *testing.T) {
	in := testInput(10000)
	out := mustGenerate(t, in)
	as := alertsOf(out)
	ids := make(map[string]bool, len(as))
	start := in.Now.Add(-Window)
	var dbLast time.Time
	perAgent := map[string]int{}
	for i, a := range as {
		if i > 0 && a.ms < as[i-1].ms {
			t.Fatalf("alert %d out of order", i)
		}
		if ids[a.ID()] {
			t.Fatalf("duplicate id %s", a.ID())
		}
		ids[a.ID()] = true
		if ts := a.time(); ts.Before(start) || ts.After(in.Now) {
			t.Fatalf("alert %s at %s outside the window", a.ID(), ts)
		}
		perAgent[a.agent.ref.ID]++
		if a.agent.ref.Name == "db-01" {
			dbLast = a.time()
		}
	}
	if perAgent["005"] != 0 {
		t.Fatal("never_connected agent has alerts")
	}
	for _, id := range []string{"000", "001", "002", "003", "004", "019"} {
		if perAgent[id] == 0 {
			t.Errorf("agent %s has no alerts", id)
		}
	}
	g := newGenerator(in)
	cut := time.UnixMilli(g.disconnectedAt(in.Agents[3]))
	if dbLast.After(cut) {
		t.Fatalf("disconnected db-01 has alerts until %s, after its disconnection at %s", dbLast, cut)
	}
}

func TestLevelMix(t *testing.T) {
	as := alertsOf(mustGenerate(t, testInput(20000)))
	var low, mid, high int
	for _, a := range as {
		switch l := a.rule.rule.Level; {
		case l <= 4:
			low++
		case l <= 9:
			mid++
		default:
			high++
		}
	}
	n := len(as)
	if low < n*55/100 || mid < n*10/100 || high > n*5/100 || high == 0 {
		t.Fatalf("level mix low/mid/high = %d/%d/%d of %d", low, mid, high, n)
	}
}

func TestWebShellDigests(t *testing.T) {
	s256 := sha256.Sum256([]byte(webShellContent))
	m := md5.Sum([]byte(webShellContent))
	s1 := sha1.Sum([]byte(webShellContent))
	for _, c := range []struct{ name, got, want string }{
		{"sha256", hex.EncodeToString(s256[:]), WebShellSHA256},
		{"md5", hex.EncodeToString(m[:]), WebShellMD5},
		{"sha1", hex.EncodeToString(s1[:]), WebShellSHA1},
	} {
		if c.got != c.want {
			t.Errorf("%s of webShellContent = %s, constant says %s", c.name, c.got, c.want)
		}
	}
}

// find returns the alerts matching every path=value pair.
func find(as []*alert, kv ...string) []*alert {
	var out []*alert
next:
	for _, a := range as {
		for i := 0; i < len(kv); i += 2 {
			if !slices.Contains(a.Values(kv[i]), any(kv[i+1])) {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

func TestIncidents(t *testing.T) {
	in := testInput(5000)
	as := alertsOf(mustGenerate(t, in))
	for _, tc := range []struct {
		name    string
		kv      []string
		atLeast int
		around  time.Duration // before Now
	}{
		{"ssh 5710 web-01", []string{"rule.id", "5710", "agent.name", "web-01", "data.srcip", AttackerSSHIP}, 14, SSHIncidentOffset},
		{"ssh 5712 web-01", []string{"rule.id", "5712", "agent.name", "web-01", "data.srcip", AttackerSSHIP}, 3, SSHIncidentOffset},
		{"ssh 5712 bastion-01", []string{"rule.id", "5712", "agent.name", "bastion-01", "data.srcip", AttackerSSHIP}, 3, SSHIncidentOffset},
		{"ssh 5763", []string{"rule.id", "5763", "data.srcip", AttackerSSHIP}, 6, SSHIncidentOffset},
		{"ssh 5716", []string{"rule.id", "5716", "data.srcip", AttackerSSHIP, "data.dstuser", CompromisedUser}, 7, SSHIncidentOffset},
		{"ssh 5720", []string{"rule.id", "5720", "data.srcip", AttackerSSHIP}, 1, SSHIncidentOffset},
		{"ssh login", []string{"rule.id", "5715", "agent.name", "web-01", "data.srcip", AttackerSSHIP, "data.dstuser", CompromisedUser}, 1, SSHIncidentOffset},
		{"sudo", []string{"rule.id", "5402", "agent.name", "web-01", "data.srcuser", CompromisedUser, "data.command", "/usr/bin/cp /tmp/.s.php " + WebShellPath}, 1, SSHIncidentOffset},
		{"web shell", []string{"rule.id", "554", "agent.name", "web-01", "syscheck.path", WebShellPath, "syscheck.sha256_after", WebShellSHA256}, 1, SSHIncidentOffset},
		{"index.php", []string{"rule.id", "550", "agent.name", "web-01", "syscheck.path", "/var/www/html/index.php", "syscheck.mode", "whodata"}, 1, SSHIncidentOffset},
		{"web 31151 web-01", []string{"rule.id", "31151", "agent.name", "web-01", "data.srcip", AttackerWebIP}, 1, WebIncidentOffset},
		{"web 31151 web-02", []string{"rule.id", "31151", "agent.name", "web-02", "data.srcip", AttackerWebIP}, 1, WebIncidentOffset},
		{"web 31103", []string{"rule.id", "31103", "data.srcip", AttackerWebIP}, 10, WebIncidentOffset},
		{"web 31152", []string{"rule.id", "31152", "data.srcip", AttackerWebIP}, 2, WebIncidentOffset},
		{"web 31104", []string{"rule.id", "31104", "data.srcip", AttackerWebIP}, 6, WebIncidentOffset},
		{"web 31105", []string{"rule.id", "31105", "data.srcip", AttackerWebIP}, 4, WebIncidentOffset},
		{"web 31106", []string{"rule.id", "31106", "agent.name", "web-02", "data.srcip", AttackerWebIP, "data.id", "200"}, 1, WebIncidentOffset},
		{"win 60122", []string{"rule.id", "60122", "agent.name", "dc-01", "data.win.eventdata.ipAddress", WindowsBruteForceIP}, 14, WindowsIncidentOffset},
		{"win 60204", []string{"rule.id", "60204", "agent.name", "dc-01", "data.win.eventdata.ipAddress", WindowsBruteForceIP, "data.win.system.eventID", "4625"}, 2, WindowsIncidentOffset},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := find(as, tc.kv...)
			if len(got) < tc.atLeast {
				t.Fatalf("found %d alerts, want at least %d", len(got), tc.atLeast)
			}
			at := in.Now.Add(-tc.around)
			for _, a := range got {
				if d := a.time().Sub(at); d < 0 || d > time.Hour {
					t.Fatalf("alert %s at %s, expected within an hour after %s", a.ID(), a.time(), at)
				}
			}
		})
	}
	var vuln int
	for _, id := range []string{"23503", "23504", "23505", "23506"} {
		vuln += len(find(as, "rule.id", id))
	}
	if vuln == 0 {
		t.Fatal("no vulnerability alerts")
	}
}

func TestAlertsUseCatalogueRules(t *testing.T) {
	rules := map[int]Rule{}
	for _, r := range Ruleset() {
		if _, dup := rules[r.ID]; dup {
			t.Fatalf("rule %d listed twice", r.ID)
		}
		rules[r.ID] = r
	}
	if n := len(rules); n < 150 {
		t.Fatalf("catalogue has %d rules", n)
	}
	for _, a := range alertsOf(mustGenerate(t, testInput(20000))) {
		r, ok := rules[a.rule.rule.ID]
		if !ok {
			t.Fatalf("alert uses rule %d outside the catalogue", a.rule.rule.ID)
		}
		if r.Level == 0 {
			t.Fatalf("alert uses level-0 rule %d", r.ID)
		}
	}
}

func TestTechniquesCoverRuleset(t *testing.T) {
	techs := map[string]Technique{}
	for _, tq := range Techniques() {
		if tq.Name == "" || len(tq.Tactics) == 0 {
			t.Errorf("technique %s lacks name or tactics", tq.ID)
		}
		techs[tq.ID] = tq
	}
	for _, r := range Ruleset() {
		for _, id := range r.MITRE {
			if _, ok := techs[id]; !ok {
				t.Errorf("rule %d references %s, missing from Techniques()", r.ID, id)
			}
		}
	}
	for _, id := range []string{"T1110", "T1110.001", "T1078", "T1021.004", "T1190", "T1059.004", "T1505.003", "T1565.001", "T1070.004", "T1485", "T1548.003", "T1098", "T1136", "T1531", "T1562.001", "T1543.003", "T1053.005", "T1003.001"} {
		if _, ok := techs[id]; !ok {
			t.Errorf("technique %s missing", id)
		}
	}
}

func TestRulesetIsACopy(t *testing.T) {
	a := Ruleset()
	a[0].Groups[0] = "changed"
	a[0].Details["x"] = 1
	if b := Ruleset(); b[0].Groups[0] == "changed" || b[0].Details["x"] != nil {
		t.Fatal("Ruleset shares memory with the catalogue")
	}
}
