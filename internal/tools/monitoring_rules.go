package tools

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// RulesSummary is the answer of get_wazuh_rules_summary.
type RulesSummary struct {
	Result
	Total      int              `json:"total" jsonschema:"every rule of the ruleset"`
	ByLevel    []LevelCount     `json:"by_level" jsonschema:"highest level first"`
	ByStatus   map[string]int   `json:"by_status"`
	TopGroups  []NameCount      `json:"top_groups" jsonschema:"the 20 groups with most rules"`
	Files      RuleFileCounts   `json:"files"`
	Compliance map[string]int64 `json:"compliance" jsonschema:"rules tagged with each framework"`
}

// NameCount is a count for one name.
type NameCount struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// RuleFileCounts counts rule files.
type RuleFileCounts struct {
	Total int         `json:"total" jsonschema:"rule files holding at least one rule"`
	Top   []NameCount `json:"top" jsonschema:"the 10 files with most rules"`
}

// rulesSummaryFields are the only fields fetched: one request carries the
// whole ruleset without descriptions and details.
var rulesSummaryFields = []string{"id", "level", "status", "groups", "filename", "pci_dss", "gdpr", "hipaa", "nist_800_53", "tsc", "gpg13", "mitre"}

func (d Deps) rulesSummary(ctx context.Context, _ *monitorIn) (*RulesSummary, error) {
	// One GET /rules with the Manager's largest page: the client caches it
	// and coalesces concurrent identical reads, so repeated calls cost no
	// further Manager requests within the cache TTL.
	p, err := d.Wazuh.Rules(ctx, wazuh.ListOptions{Limit: wazuh.MaxLimit, Select: rulesSummaryFields})
	if err != nil {
		return nil, fmt.Errorf("rules: %w", err)
	}
	out := summarizeRules(p.Items)
	out.Total = max(p.Total, len(p.Items))
	out.AddNote("counted over all %d rules from one GET /rules (limit %d, select of the counted fields); a rule counts once per group and framework it carries", len(p.Items), wazuh.MaxLimit)
	if p.Total > len(p.Items) {
		out.AddNote("the ruleset has %d rules, more than one Manager page: counts cover the first %d", p.Total, len(p.Items))
	}
	return out, nil
}

func summarizeRules(rules []wazuh.Rule) *RulesSummary {
	levels := map[int]int64{}
	status := map[string]int{}
	groups := map[string]int{}
	files := map[string]int{}
	frameworks := map[string][]string{}
	out := &RulesSummary{Compliance: map[string]int64{}, ByLevel: []LevelCount{}}
	for _, r := range rules {
		levels[int(r.Level)]++
		status[policy.Fence(r.Status, 16)]++
		for _, g := range r.Groups {
			groups[g]++
		}
		files[r.Filename]++
		frameworks["pci_dss"], frameworks["gdpr"], frameworks["hipaa"] = r.PCIDSS, r.GDPR, r.HIPAA
		frameworks["nist_800_53"], frameworks["tsc"], frameworks["gpg13"], frameworks["mitre"] = r.NIST80053, r.TSC, r.GPG13, r.MITRE
		for name, tags := range frameworks {
			if len(tags) > 0 {
				out.Compliance[name]++
			}
		}
	}
	for l, n := range levels {
		out.ByLevel = append(out.ByLevel, LevelCount{Level: l, Count: n})
	}
	sortLevels(out.ByLevel)
	out.ByStatus = status
	out.TopGroups = topNames(groups, 20)
	out.Files = RuleFileCounts{Total: len(files), Top: topNames(files, 10)}
	return out
}

// topNames returns the n largest counts, ties by name.
func topNames(m map[string]int, n int) []NameCount {
	out := make([]NameCount, 0, len(m))
	for k, v := range m {
		if k != "" {
			out = append(out, NameCount{Name: k, Count: v})
		}
	}
	slices.SortFunc(out, func(a, b NameCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Name, b.Name)
	})
	out = out[:min(n, len(out))]
	for i := range out {
		out[i].Name = policy.Fence(out[i].Name, 128)
	}
	return out
}
