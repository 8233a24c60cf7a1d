package wazuh

import (
	"encoding/json"
	"reflect"
	"testing"
)

// extraSlow is decodeWithExtra without the key scan: the reference the fast
// path must agree with.
func extraSlow(t *testing.T, b []byte) Extra {
	t.Helper()
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		t.Fatal(err)
	}
	for _, n := range jsonNames(reflect.TypeOf(Agent{})) {
		delete(all, n)
	}
	if len(all) == 0 {
		return nil
	}
	return all
}

func TestDecodeWithExtraMatchesFullDecode(t *testing.T) {
	for _, doc := range []string{
		`{"id":"001","name":"web"}`,
		`{}`,
		` { "id" : "001" , "os" : {"name":"Ubuntu","new":[1,{"a":"}"}]} , "group":["a","b"] } `,
		`{"id":"001","new_field":{"x":1}}`,
		`{"ID":"001"}`,                                  // matched case-insensitively, kept as extra
		`{"i\u0064":"001"}`,                             // escaped key: the exact path decides
		`{"name":"a \"quoted\" } ] , name","id":"002"}`, // structure characters inside strings
		`{"name":"back\\","status_code":4,"dateAdd":null,"extra_n":-1.5e3}`,
		`{"os":{"major":20,"minor":"04"},"last":true}`,
	} {
		var a Agent
		if err := json.Unmarshal([]byte(doc), &a); err != nil {
			t.Fatalf("%s: %v", doc, err)
		}
		if want := extraSlow(t, []byte(doc)); !reflect.DeepEqual(a.Extra, want) {
			t.Errorf("%s: extra %v, want %v", doc, a.Extra, want)
		}
	}
}

// TestDecodePageOnePassMatchesStepwise checks that the one-pass decoding
// gives what the step-by-step one gives, and leaves every unusual answer to
// the step-by-step path.
func TestDecodePageOnePassMatchesStepwise(t *testing.T) {
	for _, tc := range []struct {
		body    string
		onePass bool
	}{
		{`{"data":{"affected_items":[{"id":"001","x":1}],"total_affected_items":7,"total_failed_items":0,"failed_items":[]},"message":"ok","error":0}`, true},
		{`{"data":{"affected_items":[{"id":"001"}],"total_affected_items":0,"failed_items":[{"error":{"code":1701,"message":"no"},"id":["002"]}]},"error":2}`, true},
		{`{"data":{"affected_items":[],"total_affected_items":0},"error":0}`, true},
		{`{"data":{"affected_items":null},"error":0}`, true},
		{`{"data":null,"error":0}`, false},
		{`{"data":{"affected_items":[{"id":"001"}]},"error":0} trailing`, false},
		{`{"data":{"affected_items":[{"id":"001"}],"total_failed_items":"x"},"error":0}`, false},
		{`{"data":{"affected_items":{"id":"001"}},"error":0}`, false},
		{`{"data":{"affected_items":[],"failed_items":[{"error":{"code":1701},"id":["001"]}],"total_affected_items":0},"message":"all failed","error":1}`, false},
	} {
		_, ok := decodePageOnePass[Agent]([]byte(tc.body))
		if ok != tc.onePass {
			t.Errorf("%s: one pass %v, want %v", tc.body, ok, tc.onePass)
		}
		got, gotErr := decodePage[Agent]("GET", "/agents", []byte(tc.body))
		want, wantErr := decodePageStepwise[Agent]("GET", "/agents", []byte(tc.body))
		if !reflect.DeepEqual(got, want) || (gotErr == nil) != (wantErr == nil) || (gotErr != nil && gotErr.Error() != wantErr.Error()) {
			t.Errorf("%s:\n got %+v, %v\nwant %+v, %v", tc.body, got, gotErr, want, wantErr)
		}
	}
}
