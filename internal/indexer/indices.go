package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

// IndexSet summarises the indices matching a pattern (GET /_cat/indices).
type IndexSet struct {
	Pattern string
	Indices int    // matching indices; 0 = none exist
	Docs    int64  // documents over all of them
	Health  string // worst health among them: green, yellow, red ("" when none)
}

// Indices reports which indices match pattern (an index name or wildcard
// pattern; "" = the alerts index pattern). A pattern matching nothing is
// answered with Indices == 0, not an error.
func (c *Client) Indices(ctx context.Context, pattern string) (IndexSet, error) {
	const op = "list indices"
	if pattern == "" {
		pattern = c.alertsIndex
	}
	if err := validateIndex(pattern); err != nil {
		return IndexSet{}, fmt.Errorf("%s: %w", op, invalidf("%v", err))
	}
	params := url.Values{"format": {"json"}, "h": {"index,health,docs.count"}}
	res, err := c.do(ctx, request{op: op, method: http.MethodGet, path: "/_cat/indices/" + pattern, params: params})
	set := IndexSet{Pattern: pattern}
	if errors.Is(err, ErrIndexNotFound) {
		return set, nil
	}
	if err != nil {
		return IndexSet{}, err
	}
	var rows []struct {
		Index  string `json:"index"`
		Health string `json:"health"`
		Docs   string `json:"docs.count"`
	}
	if err := json.Unmarshal(res.body, &rows); err != nil {
		return IndexSet{}, fmt.Errorf("%s: decode response: %w", op, err)
	}
	for _, r := range rows {
		set.Indices++
		n, _ := strconv.ParseInt(r.Docs, 10, 64) // closed indices report no count
		set.Docs += n
		if healthRank(r.Health) > healthRank(set.Health) {
			set.Health = r.Health
		}
	}
	return set, nil
}

func healthRank(h string) int {
	switch h {
	case "green":
		return 1
	case "yellow":
		return 2
	case "red":
		return 3
	}
	return 0
}
