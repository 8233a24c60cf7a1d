package audit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// TestMiddlewareWithholdsResultOnFullDisk: on a real full disk (a tmpfs
// filled to the last byte) a tool call's answer is withheld, the operator
// log says the disk is full, and once space returns calls are answered
// and audited again with the chain intact.
func TestMiddlewareWithholdsResultOnFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("a real full disk needs mount, which needs root; TestMiddlewareWithholdsUnauditedResult covers a failing store portably")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m,mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("mount -t tmpfs is not permitted here (%v: %s)", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", "-l", dir).Run() })
	st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l := New(st, Options{})
	defer l.Close()
	var logBuf bytes.Buffer
	cs := connect(t, l, slog.New(slog.NewTextHandler(&logBuf, nil)))
	call := func() *mcp.CallToolResult {
		// Large arguments: the record needs new pages, not the room left
		// in the last one.
		res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "ok_tool", Arguments: map[string]any{"q": strings.Repeat("x", 8000)}})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	if res := call(); res.IsError {
		t.Fatal("the first call failed")
	}

	filler := filepath.Join(dir, "filler")
	f, err := os.Create(filler)
	if err != nil {
		t.Fatal(err)
	}
	for chunk := make([]byte, 4096); ; {
		if _, err := f.Write(chunk); err != nil {
			if !errors.Is(err, syscall.ENOSPC) {
				t.Fatal(err)
			}
			break
		}
	}
	f.Close()
	res := call()
	text := res.Content[0].(*mcp.TextContent).Text
	if !res.IsError || text != auditFailedText {
		t.Fatalf("on a full disk: isError %v, %q; want the result withheld", res.IsError, text)
	}
	if !strings.Contains(logBuf.String(), "tool call not audited") || !strings.Contains(logBuf.String(), "the disk is full") {
		t.Fatalf("the operator log does not say the disk is full: %s", logBuf.String())
	}

	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if res := call(); res.IsError {
		t.Fatalf("once space returned: %v", res.Content[0].(*mcp.TextContent).Text)
	}
	mustVerify(t, st, 2) // the two answered calls, nothing of the withheld one
}
