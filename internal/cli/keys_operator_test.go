package cli

import (
	"context"
	"errors"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/auth"
	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// TestKeysCreateOperator: `keys create NAME --scope operator` makes a key
// that signs in to the approval page and that the MCP side refuses.
func TestKeysCreateOperator(t *testing.T) {
	dir := t.TempDir()
	code, out, errOut := runCLI(t, "keys", "create", "alice", "--scope", "operator", "--data-dir", dir)
	if code != 0 {
		t.Fatalf("keys create: %s", errOut)
	}
	key := strings.TrimSuffix(out, "\n")
	m := regexp.MustCompile(`Created API key (key_\w+) "alice", scope operator, expires never`).FindStringSubmatch(errOut)
	if len(key) != 43 || m == nil {
		t.Fatalf("stdout %q stderr %q", out, errOut)
	}
	if code, _, errOut := runCLI(t, "keys", "create", "bob", "--name", "carol", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "named twice") {
		t.Errorf("two names: %d %s", code, errOut)
	}
	if code, _, errOut := runCLI(t, "keys", "create", "dave", "--scope", "admin", "--data-dir", dir); code == 0 || !strings.Contains(errOut, "read, write or operator") {
		t.Errorf("bad scope: %d %s", code, errOut)
	}
	code, list, _ := runCLI(t, "keys", "list", "--data-dir", dir)
	if code != 0 || !regexp.MustCompile(m[1]+`\s+alice\s+operator\s+active`).MatchString(list) {
		t.Errorf("keys list:\n%s", list)
	}

	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := auth.NewOperatorKeys(st, nil).VerifyOperator(ctx, key)
	if err != nil || p.ID != m[1] || p.Name != "alice" {
		t.Fatalf("the operator key does not sign in: %+v %v", p, err)
	}
	b, err := auth.NewBearer(auth.BearerConfig{Store: st, Secret: []byte(strings.Repeat("s", 32))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, key); !errors.Is(err, auth.ErrOperatorKey) {
		t.Errorf("the operator key authenticates on MCP: %v", err)
	}
}
