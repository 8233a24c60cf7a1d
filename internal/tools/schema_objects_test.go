package tools

import (
	"encoding/json"
	"testing"
)

// TestOutputSchemaPropertiesAreObjects guards tools/list against strict
// clients: the TypeScript SDK (Claude Desktop, VS Code, MCP Inspector,
// the MCP conformance suite) rejects the whole list when a property schema
// is the boolean `true` that an empty schema marshals to.
func TestOutputSchemaPropertiesAreObjects(t *testing.T) {
	for _, tool := range Catalogue(Deps{}) {
		for kind, s := range map[string]any{"inputSchema": tool.Def.InputSchema, "outputSchema": tool.Def.OutputSchema} {
			b, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var top struct {
				Properties map[string]json.RawMessage `json:"properties"`
			}
			if err := json.Unmarshal(b, &top); err != nil {
				t.Fatal(err)
			}
			for name, p := range top.Properties {
				if len(p) == 0 || p[0] != '{' {
					t.Errorf("%s %s.properties.%s = %s: must be a schema object", tool.Def.Name, kind, name, p)
				}
			}
		}
	}
}
