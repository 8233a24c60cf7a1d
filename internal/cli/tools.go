package cli

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

func newToolsCmd() *cobra.Command {
	var toolsets []string
	var asJSON, readOnly bool
	cmd := &cobra.Command{
		Use:   "tools",
		Short: "List the tools the server registers, with one-line descriptions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			selected, err := tools.Select(tools.Catalogue(tools.Deps{}), tools.Selection{Toolsets: toolsets, ReadOnly: readOnly})
			if err != nil {
				return err
			}
			if asJSON {
				return printToolsJSON(cmd, selected)
			}
			return printToolsTable(cmd, selected)
		},
	}
	cmd.Flags().StringSliceVar(&toolsets, "toolsets", nil, "toolsets to list (default: the default toolsets; all for every toolset)")
	cmd.Flags().BoolVar(&readOnly, "read-only", true, "omit write tools")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print name, toolset, description and schemas as JSON")
	return cmd
}

func printToolsTable(cmd *cobra.Command, selected []tools.Tool) error {
	w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TOOL\tTOOLSET\tDESCRIPTION")
	for _, t := range selected {
		fmt.Fprintf(w, "%s\t%s\t%s\n", t.Def.Name, t.Toolset, firstSentence(t.Def.Description))
	}
	return w.Flush()
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
	enc := json.NewEncoder(cmd.OutOrStdout())
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func firstSentence(s string) string {
	if i := strings.Index(s, ". "); i >= 0 {
		return s[:i+1]
	}
	return s
}
