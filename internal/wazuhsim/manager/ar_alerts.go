package manager

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// ARAlertSink receives the alerts produced by agents running active
// responses. at is when the alert is written; it may be in the future (the
// "delete" of a command with a timeout), and the sink must not show such a
// document before its time.
type ARAlertSink interface {
	AddAlert(at time.Time, id string, source map[string]any)
}

// arRunner makes an agent "run" an accepted active response the way a real
// deployment shows it. wazuh-execd looks the name up in ar.conf (or takes
// "!script" as active-response/bin/script with no timeout), adds
// parameters.program and origin.module "wazuh-execd" to the message and
// passes it to the script on stdin (src/os_execd/execd.c). The script logs
// that JSON to active-responses.log ("<date> <program>: <json>",
// write_debug_file), which the agent monitors; the ar_log_json decoder and
// rules 650-657 of 0015-ossec_rules.xml turn the line into an alert. For a
// command with a timeout, execd runs the script again with command
// "delete" when the timeout ends, which logs a second line.
//
// Custom scripts (!isolate-host.sh, !kill-process.sh...) are assumed to
// follow Wazuh's custom active response template, which logs its input the
// same way: they match the generic rule 657 ("Active response:
// $(parameters.program) - $(command)"), the real rule for any
// add/delete message that no script-specific rule claims.
type arRunner struct {
	s     *Server
	rules map[string]events.Rule // the ruleset catalogue GET /rules serves
	mu    sync.Mutex
	seq   int64
	fired map[string]int
}

func newARRunner(s *Server) *arRunner {
	r := &arRunner{s: s, rules: map[string]events.Rule{}, fired: map[string]int{}}
	for _, rule := range events.Ruleset() {
		if rule.ID >= 650 && rule.ID <= 657 {
			r.rules[strconv.Itoa(rule.ID)] = rule
		}
	}
	return r
}

// arMessage is the execd message in its real key order.
type arMessage struct {
	Version    int          `json:"version"`
	Origin     arOrigin     `json:"origin"`
	Command    string       `json:"command"`
	Parameters arParameters `json:"parameters"`
}

type arOrigin struct {
	Name   string `json:"name"`
	Module string `json:"module"`
}

type arParameters struct {
	ExtraArgs []string        `json:"extra_args"`
	Alert     json.RawMessage `json:"alert"`
	Program   string          `json:"program"`
}

// run produces the alerts of command on agent id, accepted at now.
func (r *arRunner) run(agentID string, body arBody, now time.Time) {
	sink := r.s.opts.ARAlerts
	if sink == nil || body.Command == nil {
		return
	}
	program, timeout, ok := r.resolve(*body.Command)
	if !ok {
		return
	}
	alert := bytes.TrimSpace(body.Alert)
	if len(alert) == 0 || alert[0] != '{' {
		alert = json.RawMessage(`{}`)
	}
	args := body.Arguments
	if args == nil {
		args = []string{}
	}
	msg := arMessage{Version: 1, Origin: arOrigin{Name: r.s.nodeName(), Module: "wazuh-execd"}, Command: "add",
		Parameters: arParameters{ExtraArgs: args, Alert: alert, Program: program}}
	r.emit(sink, agentID, msg, now)
	if timeout > 0 {
		msg.Command = "delete"
		r.emit(sink, agentID, msg, now.Add(time.Duration(timeout)*time.Second))
	}
}

// resolve finds the script and timeout of a command as execd does.
func (r *arRunner) resolve(cmd string) (program string, timeout int, ok bool) {
	if name, custom := strings.CutPrefix(cmd, "!"); custom {
		return "active-response/bin/" + name, 0, name != ""
	}
	for _, e := range r.s.arConf {
		if e.Name == cmd {
			return "active-response/bin/" + e.Executable, e.Timeout, true
		}
	}
	return "", 0, false
}

