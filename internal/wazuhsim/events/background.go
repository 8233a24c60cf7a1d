package events

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// kind is one background event generator. It appends 1..n alerts for an
// agent starting at ms and returns how many it added.
type kind struct {
	name   string
	weight float64
	max    int // most alerts one call adds (bursts need room in the budget)
	fn     func(g *generator, ag *agentInfo, ms int64)
}

// Weights give the long tail of low-level noise, a moderate share of level
// 5-8 and a few level 10+ bursts, per platform.
var linuxKinds = []kind{
	{"pam-session", 30, 2, (*generator).pamSession},
	{"cron-session", 14, 1, (*generator).cronSession},
	{"sudo", 9, 1, (*generator).sudo},
	{"ssh-accepted", 7, 1, (*generator).sshAccepted},
	{"ssh-scan", 2.5, 1, (*generator).sshScan},
	{"ssh-invalid", 4, 1, (*generator).sshInvalid},
	{"ssh-failed", 3.5, 1, (*generator).sshFailed},
	{"pam-failed", 2.5, 1, (*generator).pamFailed},
	{"sudo-failed", 0.4, 1, (*generator).sudoFailed},
	{"sca", 3, 1, (*generator).scaCheck},
	{"fim", 2.5, 1, (*generator).fim},
	{"agent-restart", 0.4, 2, (*generator).agentRestart},
	{"netstat", 0.5, 1, (*generator).netstat},
	{"rootcheck", 0.3, 1, (*generator).rootcheck},
	{"ssh-brute-burst", 0.12, 9, (*generator).sshBruteBurst},
}

var webKinds = []kind{
	{"web-4xx", 22, 1, (*generator).web4xx},
	{"nginx-error", 3, 1, (*generator).nginxError},
	{"web-scan-burst", 0.25, 15, (*generator).webScanBurst},
}

var windowsKinds = []kind{
	{"win-logon", 30, 1, (*generator).winLogon},
	{"win-logoff", 20, 1, (*generator).winLogoff},
	{"win-logon-failed", 4, 1, (*generator).winLogonFailed},
	{"win-defender-update", 2, 1, (*generator).winDefenderUpdate},
	{"sca", 2, 1, (*generator).scaCheck},
	{"win-service", 0.2, 1, (*generator).winService},
	{"win-user-created", 0.15, 1, (*generator).winUserCreated},
	{"sysmon-cmd", 0.5, 1, (*generator).sysmonCmd},
	{"agent-restart", 0.3, 2, (*generator).agentRestart},
}

// agentKinds picks the generator table for an agent.
func agentKinds(ag *agentInfo) []kind {
	if ag.windows {
		return windowsKinds
	}
	if strings.Contains(ag.ref.Name, "web") {
		return append(append([]kind(nil), linuxKinds...), webKinds...)
	}
	return linuxKinds
}

// background adds about n alerts spread over the agents and the window.
func (g *generator) background(n int) {
	if n <= 0 || len(g.agents) == 0 {
		return
	}
	tables := make([][]kind, len(g.agents))
	totals := make([]float64, len(g.agents))
	for i, ag := range g.agents {
		tables[i] = agentKinds(ag)
		for _, k := range tables[i] {
			totals[i] += k.weight
		}
	}
	target := len(g.alerts) + n
	for len(g.alerts) < target {
		i := g.rng.IntN(len(g.agents))
		ag := g.agents[i]
		k := pick(tables[i], totals[i], g.rng.Float64())
		if k.max > target-len(g.alerts) {
			k = tables[i][0]
			if k.max > target-len(g.alerts) {
				k = kind{fn: (*generator).cronSession}
				if ag.windows {
					k.fn = (*generator).winLogon
				}
			}
		}
		k.fn(g, ag, g.eventTime(ag))
	}
}

func pick(ks []kind, total, r float64) kind {
	x := r * total
	for _, k := range ks {
		if x < k.weight {
			return k
		}
		x -= k.weight
	}
	return ks[len(ks)-1]
}

// eventTime draws a time in the agent's window, denser in working hours
// and on weekdays (rejection sampling against an hourly profile).
func (g *generator) eventTime(ag *agentInfo) int64 {
	// Leave room before the agent's end for the longest burst.
	span := max(ag.to-ag.from-5*minute, 1)
	for {
		ms := ag.from + g.rng.Int64N(span)
		t := time.UnixMilli(ms).UTC()
		h := float64(t.Hour()) + float64(t.Minute())/60
		w := 0.35 + 0.65*math.Exp(-math.Pow((h-13)/4, 2))
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
			w *= 0.6
		}
		if g.rng.Float64() < w {
			return ms
		}
	}
}

func (g *generator) of(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *generator) port() string { return strconv.Itoa(32768 + g.rng.IntN(28000)) }

const (
	second = int64(time.Second / time.Millisecond)
	minute = 60 * second
	hour   = 60 * minute
)

