package events

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/search"

	"github.com/wazuh-mcp/wazuh-mcp/internal/testref"
)

// referenceDir holds the real Wazuh reference data; tests that need it
// skip when it is absent (it is never needed at run time).
var referenceDir = testref.Dir()

func loadJSON(t *testing.T, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(referenceDir, name))
	if err != nil {
		t.Skipf("reference data %s not available: %v", name, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
}

// mappingTypes flattens a template's properties into path -> type.
func mappingTypes(props map[string]any, prefix string, out map[string]string) {
	for k, v := range props {
		m, _ := v.(map[string]any)
		if sub, ok := m["properties"].(map[string]any); ok {
			mappingTypes(sub, prefix+k+".", out)
			continue
		}
		typ, _ := m["type"].(string)
		out[prefix+k] = typ
	}
}

func alertMapping(t *testing.T) map[string]string {
	var tpl struct {
		Mappings struct {
			Properties map[string]any `json:"properties"`
		} `json:"mappings"`
	}
	loadJSON(t, "alerts-index-template.json", &tpl)
	out := map[string]string{}
	mappingTypes(tpl.Mappings.Properties, "", out)
	return out
}

// leaves flattens decoded JSON into dotted path -> leaf values.
func leaves(v any, prefix string, out map[string][]any) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			leaves(x, p, out)
		}
	case []any:
		for _, x := range v {
			leaves(x, prefix, out)
		}
	default:
		out[prefix] = append(out[prefix], v)
	}
}

