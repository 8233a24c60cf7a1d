package tools

import (
	"context"
	"regexp"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/policy"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// Completions (completion/complete) suggest values for prompt arguments and
// resource template variables: agent ids and rule groups from the Manager,
// and the fixed lists (indicator types, frameworks, time ranges).

const (
	// maxCompletions is the protocol's cap on values in one answer.
	maxCompletions = 100
	// completionScan bounds how many agents or groups one completion reads
	// from the Manager (one page at its maximum page size).
	completionScan = 500
)

var (
	digitsPrefixRe = regexp.MustCompile(`^[0-9]{0,8}$`)
	namePrefixRe   = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)
)

// completionHandler answers completion/complete. A free-text argument
// (alert_id, indicator) gets an empty list; so does an unknown prompt or
// argument, rather than the -32602 the spec suggests (a SHOULD): clients
// treat completion as best effort, and the conformance suite's
// completion-complete scenario asks about a prompt no domain server has.
// Agent completions read the Manager, whose client caches and coalesces
// the identical requests that typing produces.
func completionHandler(d Deps, registered map[string]bool) func(context.Context, *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
	return func(ctx context.Context, req *mcp.CompleteRequest) (*mcp.CompleteResult, error) {
		p := req.Params
		prefix := strings.TrimSpace(p.Argument.Value)
		var (
			values []string
			total  int
			err    error
		)
		switch completionKind(p.Ref, p.Argument.Name, registered) {
		case "agent_id":
			values, total, err = d.completeAgentIDs(ctx, prefix)
		case "rule_group":
			values, total, err = d.completeRuleGroups(ctx, prefix)
		case "indicator_type":
			values, total = completeFrom(indicatorTypes, prefix)
		case "framework":
			values, total = completeFrom(complianceFrameworks, prefix)
		case "time_range":
			values, total = completeFrom(suggestedRanges, prefix)
		}
		if err != nil {
			return nil, &jsonrpc.Error{Code: jsonrpc.CodeInternalError, Message: "completion: " + errorText(err)}
		}
		if values == nil {
			values = []string{}
		}
		return &mcp.CompleteResult{Completion: mcp.CompletionResultDetails{
			Values: values, Total: total, HasMore: total > len(values),
		}}, nil
	}
}

// completionKind names the value list for a reference and argument.
func completionKind(ref *mcp.CompleteReference, arg string, registered map[string]bool) string {
	if ref == nil {
		return ""
	}
	switch ref.Type {
	case "ref/prompt":
		for _, p := range promptDefs() {
			if p.prompt.Name != ref.Name {
				continue
			}
			for _, a := range p.prompt.Arguments {
				if a.Name == arg {
					return arg
				}
			}
		}
	case "ref/resource":
		// Only while the template is served (addResources): agent ids
		// are get_agent's to give.
		if ref.URI == "wazuh://agents/{id}" && arg == "id" && registered["get_agent"] {
			return "agent_id"
		}
	}
	return ""
}

// completeFrom filters a fixed list by a case-insensitive prefix.
func completeFrom(list []string, prefix string) ([]string, int) {
	same := func(v string) string { return v }
	return withPrefix(list, prefix, same, same)
}

// completeAgentIDs returns agent ids starting with prefix (digits), or the
// ids of agents whose name starts with prefix (case-insensitive), sorted by
// id, at most maxCompletions. The Manager narrows with a LIKE filter.
func (d Deps) completeAgentIDs(ctx context.Context, prefix string) ([]string, int, error) {
	f := wazuh.AgentFilter{Limit: completionScan, Sort: "+id", Select: []string{"id", "name"}}
	byID := digitsPrefixRe.MatchString(prefix)
	switch {
	case prefix == "":
	case byID:
		f.Q = wazuh.Like("id", prefix)
	case namePrefixRe.MatchString(prefix):
		f.Q = wazuh.Like("name", prefix)
	default:
		return nil, 0, nil // no agent id or name has these characters
	}
	page, err := d.Wazuh.ListAgents(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	key := func(a wazuh.Agent) string { return a.ID }
	if !byID {
		key = func(a wazuh.Agent) string { return a.Name }
	}
	values, total := withPrefix(page.Items, prefix, key, func(a wazuh.Agent) string { return a.ID })
	return values, scanTotal(total, page), nil
}

// completeRuleGroups returns rule group names starting with prefix.
func (d Deps) completeRuleGroups(ctx context.Context, prefix string) ([]string, int, error) {
	opts := wazuh.ListOptions{Limit: completionScan}
	if prefix != "" {
		if !namePrefixRe.MatchString(prefix) {
			return nil, 0, nil
		}
		opts.Search = prefix
	}
	page, err := d.Wazuh.RuleGroups(ctx, opts)
	if err != nil {
		return nil, 0, err
	}
	name := func(g string) string { return g }
	values, total := withPrefix(page.Items, prefix, name, func(g string) string { return policy.Fence(g, 64) })
	return values, scanTotal(total, page), nil
}

// withPrefix returns value(x) for the items whose key starts with prefix
// (case-insensitive), at most maxCompletions, and how many matched.
func withPrefix[T any](items []T, prefix string, key, value func(T) string) ([]string, int) {
	var out []string
	total := 0
	for _, x := range items {
		if !strings.HasPrefix(strings.ToLower(key(x)), strings.ToLower(prefix)) {
			continue
		}
		total++
		if len(out) < maxCompletions {
			out = append(out, value(x))
		}
	}
	return out, total
}

// scanTotal is the matches of one scan, or, when the Manager holds more
// candidates than one scan reads, their count: an upper bound, so that
// hasMore tells the client to type more.
func scanTotal[T any](matched int, page wazuh.Page[T]) int {
	if page.Total > len(page.Items) {
		return max(matched, page.Total)
	}
	return matched
}
