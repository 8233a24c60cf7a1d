package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

// maxEvidenceFile bounds a file given to `evidence verify --file` (packs
// are at most 8 MiB).
const maxEvidenceFile = 64 << 20

// newEvidenceCmd manages the evidence packs of create_evidence_pack. It
// opens the store like `keys` does (--config, --data-dir).
func newEvidenceCmd() *cobra.Command {
	var f storeFlags
	cmd := &cobra.Command{
		Use:   "evidence",
		Short: "List, export and verify evidence packs (create_evidence_pack)",
		Long: `Evidence packs freeze what Wazuh said about an alert or an agent: the alert, the agent,
its processes, ports, network, related alerts, vulnerabilities and FIM changes, each section
hashed (SHA-256) in a manifest. They live in the store (WAZUH_MCP_DATA_DIR). Export writes a pack
exactly as stored and prints its SHA-256; verify recomputes every hash.`,
	}
	pf := cmd.PersistentFlags()
	f.register(pf)
	cmd.AddCommand(newEvidenceListCmd(&f), newEvidenceExportCmd(&f), newEvidenceVerifyCmd(&f))
	return cmd
}

func newEvidenceListCmd(f *storeFlags) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List evidence packs, newest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			st, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			packs, err := st.ListEvidence(cmd.Context(), limit)
			if err != nil {
				return err
			}
			if asJSON {
				type entry struct {
					ID             string `json:"id"`
					CreatedAt      string `json:"created_at"`
					Principal      string `json:"principal"`
					Subject        string `json:"subject"`
					ManifestSHA256 string `json:"manifest_sha256"`
					Size           int64  `json:"size"`
				}
				out := make([]entry, 0, len(packs))
				for _, p := range packs {
					out = append(out, entry{p.ID, formatTime(p.CreatedAt, ""), p.PrincipalID, p.Subject, p.ManifestSHA256, p.Size})
				}
				return writeJSON(cmd.OutOrStdout(), out)
			}
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "ID\tCREATED\tPRINCIPAL\tSIZE\tSUBJECT")
			for _, p := range packs {
				fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%s\n", p.ID, formatTime(p.CreatedAt, "-"), p.PrincipalID, p.Size, p.Subject)
			}
			return w.Flush()
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many packs")
	return cmd
}

func newEvidenceExportCmd(f *storeFlags) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export ID [--output FILE]",
		Short: "Write a pack exactly as stored and print its SHA-256",
		Long: `Write a pack exactly as stored, to FILE (mode 0600) or standard output. The SHA-256 of
the bytes written is printed as "HASH  FILE" (the sha256sum format, so sha256sum -c can check
it later); with no --output the pack goes to standard output and the hash to standard error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := f.open(cmd)
			if err != nil {
				return err
			}
			defer st.Close()
			row, err := st.GetEvidence(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			sum := sha256.Sum256(row.Bundle)
			hash := hex.EncodeToString(sum[:])
			if output == "" {
				if _, err := cmd.OutOrStdout().Write(row.Bundle); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "%s  -\n", hash)
			} else {
				if err := os.WriteFile(output, row.Bundle, 0o600); err != nil {
					return fmt.Errorf("--output: %w", err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "%s  %s\n", hash, output)
			}
			if c, err := checkStored(row); err != nil || !c.OK() {
				return fmt.Errorf("exported, but the stored pack does not verify: %s", verifyProblem(c, err))
			}
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "file to write (default: standard output)")
	return cmd
}

func newEvidenceVerifyCmd(f *storeFlags) *cobra.Command {
	var file, wantHash string
	cmd := &cobra.Command{
		Use:   "verify ID | --file FILE [--sha256 HASH]",
		Short: "Recompute a pack's section, manifest and bundle hashes",
		Long: `Recompute the SHA-256 of every section of a pack and compare them with its manifest.
With ID the stored pack is checked, and its manifest hash against the one stored beside it. With
--file an exported pack is checked, and compared with the store's copy of the same pack when the
store has one; --sha256 compares the file's hash with the bundle_sha256 you were given.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if (len(args) == 1) == (file != "") {
				return errors.New("give a pack ID or --file FILE (one of them)")
			}
			var c tools.EvidenceCheck
			var err error
			var compared []string
			if file != "" {
				c, compared, err = verifyFile(cmd, f, file)
			} else {
				c, compared, err = verifyStored(cmd, f, args[0])
			}
			if err != nil {
				return err
			}
			if wantHash != "" {
				wantHash = strings.ToLower(strings.TrimSpace(wantHash))
				if wantHash != c.BundleSHA256 {
					c.Problems = append(c.Problems, fmt.Sprintf("bundle SHA-256 %s, expected %s", c.BundleSHA256, wantHash))
				}
				compared = append(compared, "the SHA-256 given with --sha256")
			}
			printCheck(cmd.OutOrStdout(), c, compared)
			if !c.OK() {
				return fmt.Errorf("evidence pack %s does NOT verify: %s", c.ID, strings.Join(c.Problems, "; "))
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "an exported pack")
	cmd.Flags().StringVar(&wantHash, "sha256", "", "expected SHA-256 of the whole pack (bundle_sha256)")
	return cmd
}

