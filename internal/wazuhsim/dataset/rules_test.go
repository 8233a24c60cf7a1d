package dataset

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// TestRuleXMLIsWellFormed parses every rendered file (Wazuh rule files have
// several top-level <group> elements, so they are wrapped for the parser)
// and checks each catalogue rule appears once, inside a group, with its
// level and MITRE ids.
func TestRuleXMLIsWellFormed(t *testing.T) {
	ds := load(t)
	type rule struct {
		ID    int      `xml:"id,attr"`
		Level int      `xml:"level,attr"`
		Mitre []string `xml:"mitre>id"`
	}
	type group struct {
		Name  string `xml:"name,attr"`
		Rules []rule `xml:"rule"`
	}
	seen := map[int]rule{}
	for name, body := range ds.RuleFileXML {
		dec := xml.NewDecoder(strings.NewReader("<root>" + body + "</root>"))
		var root struct {
			Groups []group `xml:"group"`
		}
		if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
			t.Fatalf("%s: %v", name, err)
		}
		for _, g := range root.Groups {
			if !strings.HasSuffix(g.Name, ",") {
				t.Errorf("%s: group name %q lacks the trailing comma Wazuh uses", name, g.Name)
			}
			for _, r := range g.Rules {
				if _, dup := seen[r.ID]; dup {
					t.Errorf("rule %d rendered twice", r.ID)
				}
				seen[r.ID] = r
			}
		}
	}
	for _, r := range events.Ruleset() {
		got, ok := seen[r.ID]
		if !ok {
			t.Errorf("rule %d not rendered", r.ID)
			continue
		}
		if got.Level != r.Level || strings.Join(got.Mitre, ",") != strings.Join(r.MITRE, ",") {
			t.Errorf("rule %d rendered as %+v", r.ID, got)
		}
	}
}

func TestRenderRuleDetails(t *testing.T) {
	r := events.Rule{ID: 100100, Level: 10, Description: "brute <force> & more", Groups: []string{"syslog", "sshd", "authentication_failures"},
		PCIDSS: []string{"10.2.4"}, MITRE: []string{"T1110"}, Details: map[string]any{
			"if_matched_sid": "5710", "frequency": "8", "timeframe": "120", "same_source_ip": "",
			"field": map[string]any{"name": "data.srcip", "pattern": "^203"}, "match": "illegal user",
		}}
	got := renderRuleFile("local_rules.xml", []events.Rule{r})
	for _, want := range []string{
		`<group name="syslog,sshd,">`,
		`<rule id="100100" level="10" frequency="8" timeframe="120">`,
		`<if_matched_sid>5710</if_matched_sid>`,
		`<field name="data.srcip">^203</field>`,
		`<same_source_ip />`,
		`<description>brute &lt;force&gt; &amp; more</description>`,
		`<id>T1110</id>`,
		`<group>authentication_failures,pci_dss_10.2.4,</group>`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("rendered rule lacks %s:\n%s", want, got)
		}
	}
}