// emit writes one active-responses.log line as the alert it becomes.
func (r *arRunner) emit(sink ARAlertSink, agentID string, msg arMessage, at time.Time) {
	raw, err := json.Marshal(msg)
	if err != nil {
		return
	}
	ruleID, desc := arRule(msg.Parameters.Program, msg.Command)
	rule := r.ruleBlock(ruleID, desc)
	agent := r.s.agents[agentID]
	ag := map[string]any{"id": agentID, "name": agent["name"]}
	if ip, _ := agent["ip"].(string); ip != "" {
		ag["ip"] = ip
	}
	location := "/var/ossec/logs/active-responses.log"
	if os, _ := agent["os"].(map[string]any); os != nil && os["platform"] == "windows" {
		location = `active-response\active-responses.log`
	}
	r.mu.Lock()
	r.seq++
	id := fmt.Sprintf("%d.%d", at.Unix(), 90000000+r.seq)
	r.mu.Unlock()
	ts := at.UTC().Format("2006-01-02T15:04:05.000-0700")
	src := map[string]any{
		"timestamp": ts, "@timestamp": ts, "id": id, "rule": rule, "agent": ag,
		"manager":  map[string]any{"name": r.managerName()},
		"full_log": fmt.Sprintf("%s %s: %s", at.UTC().Format("2006/01/02 15:04:05"), msg.Parameters.Program, raw),
		"decoder":  map[string]any{"name": "ar_log_json"},
		"data":     arData(msg), "location": location, "input": map[string]any{"type": "log"},
	}
	if c, _ := r.s.ds.Cluster.LocalInfo["cluster"].(string); c != "" {
		src["cluster"] = map[string]any{"name": c, "node": r.s.nodeName()}
	}
	sink.AddAlert(at, id, src)
}

// arRule is the rule of 0015-ossec_rules.xml (v4.14.7) a message matches:
// rules 651-656 match parameters.program by regex (so win_route-null's
// route-null.exe is route-null), 657 any other add or delete.
func arRule(program, command string) (id, description string) {
	verb := map[string]string{"add": "Blocked", "delete": "Unblocked"}[command]
	for _, s := range []struct{ script, add, del string }{
		{"firewall-drop", "651", "652"}, {"host-deny", "653", "654"}, {"route-null", "655", "656"},
	} {
		if strings.Contains(program, s.script) {
			id := s.add
			if command == "delete" {
				id = s.del
			}
			return id, "Host " + verb + " by " + s.script + " Active Response"
		}
	}
	return "657", "Active response: " + program + " - " + command
}

// ruleBlock is the alert's rule object from the ruleset item.
func (r *arRunner) ruleBlock(id, desc string) map[string]any {
	r.mu.Lock()
	r.fired[id]++
	n := r.fired[id]
	r.mu.Unlock()
	rule := r.rules[id]
	out := map[string]any{"level": rule.Level, "description": desc, "id": id, "firedtimes": n, "mail": false}
	for _, f := range []struct {
		key  string
		vals []string
	}{{"groups", rule.Groups}, {"pci_dss", rule.PCIDSS}, {"gpg13", rule.GPG13}, {"gdpr", rule.GDPR},
		{"hipaa", rule.HIPAA}, {"nist_800_53", rule.NIST80053}, {"tsc", rule.TSC}} {
		if len(f.vals) > 0 {
			l := make([]any, len(f.vals))
			for i, v := range f.vals {
				l[i] = v
			}
			out[f.key] = l
		}
	}
	return out
}

func (r *arRunner) managerName() string {
	if n, _ := r.s.agents["000"]["name"].(string); n != "" {
		return n
	}
	return r.s.nodeName()
}

// arData is data{} of the alert: the JSON_Decoder's fields of the message
// (values as strings, as decoded fields are), plus srcip and dstuser that
// the sibling ar_log_json_child decoders extract from alert.data.
func arData(msg arMessage) map[string]any {
	params := map[string]any{"program": msg.Parameters.Program}
	if len(msg.Parameters.ExtraArgs) > 0 {
		args := make([]any, len(msg.Parameters.ExtraArgs))
		for i, a := range msg.Parameters.ExtraArgs {
			args[i] = a
		}
		params["extra_args"] = args
	}
	var alert map[string]any
	if json.Unmarshal(msg.Parameters.Alert, &alert) == nil && len(alert) > 0 {
		params["alert"] = decodedJSON(alert)
	}
	data := map[string]any{"version": strconv.Itoa(msg.Version), "origin": map[string]any{"name": msg.Origin.Name, "module": msg.Origin.Module},
		"command": msg.Command, "parameters": params}
	if d, ok := alert["data"].(map[string]any); ok {
		if ip, ok := d["srcip"].(string); ok && ip != "" {
			data["srcip"] = ip
		}
		if u, ok := d["dstuser"].(string); ok && u != "" {
			data["dstuser"] = u
		}
	}
	return data
}

// decodedJSON turns scalars into the strings Wazuh's JSON decoder stores
// and drops nulls.
func decodedJSON(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, x := range t {
			if x != nil {
				out[k] = decodedJSON(x)
			}
		}
		return out
	case []any:
		out := make([]any, 0, len(t))
		for _, x := range t {
			if x != nil {
				out = append(out, decodedJSON(x))
			}
		}
		return out
	case string:
		return t
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(t)
	}
	return fmt.Sprint(v)
}
