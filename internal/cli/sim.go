package cli

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim"
)

type simFlags struct {
	managerListen string
	indexerListen string
	tls           bool
	certDir       string
	alerts        int
	seed          int64
}

func newSimCmd() *cobra.Command {
	var f simFlags
	cmd := &cobra.Command{
		Use:   "sim",
		Short: "Run only the Wazuh stand-in: a Manager API and an indexer on their real ports",
		Long: `Run the Wazuh stand-in as a Wazuh Manager API (default 127.0.0.1:55000) and a Wazuh
indexer (default 127.0.0.1:9200), serving a deployment generated from --seed, so that
'wazuh-mcp serve' or any other Wazuh client can be pointed at it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			sim, err := wazuhsim.Start(wazuhsim.Options{
				Seed: f.seed, Alerts: f.alerts, ManagerAddr: f.managerListen, IndexerAddr: f.indexerListen,
				TLS: f.tls, CertDir: f.certDir,
			})
			if err != nil {
				return err
			}
			defer sim.Close()
			printSimBanner(cmd.OutOrStdout(), sim, f)
			<-cmd.Context().Done()
			fmt.Fprintln(cmd.OutOrStdout(), "stopping the stand-in")
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.managerListen, "manager-listen", "127.0.0.1:55000", "Manager API listen address")
	fl.StringVar(&f.indexerListen, "indexer-listen", "127.0.0.1:9200", "indexer listen address")
	fl.BoolVar(&f.tls, "tls", false, "serve HTTPS with a generated self-signed certificate")
	fl.StringVar(&f.certDir, "cert-dir", "", "directory for the generated certificate (default: a new temporary directory)")
	fl.IntVar(&f.alerts, "alerts", 10000, "alerts to generate over the last 7 days (up to 1,000,000)")
	fl.Int64Var(&f.seed, "seed", 1, "seed of the generated deployment (same seed, same data)")
	return cmd
}

func printSimBanner(w io.Writer, sim *wazuhsim.Sim, f simFlags) {
	ds := sim.Dataset
	fmt.Fprintf(w, "Wazuh stand-in running (seed %d: %d agents, %d alerts, %d vulnerabilities)\n\n", f.seed, len(ds.Agents), len(ds.Alerts), len(ds.Vulnerabilities))
	fmt.Fprintf(w, "  Manager API  %s   user %s / password %s\n", sim.ManagerURL, wazuhsim.ManagerUser, wazuhsim.ManagerPassword)
	fmt.Fprintf(w, "  Indexer      %s   user %s / password %s\n", sim.IndexerURL, wazuhsim.IndexerUser, wazuhsim.IndexerPassword)
	if sim.CAFile != "" {
		fmt.Fprintf(w, "  CA file      %s\n", sim.CAFile)
	}
	fmt.Fprintf(w, "\nPoint wazuh-mcp at it:\n\n  WAZUH_HOST=%s WAZUH_USER=%s WAZUH_PASS=%s \\\n  WAZUH_INDEXER_HOST=%s WAZUH_INDEXER_USER=%s WAZUH_INDEXER_PASS=%s \\\n",
		sim.ManagerURL, wazuhsim.ManagerUser, wazuhsim.ManagerPassword, sim.IndexerURL, wazuhsim.IndexerUser, wazuhsim.IndexerPassword)
	if sim.CAFile != "" {
		fmt.Fprintf(w, "  WAZUH_CA_BUNDLE=%s WAZUH_INDEXER_CA_BUNDLE=%s \\\n", sim.CAFile, sim.CAFile)
	}
	fmt.Fprintf(w, "  wazuh-mcp serve --transport stdio\n\nCtrl-C stops it.\n")
}
