package search

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

func TestQueries(t *testing.T) {
	indices := fixture(t)
	tests := []struct {
		name  string
		query string
		want  string // comma-separated ids, sorted
	}{
		{"match_all", `{"match_all":{}}`, "a1,a2,a3,a4,a5,a6,a7,a8"},
		{"match_none", `{"match_none":{}}`, ""},
		{"empty query object", `{}`, "a1,a2,a3,a4,a5,a6,a7,a8"},
		{"term keyword", `{"term":{"agent.name":"web-01"}}`, "a1,a2,a8"},
		{"term keyword case sensitive", `{"term":{"agent.name":"WEB-01"}}`, ""},
		{"term case_insensitive", `{"term":{"agent.name":{"value":"WEB-01","case_insensitive":true}}}`, "a1,a2,a8"},
		{"term value form", `{"term":{"rule.id":{"value":"5712","boost":2}}}`, "a1,a6"},
		{"term number", `{"term":{"rule.level":10}}`, "a1,a6,a7"},
		{"term number as string", `{"term":{"rule.level":"10"}}`, "a1,a6,a7"},
		{"term multi-valued", `{"term":{"rule.groups":"sshd"}}`, "a1,a2,a6"},
		{"term on text never matches", `{"term":{"full_log":"invalid"}}`, ""},
		{"term date", `{"term":{"timestamp":"2026-11-20T12:00:00Z"}}`, "a6"},
		{"term _id", `{"term":{"_id":"a3"}}`, "a3"},
		{"terms", `{"terms":{"agent.id":["002","003"]}}`, "a3,a4,a5,a6,a7"},
		{"terms numbers", `{"terms":{"rule.level":[3,7]}}`, "a3,a5,a8"},
		{"range number", `{"range":{"rule.level":{"gte":5,"lt":10}}}`, "a2,a4,a5"},
		{"range number gt lte", `{"range":{"rule.level":{"gt":5,"lte":10}}}`, "a1,a5,a6,a7"},
		{"range keyword", `{"range":{"agent.name":{"gte":"web"}}}`, "a1,a2,a4,a6,a8"},
		{"range date iso", `{"range":{"timestamp":{"gte":"2026-11-21T00:00:00Z"}}}`, "a1,a2,a3,a4"},
		{"range date math", `{"range":{"timestamp":{"gte":"now-2h","lte":"now"}}}`, "a1,a2,a3"},
		{"range date rounding lte", `{"range":{"timestamp":{"gte":"now-1d/d","lte":"now-1d/d"}}}`, "a5,a6"},
		{"range date rounding lt", `{"range":{"timestamp":{"lt":"now/d","gte":"now-2d/d"}}}`, "a5,a6,a7"},
		{"range date rounding gt", `{"range":{"timestamp":{"gt":"now-1d/d"}}}`, "a1,a2,a3,a4"},
		{"range epoch_millis", `{"range":{"timestamp":{"gte":1795219200000,"format":"epoch_millis"}}}`, "a1,a2,a3,a4"},
		{"range from to", `{"range":{"rule.level":{"from":3,"to":5,"include_lower":false}}}`, "a2,a4"},
		{"match text or", `{"match":{"full_log":"invalid oracle"}}`, "a1,a2,a6"},
		{"match text and", `{"match":{"full_log":{"query":"invalid oracle","operator":"and"}}}`, "a6"},
		{"match text case", `{"match":{"full_log":"INVALID USER PACO"}}`, "a1,a2,a3,a6,a8"},
		{"match msm", `{"match":{"full_log":{"query":"invalid user paco","minimum_should_match":"100%"}}}`, "a1"},
		{"match ip token", `{"match":{"full_log":"203.0.113.7"}}`, "a1,a2"},
		{"match keyword exact", `{"match":{"rule.description":"PAM: Login session opened."}}`, "a3,a8"},
		{"match keyword partial no", `{"match":{"rule.description":"PAM"}}`, ""},
		{"match number", `{"match":{"rule.level":"7"}}`, "a5"},
		{"match_phrase", `{"match_phrase":{"full_log":"invalid user admin"}}`, "a2"},
		{"match_phrase order", `{"match_phrase":{"full_log":"user invalid"}}`, ""},
		{"match_phrase_prefix", `{"match_phrase_prefix":{"full_log":"session opened for us"}}`, "a3,a8"},
		{"multi_match", `{"multi_match":{"query":"oracle","fields":["data.*","rule.description^2"]}}`, "a6"},
		{"multi_match all fields", `{"multi_match":{"query":"python3-yaml"}}`, "a7"},
		{"multi_match phrase", `{"multi_match":{"query":"user root","type":"phrase","fields":["full_log"]}}`, "a3"},
		{"ids", `{"ids":{"values":["a1","a5","nope"]}}`, "a1,a5"},
		{"exists", `{"exists":{"field":"data.srcip"}}`, "a1,a2,a4,a6"},
		{"exists object", `{"exists":{"field":"syscheck"}}`, "a5"},
		{"exists missing", `{"exists":{"field":"nothing"}}`, ""},
		{"prefix", `{"prefix":{"agent.name":"web"}}`, "a1,a2,a4,a6,a8"},
		{"prefix object form", `{"prefix":{"agent.name":{"value":"db"}}}`, "a3,a5,a7"},
		{"prefix on text token", `{"prefix":{"full_log":"pam_"}}`, "a3,a8"},
		{"wildcard star", `{"wildcard":{"data.srcip":"203.*"}}`, "a1,a2"},
		{"wildcard question", `{"wildcard":{"agent.name":{"value":"web-0?"}}}`, "a1,a2,a4,a6,a8"},
		{"wildcard case_insensitive", `{"wildcard":{"agent.name":{"value":"WEB-*","case_insensitive":true}}}`, "a1,a2,a4,a6,a8"},
		{"regexp", `{"regexp":{"rule.id":"57[0-9]+"}}`, "a1,a2,a6"},
		{"bool must", `{"bool":{"must":[{"term":{"agent.name":"web-01"}},{"term":{"rule.level":10}}]}}`, "a1"},
		{"bool filter object", `{"bool":{"filter":{"term":{"agent.id":"002"}}}}`, "a3,a5,a7"},
		{"bool must_not", `{"bool":{"must_not":[{"term":{"agent.name":"web-01"}}]}}`, "a3,a4,a5,a6,a7"},
		{"bool should only needs one", `{"bool":{"should":[{"term":{"rule.id":"550"}},{"term":{"rule.id":"23505"}}]}}`, "a5,a7"},
		{"bool should with filter is optional", `{"bool":{"filter":[{"term":{"agent.id":"002"}}],"should":[{"term":{"rule.id":"550"}}]}}`, "a3,a5,a7"},
		{"bool minimum_should_match", `{"bool":{"filter":[{"term":{"agent.id":"002"}}],"should":[{"term":{"rule.id":"550"}},{"term":{"rule.level":3}}],"minimum_should_match":1}}`, "a3,a5"},
		{"bool msm 2", `{"bool":{"should":[{"term":{"agent.id":"001"}},{"term":{"rule.level":10}},{"term":{"rule.groups":"sshd"}}],"minimum_should_match":2}}`, "a1,a2,a6"},
		{"bool nested", `{"bool":{"must":[{"bool":{"should":[{"term":{"agent.name":"db-01"}},{"term":{"agent.name":"web-02"}}]}}],"must_not":[{"range":{"rule.level":{"lt":7}}}]}}`, "a5,a6,a7"},
		{"bool empty", `{"bool":{}}`, "a1,a2,a3,a4,a5,a6,a7,a8"},
		{"constant_score", `{"constant_score":{"filter":{"term":{"rule.level":3}},"boost":1.5}}`, "a3,a8"},
		{"dis_max", `{"dis_max":{"queries":[{"term":{"rule.level":3}},{"term":{"rule.level":7}}]}}`, "a3,a5,a8"},
		{"query_string field", `{"query_string":{"query":"agent.name:web-02"}}`, "a4,a6"},
		{"query_string and or", `{"query_string":{"query":"agent.name:web-01 AND (rule.level:10 OR rule.level:3)"}}`, "a1,a8"},
		{"query_string not", `{"query_string":{"query":"rule.groups:sshd AND NOT agent.name:web-01"}}`, "a6"},
		{"query_string minus", `{"query_string":{"query":"rule.groups:sshd -data.srcuser:paco"}}`, "a2,a6"},
		{"query_string plus", `{"query_string":{"query":"+rule.groups:syslog +agent.id:001"}}`, "a1,a2,a8"},
		{"query_string bare term all fields", `{"query_string":{"query":"oracle"}}`, "a6"},
		{"query_string phrase", `{"query_string":{"query":"\"session opened for user root\""}}`, "a3"},
		{"query_string wildcard", `{"query_string":{"query":"data.srcip:198.51.*"}}`, "a4,a6"},
		{"query_string range", `{"query_string":{"query":"rule.level:[7 TO 10}"}}`, "a5"},
		{"query_string comparison", `{"query_string":{"query":"rule.level:>=10"}}`, "a1,a6,a7"},
		{"query_string date comparison", `{"query_string":{"query":"timestamp:>now-1h"}}`, "a1,a2"},
		{"query_string exists", `{"query_string":{"query":"_exists_:syscheck.path"}}`, "a5"},
		{"query_string field star", `{"query_string":{"query":"data.vulnerability.cve:*"}}`, "a7"},
		{"query_string default_operator and", `{"query_string":{"query":"invalid admin","default_field":"full_log","default_operator":"AND"}}`, "a2"},
		{"query_string fields", `{"query_string":{"query":"paco OR oracle","fields":["data.srcuser"]}}`, "a1,a6"},
		{"query_string grouped field", `{"query_string":{"query":"agent.name:(db-01 OR web-02) AND rule.level:10"}}`, "a6,a7"},
		{"query_string && ||", `{"query_string":{"query":"agent.id:001 && (rule.level:5 || rule.level:3)"}}`, "a2,a8"},
		{"query_string escaped", `{"query_string":{"query":"location:\\/var\\/log\\/secure"}}`, "a1,a2,a6"},
		{"simple_query_string", `{"simple_query_string":{"query":"oracle | paco","fields":["data.srcuser"]}}`, "a1,a6"},
		{"simple_query_string and not", `{"simple_query_string":{"query":"invalid + -admin","fields":["full_log"]}}`, "a1,a6"},
		{"simple_query_string phrase", `{"simple_query_string":{"query":"\"user root\"","fields":["full_log"]}}`, "a3"},
		{"simple_query_string prefix", `{"simple_query_string":{"query":"orac*","fields":["data.srcuser","full_log"]}}`, "a6"},
		{"simple_query_string default and", `{"simple_query_string":{"query":"invalid 203.0.113.7","fields":["full_log"],"default_operator":"and"}}`, "a1,a2"},
		{"simple_query_string lenient", `{"simple_query_string":{"query":"((paco","fields":["data.srcuser"]}}`, "a1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := search(t, indices, `{"size":100,"query":`+tt.query+`}`)
			got := strings.Join(sortedIDs(resp), ",")
			if got != tt.want {
				t.Errorf("query %s\n got %q\nwant %q", tt.query, got, tt.want)
			}
		})
	}
}

