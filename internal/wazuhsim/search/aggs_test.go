package search

import "testing"

func TestAggregations(t *testing.T) {
	indices := fixture(t)
	tests := []struct {
		name, aggs, want string
	}{
		{"terms keyword", `{"t":{"terms":{"field":"agent.name"}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[
				{"key":"db-01","doc_count":3},{"key":"web-01","doc_count":3},{"key":"web-02","doc_count":2}]}}`},
		{"terms size and other count", `{"t":{"terms":{"field":"agent.name","size":1}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":5,"buckets":[{"key":"db-01","doc_count":3}]}}`},
		{"terms numeric keys", `{"t":{"terms":{"field":"rule.level","order":{"_key":"desc"}}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[
				{"key":10,"doc_count":3},{"key":7,"doc_count":1},{"key":5,"doc_count":2},{"key":3,"doc_count":2}]}}`},
		{"terms multi-valued", `{"t":{"terms":{"field":"rule.groups","size":3}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":12,"buckets":[
				{"key":"syslog","doc_count":5},{"key":"sshd","doc_count":3},{"key":"authentication_failures","doc_count":2}]}}`},
		{"terms min_doc_count", `{"t":{"terms":{"field":"agent.name","min_doc_count":3}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"db-01","doc_count":3},{"key":"web-01","doc_count":3}]}}`},
		{"terms missing", `{"t":{"terms":{"field":"data.srcip","missing":"none"}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[
				{"key":"none","doc_count":4},{"key":"198.51.100.23","doc_count":2},{"key":"203.0.113.7","doc_count":2}]}}`},
		{"terms include exclude", `{"t":{"terms":{"field":"rule.groups","include":"auth.*","exclude":["authentication_success"]}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[{"key":"authentication_failures","doc_count":2}]}}`},
		{"terms order by sub metric", `{"t":{"terms":{"field":"agent.name","order":{"low":"desc"}},"aggs":{"low":{"min":{"field":"rule.level"}}}}}`,
			`{"t":{"doc_count_error_upper_bound":0,"sum_other_doc_count":0,"buckets":[
				{"key":"web-02","doc_count":2,"low":{"value":5}},{"key":"db-01","doc_count":3,"low":{"value":3}},{"key":"web-01","doc_count":3,"low":{"value":3}}]}}`},
		{"date_histogram fixed", `{"h":{"date_histogram":{"field":"timestamp","fixed_interval":"1d","min_doc_count":1}}}`,
			`{"h":{"buckets":[
				{"key_as_string":"2026-11-14T00:00:00.000Z","key":1794614400000,"doc_count":1},
				{"key_as_string":"2026-11-19T00:00:00.000Z","key":1795046400000,"doc_count":1},
				{"key_as_string":"2026-11-20T00:00:00.000Z","key":1795132800000,"doc_count":2},
				{"key_as_string":"2026-11-21T00:00:00.000Z","key":1795219200000,"doc_count":4}]}}`},
		{"date_histogram empty buckets and bounds", `{"h":{"date_histogram":{"field":"timestamp","calendar_interval":"day","format":"yyyy-MM-dd",
				"extended_bounds":{"min":"now-3d/d","max":"now+1d"}},"aggs":{}}}`,
			`{"h":{"buckets":[
				{"key_as_string":"2026-11-18","key":1794960000000,"doc_count":0},
				{"key_as_string":"2026-11-19","key":1795046400000,"doc_count":1},
				{"key_as_string":"2026-11-20","key":1795132800000,"doc_count":2},
				{"key_as_string":"2026-11-21","key":1795219200000,"doc_count":4},
				{"key_as_string":"2026-11-22","key":1795305600000,"doc_count":0}]}}`},
		{"date_histogram week", `{"h":{"date_histogram":{"field":"timestamp","calendar_interval":"1w"}}}`,
			`{"h":{"buckets":[
				{"key_as_string":"2026-11-09T00:00:00.000Z","key":1794182400000,"doc_count":1},
				{"key_as_string":"2026-11-16T00:00:00.000Z","key":1794787200000,"doc_count":7}]}}`},
		{"date_histogram month and zone", `{"h":{"date_histogram":{"field":"timestamp","calendar_interval":"month","time_zone":"+01:00"}}}`,
			`{"h":{"buckets":[{"key_as_string":"2026-11-01T00:00:00.000+01:00","key":1793487600000,"doc_count":8}]}}`},
		{"date_histogram hourly in range", `{"h":{"date_histogram":{"field":"timestamp","fixed_interval":"1h","hard_bounds":{"min":"now-3h","max":"now"}}}}`,
			`{"h":{"buckets":[
				{"key_as_string":"2026-11-21T09:00:00.000Z","key":1795251600000,"doc_count":1},
				{"key_as_string":"2026-11-21T10:00:00.000Z","key":1795255200000,"doc_count":1},
				{"key_as_string":"2026-11-21T11:00:00.000Z","key":1795258800000,"doc_count":2}]}}`},
		{"metrics", `{"c":{"cardinality":{"field":"agent.id"}},"v":{"value_count":{"field":"rule.groups"}},
				"min":{"min":{"field":"rule.level"}},"max":{"max":{"field":"rule.level"}},"avg":{"avg":{"field":"rule.level"}},
				"sum":{"sum":{"field":"rule.level"}},"none":{"max":{"field":"nothing"}},"zero":{"sum":{"field":"nothing"}}}`,
			`{"c":{"value":3},"v":{"value":22},"min":{"value":3},"max":{"value":10},"avg":{"value":6.625},"sum":{"value":53},
				"none":{"value":null},"zero":{"value":0}}`},
		{"stats", `{"s":{"stats":{"field":"rule.level"}}}`, `{"s":{"count":8,"min":3,"max":10,"avg":6.625,"sum":53}}`},
		{"max date", `{"m":{"max":{"field":"timestamp"}}}`, `{"m":{"value":1795261800000,"value_as_string":"2026-11-21T11:50:00.000Z"}}`},
		{"percentiles", `{"p":{"percentiles":{"field":"rule.level","percents":[50,100]}}}`, `{"p":{"values":{"50.0":6,"100.0":10}}}`},
		{"filter", `{"f":{"filter":{"term":{"agent.name":"web-01"}},"aggs":{"lvl":{"max":{"field":"rule.level"}}}}}`,
			`{"f":{"doc_count":3,"lvl":{"value":10}}}`},
		{"filters named", `{"f":{"filters":{"filters":{"ssh":{"term":{"rule.groups":"sshd"}},"pam":{"term":{"rule.groups":"pam"}}},"other_bucket_key":"rest"}}}`,
			`{"f":{"buckets":{"ssh":{"doc_count":3},"pam":{"doc_count":2},"rest":{"doc_count":3}}}}`},
		{"filters anonymous", `{"f":{"filters":{"filters":[{"term":{"rule.level":10}},{"term":{"rule.level":3}}]}}}`,
			`{"f":{"buckets":[{"doc_count":3},{"doc_count":2}]}}`},
		{"range", `{"r":{"range":{"field":"rule.level","ranges":[{"to":5},{"from":5,"to":10},{"from":10,"key":"high"}]}}}`,
			`{"r":{"buckets":[{"key":"*-5.0","to":5,"doc_count":2},{"key":"5.0-10.0","from":5,"to":10,"doc_count":3},{"key":"high","from":10,"doc_count":3}]}}`},
		{"date_range", `{"r":{"date_range":{"field":"timestamp","ranges":[{"from":"now-1d/d"}]}}}`,
			`{"r":{"buckets":[{"key":"2026-11-20T00:00:00.000Z-*","from":1795132800000,"from_as_string":"2026-11-20T00:00:00.000Z","doc_count":6}]}}`},
		{"missing", `{"m":{"missing":{"field":"full_log"}}}`, `{"m":{"doc_count":2}}`},
		{"meta", `{"m":{"missing":{"field":"full_log"},"meta":{"why":"test"}}}`, `{"m":{"doc_count":2,"meta":{"why":"test"}}}`},
	}
	queries := map[string]string{ // tests that aggregate over a subset
		"date_histogram empty buckets and bounds": `{"range":{"timestamp":{"gte":"now-3d/d"}}}`,
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := queries[tt.name]
			if q == "" {
				q = `{"match_all":{}}`
			}
			resp := search(t, indices, `{"size":0,"query":`+q+`,"aggs":`+tt.aggs+`}`)
			jsonEq(t, resp["aggregations"], tt.want)
		})
	}
}

