package cli

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/audit"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// seedAudit stores n tool calls in the store of dir: the first ones two
// days old, the last two an hour old.
func seedAudit(t *testing.T, dir string, n int) {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l := audit.New(st, audit.Options{})
	defer l.Close()
	now := time.Now()
	for i := range n {
		at := now.Add(-48 * time.Hour)
		if i >= n-2 {
			at = now.Add(-time.Hour)
		}
		if err := l.Record(ctx, audit.Event{Time: at, Kind: audit.KindToolCall, Tool: fmt.Sprintf("tool_%d", i+1), Outcome: audit.OutcomeOK}); err != nil {
			t.Fatal(err)
		}
	}
}

var headHashRE = regexp.MustCompile(`Head hash: ([0-9a-f]{64})`)

func TestAuditVerifyCLI(t *testing.T) {
	dir := t.TempDir()
	seedAudit(t, dir, 4)
	code, out, errOut := runCLI(t, "audit", "verify", "--data-dir", dir)
	if code != 0 || !strings.Contains(out, "Audit log intact: 4 records") || !strings.Contains(out, "Head seq:  4") ||
		!headHashRE.MatchString(out) || !strings.Contains(out, "Keep the head seq and hash somewhere else") {
		t.Fatalf("verify: %d\n%s\n%s", code, out, errOut)
	}
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{`DROP TRIGGER audit_no_delete`, `DELETE FROM audit WHERE seq = 2`} {
		if _, err := db.Exec(s); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	code, out, errOut = runCLI(t, "audit", "verify", "--data-dir", dir)
	if code == 0 || !strings.Contains(out, "Audit log BROKEN at seq 2: record 2 missing") || !strings.Contains(errOut, "audit chain broken at seq 2") {
		t.Fatalf("verify after a deletion: %d\n%s\n%s", code, out, errOut)
	}
}

func TestAuditExportCLI(t *testing.T) {
	dir := t.TempDir()
	seedAudit(t, dir, 5)
	_, verifyOut, _ := runCLI(t, "audit", "verify", "--data-dir", dir)
	head := headHashRE.FindStringSubmatch(verifyOut)
	if head == nil {
		t.Fatalf("no head hash in %s", verifyOut)
	}
	file := filepath.Join(t.TempDir(), "audit.jsonl")
	code, out, errOut := runCLI(t, "audit", "export", "--data-dir", dir, "--output", file)
	if code != 0 || out != "" || !strings.Contains(errOut, "Exported 5 audit records to "+file) {
		t.Fatalf("export: %d\n%s\n%s", code, out, errOut)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("export file: %v %v", fi, err)
	}
	code, out, _ = runCLI(t, "audit", "verify", "--file", file)
	if code != 0 || !strings.Contains(out, "Audit export intact: 5 records") || !strings.Contains(out, head[1]) {
		t.Fatalf("verify --file: %d\n%s", code, out)
	}

	// --since 24h: the two recent records, on standard output; the partial
	// chain verifies from its first line.
	code, out, errOut = runCLI(t, "audit", "export", "--data-dir", dir, "--since", "24h")
	if code != 0 || strings.Count(out, "\n") != 2 || !strings.HasPrefix(out, `{"seq":4,`) {
		t.Fatalf("export --since 24h: %d\n%s\n%s", code, out, errOut)
	}
	recent := filepath.Join(t.TempDir(), "recent.jsonl")
	if err := os.WriteFile(recent, []byte(out), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, _ := runCLI(t, "audit", "verify", "--file", recent); code != 0 || !strings.Contains(out, "starts at seq 4") || !strings.Contains(out, head[1]) {
		t.Fatalf("verify --file of a partial export: %d\n%s", code, out)
	}
	since := time.Now().Add(-3 * time.Hour).UTC().Format(time.RFC3339)
	if code, out, _ := runCLI(t, "audit", "export", "--data-dir", dir, "--since", since); code != 0 || strings.Count(out, "\n") != 2 {
		t.Fatalf("export --since %s: %d\n%s", since, code, out)
	}
	if code, _, errOut := runCLI(t, "audit", "export", "--data-dir", dir, "--since", "yesterday"); code == 0 || !strings.Contains(errOut, "--since") {
		t.Fatalf("export --since yesterday: %d %s", code, errOut)
	}

	// An edited export fails, naming the record.
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(b), `"tool":"tool_3"`, `"tool":"tool_9"`, 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut = runCLI(t, "audit", "verify", "--file", file)
	if code == 0 || !strings.Contains(out, "Audit export BROKEN at seq 3: hash does not match") || !strings.Contains(errOut, "broken at seq 3") {
		t.Fatalf("verify --file of an edited export: %d\n%s\n%s", code, out, errOut)
	}
}
