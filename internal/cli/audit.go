package cli

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/timeexpr"
)

// headHashAdvice is printed with every successful verification: the chain
// proves the past, not that its newest records are all there.
const headHashAdvice = `Keep the head seq and hash somewhere else (a ticket, a SIEM, another machine): records cut off
the end of the log leave a shorter chain that still verifies; only a head hash kept elsewhere shows it.`

func newAuditCmd() *cobra.Command {
	var f storeFlags
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Verify and export the hash-chained audit log",
		Long: `The audit log records every tool call (principal, session, correlation id, tool, redacted
arguments, outcome, duration) and every transition of a write action. Each record is chained to
the one before it by a SHA-256 hash, so editing, inserting or deleting a record shows in "verify".`,
	}
	pf := cmd.PersistentFlags()
	f.register(pf)
	cmd.AddCommand(newAuditVerifyCmd(&f), newAuditExportCmd(&f))
	return cmd
}

func newAuditVerifyCmd(f *storeFlags) *cobra.Command {
	var file string
	cmd := &cobra.Command{
		Use:   "verify [--file EXPORT]",
		Short: "Check the audit chain (of the store, or of an exported file); exit 1 when broken",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rep, err := verifyAudit(cmd, f, file)
			if err != nil {
				return err
			}
			return printReport(cmd.OutOrStdout(), rep, file != "")
		},
	}
	cmd.Flags().StringVar(&file, "file", "", "verify this file written by audit export instead of the store")
	return cmd
}

func verifyAudit(cmd *cobra.Command, f *storeFlags, file string) (audit.Report, error) {
	if file != "" {
		r, err := os.Open(file)
		if err != nil {
			return audit.Report{}, fmt.Errorf("--file: %w", err)
		}
		defer r.Close()
		return audit.VerifyExport(r)
	}
	st, err := f.open(cmd)
	if err != nil {
		return audit.Report{}, err
	}
	defer st.Close()
	return audit.Verify(cmd.Context(), st)
}

// printReport prints the report and returns an error when the chain broke.
func printReport(w io.Writer, rep audit.Report, isFile bool) error {
	what := "Audit log"
	if isFile {
		what = "Audit export"
	}
	if !rep.OK() {
		fmt.Fprintf(w, "%s BROKEN at seq %d: %s\n", what, rep.FirstBroken.Seq, rep.FirstBroken.Reason)
		fmt.Fprintf(w, "Records verified before the break: %d (last good seq %d, hash %s)\n", rep.Records, rep.HeadSeq, orNone(rep.HeadHash))
		return fmt.Errorf("audit chain broken at seq %d: %s", rep.FirstBroken.Seq, rep.FirstBroken.Reason)
	}
	fmt.Fprintf(w, "%s intact: %d records\nHead seq:  %d\nHead hash: %s\n", what, rep.Records, rep.HeadSeq, orNone(rep.HeadHash))
	if isFile && rep.FirstSeq > 1 {
		fmt.Fprintf(w, "The export starts at seq %d: its link to the records before it, and so its seq numbers, are taken from the file as is.\n", rep.FirstSeq)
	}
	fmt.Fprintln(w, headHashAdvice)
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

func newAuditExportCmd(f *storeFlags) *cobra.Command {
	var since, output string
	cmd := &cobra.Command{
		Use:   "export [--since 24h|RFC3339] [--output FILE]",
		Short: "Write the audit log as JSON lines that audit verify --file checks offline",
		Long: `Write audit records as JSON lines {"seq","hash","prev_hash","record"}, oldest first, to standard
output or --output. The record is byte for byte what was hashed, so "wazuh-mcp audit verify --file"
(or any SHA-256 tool: hash = sha256(prev_hash + "\n" + record)) checks the file without the store.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			from, err := parseSince(since, time.Now())
			if err != nil {
				return err
			}
			return exportAudit(cmd, f, from, output)
		},
	}
	cmd.Flags().StringVar(&since, "since", "", "only records from this time on: a range back from now (24h, 7d) or an RFC 3339 time (default: all)")
	cmd.Flags().StringVarP(&output, "output", "o", "", "write to this file (created with mode 0600) instead of standard output")
	return cmd
}

// parseSince accepts a range back from now or an absolute time.
func parseSince(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := timeexpr.ParseRange(s); err == nil {
		return now.Add(-d), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("--since: %q is neither a range such as 24h or 7d nor an RFC 3339 time such as 2026-11-21T00:00:00Z", s)
	}
	return t, nil
}

func exportAudit(cmd *cobra.Command, f *storeFlags, since time.Time, output string) error {
	st, err := f.open(cmd)
	if err != nil {
		return err
	}
	defer st.Close()
	var w io.Writer = cmd.OutOrStdout()
	var file *os.File
	if output != "" {
		file, err = os.OpenFile(output, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return fmt.Errorf("--output: %w", err)
		}
		defer file.Close()
		w = file
	}
	lc := &lineCounter{w: w}
	if err := audit.Export(cmd.Context(), st, since, lc); err != nil {
		return err
	}
	if file != nil {
		if err := file.Close(); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
		fmt.Fprintf(cmd.ErrOrStderr(), "Exported %d audit records to %s; check it with: wazuh-mcp audit verify --file %s\n", lc.n, output, output)
	}
	return nil
}

// lineCounter counts the lines written through it.
type lineCounter struct {
	w io.Writer
	n int
}

func (c *lineCounter) Write(p []byte) (int, error) {
	c.n += bytes.Count(p, []byte{'\n'})
	return c.w.Write(p)
}
