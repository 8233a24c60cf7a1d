package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxToolMapSize bounds a toolmap file; Autopilot's own is about 26 KB.
const MaxToolMapSize = 1 << 20

// maxToolMapErrors bounds how many problems one parse reports.
const maxToolMapErrors = 20

// responseTools are the MCP write tools of toolset response: the only
// tools an action_operations entry may map to.
var responseTools = []string{
	"wazuh_block_ip", "wazuh_disable_user", "wazuh_host_deny", "wazuh_firewall_drop",
	"wazuh_isolate_host", "wazuh_restart", "wazuh_active_response", "wazuh_kill_process",
	"wazuh_quarantine_file",
}

// ResponseTools lists the write tools an action policy may name.
func ResponseTools() []string { return slices.Clone(responseTools) }

var (
	riskLevels     = []string{"low", "medium", "high", "critical"}
	approvalModes  = []string{"human", "confirm", "auto"}
	parameterTypes = []string{"string", "integer", "number", "boolean", "object", "array"}
	toolNameRe     = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,128}$`)
)

// Keys of the Autopilot format. Only action_operations drives behaviour;
// the other sections are accepted so that Autopilot's file works unchanged.
var (
	topLevelKeys = []string{
		"schema_version", "description", "read_operations", "action_operations",
		"verification_operations", "rollback_operations", "utility_operations",
		"discovery", "tool_calls", "response_mapping", "error_handling",
	}
	actionKeys = []string{
		"logical_name", "mcp_tool", "description", "required", "enabled", "risk_level",
		"reversible", "target_param", "parameters", "verification", "rollback", "approval",
	}
	parameterKeys    = []string{"name", "type", "required", "default", "description"}
	verificationKeys = []string{"tool", "field", "expected"}
	rollbackKeys     = []string{"tool"}
)

// ActionPolicy is one entry of action_operations in the Wazuh Autopilot
// toolmap format.
type ActionPolicy struct {
	Key         string // the action_operations key: block_ip, disable_user…
	Line        int    // where the entry starts in the file
	LogicalName string // defaults to Key
	MCPTool     string
	Description string
	Required    bool   // Autopilot's flag; informational here
	RiskLevel   string // low | medium | high | critical
	Reversible  bool
	Enabled     bool // Autopilot's enabled flag (default true): false leaves the tool unregistered
	// Approval is wazuh-mcp's extension: human | confirm | auto; empty
	// derives it (human, or auto for low-risk reversible actions when the
	// server allows autonomous response).
	Approval    string
	TargetParam string
	Parameters  []Parameter
	// Verification names the read tool (and result field and value) that
	// confirms the outcome, as Autopilot does.
	Verification *Verification
	// RollbackTool is the tool Autopilot would call to undo the action
	// (wazuh_unisolate_host…); recorded, not implemented by wazuh-mcp.
	RollbackTool string
}

// Parameter is one declared argument of an action.
type Parameter struct {
	Name        string
	Type        string
	Required    bool
	Default     string // the scalar as written; empty when absent
	Description string
}

// Verification is the verification block of an action.
type Verification struct {
	Tool     string
	Field    string
	Expected string // the scalar as written
}

// ToolMap is a parsed policies/toolmap.yaml: the action policies by MCP
// tool name.
type ToolMap struct {
	SchemaVersion string
	Actions       map[string]ActionPolicy
	// RollbackTools are the undo tools the file names (in action rollback
	// blocks and rollback_operations), sorted. wazuh-mcp does not
	// implement them: an action is undone by the operator (see each
	// plan's undo text).
	RollbackTools []string
}

// LoadToolMap reads and parses the file at path.
func LoadToolMap(path string) (*ToolMap, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("toolmap: %w", err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxToolMapSize+1))
	if err != nil {
		return nil, fmt.Errorf("toolmap %s: %w", path, err)
	}
	t, err := ParseToolMap(b)
	if err != nil {
		return nil, fmt.Errorf("toolmap %s: %w", path, err)
	}
	return t, nil
}

// ParseToolMap parses a toolmap document in the Wazuh Autopilot format.
// Unknown keys (at the top level and anywhere inside action_operations)
// are errors naming the key and its line, as are unknown tools, bad risk
// levels and approval modes that the risk level does not allow.
func ParseToolMap(data []byte) (*ToolMap, error) {
	if len(data) > MaxToolMapSize {
		return nil, fmt.Errorf("the file is larger than %d bytes", MaxToolMapSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("the file is empty")
		}
		return nil, err
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		if err != nil {
			return nil, err
		}
		return nil, fmt.Errorf("line %d: a toolmap is one YAML document; found a second one", extra.Line)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 {
		return nil, errors.New("the file is empty")
	}
	p := &tmParser{tm: &ToolMap{Actions: map[string]ActionPolicy{}}}
	p.document(doc.Content[0])
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return p.tm, nil
}

// Policy returns the action policy of an MCP write tool.
func (t *ToolMap) Policy(tool string) (ActionPolicy, bool) {
	if t == nil {
		return ActionPolicy{}, false
	}
	ap, ok := t.Actions[tool]
	return ap, ok
}

// ApprovalMode is the approval mode of an MCP write tool: "human" when
// the map (nil: no file) says nothing else. An explicit approval wins,
// except that "auto" always needs allowAutonomous (the server's
// WAZUH_MCP_ALLOW_AUTONOMOUS_RESPONSE): without it the action falls back
// to a human. Without an explicit mode, low-risk reversible actions are
// auto when the server allows it.
func (t *ToolMap) ApprovalMode(tool string, allowAutonomous bool) string {
	if t == nil {
		return "human"
	}
	ap, ok := t.Actions[tool]
	if !ok {
		return "human"
	}
	switch {
	case ap.Approval == "auto" && !allowAutonomous:
		return "human"
	case ap.Approval != "":
		return ap.Approval
	case allowAutonomous && ap.RiskLevel == "low" && ap.Reversible:
		return "auto"
	}
	return "human"
}

// Enabled reports whether the map leaves tool enabled (true without a map
// or without an entry for the tool).
func (t *ToolMap) Enabled(tool string) bool {
	if t == nil {
		return true
	}
	ap, ok := t.Actions[tool]
	return !ok || ap.Enabled
}

// tmParser walks the YAML node tree, collecting errors with line numbers.
type tmParser struct {
	tm       *ToolMap
	errs     []error
	rollback map[string]bool
}

func (p *tmParser) errf(n *yaml.Node, format string, args ...any) {
	switch {
	case len(p.errs) < maxToolMapErrors:
		p.errs = append(p.errs, fmt.Errorf("line %d: %s", n.Line, fmt.Sprintf(format, args...)))
	case len(p.errs) == maxToolMapErrors:
		p.errs = append(p.errs, errors.New("… more errors not shown"))
	}
}

// field is one key/value pair of a mapping.
type field struct {
	key   string
	kn, v *yaml.Node
}

// fields returns the pairs of mapping n, refusing duplicates, non-scalar
// keys and (when allowed is not nil) keys outside allowed. A null value
// (an empty section) is an empty mapping.
func (p *tmParser) fields(n *yaml.Node, where string, allowed []string) []field {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errf(n, "%s must be a mapping (key: value), not %s", where, kindName(n))
		return nil
	}
	seen := map[string]int{}
	var out []field
	for i := 0; i+1 < len(n.Content); i += 2 {
		kn, v := n.Content[i], n.Content[i+1]
		if kn.Kind != yaml.ScalarNode {
			p.errf(kn, "%s: keys must be plain names, not %s", where, kindName(kn))
			continue
		}
		key := kn.Value
		if kn.Tag == "!!merge" {
			p.errf(kn, "%s: merge keys (<<) are not accepted", where)
			continue
		}
		if line, dup := seen[key]; dup {
			p.errf(kn, "%s: key %q appears twice (first at line %d)", where, key, line)
			continue
		}
		seen[key] = kn.Line
		if allowed != nil && !slices.Contains(allowed, key) {
			p.errf(kn, "%s: unknown key %q (allowed: %s)", where, key, strings.Join(allowed, ", "))
			continue
		}
		if v.Kind == yaml.AliasNode {
			p.errf(v, "%s.%s: YAML aliases are not accepted", where, key)
			continue
		}
		out = append(out, field{key, kn, v})
	}
	return out
}

func (p *tmParser) document(root *yaml.Node) {
	if root.Kind != yaml.MappingNode {
		p.errf(root, "the toolmap must be a mapping with the keys %s", strings.Join(topLevelKeys, ", "))
		return
	}
	for _, f := range p.fields(root, "toolmap", topLevelKeys) {
		switch f.key {
		case "schema_version":
			if f.v.Kind != yaml.ScalarNode || isNull(f.v) {
				p.errf(f.v, "schema_version must be a value such as \"2.0\"")
			} else {
				p.tm.SchemaVersion = f.v.Value
			}
		case "description":
			p.text(f.v, "description")
		case "action_operations":
			p.actions(f.v)
		case "read_operations", "verification_operations", "utility_operations":
			p.operations(f.v, f.key)
		case "rollback_operations":
			for _, tool := range p.operations(f.v, f.key) {
				p.addRollback(tool)
			}
		default: // discovery, tool_calls, response_mapping, error_handling: Autopilot's own settings
		}
	}
	if p.rollback != nil {
		for tool := range p.rollback {
			p.tm.RollbackTools = append(p.tm.RollbackTools, tool)
		}
		slices.Sort(p.tm.RollbackTools)
	}
}

// operations checks a section wazuh-mcp does not act on lightly: each
// entry is a mapping whose mcp_tool is a string. It returns the tools.
func (p *tmParser) operations(n *yaml.Node, section string) []string {
	var tools []string
	for _, e := range p.fields(n, section, nil) {
		where := section + "." + e.key
		var tool *yaml.Node
		for _, f := range p.fields(e.v, where, nil) {
			if f.key == "mcp_tool" {
				tool = f.v
			}
		}
		switch {
		case e.v.Kind != yaml.MappingNode:
			// reported by fields (a null entry is refused here)
			if isNull(e.v) {
				p.errf(e.v, "%s is empty; it needs at least mcp_tool", where)
			}
		case tool == nil:
			p.errf(e.kn, "%s: mcp_tool is missing", where)
		default:
			if s, ok := p.str(tool, where+".mcp_tool"); ok {
				tools = append(tools, s)
			}
		}
	}
	return tools
}

func (p *tmParser) actions(n *yaml.Node) {
	byTool := map[string]ActionPolicy{}
	for _, e := range p.fields(n, "action_operations", nil) {
		ap, ok := p.action(e)
		if !ok {
			continue
		}
		if prev, dup := byTool[ap.MCPTool]; dup {
			p.errf(e.kn, "action_operations.%s: mcp_tool %s is already mapped by action_operations.%s (line %d); one action per tool",
				e.key, ap.MCPTool, prev.Key, prev.Line)
			continue
		}
		byTool[ap.MCPTool] = ap
		if ap.RollbackTool != "" {
			p.addRollback(ap.RollbackTool)
		}
	}
	p.tm.Actions = byTool
}

func (p *tmParser) addRollback(tool string) {
	if p.rollback == nil {
		p.rollback = map[string]bool{}
	}
	p.rollback[tool] = true
}

// action parses one action_operations entry; ok is false when it had
// errors (already recorded).
func (p *tmParser) action(e field) (ActionPolicy, bool) {
	where := "action_operations." + e.key
	before := len(p.errs)
	ap := ActionPolicy{Key: e.key, Line: e.kn.Line, LogicalName: e.key, Enabled: true}
	if isNull(e.v) {
		p.errf(e.kn, "%s is empty; it needs mcp_tool and risk_level", where)
		return ap, false
	}
	if e.v.Kind != yaml.MappingNode {
		p.errf(e.v, "%s must be a mapping (mcp_tool, risk_level…), not %s", where, kindName(e.v))
		return ap, false
	}
	var toolNode, riskNode, approvalNode, targetNode *yaml.Node
	for _, f := range p.fields(e.v, where, actionKeys) {
		w := where + "." + f.key
		switch f.key {
		case "logical_name":
			ap.LogicalName, _ = p.name(f.v, w)
		case "mcp_tool":
			toolNode = f.v
			ap.MCPTool, _ = p.str(f.v, w)
		case "description":
			ap.Description = p.text(f.v, w)
		case "required":
			ap.Required = p.boolean(f.v, w)
		case "enabled":
			ap.Enabled = p.boolean(f.v, w)
		case "risk_level":
			riskNode = f.v
			ap.RiskLevel = p.oneOf(f.v, w, riskLevels)
		case "reversible":
			ap.Reversible = p.boolean(f.v, w)
		case "target_param":
			targetNode = f.v
			ap.TargetParam, _ = p.name(f.v, w)
		case "parameters":
			ap.Parameters = p.parameters(f.v, w)
		case "verification":
			ap.Verification = p.verification(f.v, w)
		case "rollback":
			for _, g := range p.fields(f.v, w, rollbackKeys) {
				ap.RollbackTool, _ = p.name(g.v, w+".tool")
			}
			if ap.RollbackTool == "" && !isNull(f.v) && f.v.Kind == yaml.MappingNode {
				p.errf(f.v, "%s.tool is missing", w)
			}
		case "approval":
			approvalNode = f.v
			ap.Approval = p.oneOf(f.v, w, approvalModes)
		}
	}
	switch {
	case toolNode == nil:
		p.errf(e.kn, "%s: mcp_tool is missing (one of %s)", where, strings.Join(responseTools, ", "))
	case ap.MCPTool != "" && !slices.Contains(responseTools, ap.MCPTool):
		p.errf(toolNode, "%s.mcp_tool: %q is not a response tool of wazuh-mcp (allowed: %s)",
			where, truncateForError(ap.MCPTool), strings.Join(responseTools, ", "))
	}
	if riskNode == nil {
		p.errf(e.kn, "%s: risk_level is missing (one of %s)", where, strings.Join(riskLevels, ", "))
	}
	if targetNode != nil && ap.TargetParam != "" && len(ap.Parameters) > 0 &&
		!slices.ContainsFunc(ap.Parameters, func(pm Parameter) bool { return pm.Name == ap.TargetParam }) {
		p.errf(targetNode, "%s.target_param: %q is not one of the action's parameters", where, ap.TargetParam)
	}
	if approvalNode != nil && ap.RiskLevel != "" {
		switch ap.Approval {
		case "auto":
			if ap.RiskLevel != "low" || !ap.Reversible {
				p.errf(approvalNode, "%s.approval: auto is allowed only for risk_level low and reversible true (this action: risk_level %s, reversible %t)",
					where, ap.RiskLevel, ap.Reversible)
			}
		case "confirm":
			if ap.RiskLevel != "low" && ap.RiskLevel != "medium" {
				p.errf(approvalNode, "%s.approval: confirm is allowed only for risk_level low or medium (this action: %s); use human",
					where, ap.RiskLevel)
			}
		}
	}
	return ap, len(p.errs) == before
}

func (p *tmParser) parameters(n *yaml.Node, where string) []Parameter {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		p.errf(n, "%s must be a list of {name, type, required, default, description}", where)
		return nil
	}
	var out []Parameter
	seen := map[string]bool{}
	for i, item := range n.Content {
		w := fmt.Sprintf("%s[%d]", where, i)
		if isNull(item) || item.Kind != yaml.MappingNode {
			p.errf(item, "%s must be a mapping {name, type, required, default, description}", w)
			continue
		}
		var pm Parameter
		for _, f := range p.fields(item, w, parameterKeys) {
			switch f.key {
			case "name":
				pm.Name, _ = p.name(f.v, w+".name")
			case "type":
				pm.Type = p.oneOf(f.v, w+".type", parameterTypes)
			case "required":
				pm.Required = p.boolean(f.v, w+".required")
			case "default":
				pm.Default = p.scalar(f.v, w+".default")
			case "description":
				pm.Description = p.text(f.v, w+".description")
			}
		}
		switch {
		case pm.Name == "":
			p.errf(item, "%s: name is missing", w)
		case seen[pm.Name]:
			p.errf(item, "%s: parameter %q is declared twice", w, pm.Name)
		default:
			seen[pm.Name] = true
			out = append(out, pm)
		}
	}
	return out
}

func (p *tmParser) verification(n *yaml.Node, where string) *Verification {
	if isNull(n) {
		return nil
	}
	v := &Verification{}
	for _, f := range p.fields(n, where, verificationKeys) {
		switch f.key {
		case "tool":
			v.Tool, _ = p.name(f.v, where+".tool")
		case "field":
			v.Field, _ = p.name(f.v, where+".field")
		case "expected":
			v.Expected = p.scalar(f.v, where+".expected")
		}
	}
	if v.Tool == "" && n.Kind == yaml.MappingNode {
		p.errf(n, "%s.tool is missing", where)
	}
	return v
}

// str reads a string scalar.
func (p *tmParser) str(n *yaml.Node, where string) (string, bool) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" || n.Value == "" {
		p.errf(n, "%s must be a non-empty string", where)
		return "", false
	}
	return n.Value, true
}

// name reads a string scalar shaped like a tool or parameter name.
func (p *tmParser) name(n *yaml.Node, where string) (string, bool) {
	s, ok := p.str(n, where)
	if ok && !toolNameRe.MatchString(s) {
		p.errf(n, "%s: %q is not a name (letters, digits, _ . -; at most 128)", where, truncateForError(s))
		return "", false
	}
	return s, ok
}

// text reads free text: a string scalar, or nothing.
func (p *tmParser) text(n *yaml.Node, where string) string {
	if isNull(n) {
		return ""
	}
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		p.errf(n, "%s must be text", where)
		return ""
	}
	return n.Value
}

// scalar reads any scalar value as written.
func (p *tmParser) scalar(n *yaml.Node, where string) string {
	if n.Kind != yaml.ScalarNode {
		p.errf(n, "%s must be a single value, not %s", where, kindName(n))
		return ""
	}
	if isNull(n) {
		return ""
	}
	return n.Value
}

func (p *tmParser) boolean(n *yaml.Node, where string) bool {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		p.errf(n, "%s must be true or false", where)
		return false
	}
	var b bool
	if err := n.Decode(&b); err != nil {
		p.errf(n, "%s must be true or false", where)
	}
	return b
}

func (p *tmParser) oneOf(n *yaml.Node, where string, allowed []string) string {
	s, ok := p.str(n, where)
	if !ok {
		return ""
	}
	if !slices.Contains(allowed, s) {
		p.errf(n, "%s: %q is not one of %s", where, truncateForError(s), strings.Join(allowed, ", "))
		return ""
	}
	return s
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.AliasNode:
		return "an alias"
	case yaml.ScalarNode:
		if isNull(n) {
			return "empty"
		}
		return "a single value"
	}
	return "a document"
}
