package indexer

import (
	"encoding/json"
	"reflect"
	"regexp"
	"testing"
)

// TestDecodeSearchMatchesUseNumber checks that decodeSearch's in-place
// decoding gives exactly what decoding with UseNumber gives, and the same
// error when that fails.
func TestDecodeSearchMatchesUseNumber(t *testing.T) {
	for _, body := range []string{
		`{"took":3,"timed_out":false,"_shards":{"total":2,"failed":0},"hits":{"total":{"value":12,"relation":"eq"},"hits":[` +
			`{"_index":"a","_id":"1","_source":{"x":1},"sort":[1732190400000,"9223372036854775807",null,1.5,true,{"n":12345678901234567890}]},` +
			`{"_index":"a","_id":"2","_source":{},"sort":[]},{"_index":"a","_id":"3","_source":{"y":[1]}}]}}`,
		`{"hits":{"total":7,"hits":[]},"aggregations":{"g":{"buckets":[]}}}`,
		`{"hits":{"total":{"value":1},"hits":[{"_id":"1","sort":null}]}}`,
		`{"hits":{"total":1,"hits":[]}} {"trailing":true}`,
		`{"hits":{"total":"x","hits":[]}}`,
		`{"hits":{"hits":[{"_id":"1","sort":"not a list"}]}}`,
		`{"took":"slow"}`,
		``,
	} {
		got, gotErr := decodeSearch([]byte(body))
		var want rawSearchResponse
		wantErr := unmarshalNumber([]byte(body), &want)
		if (gotErr == nil) != (wantErr == nil) {
			t.Errorf("%s: error %v, want %v", body, gotErr, wantErr)
			continue
		}
		if gotErr != nil {
			if gotErr.Error() != "decode indexer search response: "+wantErr.Error() {
				t.Errorf("%s: error %q, want %q", body, gotErr, wantErr)
			}
			continue
		}
		if !reflect.DeepEqual(*got, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", body, *got, want)
		}
	}
}

func TestTopHitsMatchesUseNumber(t *testing.T) {
	raw := `{"hits":{"total":{"value":2,"relation":"eq"},"hits":[{"_index":"i","_id":"1","_source":{"rule":{"level":10}},"sort":[12345678901234567,"b"]}]}}`
	res := AggResult{aggs: map[string]json.RawMessage{"t": json.RawMessage(raw)}}
	got, err := res.TopHits("t")
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Hits *rawHits `json:"hits"`
	}
	if err := unmarshalNumber([]byte(raw), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want.Hits.hits()) {
		t.Errorf("got %+v, want %+v", got, want.Hits.hits())
	}
}

func TestOnlyNameBytesMatchesPatterns(t *testing.T) {
	patterns := map[string]*regexp.Regexp{
		"_@.-":  regexp.MustCompile(`^[A-Za-z0-9_@.\-]+$`),
		"_@.*-": regexp.MustCompile(`^[A-Za-z0-9_@.*\-]+$`),
		"_-":    regexp.MustCompile(`^[A-Za-z0-9_\-]+$`),
	}
	names := []string{"", "rule.level", "data.win.eventdata.targetUserName", "@timestamp", "a-b_c", "data.*", "*",
		"rule level", "rule.level\n", "a\x00b", "règle", "\xff", "a$", "a^2", "A-Z", "a\u212a", "field:x", "a/b"}
	for i := 0; i < 256; i++ {
		names = append(names, "x"+string(rune(i)), string([]byte{byte(i)}))
	}
	for punct, re := range patterns {
		for _, n := range names {
			if got, want := onlyNameBytes(n, punct), re.MatchString(n); got != want {
				t.Errorf("onlyNameBytes(%q, %q) = %v, want %v", n, punct, got, want)
			}
		}
	}
}

func TestMarshalNodeMatchesMap(t *testing.T) {
	bodies := []any{
		map[string]any{"field": "rule.level"},
		map[string]any{"rule.id": map[string]any{"value": "<5712&>"}},
		map[string]any{},
		[]json.RawMessage{json.RawMessage(`{"term":{"a":{"value":1}}}`), json.RawMessage(` { "b" : 2 } `)},
	}
	for _, name := range []string{"bool", "term", "terms", "range", "match", "multi_match", "simple_query_string", "ids",
		"exists", "match_all", "wildcard", "cardinality", "top_hits", "min", "max", "avg", "sum", "value_count"} {
		for _, body := range bodies {
			got, err := marshalNode(name, body)
			want, werr := json.Marshal(map[string]any{name: body})
			if err != nil || werr != nil || string(got) != string(want) {
				t.Errorf("%s %v: %s (%v), want %s (%v)", name, body, got, err, want, werr)
			}
		}
	}
	_, err := marshalNode("term", json.RawMessage(`{bad`))
	_, werr := json.Marshal(map[string]any{"term": json.RawMessage(`{bad`)})
	if err == nil || werr == nil || err.Error() != werr.Error() {
		t.Errorf("error %v, want %v", err, werr)
	}
}
