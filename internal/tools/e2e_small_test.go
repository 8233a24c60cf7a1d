package tools

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

// The two tools that send free text to the Manager's search refuse the same
// characters with the same message, naming their own argument.
func TestManagerSearchRefusesTheSameCharacters(t *testing.T) {
	e := newEnv(t)
	tests := []struct {
		tool, arg, value string
	}{
		{"search_wazuh_manager_logs", "query", "sshd;reboot"},
		{"search_wazuh_manager_logs", "query", "a*"},
		{"list_rules", "search", "ssh|web"},
		{"list_decoders", "search", "sshd&"},
		{"get_agent_processes", "search", "bash^"},
	}
	for _, tt := range tests {
		a := map[string]any{tt.arg: tt.value}
		if tt.tool == "get_agent_processes" {
			a["agent_id"] = "001"
		}
		msg := resultError(t, e.call(t, tt.tool, a, nil))
		want := "invalid argument " + tt.arg + ": may not contain any of " + searchBadChars + " (the Wazuh API refuses them in a search)"
		if !strings.Contains(msg, want) {
			t.Errorf("%s %s=%q: %s, want %q", tt.tool, tt.arg, tt.value, msg, want)
		}
	}
}

// Every framework the prompts and completions offer is one
// run_compliance_check takes, and its refusal lists exactly those.
func TestFrameworkOfAcceptsComplianceFrameworks(t *testing.T) {
	for _, name := range complianceFrameworks {
		f, err := frameworkOf(name)
		if err != nil || f.name != name {
			t.Errorf("%s: %+v, %v", name, f, err)
		}
	}
	_, err := frameworkOf("cobit")
	if err == nil || !strings.Contains(err.Error(), "(one of: "+strings.Join(complianceFrameworks, ", ")+")") {
		t.Errorf("cobit: %v", err)
	}
}

func TestRuleTechniqueIDs(t *testing.T) {
	many := []string{"T1001", "T1002", "T1003", "T1004", "T1005", "T1006", "T1007", "T1008", "T1009", "T1010"}
	tests := []struct {
		name  string
		raw   []string
		ids   int
		notes []string
	}{
		{"few", []string{"t1110", " T1110.001 ", "T1110"}, 2, nil},
		{"invalid", []string{"T1110", "TA0006"}, 1, []string{`skipped rule.mitre.id "TA0006"`}},
		{"at the cap", many, 10, nil},
		{"three past the cap, one repeated", append(append([]string{}, many...), "T1011", "T1012", "T1011", "T1001", "T1013"), 10,
			[]string{"only the first 10 techniques of the rule were resolved (3 more left out)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r Result
			ids := ruleTechniqueIDs(&r, tt.raw)
			if len(ids) != tt.ids {
				t.Errorf("ids %v, want %d", ids, tt.ids)
			}
			if len(r.Notes) != len(tt.notes) {
				t.Fatalf("notes %q, want %q", r.Notes, tt.notes)
			}
			for i, w := range tt.notes {
				if !strings.Contains(r.Notes[i], w) {
					t.Errorf("note %q lacks %q", r.Notes[i], w)
				}
			}
		})
	}
}

// When the Manager does not answer the last-scan request, get_rootcheck
// does not know whether rootcheck ran, so it must not say it has not.
func TestRootcheckLastScanFailureIsNotNeverRan(t *testing.T) {
	sim := sharedSim(t)
	u, err := url.Parse(sim.ManagerURL)
	if err != nil {
		t.Fatal(err)
	}
	rp := httputil.NewSingleHostReverseProxy(u)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/rootcheck/") && strings.HasSuffix(r.URL.Path, "/last_scan") {
			w.Header().Set("Content-Type", "application/problem+json")
			w.WriteHeader(http.StatusForbidden)
			w.Write([]byte(`{"title":"Permission Denied","detail":"rootcheck:read denied","error":4000}`))
			return
		}
		rp.ServeHTTP(w, r)
	}))
	t.Cleanup(proxy.Close)
	e := newEnvOn(t, sim, func(d *Deps) {
		wc, err := wazuh.New(wazuh.Config{BaseURL: proxy.URL, Username: wazuhsim.ManagerUser, Password: wazuhsim.ManagerPassword, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		closeVerified(t, wc)
		d.Wazuh = wc
	})
	var out Rootcheck
	e.call(t, "get_rootcheck", map[string]any{"agent_id": "001"}, &out)
	notes := strings.Join(out.Notes, "\n")
	if !strings.Contains(notes, "last rootcheck scan time unavailable") {
		t.Errorf("the failure is not noted:\n%s", notes)
	}
	if strings.Contains(notes, "has not run") {
		t.Errorf("claims rootcheck has not run after the last-scan call failed:\n%s", notes)
	}
}