func TestQueryErrors(t *testing.T) {
	indices := fixture(t)
	tests := []struct {
		name, body, typ, reason string
		status                  int
	}{
		{"malformed json", `{"query":`, "parsing_exception", "Failed to parse request body", 400},
		{"trailing garbage", `{"size":1} x`, "parsing_exception", "Failed to parse request body", 400},
		{"unknown query", `{"query":{"fuzzy_thing":{}}}`, "parsing_exception", "unknown query [fuzzy_thing]", 400},
		{"two queries in one clause", `{"query":{"term":{"a":"b"},"match_all":{}}}`, "parsing_exception", "malformed query", 400},
		{"term two fields", `{"query":{"term":{"a":"b","c":"d"}}}`, "parsing_exception", "doesn't support multiple fields", 400},
		{"unknown range param", `{"query":{"range":{"x":{"gte":1,"foo":2}}}}`, "parsing_exception", "[range] query does not support [foo]", 400},
		{"unknown top-level key", `{"querry":{}}`, "parsing_exception", "Unknown key for a START_OBJECT in [querry].", 400},
		{"duplicate key", `{"size":1,"size":2}`, "parsing_exception", "duplicate field", 400},
		{"window too large", `{"from":9995,"size":10}`, "search_phase_execution_exception", "all shards failed", 400},
		{"negative size", `{"size":-1}`, "illegal_argument_exception", "[size] parameter cannot be negative", 400},
		{"bad date math", `{"query":{"range":{"timestamp":{"gte":"now-5x"}}}}`, "parse_exception", "failed to parse date field [now-5x]", 400},
		{"query_string syntax", `{"query":{"query_string":{"query":"a AND (b"}}}`, "query_shard_exception", "Failed to parse query [a AND (b]", 400},
		{"unknown agg", `{"aggs":{"x":{"bogus":{"field":"a"}}}}`, "parsing_exception", "Unknown aggregation type [bogus]", 400},
		{"metric with sub aggs", `{"aggs":{"x":{"max":{"field":"rule.level"},"aggs":{"y":{"min":{"field":"rule.level"}}}}}}`, "aggregation_initialization_exception", "cannot accept sub-aggregations", 400},
		{"terms on text", `{"aggs":{"x":{"terms":{"field":"full_log"}}}}`, "search_phase_execution_exception", "all shards failed", 400},
		{"sort on text", `{"sort":[{"full_log":"asc"}]}`, "search_phase_execution_exception", "all shards failed", 400},
		{"search_after length", `{"sort":["timestamp","_id"],"search_after":[1]}`, "illegal_argument_exception", "search_after has 1 value(s) but sort has 2.", 400},
		{"deep nesting", strings.Repeat(`{"bool":{"must":`, 40) + `{}` + strings.Repeat(`}}`, 40), "parsing_exception", "nesting deeper", 400},
		{"terms size zero", `{"aggs":{"x":{"terms":{"field":"agent.name","size":0}}}}`, "illegal_argument_exception", "[size] must be greater than 0", 400},
		{"bad calendar interval", `{"aggs":{"x":{"date_histogram":{"field":"timestamp","calendar_interval":"2d"}}}}`, "illegal_argument_exception", "calendar interval", 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := searchErr(t, indices, tt.body)
			if e.Type != tt.typ || e.Status != tt.status || !strings.Contains(e.Error(), tt.reason) {
				t.Errorf("got %d %s %q, want %d %s containing %q", e.Status, e.Type, e.Error(), tt.status, tt.typ, tt.reason)
			}
			body := roundTrip(t, e)
			if path(body, "status") != float64(tt.status) || path(body, "error.root_cause.0.type") == nil {
				t.Errorf("error body not OpenSearch-shaped: %v", body)
			}
		})
	}
}

