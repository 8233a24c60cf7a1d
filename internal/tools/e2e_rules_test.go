package tools

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// strs reads a list field of a stand-in item.
func strs(v any) []string {
	var out []string
	switch t := v.(type) {
	case []any:
		for _, x := range t {
			out = append(out, fmt.Sprint(x))
		}
	case []string:
		out = append(out, t...)
	}
	return out
}

// anyText reports whether a scalar anywhere in v contains needle,
// case-insensitively: the Manager's search parameter.
func anyText(v any, needle string) bool {
	switch t := v.(type) {
	case map[string]any:
		for _, x := range t {
			if anyText(x, needle) {
				return true
			}
		}
	case []any:
		for _, x := range t {
			if anyText(x, needle) {
				return true
			}
		}
	case nil:
		return false
	default:
		return strings.Contains(strings.ToLower(fmt.Sprint(t)), strings.ToLower(needle))
	}
	return false
}

// walkRules pages list_rules to the end and returns every rule id seen.
func walkRules(t *testing.T, e *env, args map[string]any) ([]int64, int) {
	t.Helper()
	var ids []int64
	total := -1
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		var page RuleList
		e.call(t, "list_rules", args, &page)
		if total >= 0 && page.Total != total {
			t.Fatalf("total changed between pages: %d then %d", total, page.Total)
		}
		total = page.Total
		for _, r := range page.Rules {
			ids = append(ids, r.ID)
		}
		if page.NextCursor == "" {
			return ids, total
		}
		args["cursor"] = page.NextCursor
	}
}

func TestListRulesFiltersMatchDataset(t *testing.T) {
	e := newEnv(t)
	rules := e.sim.Dataset.Rules
	// A requirement and a technique that some rules carry.
	pci, mitre := "", ""
	for _, r := range rules {
		if p := strs(r["pci_dss"]); pci == "" && len(p) > 0 {
			pci = p[0]
		}
		if m := strs(r["mitre"]); mitre == "" && len(m) > 0 {
			mitre = m[0]
		}
	}
	tests := []struct {
		args map[string]any
		keep func(dataset.Item) bool
	}{
		{map[string]any{}, func(dataset.Item) bool { return true }},
		{map[string]any{"level": "10-15"}, func(r dataset.Item) bool { l := itemInt(r["level"]); return l >= 10 && l <= 15 }},
		{map[string]any{"level": "12+"}, func(r dataset.Item) bool { return itemInt(r["level"]) >= 12 }},
		{map[string]any{"group": "sshd"}, func(r dataset.Item) bool { return slices.Contains(strs(r["groups"]), "sshd") }},
		{map[string]any{"compliance": "pci_dss:" + pci}, func(r dataset.Item) bool { return slices.Contains(strs(r["pci_dss"]), pci) }},
		{map[string]any{"mitre": strings.ToLower(mitre)}, func(r dataset.Item) bool { return slices.Contains(strs(r["mitre"]), mitre) }},
		{map[string]any{"search": "brute", "level": "5+"}, func(r dataset.Item) bool { return itemInt(r["level"]) >= 5 && anyText(r, "brute") }},
		{map[string]any{"group": "authentication_failed", "compliance": "gdpr:IV_35.7.d"}, func(r dataset.Item) bool {
			return slices.Contains(strs(r["groups"]), "authentication_failed") && slices.Contains(strs(r["gdpr"]), "IV_35.7.d")
		}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			var want []int64
			for _, r := range rules {
				if tt.keep(r) {
					want = append(want, itemInt(r["id"]))
				}
			}
			slices.Sort(want)
			if len(want) == 0 {
				t.Fatalf("filter %v selects no stand-in rule: the test would prove nothing", tt.args)
			}
			tt.args["limit"] = 150
			got, total := walkRules(t, e, tt.args)
			if total != len(want) || !slices.Equal(got, want) {
				t.Fatalf("total %d, %d ids; dataset %d ids (first diff in %v vs %v)", total, len(got), len(want), head(got), head(want))
			}
		})
	}
	for _, bad := range []map[string]any{
		{"level": "high"}, {"compliance": "sox:1"}, {"compliance": "pci_dss"}, {"compliance": "pci_dss:1,2"},
		{"mitre": "T11"}, {"search": "a;b"}, {"group": "a b"},
	} {
		msg := resultError(t, e.call(t, "list_rules", bad, nil))
		for k := range bad {
			if !strings.Contains(msg, "invalid argument "+k) {
				t.Errorf("%v: %s", bad, msg)
			}
		}
	}
}