func (g *generator) pamSession(ag *agentInfo, ms int64) {
	u := g.of(linuxUsers)
	g.add(ag, 5501, shPAMOpen, ms, u)
	end := ms + int64(1+g.rng.IntN(90))*minute
	if end < ag.to {
		g.add(ag, 5502, shPAMClose, end, u)
	}
}

func (g *generator) cronSession(ag *agentInfo, ms int64) { g.add(ag, 5501, shPAMCron, ms) }

func (g *generator) sudo(ag *agentInfo, ms int64) {
	u := g.of(linuxUsers)
	g.add(ag, 5402, shSudo, ms, u, "pts/"+strconv.Itoa(g.rng.IntN(4)), "/home/"+u, g.of(sudoCommands))
}

func (g *generator) sudoFailed(ag *agentInfo, ms int64) {
	u := g.of(linuxUsers)
	g.add(ag, 5401, shSudoFail, ms, u, "pts/"+strconv.Itoa(g.rng.IntN(4)), "/home/"+u, "/bin/bash")
}

func (g *generator) sshAccepted(ag *agentInfo, ms int64) {
	g.add(ag, 5715, shSSHAccepted, ms, g.of(adminIPs), g.port(), g.of(linuxUsers))
}

func (g *generator) sshScan(ag *agentInfo, ms int64) {
	g.add(ag, 5706, shSSHScan, ms, g.of(scannerIPs), g.port())
}

func (g *generator) sshInvalid(ag *agentInfo, ms int64) {
	g.add(ag, 5710, shSSHInvalid, ms, g.of(scannerIPs), g.port(), g.of(invalidUsers))
}

func (g *generator) sshFailed(ag *agentInfo, ms int64) {
	g.add(ag, 5760, shSSHFailed, ms, g.of(scannerIPs), g.port(), g.of([]string{"root", "root", "ubuntu", "admin"}))
}

func (g *generator) pamFailed(ag *agentInfo, ms int64) {
	g.add(ag, 5503, shPAMFail, ms, g.of(scannerIPs), g.of([]string{"root", "ubuntu", "deploy"}))
}

// sshBruteBurst is a scanner trying 8 invalid users in under two minutes,
// which makes 5712 fire on the eighth.
func (g *generator) sshBruteBurst(ag *agentInfo, ms int64) {
	ip := g.of(scannerIPs)
	var prev *alert
	for i := range 8 {
		rule := 5710
		if i == 7 {
			rule = 5712
		}
		a := g.add(ag, rule, shSSHInvalid, ms+int64(i)*(5+int64(g.rng.IntN(9)))*second, ip, g.port(), g.of(invalidUsers))
		a.prev, prev = prev, a
	}
}

func (g *generator) agentRestart(ag *agentInfo, ms int64) {
	g.add(ag, 506, shOssec, ms, "Agent stopped: '"+ag.ref.Name+"->any'.")
	g.add(ag, 503, shOssec, ms+int64(20+g.rng.IntN(60))*second, "Agent started: '"+ag.ref.Name+"->any'.")
}

func (g *generator) netstat(ag *agentInfo, ms int64) {
	g.add(ag, 533, shNetstat, ms, g.of([]string{"8080", "9000", "3306", "6379", "5432", "8443"}))
}

func (g *generator) rootcheck(ag *agentInfo, ms int64) {
	if g.rng.IntN(3) == 0 {
		g.add(ag, 510, shRootcheck, ms, "Trojaned version of file detected.", g.of([]string{"/usr/bin/tcpdump", "/bin/passwd", "/usr/bin/chsh"}))
		return
	}
	g.add(ag, 510, shRootcheck, ms, "File is owned by root and has written permissions to anyone.", g.of([]string{"/tmp/.X11-unix/X0", "/var/tmp/cache.db", "/dev/shm/.sess"}))
}

func (g *generator) web4xx(ag *agentInfo, ms int64) {
	status := g.of([]string{"404", "404", "404", "403", "400"})
	path := g.of(webPaths)
	if g.rng.IntN(3) == 0 {
		path = g.of(webProbePaths)
	}
	g.add(ag, 31101, shWebAccess, ms, g.of(webClientIPs), path, status)
}

func (g *generator) nginxError(ag *agentInfo, ms int64) {
	g.add(ag, 31301, shNginxError, ms, g.of(webClientIPs), g.of(webProbePaths))
}

// webScanBurst is a scanner walking probe paths until 31151 fires.
func (g *generator) webScanBurst(ag *agentInfo, ms int64) {
	ip := g.of(scannerIPs)
	var prev *alert
	for i := range 15 {
		rule := 31101
		if i == 14 {
			rule = 31151
		}
		a := g.add(ag, rule, shWebAccess, ms+int64(i)*(1+int64(g.rng.IntN(4)))*second, ip, webProbePaths[i%len(webProbePaths)], "404")
		a.prev, prev = prev, a
	}
}
