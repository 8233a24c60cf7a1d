package search

import (
	"context"
	"encoding/json"
	"sort"
	"testing"
	"time"
)

// testNow anchors date math in tests.
var testNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// testKinds maps the fixture fields like the Wazuh alerts template does.
func testKinds(path string) Kind {
	switch path {
	case "timestamp":
		return KindDate
	case "full_log", "previous_output":
		return KindText
	case "rule.level", "rule.firedtimes", "data.srcport_num":
		return KindNumber
	}
	return KindAuto
}

func mustDoc(t testing.TB, id, src string) Doc {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(src), &m); err != nil {
		t.Fatalf("fixture %s: %v", id, err)
	}
	return NewMapDoc(id, m, testKinds)
}

// fixture returns a small alert corpus in four daily indices, shaped like
// sample-alerts.json, with values chosen so expectations are exact.
func fixture(t testing.TB) []Index {
	t.Helper()
	days := map[string][]Doc{}
	add := func(day, id, src string) { days[day] = append(days[day], mustDoc(t, id, src)) }
	add("2026.11.21", "a1", `{"timestamp":"2026-11-21T11:50:00.000+0000","rule":{"id":"5712","level":10,
		"description":"sshd: brute force trying to get access to the system. Non existent user.",
		"groups":["syslog","sshd","authentication_failures"],"mitre":{"id":["T1110"],"tactic":["Credential Access"]}},
		"agent":{"id":"001","name":"web-01","ip":"10.0.0.11"},"data":{"srcip":"203.0.113.7","srcuser":"paco","srcport":"5000"},
		"full_log":"Nov 21 11:50:00 web-01 sshd[1]: Invalid user paco from 203.0.113.7 port 5000","location":"/var/log/secure"}`)
	add("2026.11.21", "a2", `{"timestamp":"2026-11-21T11:30:00.000+0000","rule":{"id":"5710","level":5,
		"description":"sshd: Attempt to login using a non-existent user","groups":["syslog","sshd","invalid_login"]},
		"agent":{"id":"001","name":"web-01","ip":"10.0.0.11"},"data":{"srcip":"203.0.113.7","srcuser":"admin"},
		"full_log":"Nov 21 11:30:00 web-01 sshd[2]: Invalid user admin from 203.0.113.7","location":"/var/log/secure"}`)
	add("2026.11.21", "a3", `{"timestamp":"2026-11-21T10:15:00.000+0000","rule":{"id":"5501","level":3,
		"description":"PAM: Login session opened.","groups":["pam","syslog","authentication_success"]},
		"agent":{"id":"002","name":"db-01","ip":"10.0.0.12"},
		"full_log":"pam_unix(sshd:session): session opened for user root by (uid=0)","location":"journald"}`)
	add("2026.11.21", "a4", `{"timestamp":"2026-11-21T09:00:00.000+0000","rule":{"id":"31101","level":5,
		"description":"Web server 400 error code.","groups":["web","accesslog","attack"]},
		"agent":{"id":"003","name":"web-02","ip":"10.0.0.13"},"data":{"srcip":"198.51.100.23","url":"/admin.php"},
		"full_log":"198.51.100.23 - - GET /admin.php HTTP/1.1 404","location":"/var/log/nginx/access.log"}`)
	add("2026.11.20", "a5", `{"timestamp":"2026-11-20T23:59:59.999+0000","rule":{"id":"550","level":7,
		"description":"Integrity checksum changed.","groups":["ossec","syscheck","syscheck_entry_modified"]},
		"agent":{"id":"002","name":"db-01","ip":"10.0.0.12"},"syscheck":{"path":"/etc/passwd","event":"modified"},
		"location":"syscheck"}`)
	add("2026.11.20", "a6", `{"timestamp":"2026-11-20T12:00:00.000+0000","rule":{"id":"5712","level":10,
		"description":"sshd: brute force trying to get access to the system. Non existent user.",
		"groups":["syslog","sshd","authentication_failures"]},
		"agent":{"id":"003","name":"web-02","ip":"10.0.0.13"},"data":{"srcip":"198.51.100.23","srcuser":"oracle"},
		"full_log":"Nov 20 12:00:00 web-02 sshd[9]: Invalid user oracle from 198.51.100.23","location":"/var/log/secure"}`)
	add("2026.11.19", "a7", `{"timestamp":"2026-11-19T08:00:00.000+0000","rule":{"id":"23505","level":10,
		"description":"CVE-2020-1747 affects python3-yaml","groups":["vulnerability-detector"]},
		"agent":{"id":"002","name":"db-01","ip":"10.0.0.12"},
		"data":{"vulnerability":{"cve":"CVE-2020-1747","severity":"High","package":{"name":"python3-yaml"}}},
		"location":"vulnerability-detector"}`)
	add("2026.11.14", "a8", `{"timestamp":"2026-11-14T00:00:00.000+0000","rule":{"id":"5501","level":3,
		"description":"PAM: Login session opened.","groups":["pam","syslog","authentication_success"]},
		"agent":{"id":"001","name":"web-01","ip":"10.0.0.11"},
		"full_log":"pam_unix(sshd:session): session opened for user ubuntu","location":"journald"}`)
	var out []Index
	for _, day := range []string{"2026.11.14", "2026.11.19", "2026.11.20", "2026.11.21"} {
		out = append(out, NewTimeIndex("wazuh-alerts-4.x-"+day, days[day], "timestamp"))
	}
	return out
}

