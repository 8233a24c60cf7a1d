package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/httpapi"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

type demoFlags struct {
	listen   string
	alerts   int
	seed     int64
	toolsets []string
	logLevel string
	dataDir  string
}

func newDemoCmd(version string) *cobra.Command {
	var f demoFlags
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Try wazuh-mcp without Wazuh: the stand-in and an MCP server in one process",
		Long: `Start the embedded Wazuh stand-in and an MCP HTTP server on --listen (loopback only,
no authentication), then print the MCP URL and ready-to-paste client configurations.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd, f, version)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.listen, "listen", "127.0.0.1:3000", "MCP listen address (loopback only)")
	fl.IntVar(&f.alerts, "alerts", 10000, "alerts to generate over the last 7 days (up to 1,000,000)")
	fl.Int64Var(&f.seed, "seed", 1, "seed of the generated deployment")
	fl.StringSliceVar(&f.toolsets, "toolsets", nil, "toolsets to enable (default: the default toolsets; all for every toolset)")
	fl.StringVar(&f.logLevel, "log-level", "warn", "debug, info, warn or error")
	fl.StringVar(&f.dataDir, "data-dir", "", "directory of the store: actions, audit log (env WAZUH_MCP_DATA_DIR; default: a per-user data directory)")
	return cmd
}

func runDemo(cmd *cobra.Command, f demoFlags, version string) error {
	host, port, err := splitListen("--listen", f.listen)
	if err != nil {
		return err
	}
	if !config.IsLoopback(host) {
		return fmt.Errorf("--listen %s: the demo has no authentication and binds only to loopback (127.0.0.1, ::1 or localhost)", f.listen)
	}
	log := newLogger(cmd.ErrOrStderr(), f.logLevel, "text")
	if gogc := tuneServerGC(os.Getenv); gogc != "" {
		log.Debug("garbage collector target set (GOGC and GOMEMLIMIT unset)", "gogc", gogc)
	}
	sim, err := wazuhsim.Start(wazuhsim.Options{Seed: f.seed, Alerts: f.alerts, ManagerAddr: "127.0.0.1:0", IndexerAddr: "127.0.0.1:0"})
	if err != nil {
		return err
	}
	defer sim.Close()
	cfg := demoConfig(sim, host, port, f)
	if err := cfg.Validate(); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.ListenAddr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr(), err)
	}
	base := "http://" + ln.Addr().String()
	a, err := buildAppWith(&cfg, log, version, buildOptions{localOperator: !cfg.IsReadOnly(), approvalBase: base})
	if err != nil {
		ln.Close()
		return err
	}
	defer a.Close()
	mcpURL := base + "/mcp"
	printDemoBanner(cmd.OutOrStdout(), mcpURL, sim, len(a.tools))
	if !cfg.IsReadOnly() {
		key, err := demoOperatorKey(cmd.Context(), a.store)
		if err != nil {
			return err
		}
		printResponseBanner(cmd.OutOrStdout(), base, key, a.store.Path(), sim.ManagerURL)
	}
	opts, err := httpOptions(&cfg, a, log, version)
	if err != nil {
		return err
	}
	opts.AllowedOrigins = []string{"http://localhost:6274", "http://127.0.0.1:6274"} // MCP Inspector
	opts.Auth = httpapi.AuthOptions{Mode: httpapi.AuthNone, ReadServer: a.readServer, LocalOperator: cfg.LocalOperator}
	err = serveHTTP(cmd.Context(), ln, opts, serveOptions{shutdownTimeout: cfg.HTTP.ShutdownTimeout})
	fmt.Fprintln(cmd.OutOrStdout(), "\nwazuh-mcp demo stopped")
	return err
}

func demoConfig(sim *wazuhsim.Sim, host string, port int, f demoFlags) config.Config {
	cfg := config.Defaults()
	cfg.Wazuh.Host, cfg.Wazuh.User, cfg.Wazuh.Password = sim.ManagerURL, wazuhsim.ManagerUser, wazuhsim.ManagerPassword
	cfg.Indexer.Host, cfg.Indexer.User, cfg.Indexer.Password = sim.IndexerURL, wazuhsim.IndexerUser, wazuhsim.IndexerPassword
	cfg.Server.Host, cfg.Server.Port = host, port
	cfg.Tools.Toolsets = f.toolsets
	cfg.DataDir = f.dataDir
	if cfg.DataDir == "" {
		cfg.DataDir = os.Getenv("WAZUH_MCP_DATA_DIR") // shared with `wazuh-mcp approvals` and `audit`
	}
	cfg.Auth.Mode = "none" // zero setup: loopback only
	if wantsResponse(f.toolsets) {
		// The local user is the operator: write tools are registered for
		// them, and every call still waits for an approval (CLI, page or
		// elicitation). The store is the user's own data directory, so
		// `wazuh-mcp approvals` finds the demo's pending actions.
		readOnly := false
		cfg.Tools.ReadOnly, cfg.LocalOperator = &readOnly, true
	}
	return cfg
}

func wantsResponse(toolsets []string) bool {
	for _, t := range toolsets {
		if t = strings.ToLower(strings.TrimSpace(t)); t == "response" || t == "all" {
			return true
		}
	}
	return false
}

// demoOperatorKey makes a fresh operator key for the demo's approval page
// (the local user is the operator), revoking the one of the previous demo.
func demoOperatorKey(ctx context.Context, st *store.Store) (string, error) {
	const name = "demo-operator"
	now := time.Now()
	if _, err := st.RevokeAPIKey(ctx, name, now); err != nil && !errors.Is(err, store.ErrNotFound) {
		return "", err
	}
	key, id := auth.NewKey()
	err := st.CreateAPIKey(ctx, store.APIKey{ID: id, Name: name, Scope: auth.KeyScopeOperator, Hash: auth.HashKey(key), CreatedAt: now, ExpiresAt: now.Add(24 * time.Hour)})
	return key, err
}

func printResponseBanner(w io.Writer, base, operatorKey, storePath, managerURL string) {
	fmt.Fprintf(w, "Response tools are on: every write waits for a human approval, then runs once.\n")
	fmt.Fprintf(w, "  Approve in the MCP client (if it supports elicitation), or on the approval page\n")
	fmt.Fprintf(w, "    %s/approvals/   operator key (valid 24h): %s\n", base, operatorKey)
	fmt.Fprintf(w, "  or with the CLI:  wazuh-mcp approvals list  /  wazuh-mcp approvals approve ID\n")
	fmt.Fprintf(w, "  Store (actions, audit log): %s\n", storePath)
	fmt.Fprintf(w, "  What reached the stand-in Manager: curl -s %s/__sim/requests\n\n", managerURL)
}

func printDemoBanner(w io.Writer, mcpURL string, sim *wazuhsim.Sim, nTools int) {
	ds := sim.Dataset
	fmt.Fprintf(w, "wazuh-mcp demo: %d tools over a stand-in Wazuh with %d agents and %d alerts\n\n", nTools, len(ds.Agents), len(ds.Alerts))
	fmt.Fprintf(w, "MCP URL (Streamable HTTP): %s\nLegacy SSE:                %s\n\n", mcpURL, sseURL(mcpURL))
	fmt.Fprintf(w, "Claude Code:\n  claude mcp add --transport http wazuh %s\n\n", mcpURL)
	fmt.Fprintf(w, "Claude Desktop (claude_desktop_config.json):\n%s\n\n", indentJSON(map[string]any{
		"mcpServers": map[string]any{"wazuh": map[string]any{"command": "npx", "args": []string{"-y", "mcp-remote", mcpURL}}},
	}))
	fmt.Fprintf(w, "VS Code (.vscode/mcp.json):\n%s\n\n", indentJSON(map[string]any{
		"servers": map[string]any{"wazuh": map[string]any{"type": "http", "url": mcpURL}},
	}))
	fmt.Fprintf(w, "Ask: \"What hit web-01 in the last 24 hours, and is 203.0.113.7 known?\"\n\nCtrl-C stops it.\n")
}

func sseURL(mcpURL string) string {
	u, err := url.Parse(mcpURL)
	if err != nil {
		return mcpURL
	}
	u.Path = "/sse"
	return u.String()
}

func indentJSON(v any) string {
	b, _ := json.MarshalIndent(v, "  ", "  ")
	return "  " + string(b)
}
