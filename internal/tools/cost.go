package tools

import (
	"encoding/json"
	"fmt"

	"github.com/wazuh-mcp/wazuh-mcp/internal/tokencount"
)

// Budgets for what tools/list costs a client's context, in tokencount
// tokens. They are checked by tests and reported by `wazuh-mcp tools`.
const (
	DefaultToolsetsTokenBudget = 5000
	CatalogueTokenBudget       = 10000
)

// TokenCost returns what each tool's tools/list entry costs, in the order
// given, and the total.
func TokenCost(c *tokencount.Counter, tools []Tool) ([]int, int, error) {
	costs := make([]int, len(tools))
	total := 0
	for i, t := range tools {
		b, err := json.Marshal(t.Def)
		if err != nil {
			return nil, 0, fmt.Errorf("encoding %s: %w", t.Def.Name, err)
		}
		n, err := c.Count(string(b))
		if err != nil {
			return nil, 0, err
		}
		costs[i] = n
		total += n
	}
	return costs, total, nil
}
