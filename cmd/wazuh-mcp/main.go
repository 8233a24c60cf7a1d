// Command wazuh-mcp is an MCP server for Wazuh. See README.md.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/wazuh-mcp/wazuh-mcp/internal/cli"
)

// version is set at link time: -ldflags "-X main.version=v1.2.3".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, version, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
