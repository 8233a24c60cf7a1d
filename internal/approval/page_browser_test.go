package approval

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// TestPageInChromium drives the approval page in headless Chromium the way
// an operator does: open it, type the operator key, sign in, open the
// pending action from the list, read it, click Approve. The gate must then
// hold the action as approved by that operator through the page, and the
// page must say so. Without /usr/bin/chromium the test is skipped, unless
// WAZUH_MCP_REQUIRE_CHROMIUM=1 (CI), where that is a failure.
func TestPageInChromium(t *testing.T) {
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("WAZUH_MCP_REQUIRE_CHROMIUM") == "1" {
			t.Fatalf("WAZUH_MCP_REQUIRE_CHROMIUM=1 but %s is missing: %v", chromiumPath, err)
		}
		t.Skipf("%s is missing (install the chromium package to run this test)", chromiumPath)
	}
	e := newPageEnv(t, nil)
	act := e.propose(t, func(p *Proposal) { p.Plan.Summary = "Block 203.0.113.9 on agent 001 <b>now</b>" })

	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), // small /dev/shm in containers
		chromedp.Flag("no-proxy-server", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Env("TMPDIR=" + t.TempDir()), // its singleton socket directory, removed with the test
	}
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(allocCtx, chromedp.WithErrorf(t.Logf))
	defer cancelBrowser()

	step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatalf("Chromium, %s: %v", what, err)
		}
	}
	text := func(id string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.ID(id)))
		if err != nil {
			t.Fatalf("Chromium, reading #%s: %v", id, err)
		}
		return strings.TrimSpace(s)
	}
	step("opening the page", chromedp.Navigate(e.ts.URL+"/approvals/"), chromedp.WaitVisible(chromedp.ID("key")))
	signInTitle, err := chromedp.Run(bctx, chromedp.Title())
	if err != nil {
		t.Fatal(err)
	}
	step("signing in", chromedp.SendKeys(chromedp.ID("key"), e.opKey), chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.ID("pending")))
	operatorName := text("operator")
	step("opening the action", chromedp.Click(chromedp.CSS(`a[href="/approvals/`+act.ID+`"]`)), chromedp.WaitVisible(chromedp.ID("approve")))
	summary, hash := text("summary"), text("plan-hash")
	step("approving", chromedp.Click(chromedp.ID("approve")), chromedp.WaitVisible(chromedp.ID("notice")))
	status, notice := text("status"), text("notice")
	if !strings.HasPrefix(signInTitle, "Sign in") || operatorName != "alice" {
		t.Errorf("title %q, operator %q", signInTitle, operatorName)
	}
	// The browser shows the attacker-influenced summary as text.
	if summary != "Block 203.0.113.9 on agent 001 <b>now</b>" || hash != act.PlanHash {
		t.Errorf("the page showed summary %q and hash %q", summary, hash)
	}
	got := e.status(t, act.ID)
	if got.Status != Approved || got.Decision == nil || got.Decision.By != e.opID || got.Decision.Via != ViaPage {
		t.Fatalf("the gate holds %s, decision %+v", got.Status, got.Decision)
	}
	if status != "approved" || !strings.Contains(notice, "You approved this action") {
		t.Errorf("the page shows status %q, notice %q", status, notice)
	}
}
