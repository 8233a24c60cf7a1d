package cli

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/tokencount"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

func newToolsCmd() *cobra.Command {
	var toolsets []string
	var asJSON, asMarkdown, readOnly bool
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List the tools with their toolset and what each costs in tools/list",
		Long: `List the tools the server registers for a selection (default: the default toolsets),
with the tokens each costs a client's context in tools/list (` + tokencount.Encoding + `), the totals
and the budgets. --markdown prints the README's tool table (every tool of every toolset);
regenerate the README with: go test ./internal/cli -run TestReadmeToolTable -update`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			all := tools.Catalogue(tools.Deps{})
			if asMarkdown {
				return printToolsMarkdown(cmd.OutOrStdout(), all)
			}
			selected, err := tools.Select(all, tools.Selection{Toolsets: toolsets, ReadOnly: readOnly})
			if err != nil {
				return err
			}
			if asJSON {
				return printToolsJSON(cmd, selected)
			}
			return printToolsTable(cmd.OutOrStdout(), selected, all)
		},
	}
	cmd.Flags().StringSliceVar(&toolsets, "toolsets", nil, "toolsets to list (default: the default toolsets; all for every toolset)")
	cmd.Flags().BoolVar(&readOnly, "read-only", true, "omit write tools")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print name, toolset, description and schemas as JSON")
	cmd.Flags().BoolVar(&asMarkdown, "markdown", false, "print the README tool table of the whole catalogue")
	cmd.MarkFlagsMutuallyExclusive("json", "markdown")
	return cmd
}

// costs is the tools/list cost of a catalogue, and of its selections.
type costs struct {
	perTool                   map[string]int
	defaultTools, defaultCost int
	allTools, allCost         int
}

func measure(all []tools.Tool) (costs, error) {
	var c tokencount.Counter
	each, total, err := tools.TokenCost(&c, all)
	if err != nil {
		return costs{}, err
	}
	out := costs{perTool: make(map[string]int, len(all)), allTools: len(all), allCost: total}
	for i, t := range all {
		out.perTool[t.Def.Name] = each[i]
	}
	defaults, err := tools.Select(all, tools.Selection{})
	if err != nil {
		return costs{}, err
	}
	for _, t := range defaults {
		out.defaultTools++
		out.defaultCost += out.perTool[t.Def.Name]
	}
	return out, nil
}

func (c costs) selectionCost(selected []tools.Tool) int {
	n := 0
	for _, t := range selected {
		n += c.perTool[t.Def.Name]
	}
	return n
}

func printToolsTable(w io.Writer, selected, all []tools.Tool) error {
	c, err := measure(all)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TOOL\tTOOLSET\tTOKENS\tDESCRIPTION")
	for _, t := range selected {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\n", t.Def.Name, toolsetLabel(t), c.perTool[t.Def.Name], firstSentence(t.Def.Description))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ntools/list cost in %s tokens:\n", tokencount.Encoding)
	fmt.Fprintf(w, "  this selection   %3d tools  %6d tokens\n", len(selected), c.selectionCost(selected))
	fmt.Fprintf(w, "  default toolsets %3d tools  %6d tokens  budget %d%s\n", c.defaultTools, c.defaultCost, tools.DefaultToolsetsTokenBudget, over(c.defaultCost, tools.DefaultToolsetsTokenBudget))
	fmt.Fprintf(w, "  whole catalogue  %3d tools  %6d tokens  budget %d%s\n", c.allTools, c.allCost, tools.CatalogueTokenBudget, over(c.allCost, tools.CatalogueTokenBudget))
	return nil
}

func over(n, budget int) string {
	if n > budget {
		return "  OVER BUDGET"
	}
	return ""
}

func toolsetLabel(t tools.Tool) string {
	if t.Write {
		return t.Toolset + " (write)"
	}
	return t.Toolset
}

// toolTableMarkdown is the README's tool table: every tool of every
// toolset in toolset order, then name, with its cost in tools/list.
func toolTableMarkdown(all []tools.Tool) (string, error) {
	c, err := measure(all)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("| Tool | Toolset | Default | Description | Tokens |\n|---|---|---|---|---:|\n")
	for _, ts := range tools.Toolsets() {
		for _, name := range tools.Names(all) {
			t := toolByName(all, name)
			if t.Toolset != ts.Name {
				continue
			}
			def := ""
			if ts.Default && !t.Write {
				def = "yes"
			}
			fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %d |\n", name, toolsetLabel(t), def, markdownCell(t.Def.Description), c.perTool[name])
		}
	}
	fmt.Fprintf(&b, "\ntools/list costs %d tokens for the default toolsets (%d tools; budget %d) and %d tokens for the whole catalogue (%d tools; budget %d), counted with the %s tokenizer.\n",
		c.defaultCost, c.defaultTools, tools.DefaultToolsetsTokenBudget, c.allCost, c.allTools, tools.CatalogueTokenBudget, tokencount.Encoding)
	return b.String(), nil
}

func toolByName(all []tools.Tool, name string) tools.Tool {
	for _, t := range all {
		if t.Def.Name == name {
			return t
		}
	}
	return tools.Tool{}
}

func markdownCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

func printToolsMarkdown(w io.Writer, all []tools.Tool) error {
	table, err := toolTableMarkdown(all)
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, table)
	return err
}

func printToolsJSON(cmd *cobra.Command, selected []tools.Tool) error {
	type entry struct {
		Name         string `json:"name"`
		Toolset      string `json:"toolset"`
		Description  string `json:"description"`
		InputSchema  any    `json:"inputSchema"`
		OutputSchema any    `json:"outputSchema"`
	}
	out := make([]entry, 0, len(selected))
	for _, t := range selected {
		out = append(out, entry{t.Def.Name, t.Toolset, t.Def.Description, t.Def.InputSchema, t.OutputDetail})
	}
	return writeJSON(cmd.OutOrStdout(), out)
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