func sourceLeaves(t *testing.T, d search.Doc) map[string][]any {
	t.Helper()
	b, err := json.Marshal(d.Source())
	if err != nil {
		t.Fatalf("marshal %s: %v", d.ID(), err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out := map[string][]any{}
	leaves(v, "", out)
	return out
}

// expectedValue converts a JSON leaf as the index mapping type would.
func expectedValue(t *testing.T, typ string, v any) any {
	switch typ {
	case "long", "integer", "double", "float", "geo_point":
		if f, ok := v.(float64); ok {
			return f
		}
		t.Fatalf("numeric field holds %T %v", v, v)
	case "date":
		tm, err := parseDate(v.(string))
		if err != nil {
			t.Fatalf("bad date %v", v)
		}
		return tm
	case "text":
		return search.Text(v.(string))
	case "boolean":
		return v
	case "dynamic": // dynamic mapping: strings keyword, numbers long/float
		return v
	}
	switch v := v.(type) {
	case string:
		return v
	case float64: // keyword holding a JSON number (syscheck.inode_after)
		return fmt.Sprint(int64(v))
	case bool:
		return v
	}
	return v
}

// typeOf finds the mapping type for a path: mapped fields, geo_point
// children, and dynamic data.* strings (keyword, date_detection off).
func typeOf(mapping map[string]string, path string) (string, bool) {
	if typ, ok := mapping[path]; ok {
		return typ, true
	}
	if i := strings.LastIndexByte(path, '.'); i > 0 && mapping[path[:i]] == "geo_point" {
		return "geo_point", true
	}
	// The template maps every other string dynamically as keyword; real
	// alerts rely on that for data.* and syscheck.changed_attributes.
	if strings.HasPrefix(path, "data.") || path == "syscheck.changed_attributes" {
		return "dynamic", false
	}
	return "", false
}

func equalValues(a, b []any) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if ta, ok := a[i].(time.Time); ok {
			tb, ok := b[i].(time.Time)
			if !ok || !ta.Equal(tb) {
				return false
			}
			continue
		}
		if !reflect.DeepEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// sampleOfShapes picks one alert of every shape and rule.
func sampleOfShapes(as []*alert) []*alert {
	seen := map[string]bool{}
	var out []*alert
	for _, a := range as {
		k := a.shape.name + "/" + a.rule.id
		if !seen[k] {
			seen[k] = true
			out = append(out, a)
		}
	}
	return out
}

func TestAlertValuesMatchSourceAndTemplate(t *testing.T) {
	mapping := alertMapping(t)
	as := alertsOf(mustGenerate(t, testInput(10000)))
	for _, a := range sampleOfShapes(as) {
		for path, vals := range sourceLeaves(t, a) {
			typ, mapped := typeOf(mapping, path)
			if !mapped && typ != "dynamic" {
				t.Errorf("%s (%s): field %s is not in the alerts template", a.shape.name, a.rule.id, path)
				continue
			}
			want := make([]any, len(vals))
			for i, v := range vals {
				want[i] = expectedValue(t, typ, v)
			}
			if got := a.Values(path); !equalValues(got, want) {
				t.Errorf("%s (%s): Values(%q) = %#v, want %#v", a.shape.name, a.rule.id, path, got, want)
			}
		}
		if a.Values("no.such.field") != nil || a.Values("data.nope") != nil {
			t.Errorf("%s: unknown path has values", a.shape.name)
		}
	}
}

// TestAlertsCoverSampleKeys checks that, for every rule present in the real
// sample alerts, our alerts of that rule carry at least the sample's fields.
func TestAlertsCoverSampleKeys(t *testing.T) {
	var samples []map[string]any
	loadJSON(t, "sample-alerts.json", &samples)
	as := alertsOf(mustGenerate(t, testInput(10000)))
	byRule := map[string]map[string]bool{}
	seen := map[string]int{}
	for _, a := range as {
		paths := byRule[a.rule.id]
		if paths == nil {
			paths = map[string]bool{}
			byRule[a.rule.id] = paths
		}
		if seen[a.rule.id]++; seen[a.rule.id] > 40 {
			continue // enough examples of this rule
		}
		for p := range sourceLeaves(t, a) {
			paths[p] = true
		}
	}
	// Sample fields the generator deliberately leaves out: FIM tags (none
	// configured), whodata on deletions, and the dashboard's cvss2 vectors.
	exempt := func(p string) bool {
		return strings.HasPrefix(p, "syscheck.tags") || strings.HasPrefix(p, "syscheck.audit") ||
			strings.HasPrefix(p, "data.vulnerability.cvss.cvss2") || strings.HasPrefix(p, "data.vulnerability.package.source") ||
			p == "data.vulnerability.cwe_reference" || p == "data.vulnerability.state" || p == "GeoLocation.location.lat" ||
			strings.HasPrefix(p, "GeoLocation") || p == "rule.tsc" || p == "agent.ip"
	}
	// Fields the dashboard's sample generator invents for these rules (a user
	// on scan lines, a port on PAM failures) that real log lines lack.
	sampleQuirks := map[string][]string{
		"5706": {"data.srcuser"},
		"5716": {"data.srcport", "data.srcuser"},
		"5720": {"data.srcport", "data.srcuser"},
	}
	checked := 0
	for _, s := range samples {
		rule, _ := s["rule"].(map[string]any)
		id, _ := rule["id"].(string)
		paths, ok := byRule[id]
		if !ok {
			continue
		}
		checked++
		flat := map[string][]any{}
		leaves(s, "", flat)
		var missing []string
		for p := range flat {
			if !paths[p] && !exempt(p) && !slices.Contains(sampleQuirks[id], p) {
				missing = append(missing, p)
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("rule %s: generated alerts lack sample fields %v", id, missing)
		}
	}
	if checked < 15 {
		t.Fatalf("only %d sample alerts matched generated rules", checked)
	}
}

func TestVulnerabilitiesMatchTemplate(t *testing.T) {
	var tpl struct {
		Template struct {
			Mappings struct {
				Properties map[string]any `json:"properties"`
			} `json:"mappings"`
		} `json:"template"`
	}
	loadJSON(t, "vulnerabilities-index-template.json", &tpl)
	mapping := map[string]string{}
	mappingTypes(tpl.Template.Mappings.Properties, "", mapping)
	var samples []struct {
		ID     string         `json:"_id"`
		Source map[string]any `json:"_source"`
	}
	loadJSON(t, "sample-vulnerabilities.json", &samples)

	out := mustGenerate(t, testInput(100))
	if len(out.Vulnerabilities) == 0 {
		t.Fatal("no vulnerabilities")
	}
	samplePaths := map[string]bool{}
	for _, s := range samples {
		flat := map[string][]any{}
		leaves(s.Source, "", flat)
		for p := range flat {
			samplePaths[p] = true
		}
	}
	seenWindows := false
	for _, d := range out.Vulnerabilities {
		flat := sourceLeaves(t, d)
		for path, vals := range flat {
			typ, ok := mapping[path]
			if !ok {
				t.Errorf("%s: field %s not in the vulnerabilities template (dynamic: strict)", d.ID(), path)
				continue
			}
			want := make([]any, len(vals))
			for i, v := range vals {
				want[i] = expectedValue(t, typ, v)
			}
			if got := d.Values(path); !equalValues(got, want) {
				t.Errorf("%s: Values(%q) = %#v, want %#v", d.ID(), path, got, want)
			}
		}
		for p := range samplePaths {
			if _, ok := flat[p]; !ok && p != "host.os.kernel" && !(p == "package.size" || p == "package.description") {
				t.Errorf("%s lacks sample field %s", d.ID(), p)
			}
		}
		parts := strings.Split(d.ID(), "_")
		if len(parts) != 3 || !strings.HasPrefix(parts[2], "CVE-") {
			t.Errorf("bad _id %q", d.ID())
		}
		if strings.HasPrefix(d.ID(), "004_") {
			seenWindows = true
		}
	}
	if !seenWindows {
		t.Error("no Windows OS vulnerabilities for dc-01")
	}
}