func TestWindowTooLargeBody(t *testing.T) {
	e := searchErr(t, fixture(t), `{"size":10001}`)
	jsonEq(t, e.Body()["error"].(map[string]any)["root_cause"], `[{"type":"illegal_argument_exception","reason":
		"Result window is too large, from + size must be less than or equal to: [10000] but was [10001]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting."}]`)
}

func TestTokenizer(t *testing.T) {
	tests := map[string][]string{
		"Nov 21 sshd[17584]: Invalid user paco from 172.17.1.1 port 56404": {"Nov", "21", "sshd", "17584", "Invalid", "user", "paco", "from", "172.17.1.1", "port", "56404"},
		"pam_unix(sshd:session): don't":                                    {"pam_unix", "sshd", "session", "don't"},
		"end. www.example.com.":                                            {"end", "www.example.com"},
	}
	for in, want := range tests {
		if got := tokensOf(in); !reflect.DeepEqual(got, want) {
			t.Errorf("tokensOf(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	tests := []struct {
		p, s string
		want bool
	}{
		{"*", "", true}, {"a*", "abc", true}, {"*c", "abc", true}, {"a?c", "abc", true}, {"a?c", "ac", false},
		{"wazuh-alerts-4.x-*", "wazuh-alerts-4.x-2026.11.21", true}, {"wazuh-alerts-*", "wazuh-states-vulnerabilities-x", false},
		{"*a*b*", "xxaxxbxx", true}, {`*web\*01\?\\*`, `my-web*01?\x`, true}, {`web\*`, "webX", false}, {"*a*b", "xxaxxbxxc", false}, {"é?", "éü", true},
	}
	for _, tt := range tests {
		if got := globMatch(tt.p, tt.s); got != tt.want {
			t.Errorf("globMatch(%q, %q) = %v", tt.p, tt.s, got)
		}
	}
}

func TestMinimumShouldMatch(t *testing.T) {
	tests := []struct {
		v    any
		n    int
		want int
	}{{"2", 3, 2}, {"-1", 3, 2}, {"75%", 4, 3}, {"-25%", 4, 3}, {"100%", 3, 3}, {"5", 3, 3}}
	for _, tt := range tests {
		got, err := minimumShouldMatch(tt.v, tt.n)
		if err != nil || got != tt.want {
			t.Errorf("minimumShouldMatch(%v, %d) = %d, %v; want %d", tt.v, tt.n, got, err, tt.want)
		}
	}
	if _, err := minimumShouldMatch("x%", 3); err == nil {
		t.Error("want an error for x%")
	}
}

func TestParseQueryExported(t *testing.T) {
	q, err := ParseQuery([]byte(`{"term":{"agent.name":"web-01"}}`), testNow)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, idx := range fixture(t) {
		for _, d := range idx.Docs {
			if Matches(q, d) {
				n++
			}
		}
	}
	if n != 3 {
		t.Errorf("matched %d docs, want 3", n)
	}
	if _, err := ParseQuery([]byte(`{"nope":{}}`), testNow); err == nil || !strings.Contains(fmt.Sprint(err), "unknown query") {
		t.Errorf("got %v", err)
	}
}