func head(ids []int64) []int64 { return ids[:min(len(ids), 5)] }

func TestGetRuleHasAllFields(t *testing.T) {
	e := newEnv(t)
	var want dataset.Item
	for _, r := range e.sim.Dataset.Rules {
		if itemInt(r["id"]) == 5712 {
			want = r
		}
	}
	if want == nil {
		t.Fatal("rule 5712 missing from the stand-in")
	}
	var out RuleDetail
	e.call(t, "get_rule", map[string]any{"rule_id": 5712}, &out)
	r := out.Rule
	if r.ID != 5712 || r.Level != itemInt(want["level"]) || r.Description != want["description"] ||
		!slices.Equal(r.Groups, strs(want["groups"])) || !slices.Equal(r.Mitre, strs(want["mitre"])) || r.File != want["filename"] || r.Details == nil {
		t.Fatalf("rule %+v, dataset %v", r, want)
	}
	for _, k := range []string{"pci_dss", "gdpr", "hipaa", "nist_800_53", "tsc", "gpg13"} {
		if !slices.Equal(r.Compliance[k], strs(want[k])) {
			t.Errorf("%s: %v, dataset %v", k, r.Compliance[k], want[k])
		}
	}
	msg := resultError(t, e.call(t, "get_rule", map[string]any{"rule_id": "999999"}, nil))
	if !strings.Contains(msg, "999999") {
		t.Errorf("missing rule: %s", msg)
	}
	if msg := resultError(t, e.call(t, "get_rule", map[string]any{}, nil)); !strings.Contains(msg, "invalid argument rule_id") {
		t.Errorf("no rule_id: %s", msg)
	}
}

func TestRuleFilesAndContent(t *testing.T) {
	e := newEnv(t)
	files := e.sim.Dataset.RuleFiles
	seen := map[string]int{}
	args := map[string]any{"limit": 7}
	total := 0
	for pages := 0; ; pages++ {
		if pages > 100 {
			t.Fatal("paging does not end")
		}
		var page RuleFileList
		e.call(t, "get_rule_files", args, &page)
		total = page.Total
		for _, f := range page.Files {
			seen[f.Name]++
		}
		if page.NextCursor == "" {
			break
		}
		args["cursor"] = page.NextCursor
	}
	if total != len(files) || len(seen) != len(files) {
		t.Fatalf("total %d, seen %d, dataset %d", total, len(seen), len(files))
	}
	for name, n := range seen {
		if n != 1 {
			t.Fatalf("%s seen %d times", name, n)
		}
	}
	var disabled RuleFileList
	e.call(t, "get_rule_files", map[string]any{"status": "disabled"}, &disabled)
	if disabled.Total != 0 {
		t.Errorf("disabled files: %d, the stand-in has none", disabled.Total)
	}

	name := files[0]["file"].(string)
	var out RuleFileContent
	e.call(t, "get_rule_file_content", map[string]any{"filename": name}, &out)
	xml := e.sim.Dataset.RuleFileXML[name]
	if out.Untrusted == nil || out.Untrusted.Content != xml || out.Bytes != len(xml) || out.Truncated {
		t.Fatalf("content of %s differs (bytes %d vs %d)", name, out.Bytes, len(xml))
	}

	for _, bad := range []string{
		"../etc/ossec.conf", "../../var/ossec/etc/client.keys", "..%2f..%2fossec.conf", "%2e%2e%2fx.xml", "%2e%2e/x.xml",
		"/etc/passwd", "/var/ossec/ruleset/rules/0095-sshd_rules.xml", "rules/0095-sshd_rules.xml", "..\\x.xml",
		"C:\\x.xml", "x.xml\x00.txt", "a\x00.xml", strings.Repeat("a", 300) + ".xml", "..xml", "a..b.xml", ".hidden.xml",
		"x.xml ", " x.xml", "x.XML.txt", "local_rules.xml?raw=false", "x.xml#", "x%00.xml", "", "ossec.conf",
	} {
		msg := resultError(t, e.call(t, "get_rule_file_content", map[string]any{"filename": bad}, nil))
		if !strings.Contains(msg, "invalid argument filename") {
			t.Errorf("%q was not refused by validation: %s", bad, msg)
		}
	}
	msg := resultError(t, e.call(t, "get_rule_file_content", map[string]any{"filename": "9999-missing_rules.xml"}, nil))
	if strings.Contains(msg, "invalid argument") {
		t.Errorf("a well-formed missing file should be a Manager error: %s", msg)
	}
}

