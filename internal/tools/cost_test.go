package tools

import (
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/tokencount"
)

// TestToolListBudgets keeps tools/list affordable: it is paid for in every
// conversation that connects to the server.
func TestToolListBudgets(t *testing.T) {
	var c tokencount.Counter
	all := Catalogue(Deps{})
	defaults, err := Select(all, Selection{})
	if err != nil {
		t.Fatal(err)
	}
	costs, total, err := TokenCost(&c, all)
	if err != nil {
		t.Fatal(err)
	}
	for i, tool := range all {
		if costs[i] > maxToolTokens {
			t.Errorf("%s costs %d tokens in tools/list, over the per-tool budget of %d", tool.Def.Name, costs[i], maxToolTokens)
		}
	}
	if total > CatalogueTokenBudget {
		t.Errorf("the whole catalogue costs %d tokens, over %d", total, CatalogueTokenBudget)
	}
	_, defTotal, err := TokenCost(&c, defaults)
	if err != nil {
		t.Fatal(err)
	}
	if defTotal > DefaultToolsetsTokenBudget {
		t.Errorf("the default toolsets cost %d tokens, over %d", defTotal, DefaultToolsetsTokenBudget)
	}
	t.Logf("catalogue: %d tools, %d tokens; default toolsets: %d tools, %d tokens", len(all), total, len(defaults), defTotal)
}

// maxToolTokens bounds one tool so that no single schema eats the budget.
const maxToolTokens = 350
