package tools

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/indexer"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tokencount"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

// TestAlertListTokenRatio checks issue 3's budget: get_wazuh_alerts(limit=50)
// costs at most 40% of the tokens of the same 50 raw alert documents, while
// keeping id, time, agent, rule id/level/description/groups, MITRE, source,
// destination and location.
func TestAlertListTokenRatio(t *testing.T) {
	e := newEnv(t)
	var list struct {
		Alerts []map[string]any `json:"alerts"`
	}
	res := e.call(t, "get_wazuh_alerts", map[string]any{"limit": 50}, &list)
	text := res.Content[0].(*mcp.TextContent).Text
	if len(list.Alerts) != 50 {
		t.Fatalf("got %d alerts, want 50", len(list.Alerts))
	}
	for _, a := range list.Alerts {
		for _, k := range []string{"id", "timestamp", "agent", "rule", "location"} {
			if _, ok := a[k]; !ok {
				t.Fatalf("alert lacks %q: %v", k, a)
			}
		}
		rule := a["rule"].(map[string]any)
		for _, k := range []string{"id", "level", "description", "groups"} {
			if _, ok := rule[k]; !ok {
				t.Fatalf("rule lacks %q: %v", k, rule)
			}
		}
	}

	ic, err := indexer.New(indexer.Config{URL: e.sim.IndexerURL, Username: wazuhsim.IndexerUser, Password: wazuhsim.IndexerPassword})
	if err != nil {
		t.Fatal(err)
	}
	defer ic.Close()
	raw, err := ic.SearchAlerts(context.Background(), indexer.SearchRequest{Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	docs := make([]json.RawMessage, len(raw.Hits))
	for i, h := range raw.Hits {
		docs[i] = h.Source
	}
	rawText, _ := json.Marshal(docs)

	var c tokencount.Counter
	got, err := c.Count(text)
	if err != nil {
		t.Fatal(err)
	}
	base, err := c.Count(string(rawText))
	if err != nil {
		t.Fatal(err)
	}
	ratio := float64(got) / float64(base)
	t.Logf("get_wazuh_alerts(limit=50): %d tokens; raw documents: %d tokens; ratio %.2f", got, base, ratio)
	if ratio > 0.40 {
		t.Errorf("alert list costs %.0f%% of the raw documents, over the 40%% budget", ratio*100)
	}
}