func TestListDecoders(t *testing.T) {
	e := newEnv(t)
	decs := e.sim.Dataset.Decoders
	var all DecoderList
	e.call(t, "list_decoders", map[string]any{"limit": 1000}, &all)
	if all.Total != len(decs) || all.Returned != min(len(decs), 1000) {
		t.Fatalf("total %d returned %d, dataset %d", all.Total, all.Returned, len(decs))
	}
	want := 0
	for _, d := range decs {
		if d["name"] == "sshd" {
			want++
		}
	}
	var sshd DecoderList
	e.call(t, "list_decoders", map[string]any{"name": "sshd"}, &sshd)
	if want == 0 || sshd.Total != want {
		t.Fatalf("sshd: total %d, dataset %d", sshd.Total, want)
	}
	wantSearch := 0
	for _, d := range decs {
		if anyText(d, "windows") {
			wantSearch++
		}
	}
	var search DecoderList
	e.call(t, "list_decoders", map[string]any{"search": "windows", "limit": 1000}, &search)
	if wantSearch == 0 || search.Total != wantSearch {
		t.Fatalf("search: total %d, dataset %d", search.Total, wantSearch)
	}
	children := 0
	for _, d := range all.Decoders {
		if d.Parent != "" {
			children++
		}
	}
	if children == 0 {
		t.Error("no decoder has a parent")
	}
	if msg := resultError(t, e.call(t, "list_decoders", map[string]any{"name": "a,b"}, nil)); !strings.Contains(msg, "invalid argument name") {
		t.Errorf("bad name: %s", msg)
	}
}

func TestCDBLists(t *testing.T) {
	e := newEnv(t)
	lists := e.sim.Dataset.Lists
	var idx CDBLists
	e.call(t, "get_cdb_lists", map[string]any{}, &idx)
	if idx.Total != len(lists) || len(idx.Lists) != len(lists) {
		t.Fatalf("lists: %d, dataset %d", idx.Total, len(lists))
	}
	for i, l := range idx.Lists {
		if l.Filename != lists[i]["filename"] || l.Entries != len(lists[i]["items"].([]any)) {
			t.Errorf("list %d: %+v, dataset %s with %d items", i, l, lists[i]["filename"], len(lists[i]["items"].([]any)))
		}
	}
	var want []any
	for _, l := range lists {
		if l["filename"] == "malicious-ip" {
			want = l["items"].([]any)
		}
	}
	var got []string
	args := map[string]any{"filename": "malicious-ip", "limit": 7}
	for pages := 0; ; pages++ {
		if pages > 50 {
			t.Fatal("paging does not end")
		}
		var page CDBLists
		e.call(t, "get_cdb_lists", args, &page)
		if page.Total != len(want) || page.List == nil || page.List.Entries != len(want) {
			t.Fatalf("malicious-ip: total %d, dataset %d", page.Total, len(want))
		}
		for _, en := range page.Entries {
			got = append(got, en.Key+"="+en.Value)
		}
		if page.NextCursor == "" {
			break
		}
		args["cursor"] = page.NextCursor
	}
	var wantKV []string
	for _, it := range want {
		m := it.(dataset.Item)
		wantKV = append(wantKV, fmt.Sprint(m["key"], "=", m["value"]))
	}
	if !slices.Equal(got, wantKV) {
		t.Fatalf("entries %v, dataset %v", got, wantKV)
	}
	for _, bad := range []string{"../lists/x", "/etc/lists/x", url.PathEscape("../x"), "a/b", "x\x00", "..", strings.Repeat("x", 200)} {
		if msg := resultError(t, e.call(t, "get_cdb_lists", map[string]any{"filename": bad}, nil)); !strings.Contains(msg, "invalid argument filename") {
			t.Errorf("%q: %s", bad, msg)
		}
	}
}
