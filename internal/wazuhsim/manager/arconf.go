package manager

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/dataset"
)

// arEntry is one line of ar.conf: "<name> - <executable> - <timeout>".
type arEntry struct {
	Name       string // command + timeout, e.g. firewall-drop600
	Command    string // the <command> name, e.g. firewall-drop
	Executable string // active-response/bin/<executable>
	Timeout    int    // seconds; 0: never undone
}

// arConfHeader is what analysisd writes at the top of ar.conf before the
// configured blocks (src/analysisd/active-response.c). Of its Linux and
// Windows variants the stand-in keeps the Linux executables.
func arConfHeader() []arEntry {
	return []arEntry{
		{Name: "restart-ossec0", Command: "restart-ossec", Executable: "restart-ossec.sh"},
		{Name: "restart-wazuh0", Command: "restart-wazuh", Executable: "restart-wazuh"},
	}
}

// arConfFrom builds ar.conf from the manager configuration the way
// analysisd does (src/config/active-response.c): one line per enabled
// <active-response> block whose <command> is defined, named command +
// timeout; the timeout is 0 when the command does not allow one.
// Duplicate names keep the first line, as execd does.
func arConfFrom(cfg dataset.Item) []arEntry {
	type cmdDef struct {
		exe            string
		timeoutAllowed bool
	}
	cmds := map[string]cmdDef{}
	for _, c := range items(cfg["command"]) {
		name, _ := c["name"].(string)
		exe, _ := c["executable"].(string)
		if name != "" && exe != "" {
			cmds[name] = cmdDef{exe: exe, timeoutAllowed: yes(c["timeout_allowed"])}
		}
	}
	out := arConfHeader()
	seen := map[string]bool{}
	for _, e := range out {
		seen[e.Name] = true
	}
	for _, b := range items(cfg["active-response"]) {
		name, _ := b["command"].(string)
		def, ok := cmds[name]
		if !ok || yes(b["disabled"]) {
			continue
		}
		timeout := 0
		if def.timeoutAllowed {
			timeout = intOf(b["timeout"])
		}
		e := arEntry{Name: name + strconv.Itoa(timeout), Command: name, Executable: def.exe, Timeout: timeout}
		if !seen[e.Name] {
			seen[e.Name] = true
			out = append(out, e)
		}
	}
	return out
}

// arConfFromNames builds entries for explicitly configured names
// (Options.ARCommands): the definition from the configuration when it has
// that name, otherwise the trailing digits are the timeout and the rest the
// command and executable.
func arConfFromNames(names []string, cfg []arEntry) []arEntry {
	byName := map[string]arEntry{}
	for _, e := range cfg {
		byName[e.Name] = e
	}
	out := make([]arEntry, 0, len(names))
	for _, n := range names {
		if e, ok := byName[n]; ok {
			out = append(out, e)
			continue
		}
		cmd := strings.TrimRight(n, "0123456789")
		t, _ := strconv.Atoi(n[len(cmd):])
		out = append(out, arEntry{Name: n, Command: cmd, Executable: cmd, Timeout: t})
	}
	return out
}

// ARConf returns the ar.conf lines the stand-in's agents run commands from.
func (s *Server) ARConf() []string {
	out := make([]string, 0, len(s.arConf))
	for _, e := range s.arConf {
		out = append(out, fmt.Sprintf("%s - %s - %d", e.Name, e.Executable, e.Timeout))
	}
	return out
}

func items(v any) []dataset.Item {
	switch t := v.(type) {
	case []any:
		out := make([]dataset.Item, 0, len(t))
		for _, e := range t {
			if m, ok := e.(map[string]any); ok {
				out = append(out, m)
			}
		}
		return out
	case map[string]any:
		return []dataset.Item{t}
	}
	return nil
}

func yes(v any) bool {
	switch t := v.(type) {
	case bool:
		return t
	case string:
		return t == "yes" || t == "true"
	}
	return false
}

func intOf(v any) int {
	switch t := v.(type) {
	case int:
		return t
	case int64:
		return int(t)
	case float64:
		return int(t)
	case string:
		n, _ := strconv.Atoi(t)
		return n
	}
	return 0
}
