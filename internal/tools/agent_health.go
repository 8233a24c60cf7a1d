package tools

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuh"
)

// AgentHealth is the answer of check_agent_health.
type AgentHealth struct {
	Result
	Agent   AgentSummary  `json:"agent"`
	Healthy bool          `json:"healthy"`
	Verdict string        `json:"verdict" jsonschema:"healthy, degraded or unhealthy"`
	Checks  []HealthCheck `json:"checks"`
	Method  string        `json:"method"`
}

// HealthCheck is one check with its evidence.
type HealthCheck struct {
	Name     string `json:"name"`
	OK       bool   `json:"ok"`
	Severity string `json:"severity" jsonschema:"critical (makes the agent unhealthy) or warning (degraded)"`
	Evidence string `json:"evidence"`
}

// keepaliveMaxAge: Wazuh marks an agent disconnected after
// agents_disconnection_time (10 minutes by default); a keepalive older than
// half of that is already a sign of trouble.
const keepaliveMaxAge = 5 * time.Minute

const healthMethod = "unhealthy if any critical check fails (agent not active, keepalive older than 5 minutes); degraded if a warning check fails (agent version older than the manager, group configuration not synced); healthy otherwise. Data: GET /agents and GET / of the Wazuh Manager API."

func (d Deps) checkAgentHealth(ctx context.Context, in *agentIDIn) (*AgentHealth, error) {
	a, err := d.agent(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &AgentHealth{Agent: agentSummary(a, includeIPs(in.IncludeIP, d)), Method: healthMethod}
	out.Checks = append(out.Checks, connectionCheck(a), keepaliveCheck(a, d.now()))
	if info, err := d.Wazuh.Info(ctx); err == nil {
		out.Checks = append(out.Checks, versionCheck(a, info))
	} else {
		out.AddNote("manager version unavailable, version check skipped: %v", errorText(err))
	}
	out.Checks = append(out.Checks, syncCheck(a))
	out.Verdict = verdict(out.Checks)
	out.Healthy = out.Verdict == "healthy"
	return out, nil
}

func connectionCheck(a wazuh.Agent) HealthCheck {
	c := HealthCheck{Name: "connection", Severity: "critical", OK: a.Status == "active"}
	switch a.Status {
	case "active":
		c.Evidence = "status is active"
	case "never_connected":
		c.Evidence = "the agent is registered but has never connected to the manager"
	case "disconnected":
		c.Evidence = "status is disconnected" + since(" since ", a.DisconnectionTime)
	default:
		c.Evidence = fmt.Sprintf("status is %q", a.Status)
	}
	return c
}

func since(prefix, ts string) string {
	if ts == "" || strings.HasPrefix(ts, "0") {
		return ""
	}
	return prefix + ts
}

func keepaliveCheck(a wazuh.Agent, now time.Time) HealthCheck {
	c := HealthCheck{Name: "keepalive", Severity: "critical"}
	t, err := parseWazuhTime(a.LastKeepAlive)
	if err != nil || t.Year() > 9000 {
		c.Evidence = "no keepalive received"
		return c
	}
	age := now.Sub(t).Round(time.Second)
	c.OK = age <= keepaliveMaxAge
	c.Evidence = fmt.Sprintf("last keepalive %s ago (%s); limit %s", age, t.Format(time.RFC3339), keepaliveMaxAge)
	return c
}

func versionCheck(a wazuh.Agent, info wazuh.Info) HealthCheck {
	c := HealthCheck{Name: "version", Severity: "warning"}
	maj, min, ok := agentVersion(a.Version)
	if !ok {
		c.Evidence = fmt.Sprintf("agent version %q unknown", a.Version)
		return c
	}
	c.OK = maj > info.Major || (maj == info.Major && min >= info.Minor)
	c.Evidence = fmt.Sprintf("agent %s, manager %s", a.Version, info.APIVersion)
	if !c.OK {
		c.Evidence += ": the agent is older than the manager; upgrade it"
	}
	return c
}

func syncCheck(a wazuh.Agent) HealthCheck {
	c := HealthCheck{Name: "group_configuration", Severity: "warning", OK: a.GroupConfigStatus == "synced"}
	c.Evidence = fmt.Sprintf("group configuration %q", a.GroupConfigStatus)
	if a.GroupConfigStatus == "" {
		c.Evidence = "group configuration status not reported"
	}
	return c
}

func verdict(checks []HealthCheck) string {
	v := "healthy"
	for _, c := range checks {
		if c.OK {
			continue
		}
		if c.Severity == "critical" {
			return "unhealthy"
		}
		v = "degraded"
	}
	return v
}

// agentVersion parses "Wazuh v4.14.7".
func agentVersion(s string) (major, minor int, ok bool) {
	s = strings.TrimPrefix(strings.TrimSpace(strings.TrimPrefix(s, "Wazuh")), "v")
	parts := strings.Split(s, ".")
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

// parseWazuhTime reads the Manager's timestamps ("2026-11-21T10:00:00+00:00"
// or with a Z).
func parseWazuhTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02 15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("unrecognised time %q", s)
}
