// Package cli holds wazuh-mcp's commands: serve, demo, sim, tools, keys, version.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Run executes the command line and returns the process exit code.
func Run(ctx context.Context, version string, argv []string, stdout, stderr io.Writer) int {
	root := newRoot(version)
	root.SetArgs(argv)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		if !errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "Error:", err)
		}
		return 1
	}
	return 0
}

func newRoot(version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "wazuh-mcp",
		Short: "MCP server for Wazuh: investigate alerts, agents and inventory from any MCP client",
		Long: `wazuh-mcp lets AI agents investigate a Wazuh SIEM over the Model Context Protocol.

Try it without a Wazuh deployment:   wazuh-mcp demo
Run it against your Wazuh:           wazuh-mcp serve   (configure with WAZUH_HOST, WAZUH_USER, WAZUH_PASS, ...)`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newServeCmd(version),
		newDemoCmd(version),
		newSimCmd(),
		newToolsCmd(),
		newKeysCmd(),
		newApprovalsCmd(),
		newAuditCmd(),
		newEvidenceCmd(),
		newBenchCmd(version),
		newVersionCmd(version),
	)
	return root
}
