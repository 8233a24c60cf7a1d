// Package testref locates the real Wazuh reference data (../shared/wazuh
// beside the checkout) for tests. It is used only by tests: the binary never
// needs the reference data. WAZUH_SHARED_DIR overrides the location.
package testref

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
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

// spec is the parsed spec, shared by the tests of one test binary: parsing
// the 700 KB file is the slow part of the contract tests.
var spec struct {
	once sync.Once
	doc  *openapi3.T
	err  error
}

// Spec returns the parsed Wazuh OpenAPI spec, loaded once per test binary.
// It skips t when the spec file is absent and fails it when the file does
// not parse.
func Spec(t testing.TB) *openapi3.T {
	t.Helper()
	spec.once.Do(func() {
		if _, spec.err = os.Stat(SpecPath()); spec.err == nil {
			spec.doc, spec.err = openapi3.NewLoader().LoadFromFile(SpecPath())
		}
	})
	if errors.Is(spec.err, os.ErrNotExist) {
		t.Skipf("Wazuh API spec not found at %s (set WAZUH_API_SPEC): contract tests skipped", SpecPath())
	}
	if spec.err != nil {
		t.Fatalf("load spec %s: %v", SpecPath(), spec.err)
	}
	return spec.doc
}
