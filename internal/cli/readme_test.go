package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/tokencount"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

var updateReadme = flag.Bool("update", false, "rewrite the README tool table")

const (
	toolTableBegin = "<!-- tools:begin (generated: go test ./internal/cli -run TestReadmeToolTable -update) -->\n"
	toolTableEnd   = "<!-- tools:end -->"
)

// TestReadmeToolTable keeps the README's tool table equal to what
// `wazuh-mcp tools --markdown` generates from the registry.
func TestReadmeToolTable(t *testing.T) {
	path := filepath.Join("..", "..", "README.md")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	i, j := strings.Index(readme, toolTableBegin), strings.Index(readme, toolTableEnd)
	if i < 0 || j < i {
		t.Fatalf("README.md lacks the markers %q and %q", strings.TrimSpace(toolTableBegin), toolTableEnd)
	}
	want, err := toolTableMarkdown(tools.Catalogue(tools.Deps{}))
	if err != nil {
		t.Fatal(err)
	}
	got := readme[i+len(toolTableBegin) : j]
	if got == want {
		return
	}
	if *updateReadme {
		updated := readme[:i+len(toolTableBegin)] + want + readme[j:]
		if err := os.WriteFile(path, []byte(updated), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Fatalf("the README tool table differs from the registry; regenerate it with:\n  go test ./internal/cli -run TestReadmeToolTable -update\n--- generated ---\n%s", want)
}

// TestToolsCommandReportsCosts checks the per-tool token column and the
// totals against an independent count.
func TestToolsCommandReportsCosts(t *testing.T) {
	all := tools.Catalogue(tools.Deps{})
	defaults, err := tools.Select(all, tools.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	var c tokencount.Counter
	each, defTotal, err := tools.TokenCost(&c, defaults)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if code := Run(context.Background(), "test", []string{"tools"}, &out, &errOut); code != 0 {
		t.Fatalf("tools: %s", errOut.String())
	}
	for i, tool := range defaults {
		row := regexp.MustCompile(`(?m)^` + tool.Def.Name + `\s+\S+\s+(\d+)\s`).FindStringSubmatch(out.String())
		if row == nil || row[1] != strconv.Itoa(each[i]) {
			t.Errorf("%s: row %v, want %d tokens", tool.Def.Name, row, each[i])
		}
	}
	want := fmt.Sprintf("default toolsets %3d tools  %6d tokens  budget %d", len(defaults), defTotal, tools.DefaultToolsetsTokenBudget)
	if !strings.Contains(out.String(), want) {
		t.Errorf("totals missing %q:\n%s", want, out.String())
	}
	out.Reset()
	if code := Run(context.Background(), "test", []string{"tools", "--markdown"}, &out, &errOut); code != 0 {
		t.Fatalf("tools --markdown: %s", errOut.String())
	}
	table, err := toolTableMarkdown(all)
	if err != nil {
		t.Fatal(err)
	}
	if out.String() != table || !strings.Contains(table, "| `get_wazuh_alerts` | alerts | yes |") {
		t.Errorf("tools --markdown:\n%s", out.String())
	}
}
