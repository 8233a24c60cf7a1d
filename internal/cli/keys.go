package cli

import (
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/config"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/timeexpr"
)

type storeFlags struct {
	configPath string
	dataDir    string
}

func newKeysCmd() *cobra.Command {
	var f storeFlags
	cmd := &cobra.Command{
		Use:   "keys",
		Short: "Manage API keys for the HTTP transport (AUTH_MODE=bearer)",
		Long: `Manage the API keys that clients send as "Authorization: Bearer <key>" or exchange for a
short-lived token at POST /auth/token. Keys live in the store (WAZUH_MCP_DATA_DIR) as SHA-256
hashes; a running server sees new and revoked keys at once.`,
	}
	pf := cmd.PersistentFlags()
	f.register(pf)
	cmd.AddCommand(newKeysCreateCmd(&f), newKeysListCmd(&f), newKeysRevokeCmd(&f))
	return cmd
}

// register adds --config and --data-dir, the flags of every command that
// works on the store (keys, approvals, audit, evidence).
func (f *storeFlags) register(pf *pflag.FlagSet) {
	pf.StringVar(&f.configPath, "config", "", "YAML configuration file (for data_dir)")
	pf.StringVar(&f.dataDir, "data-dir", "", "directory of the store (env WAZUH_MCP_DATA_DIR; default: a per-user data directory)")
}

func (f *storeFlags) open(cmd *cobra.Command) (*store.Store, error) {
	path, err := f.storePath()
	if err != nil {
		return nil, err
	}
	return store.Open(cmd.Context(), path)
}

// storePath is the store file the flags point to: the configuration's data
// directory, or --data-dir.
func (f *storeFlags) storePath() (string, error) {
	cfg, err := config.Load(f.configPath, nil)
	if err != nil {
		return "", err
	}
	if f.dataDir != "" {
		cfg.DataDir = f.dataDir
	}
	return storeFile(&cfg)
}

func newKeysCreateCmd(f *storeFlags) *cobra.Command {
	var name, scope, expires string
	var delegated bool
	cmd := &cobra.Command{
		Use:   "create NAME|--name NAME [--scope read|write|operator] [--delegated] [--expires 30d]",
		Short: "Create an API key and print it once",
		Long: `Create an API key. The key is printed once, alone on standard output (so that
KEY=$(wazuh-mcp keys create --name ci) works); only its hash is stored, so it cannot be shown again.

Scopes: read (read tools), write (also write tools) and operator. An operator key belongs to a
person: it signs in to the approval page (/approvals/) to approve or reject the actions that
write tools propose, and it can never call MCP, open a session or be exchanged for a token;
MCP keys (read, write) cannot sign in to the approval page.

--delegated marks a write key as belonging to an orchestrator that enforces its own human approval
(Wazuh Autopilot approves and executes plans with two different people): its write calls run after
the policy checks without waiting for an approval here, and the audit log records the delegation and
the client's correlation id. Give it only to such a system.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				if name != "" && name != args[0] {
					return fmt.Errorf("the key is named twice (%q and --name %q): give one name", args[0], name)
				}
				name = args[0]
			}
			if err := checkKeyName(name); err != nil {
				return err
			}
			if scope != "read" && scope != "write" && scope != auth.KeyScopeOperator {
				return fmt.Errorf("--scope: %q is not allowed (read, write or operator)", scope)
			}
			if delegated && scope != "write" {
				return errors.New("--delegated needs --scope write: delegation is about who approves writes")
			}
			now := time.Now()
			var exp time.Time
			if expires != "" && expires != "never" {
				d, err := timeexpr.ParseRange(expires)
				if err != nil {
					return fmt.Errorf("--expires: %w", err)
				}
				exp = now.Add(d)
			}
			st, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			key, id := auth.NewKey()
			if err := st.CreateAPIKey(cmd.Context(), store.APIKey{ID: id, Name: name, Scope: scope, Hash: auth.HashKey(key), CreatedAt: now, ExpiresAt: exp, Delegated: delegated}); err != nil {
				if errors.Is(err, store.ErrNameTaken) {
					return fmt.Errorf("%w; revoke it first or choose another name", err)
				}
				return err
			}
			// The key goes to stdout directly, never through the logger
			// (whose redaction would mask it).
			kind := scope
			if delegated {
				kind += " (delegated: writes run without approval here)"
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "Created API key %s %q, scope %s, expires %s. It is shown once, below; store it now.\n",
				id, name, kind, formatTime(exp, "never"))
			fmt.Fprintln(cmd.OutOrStdout(), key)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "name of the key (who or what uses it); or give it as the argument")
	cmd.Flags().StringVar(&scope, "scope", "read", "read (read tools), write (also write tools) or operator (the approval page only)")
	cmd.Flags().StringVar(&expires, "expires", "", "lifetime such as 12h, 30d or 52w (default: never)")
	cmd.Flags().BoolVar(&delegated, "delegated", false, "write key of an orchestrator that enforces its own human approval")
	return cmd
}

func checkKeyName(name string) error {
	if name == "" || len(name) > 64 || strings.HasPrefix(name, "key_") ||
		strings.IndexFunc(name, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return fmt.Errorf("name: %q is not allowed (1-64 printable characters, not starting with key_)", name)
	}
	return nil
}

func newKeysListCmd(f *storeFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API keys (never the keys themselves)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			keys, err := st.ListAPIKeys(cmd.Context())
			if err != nil {
				return err
			}
			now := time.Now()
			if asJSON {
				return printKeysJSON(cmd, keys, now)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tNAME\tSCOPE\tSTATUS\tCREATED\tEXPIRES\tLAST USED")
			for _, k := range keys {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, keyScope(k), k.Status(now),
					formatTime(k.CreatedAt, "-"), formatTime(k.ExpiresAt, "never"), formatTime(k.LastUsedAt, "never"))
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// keyScope is the scope as listed: delegated write keys are marked.
func keyScope(k store.APIKey) string {
	if k.Delegated {
		return k.Scope + "+delegated"
	}
	return k.Scope
}

func printKeysJSON(cmd *cobra.Command, keys []store.APIKey, now time.Time) error {
	type entry struct {
		ID        string `json:"id"`
		Name      string `json:"name"`
		Scope     string `json:"scope"`
		Delegated bool   `json:"delegated,omitempty"`
		Status    string `json:"status"`
		CreatedAt string `json:"created_at"`
		ExpiresAt string `json:"expires_at,omitempty"`
		RevokedAt string `json:"revoked_at,omitempty"`
		LastUsed  string `json:"last_used_at,omitempty"`
	}
	out := make([]entry, 0, len(keys))
	for _, k := range keys {
		out = append(out, entry{k.ID, k.Name, k.Scope, k.Delegated, k.Status(now), formatTime(k.CreatedAt, ""),
			formatTime(k.ExpiresAt, ""), formatTime(k.RevokedAt, ""), formatTime(k.LastUsedAt, "")})
	}
	return writeJSON(cmd.OutOrStdout(), out)
}

func newKeysRevokeCmd(f *storeFlags) *cobra.Command {
	return &cobra.Command{
		Use:   "revoke ID|NAME",
		Short: "Revoke an API key; its tokens stop working at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			k, err := st.RevokeAPIKey(cmd.Context(), args[0], time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "Revoked API key %s %q; it and the tokens made from it no longer work.\n", k.ID, k.Name)
			return nil
		},
	}
}

func formatTime(t time.Time, zero string) string {
	if t.IsZero() {
		return zero
	}
	return t.UTC().Format(time.RFC3339)
}
