package dataset

import "testing"

// TestSyscollectorValuesWithinSpec pins the 4.14 value sets the contract
// test (internal/contract) found violated: multiarch is one of the spec's
// enum and only on deb packages (NULL, hence absent, elsewhere); interface
// states are up or down, with no loopback interface on Linux.
func TestSyscollectorValuesWithinSpec(t *testing.T) {
	ds := load(t)
	multiarch := map[any]bool{"allowed": true, "same": true, "foreign": true}
	for id, kinds := range ds.Syscollector {
		for _, p := range kinds["packages"] {
			v, ok := p["multiarch"]
			if ok != (p["format"] == "deb") || ok && !multiarch[v] {
				t.Errorf("agent %s %s package %s: multiarch %q (present %v)", id, p["format"], p["name"], v, ok)
			}
		}
		for _, n := range kinds["netiface"] {
			if n["state"] != "up" && n["state"] != "down" || n["type"] == "loopback" {
				t.Errorf("agent %s interface %s: type %v, state %v", id, n["name"], n["type"], n["state"])
			}
		}
	}
}