// search runs body over indices and returns the response as generic JSON.
func search(t testing.TB, indices []Index, body string) map[string]any {
	t.Helper()
	resp, err := Search(context.Background(), indices, []byte(body), testNow)
	if err != nil {
		t.Fatalf("search %s: %v", body, err)
	}
	return roundTrip(t, resp)
}

func roundTrip(t testing.TB, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// searchErr runs body and returns the *Error it must fail with.
func searchErr(t testing.TB, indices []Index, body string) *Error {
	t.Helper()
	_, err := Search(context.Background(), indices, []byte(body), testNow)
	if err == nil {
		t.Fatalf("search %s: expected an error", body)
	}
	e, ok := err.(*Error)
	if !ok {
		t.Fatalf("search %s: error %T is not *Error", body, err)
	}
	return e
}

// hitIDs returns hit ids in response order.
func hitIDs(resp map[string]any) []string {
	var ids []string
	for _, h := range path(resp, "hits.hits").([]any) {
		ids = append(ids, h.(map[string]any)["_id"].(string))
	}
	return ids
}

func sortedIDs(resp map[string]any) []string {
	ids := hitIDs(resp)
	sort.Strings(ids)
	return ids
}

// path walks a dotted path through decoded JSON (numeric parts index arrays).
func path(v any, p string) any {
	cur := v
	for _, part := range splitPath(p) {
		switch x := cur.(type) {
		case map[string]any:
			cur = x[part]
		case []any:
			i := 0
			for _, c := range part {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			cur = x[i]
		default:
			return nil
		}
	}
	return cur
}

func splitPath(p string) []string {
	var parts []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '|' {
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	if len(parts) == 1 { // no '|' separators: split on dots
		parts = nil
		start = 0
		for i := 0; i <= len(p); i++ {
			if i == len(p) || p[i] == '.' {
				parts = append(parts, p[start:i])
				start = i + 1
			}
		}
	}
	return parts
}

func jsonEq(t testing.TB, got any, want string) {
	t.Helper()
	var w any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want JSON: %v", err)
	}
	gb, _ := json.Marshal(got)
	var g any
	_ = json.Unmarshal(gb, &g)
	wb, _ := json.Marshal(w)
	gb, _ = json.Marshal(g)
	if string(gb) != string(wb) {
		t.Errorf("JSON mismatch\n got: %s\nwant: %s", gb, wb)
	}
}
