package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
)

type serveFlags struct {
	configPath string
	transport  string
	listen     string
	toolsets   []string
	tools      []string
	disabled   []string
	readOnly   bool
	logLevel   string
	tlsCert    string
	tlsKey     string
	pprof      string
}

func newServeCmd(version string) *cobra.Command {
	var f serveFlags
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Run the MCP server against a Wazuh deployment (stdio or HTTP)",
		Long: `Run the MCP server against a Wazuh deployment.

Configuration comes from flags, then the environment (WAZUH_HOST, WAZUH_PORT, WAZUH_USER,
WAZUH_PASS, WAZUH_VERIFY_SSL, WAZUH_CA_BUNDLE, WAZUH_INDEXER_HOST, WAZUH_INDEXER_PORT,
WAZUH_INDEXER_USER, WAZUH_INDEXER_PASS, WAZUH_INDEXER_VERIFY_SSL, MCP_HOST, MCP_PORT,
REQUEST_TIMEOUT_SECONDS, MAX_ALERTS_PER_QUERY, LOG_LEVEL, LOG_FORMAT, AUTH_MODE, MCP_API_KEY,
AUTH_SECRET_KEY, OAUTH_ISSUER, MCP_PUBLIC_URL, WAZUH_MCP_DATA_DIR, ...), then the YAML
file given with --config, then defaults. See README.md for the full table.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadServeConfig(cmd.Flags(), f)
			if err != nil {
				return err
			}
			log := newLogger(cmd.ErrOrStderr(), cfg.Log.Level, cfg.Log.Format)
			if addr := pprofAddress(cmd.Flags(), f.pprof); addr != "" {
				_, stop, err := startPprof(addr, log)
				if err != nil {
					return err
				}
				defer stop()
			}
			if gogc := tuneServerGC(os.Getenv); gogc != "" {
				log.Debug("garbage collector target set (GOGC and GOMEMLIMIT unset)", "gogc", gogc)
			}
			return serve(cmd.Context(), cfg, log, version)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.configPath, "config", "", "YAML configuration file")
	fl.StringVar(&f.transport, "transport", "http", "MCP transport: stdio or http (env MCP_TRANSPORT)")
	fl.StringVar(&f.listen, "listen", "", "HTTP listen address host:port (env MCP_HOST and MCP_PORT; default 127.0.0.1:3000)")
	fl.StringSliceVar(&f.toolsets, "toolsets", nil, "toolsets to enable, comma-separated, or all (default: the default toolsets)")
	fl.StringSliceVar(&f.tools, "tools", nil, "individual tools to enable in addition to the toolsets")
	fl.StringSliceVar(&f.disabled, "disabled-tools", nil, "tools never to register")
	fl.BoolVar(&f.readOnly, "read-only", true, "register no write tools")
	fl.StringVar(&f.logLevel, "log-level", "", "debug, info, warn or error (env LOG_LEVEL)")
	fl.StringVar(&f.tlsCert, "tls-cert", "", "serve HTTPS with this PEM certificate chain (env TLS_CERT_FILE)")
	fl.StringVar(&f.tlsKey, "tls-key", "", "private key of --tls-cert, PEM (env TLS_KEY_FILE)")
	fl.StringVar(&f.pprof, "pprof", "", "serve net/http/pprof on this loopback host:port, e.g. 127.0.0.1:6060 (env WAZUH_MCP_PPROF; default off)")
	return cmd
}

// loadServeConfig applies flags that were set over the file and environment.
func loadServeConfig(fs *pflag.FlagSet, f serveFlags) (*config.Config, error) {
	cfg, err := config.Load(f.configPath, nil)
	if err != nil {
		return nil, err
	}
	if fs.Changed("transport") {
		cfg.Server.Transport = f.transport
	}
	if fs.Changed("listen") {
		host, port, err := splitListen("--listen", f.listen)
		if err != nil {
			return nil, err
		}
		cfg.Server.Host, cfg.Server.Port = host, port
	}
	if fs.Changed("toolsets") {
		cfg.Tools.Toolsets = f.toolsets
	}
	if fs.Changed("tools") {
		cfg.Tools.Enabled = f.tools
	}
	if fs.Changed("disabled-tools") {
		cfg.Tools.Disabled = f.disabled
	}
	if fs.Changed("read-only") {
		cfg.Tools.ReadOnly = &f.readOnly
	}
	if fs.Changed("log-level") {
		cfg.Log.Level = f.logLevel
	}
	if fs.Changed("tls-cert") {
		cfg.HTTP.TLSCert = f.tlsCert
	}
	if fs.Changed("tls-key") {
		cfg.HTTP.TLSKey = f.tlsKey
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &cfg, nil
}

func splitListen(flag, addr string) (string, int, error) {
	host, portStr, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %q is not host:port (e.g. 127.0.0.1:3000)", flag, addr)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return "", 0, fmt.Errorf("%s: %q has no valid port", flag, addr)
	}
	return host, port, nil
}

func serve(ctx context.Context, cfg *config.Config, log *slog.Logger, version string) error {
	a, err := buildApp(cfg, log, version)
	if err != nil {
		return err
	}
	defer a.Close()
	log.Info("wazuh-mcp starting", "version", version, "transport", cfg.Server.Transport, "tools", len(a.tools))
	if cfg.Server.Transport == "stdio" {
		err := a.server.Run(ctx, &mcp.StdioTransport{})
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	}
	// AUTH_MODE=none off loopback was refused by cfg.Validate.
	authOpts, closeAuth, err := buildAuth(ctx, cfg, log, a)
	if err != nil {
		return err
	}
	defer closeAuth()
	ln, err := net.Listen("tcp", cfg.ListenAddr())
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.ListenAddr(), err)
	}
	opts, err := httpOptions(cfg, a, log, version)
	if err != nil {
		ln.Close()
		return err
	}
	so := serveOptions{shutdownTimeout: cfg.HTTP.ShutdownTimeout}
	scheme := "http"
	if cfg.TLSEnabled() {
		if so.tls, err = serverTLS(cfg.HTTP.TLSCert, cfg.HTTP.TLSKey); err != nil {
			ln.Close()
			return err
		}
		scheme = "https"
	}
	opts.Auth = authOpts
	log.Info("MCP endpoint ready", "url", scheme+"://"+ln.Addr().String()+"/mcp", "auth_mode", cfg.Auth.Mode, "auth", describeAuth(cfg.Auth.Mode))
	return serveHTTP(ctx, ln, opts, so)
}
