// Package testref locates the real Wazuh reference data (../shared/wazuh
// beside the checkout) for tests. It is used only by tests: the binary never
// needs the reference data. WAZUH_SHARED_DIR overrides the location.
package testref

import (
	"os"
	"path/filepath"
)

// Dir returns the reference data directory: $WAZUH_SHARED_DIR, or
// ../shared/wazuh next to the module root found by walking up from the
// working directory (a package directory under go test).
func Dir() string {
	if d := os.Getenv("WAZUH_SHARED_DIR"); d != "" {
		return d
	}
	dir, err := os.Getwd()
	if err != nil {
		return filepath.Join("..", "shared", "wazuh")
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "..", "shared", "wazuh")
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return filepath.Join("..", "shared", "wazuh")
		}
		dir = parent
	}
}

// Path returns the path of one reference file.
func Path(name string) string { return filepath.Join(Dir(), name) }

// SpecPath is the real Wazuh OpenAPI spec: $WAZUH_API_SPEC, or
// api-spec.yaml in Dir.
func SpecPath() string {
	if p := os.Getenv("WAZUH_API_SPEC"); p != "" {
		return p
	}
	return Path("api-spec.yaml")
}