func TestNestedSubAggregations(t *testing.T) {
	body := `{"size":0,"query":{"range":{"timestamp":{"gte":"now-2d"}}},"aggs":{"agents":{"terms":{"field":"agent.name","size":2},
		"aggs":{"per_day":{"date_histogram":{"field":"timestamp","calendar_interval":"1d","min_doc_count":1},
			"aggs":{"rules":{"cardinality":{"field":"rule.id"}},"worst":{"top_hits":{"size":1,"sort":[{"rule.level":"desc"}],"_source":["rule.id"]}}}}}}}}`
	resp := search(t, fixture(t), body)
	jsonEq(t, resp["aggregations"], `{"agents":{"doc_count_error_upper_bound":0,"sum_other_doc_count":2,"buckets":[
		{"key":"db-01","doc_count":2,"per_day":{"buckets":[
			{"key_as_string":"2026-11-20T00:00:00.000Z","key":1795132800000,"doc_count":1,"rules":{"value":1},
			 "worst":{"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[{"_index":"wazuh-alerts-4.x-2026.11.20","_id":"a5","_score":null,"_source":{"rule":{"id":"550"}},"sort":[7]}]}}},
			{"key_as_string":"2026-11-21T00:00:00.000Z","key":1795219200000,"doc_count":1,"rules":{"value":1},
			 "worst":{"hits":{"total":{"value":1,"relation":"eq"},"max_score":null,"hits":[{"_index":"wazuh-alerts-4.x-2026.11.21","_id":"a3","_score":null,"_source":{"rule":{"id":"5501"}},"sort":[3]}]}}}]}},
		{"key":"web-01","doc_count":2,"per_day":{"buckets":[
			{"key_as_string":"2026-11-21T00:00:00.000Z","key":1795219200000,"doc_count":2,"rules":{"value":2},
			 "worst":{"hits":{"total":{"value":2,"relation":"eq"},"max_score":null,"hits":[{"_index":"wazuh-alerts-4.x-2026.11.21","_id":"a1","_score":null,"_source":{"rule":{"id":"5712"}},"sort":[10]}]}}}]}}]}}`)
}

func TestTooManyBuckets(t *testing.T) {
	e := searchErr(t, fixture(t), `{"size":0,"aggs":{"h":{"date_histogram":{"field":"timestamp","fixed_interval":"1s"}}}}`)
	if e.root().Type != "too_many_buckets_exception" {
		t.Errorf("got %v", e)
	}
}
