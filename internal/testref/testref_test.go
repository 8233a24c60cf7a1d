package testref

import (
	"os"
	"path/filepath"
	"testing"
)

func TestDirFindsSharedBesideModule(t *testing.T) {
	t.Setenv("WAZUH_SHARED_DIR", "")
	want, _ := filepath.Abs(filepath.Join("..", "..", "..", "shared", "wazuh"))
	if got := filepath.Clean(Dir()); got != want {
		t.Fatalf("Dir() = %s, want %s", got, want)
	}
	t.Setenv("WAZUH_SHARED_DIR", "/elsewhere")
	if Path("x.json") != "/elsewhere/x.json" {
		t.Fatalf("override ignored: %s", Path("x.json"))
	}
	if _, err := os.Stat(want); err != nil {
		t.Skipf("../shared absent here (%v)", err)
	}
}