// checkStored verifies a stored pack, including the manifest hash and size
// kept beside it.
func checkStored(row store.EvidenceRow) (tools.EvidenceCheck, error) {
	c, err := tools.VerifyEvidence(row.Bundle)
	if err != nil {
		return c, fmt.Errorf("stored pack %s: %w", row.ID, err)
	}
	if c.ID != row.ID {
		c.Problems = append(c.Problems, fmt.Sprintf("the manifest names pack %s, stored as %s", c.ID, row.ID))
	}
	if c.ManifestSHA256 != row.ManifestSHA256 {
		c.Problems = append(c.Problems, fmt.Sprintf("manifest SHA-256 %s, stored beside the pack as %s", c.ManifestSHA256, row.ManifestSHA256))
	}
	if row.Size != int64(len(row.Bundle)) {
		c.Problems = append(c.Problems, fmt.Sprintf("the pack is %d bytes, recorded as %d", len(row.Bundle), row.Size))
	}
	return c, nil
}

func verifyStored(cmd *cobra.Command, f *storeFlags, id string) (tools.EvidenceCheck, []string, error) {
	st, err := f.open(cmd)
	if err != nil {
		return tools.EvidenceCheck{}, nil, err
	}
	defer st.Close()
	row, err := st.GetEvidence(cmd.Context(), id)
	if err != nil {
		return tools.EvidenceCheck{}, nil, err
	}
	c, err := checkStored(row)
	return c, []string{"the manifest hash stored beside the pack"}, err
}

// verifyFile checks an exported pack and, when the store exists and holds
// the same pack, compares the two. It never creates a store.
func verifyFile(cmd *cobra.Command, f *storeFlags, file string) (tools.EvidenceCheck, []string, error) {
	fh, err := os.Open(file)
	if err != nil {
		return tools.EvidenceCheck{}, nil, fmt.Errorf("--file: %w", err)
	}
	defer fh.Close()
	b, err := io.ReadAll(io.LimitReader(fh, maxEvidenceFile+1))
	if err != nil {
		return tools.EvidenceCheck{}, nil, fmt.Errorf("--file: %w", err)
	}
	if len(b) > maxEvidenceFile {
		return tools.EvidenceCheck{}, nil, fmt.Errorf("--file: %s is over %d MiB: not an evidence pack", file, maxEvidenceFile>>20)
	}
	c, err := tools.VerifyEvidence(b)
	if err != nil {
		return c, nil, fmt.Errorf("--file %s: %w", file, err)
	}
	path, err := f.storePath()
	if err != nil {
		return c, nil, nil
	}
	if _, err := os.Stat(path); err != nil {
		return c, nil, nil
	}
	st, err := store.Open(cmd.Context(), path)
	if err != nil {
		return c, nil, nil
	}
	defer st.Close()
	row, err := st.GetEvidence(cmd.Context(), c.ID)
	if err != nil {
		return c, nil, nil
	}
	sum := sha256.Sum256(row.Bundle)
	if stored := hex.EncodeToString(sum[:]); stored != c.BundleSHA256 {
		c.Problems = append(c.Problems, fmt.Sprintf("the file's SHA-256 %s differs from the stored pack's %s", c.BundleSHA256, stored))
	}
	return c, []string{"the store's copy of " + c.ID}, nil
}

func printCheck(w io.Writer, c tools.EvidenceCheck, compared []string) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "pack\t%s\nbundle sha256\t%s\nmanifest sha256\t%s\n", c.ID, c.BundleSHA256, c.ManifestSHA256)
	for _, s := range c.Sections {
		status := "ok"
		if s.Got != s.Want {
			status = "MISMATCH"
		}
		partial := ""
		if s.Partial {
			partial = " (partial: the section failed when the pack was made)"
		}
		fmt.Fprintf(tw, "section %s\t%s\t%s\t%d items%s\n", s.Name, status, s.Got, s.Items, partial)
	}
	_ = tw.Flush()
	if len(compared) > 0 {
		fmt.Fprintf(w, "compared with: %s\n", strings.Join(compared, ", "))
	} else {
		fmt.Fprintln(w, "compared with: nothing outside the file (no store copy of this pack; pass --sha256 with the bundle_sha256 you were given)")
	}
	if c.OK() {
		fmt.Fprintln(w, "verified: every section matches the manifest")
	}
}

func verifyProblem(c tools.EvidenceCheck, err error) string {
	if err != nil {
		return err.Error()
	}
	return strings.Join(c.Problems, "; ")
}
