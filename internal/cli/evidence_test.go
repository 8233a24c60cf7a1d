package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
	"github.com/wazuh-mcp/wazuh-mcp/internal/tools"
)

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// packBundle builds a pack by hand from the documented layout: sections
// hashed on their exact bytes, listed in the manifest. That a pack made
// without this program's code verifies is the point of the format.
func packBundle(id string, sections map[string]string) (bundle []byte, manifest string) {
	var digests, parts []string
	for _, name := range []string{"agent", "ports"} {
		digests = append(digests, fmt.Sprintf(`%q:{"sha256":%q,"items":1,"partial":false}`, name, hexSHA([]byte(sections[name]))))
		parts = append(parts, fmt.Sprintf(`%q:%s`, name, sections[name]))
	}
	manifest = fmt.Sprintf(`{"format":%q,"id":%q,"created_at":"2026-11-21T12:00:00Z","principal":"local","subject":{"agent_id":"001"},"window":{},"redaction":{},"sections":{%s}}`,
		tools.EvidenceFormat, id, strings.Join(digests, ","))
	return []byte(`{"manifest":` + manifest + `,"sections":{` + strings.Join(parts, ",") + `}}`), manifest
}

func TestEvidenceExportVerify(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	const id = "evp_abcdefghijklmnop"
	sections := map[string]string{"agent": `{"agent":{"id":"001","name":"web-01"}}`, "ports": `{"error":"boom"}`}
	bundle, manifest := packBundle(id, sections)
	if err := st.InsertEvidence(context.Background(), store.EvidenceRow{ID: id, CreatedAt: time.Now(), PrincipalID: "local",
		Subject: "agent 001", ManifestSHA256: hexSHA([]byte(manifest)), Bundle: bundle}); err != nil {
		t.Fatal(err)
	}
	st.Close()

	if code, out, errOut := runCLI(t, "evidence", "list", "--data-dir", dir); code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "agent 001") {
		t.Fatalf("list: %d %s %s", code, out, errOut)
	}
	file := filepath.Join(t.TempDir(), "pack.json")
	code, out, errOut := runCLI(t, "evidence", "export", "--data-dir", dir, id, "--output", file)
	if code != 0 || out != hexSHA(bundle)+"  "+file+"\n" {
		t.Fatalf("export: %d %q %s", code, out, errOut)
	}
	if got, err := os.ReadFile(file); err != nil || string(got) != string(bundle) {
		t.Fatalf("the exported file is not the stored pack (%v)", err)
	}
	if code, out, errOut := runCLI(t, "evidence", "export", "--data-dir", dir, id); code != 0 || out != string(bundle) || !strings.Contains(errOut, hexSHA(bundle)) {
		t.Fatalf("export to stdout: %d %q %q", code, out, errOut)
	}
	for _, argv := range [][]string{{id}, {"--file", file}, {"--file", file, "--sha256", strings.ToUpper(hexSHA(bundle))}} {
		code, out, errOut := runCLI(t, append([]string{"evidence", "verify", "--data-dir", dir}, argv...)...)
		if code != 0 || !strings.Contains(out, "verified") || !strings.Contains(out, "section agent") || strings.Contains(out, "MISMATCH") {
			t.Fatalf("verify %v: %d %s %s", argv, code, out, errOut)
		}
	}
	if _, out, _ := runCLI(t, "evidence", "verify", "--data-dir", dir, "--file", file); !strings.Contains(out, "the store's copy of "+id) {
		t.Fatalf("verify --file did not compare with the store: %s", out)
	}

	// Tampering: an edited section; and an edit whose manifest was updated
	// to match, caught against the store's copy and against --sha256.
	edited := strings.Replace(string(bundle), `"web-01"`, `"web-02"`, 1)
	sections["agent"] = `{"agent":{"id":"001","name":"web-02"}}`
	forged, _ := packBundle(id, sections)
	empty := t.TempDir()
	for _, tc := range []struct {
		name, content string
		argv          []string
		want          string
	}{
		{"edited section", edited, nil, "MISMATCH"},
		{"forged manifest, store copy", string(forged), nil, "differs from the stored pack"},
		{"forged manifest, --sha256", string(forged), []string{"--data-dir", empty, "--sha256", hexSHA(bundle)}, "expected " + hexSHA(bundle)},
		{"not a pack", `{"a":1}`, nil, "not an evidence pack"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.json")
			if err := os.WriteFile(bad, []byte(tc.content), 0o600); err != nil {
				t.Fatal(err)
			}
			argv := []string{"evidence", "verify", "--data-dir", dir, "--file", bad}
			code, out, errOut := runCLI(t, append(argv, tc.argv...)...)
			if code == 0 || !strings.Contains(out+errOut, tc.want) {
				t.Fatalf("%d, output %s %s; want a failure saying %q", code, out, errOut, tc.want)
			}
		})
	}
	if entries, _ := os.ReadDir(empty); len(entries) != 0 {
		t.Fatal("verify --file created a store")
	}

	// Tampering inside the store is caught against the stored manifest hash.
	st, err = store.Open(context.Background(), filepath.Join(dir, store.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.InsertEvidence(context.Background(), store.EvidenceRow{ID: "evp_bbbbbbbbbbbbbbbb", CreatedAt: time.Now(),
		Subject: "agent 001", ManifestSHA256: hexSHA([]byte(manifest)), Bundle: []byte(strings.Replace(string(forged), id, "evp_bbbbbbbbbbbbbbbb", 1))}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if code, _, errOut := runCLI(t, "evidence", "verify", "--data-dir", dir, "evp_bbbbbbbbbbbbbbbb"); code == 0 || !strings.Contains(errOut, "stored beside the pack") {
		t.Fatalf("a stored pack whose manifest changed verified: %s", errOut)
	}
	for _, argv := range [][]string{{"verify"}, {"verify", id, "--file", file}, {"export", "evp_nope"}} {
		if code, _, _ := runCLI(t, append([]string{"evidence"}, append(argv, "--data-dir", dir)...)...); code == 0 {
			t.Errorf("evidence %v succeeded", argv)
		}
	}
}
