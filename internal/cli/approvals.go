package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/wazuh-mcp/wazuh-mcp/internal/approval"
)

// The operator CLI: one of the approval channels a model cannot use. It
// decides in the store; a running server executes what it approves.

func newApprovalsCmd() *cobra.Command {
	var f storeFlags
	cmd := &cobra.Command{
		Use:   "approvals",
		Short: "List, inspect, approve or reject write actions waiting for a human",
		Long: `Write tools (toolset response) never run on their own: each call stores a pending action
bound to the hash of its exact plan. Approve or reject it here (or on the approval page, or in an MCP
client that supports elicitation); a running wazuh-mcp server sharing this store executes an
approved action once, within a second.`,
	}
	pf := cmd.PersistentFlags()
	f.register(pf)
	cmd.AddCommand(newApprovalsListCmd(&f), newApprovalsShowCmd(&f), newApprovalsDecideCmd(&f, true), newApprovalsDecideCmd(&f, false))
	return cmd
}

// gate opens the store and a gate that decides but never executes.
func (f *storeFlags) gate(cmd *cobra.Command) (*approval.Gate, func(), error) {
	st, err := f.open(cmd)
	if err != nil {
		return nil, nil, err
	}
	return approval.New(st, nil, approval.Options{}), func() { st.Close() }, nil
}

func newApprovalsListCmd(f *storeFlags) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:   "list [--all] [--json]",
		Short: "List pending actions (all recent actions with --all)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			g, done, err := f.gate(cmd)
			if err != nil {
				return err
			}
			defer done()
			var statuses []approval.Status
			if !all {
				statuses = []approval.Status{approval.Pending}
			}
			actions, err := g.List(cmd.Context(), 100, statuses...)
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), actions)
			}
			return printActions(cmd.OutOrStdout(), actions)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "include decided and finished actions")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

func printActions(w io.Writer, actions []approval.Action) error {
	if len(actions) == 0 {
		fmt.Fprintln(w, "No actions.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tSTATUS\tTOOL\tREQUESTER\tCREATED\tSUMMARY")
	for _, a := range actions {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Status, a.Tool, a.Requester.ID,
			a.CreatedAt.Format(time.RFC3339), oneLine(a.Plan.Summary, 80))
	}
	return tw.Flush()
}

func newApprovalsShowCmd(f *storeFlags) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show ID",
		Short: "Show an action: its exact plan, requester, approval and result",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, argv []string) error {
			g, done, err := f.gate(cmd)
			if err != nil {
				return err
			}
			defer done()
			a, err := g.Get(cmd.Context(), argv[0])
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), a)
			}
			printAction(cmd.OutOrStdout(), a)
			return nil
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	return cmd
}

// printAction shows what an approver must read before deciding. Strings
// from the plan come from model arguments and Wazuh: control characters
// are escaped so that they cannot rewrite the terminal.
func printAction(w io.Writer, a approval.Action) {
	fmt.Fprintf(w, "Action     %s (%s, %s approval)\n", a.ID, a.Status, a.Mode)
	fmt.Fprintf(w, "Tool       %s\n", a.Tool)
	fmt.Fprintf(w, "Requester  %s %s (session %s, correlation id %s)\n", safe(a.Requester.ID), safe(a.Requester.Name), safe(a.Requester.Session), safe(a.Requester.CorrelationID))
	if a.AlertID != "" {
		fmt.Fprintf(w, "Alert      %s\n", safe(a.AlertID))
	}
	fmt.Fprintf(w, "Summary    %s\n", safe(a.Plan.Summary))
	fmt.Fprintf(w, "Targets    %s\n", safe(strings.Join(a.Plan.Targets, ", ")))
	fmt.Fprintf(w, "Request    %s\n", safe(a.Plan.Request.String()))
	if len(a.Plan.Request.Body) > 0 {
		fmt.Fprintf(w, "Body       %s\n", safe(string(a.Plan.Request.Body)))
	}
	fmt.Fprintf(w, "Undo       %s\n", safe(a.Plan.Undo))
	fmt.Fprintf(w, "Plan hash  %s\n", a.PlanHash)
	fmt.Fprintf(w, "Created    %s, expires %s\n", a.CreatedAt.Format(time.RFC3339), a.ExpiresAt.Format(time.RFC3339))
	if d := a.Decision; d != nil {
		fmt.Fprintf(w, "Decision   by %s via %s at %s %s\n", safe(d.By), d.Via, d.At.Format(time.RFC3339), safe(d.Note))
	}
	if r := a.Result; r != nil {
		b, _ := json.Marshal(r)
		fmt.Fprintf(w, "Result     %s\n", safe(string(b)))
	}
}

