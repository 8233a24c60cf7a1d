package wazuh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ARCommand is one name of the manager's ar.conf: what PUT /active-response
// accepts as a command without "!". analysisd writes one line
// "<name> - <executable> - <timeout>" per enabled <active-response> block,
// with name = <command> + timeout (firewall-drop600), after a fixed header
// (restart-ossec0, restart-wazuh0).
type ARCommand struct {
	Name       string `json:"name"`                 // ar.conf name, e.g. firewall-drop600
	Command    string `json:"command"`              // the <command>, e.g. firewall-drop
	Executable string `json:"executable,omitempty"` // script in active-response/bin
	// Timeout is after how many seconds the agent runs the script again
	// with "delete" (undoing a block); 0: never undone.
	Timeout  int    `json:"timeout"`
	Location string `json:"location,omitempty"` // local, server, defined-agent, all
	Builtin  bool   `json:"builtin,omitempty"`  // a header line, not from a block
}

// arConfHeader is what analysisd writes before the configured blocks
// (src/analysisd/active-response.c).
func arConfHeader() []ARCommand {
	return []ARCommand{
		{Name: "restart-ossec0", Command: "restart-ossec", Executable: "restart-ossec.sh", Builtin: true},
		{Name: "restart-wazuh0", Command: "restart-wazuh", Executable: "restart-wazuh", Builtin: true},
	}
}

// arBlock is an <active-response> block of GET /manager/configuration.
type arBlock struct {
	Command  FlexString `json:"command"`
	Location FlexString `json:"location"`
	Timeout  FlexString `json:"timeout"`
	Disabled FlexString `json:"disabled"`
}

// commandDef is a <command> of GET /manager/configuration.
type commandDef struct {
	Name           FlexString `json:"name"`
	Executable     FlexString `json:"executable"`
	TimeoutAllowed FlexString `json:"timeout_allowed"` // "yes" or true, by version
}

// ARCommands returns the manager's ar.conf names, derived as analysisd
// derives them from GET /manager/configuration (sections active-response
// and command): blocks that are disabled or name an undefined command are
// skipped, the timeout is 0 when the command does not allow one, and a
// name appears once.
func (c *Client) ARCommands(ctx context.Context) ([]ARCommand, error) {
	blocks, err := configList[arBlock](ctx, c, "active-response")
	if err != nil {
		return nil, err
	}
	defs, err := configList[commandDef](ctx, c, "command")
	if err != nil {
		return nil, err
	}
	return arConf(blocks, defs), nil
}

// arConf derives the ar.conf names from the decoded sections.
func arConf(blocks []arBlock, defs []commandDef) []ARCommand {
	cmds := map[string]commandDef{}
	for _, d := range defs {
		if d.Name != "" && d.Executable != "" {
			cmds[d.Name.String()] = d
		}
	}
	out := arConfHeader()
	seen := map[string]bool{}
	for _, e := range out {
		seen[e.Name] = true
	}
	for _, b := range blocks {
		def, ok := cmds[b.Command.String()]
		if !ok || yesValue(b.Disabled) {
			continue
		}
		timeout := 0
		if yesValue(def.TimeoutAllowed) {
			timeout, _ = strconv.Atoi(strings.TrimSpace(b.Timeout.String()))
			timeout = max(timeout, 0)
		}
		e := ARCommand{Name: b.Command.String() + strconv.Itoa(timeout), Command: b.Command.String(),
			Executable: def.Executable.String(), Timeout: timeout, Location: b.Location.String()}
		if !seen[e.Name] {
			seen[e.Name] = true
			out = append(out, e)
		}
	}
	return out
}

// configList reads one configuration section that is a list of objects
// (or a single object, as one repeated element may be rendered). A section
// the manager does not have is an empty list.
func configList[T any](ctx context.Context, c *Client, section string) ([]T, error) {
	raw, err := c.ManagerConfiguration(ctx, section, "")
	if err != nil {
		// 1106: "Requested section not present in configuration".
		if apiErr, ok := errors.AsType[*APIError](err); ok && apiErr.Code == 1106 {
			return nil, nil
		}
		return nil, fmt.Errorf("reading the %s configuration: %w", section, err)
	}
	return decodeSection[T](section, raw)
}

// decodeSection decodes the configuration item {"<section>": value}: a
// list of objects, one object, or nothing.
func decodeSection[T any](section string, raw json.RawMessage) ([]T, error) {
	var wrap map[string]json.RawMessage
	if err := json.Unmarshal(raw, &wrap); err != nil {
		return nil, fmt.Errorf("wazuh: the %s configuration is not an object: %w", section, err)
	}
	v := bytes.TrimSpace(wrap[section])
	if len(v) == 0 || bytes.Equal(v, []byte("null")) {
		return nil, nil
	}
	if v[0] == '{' {
		var one T
		if err := json.Unmarshal(v, &one); err != nil {
			return nil, fmt.Errorf("wazuh: decoding the %s configuration: %w", section, err)
		}
		return []T{one}, nil
	}
	var many []T
	if err := json.Unmarshal(v, &many); err != nil {
		return nil, fmt.Errorf("wazuh: decoding the %s configuration: %w", section, err)
	}
	return many, nil
}

func yesValue(v FlexString) bool {
	switch strings.ToLower(strings.TrimSpace(v.String())) {
	case "yes", "true":
		return true
	}
	return false
}
