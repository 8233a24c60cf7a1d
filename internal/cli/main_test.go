package cli

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"testing"

	"go.uber.org/goleak"
)

// TestMain keeps every test's store out of the user's data directory:
// tests that need their own set WAZUH_MCP_DATA_DIR themselves.
func TestMain(m *testing.M) {
	if os.Getenv(benchTestChild) == "1" {
		// This test binary was started by `bench` as its server (bench_test.go).
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Run(ctx, "test", os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	dir, err := os.MkdirTemp("", "wazuh-mcp-cli-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv("WAZUH_MCP_DATA_DIR", dir)
	code := m.Run()
	if code == 0 {
		// No goroutine may outlive the tests (issue 6: no goroutine leak).
		if err := goleak.Find(); err != nil {
			fmt.Fprintf(os.Stderr, "goleak: goroutines left after the tests: %v\n", err)
			code = 1
		}
	}
	os.RemoveAll(dir)
	os.Exit(code)
}