func safe(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			fmt.Fprintf(&b, "\\u%04x", r)
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

func oneLine(s string, n int) string {
	s = safe(s)
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func newApprovalsDecideCmd(f *storeFlags, approve bool) *cobra.Command {
	var hash, note string
	var yes bool
	var wait time.Duration
	verb, short := "reject", "Reject a pending action"
	if approve {
		verb, short = "approve", "Approve a pending action: a running server then executes it once"
	}
	cmd := &cobra.Command{
		Use:   verb + " ID [--plan-hash H] [--yes]",
		Short: short,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, argv []string) error {
			g, done, err := f.gate(cmd)
			if err != nil {
				return err
			}
			defer done()
			return decide(cmd, g, argv[0], decision{approve: approve, hash: hash, note: note, yes: yes, wait: wait})
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&hash, "plan-hash", "", "refuse unless the action's plan hash is this one (as shown by show)")
	fl.BoolVarP(&yes, "yes", "y", false, "do not ask for confirmation")
	if approve {
		fl.DurationVar(&wait, "wait", 0, "wait up to this long for the execution result (e.g. 30s)")
	} else {
		fl.StringVar(&note, "note", "", "why it is rejected (kept in the audit log)")
	}
	return cmd
}

type decision struct {
	approve bool
	hash    string
	note    string
	yes     bool
	wait    time.Duration
}

// decide shows the plan, asks for confirmation on the terminal (unless
// --yes) and records the decision bound to the plan hash shown.
func decide(cmd *cobra.Command, g *approval.Gate, id string, d decision) error {
	ctx := cmd.Context()
	a, err := g.Get(ctx, id)
	if err != nil {
		return err
	}
	w := cmd.OutOrStdout()
	printAction(w, a)
	if a.Status != approval.Pending {
		return fmt.Errorf("action %s is %s: only pending actions can be decided", id, a.Status)
	}
	if d.hash != "" && !strings.EqualFold(d.hash, a.PlanHash) {
		return fmt.Errorf("action %s: %w (you expected %s)", id, approval.ErrHashMismatch, d.hash)
	}
	verb := map[bool]string{true: "Approve", false: "Reject"}[d.approve]
	if !d.yes && !confirm(cmd.InOrStdin(), w, verb+" this action? [y/N] ") {
		return errors.New("nothing decided")
	}
	who := cliApprover()
	if d.approve {
		a, err = g.Approve(ctx, id, a.PlanHash, who)
	} else {
		a, err = g.Reject(ctx, id, a.PlanHash, who, d.note)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n%s %s by %s.\n", a.ID, a.Status, who.ID)
	if d.approve {
		return waitResult(ctx, w, g, a, d.wait)
	}
	return nil
}

func waitResult(ctx context.Context, w io.Writer, g *approval.Gate, a approval.Action, wait time.Duration) error {
	if wait <= 0 {
		fmt.Fprintln(w, "A running wazuh-mcp server sharing this store executes it once; see the result with: wazuh-mcp approvals show", a.ID)
		return nil
	}
	wctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	done, err := g.Wait(wctx, a.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Status: %s\n", done.Status)
	if done.Result != nil {
		b, _ := json.Marshal(done.Result)
		fmt.Fprintf(w, "Result: %s\n", safe(string(b)))
	}
	if !done.Status.Terminal() {
		fmt.Fprintln(w, "Not finished yet: is a wazuh-mcp server running with this store?")
	}
	return nil
}

func confirm(in io.Reader, w io.Writer, prompt string) bool {
	fmt.Fprint(w, prompt)
	line, _ := bufio.NewReader(in).ReadString('\n')
	ans := strings.ToLower(strings.TrimSpace(line))
	return ans == "y" || ans == "yes"
}

// cliApprover is the operating-system user running the CLI: whoever can
// write the store is trusted to decide.
func cliApprover() approval.Approver {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return approval.Approver{ID: "cli:" + name, Name: name + " (operator CLI)", Via: approval.ViaCLI}
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
