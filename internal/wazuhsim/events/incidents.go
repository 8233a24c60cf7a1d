package events

import (
	"strconv"
	"time"
)

// Fixed facts of the built-in incidents, exported so the dataset (CDB lists),
// demos and tests can refer to them.
const (
	// AttackerSSHIP brute-forces SSH on web-01 and bastion-01 about 6 hours
	// before Now, then logs in to web-01 as "deploy".
	AttackerSSHIP = "203.0.113.7"
	// AttackerWebIP scans and attacks web-01 and web-02 about 30 hours before Now.
	AttackerWebIP = "198.51.100.23"
	// WindowsBruteForceIP fails logons against dc-01 until 60204 fires.
	WindowsBruteForceIP = "10.0.20.130"
	// WebShellPath is the file the SSH intruder drops on web-01.
	WebShellPath = "/var/www/html/uploads/shell.php"
	// WebShellSHA256 is the sha256 FIM reports for WebShellPath (the digest of
	// webShellContent; a test keeps them in step).
	WebShellSHA256 = "404d5091f593024ec8458ea6605013344488a4e0451bb3dc07bfb7fc63ffc8c8"
	// WebShellMD5 and WebShellSHA1 are the other digests of the same file.
	WebShellMD5  = "29cddb392d15f40fc7644f40528df034"
	WebShellSHA1 = "008a7cbc6afdfcd89a60252583190df9d368196e"
	// CompromisedUser is the account the SSH intruder logs in with.
	CompromisedUser = "deploy"
)

// webShellContent is the dropped file; only its digests and size appear in alerts.
const webShellContent = `<?php if(isset($_REQUEST["cmd"])){ echo "<pre>"; system($_REQUEST["cmd"]); echo "</pre>"; } ?>`

// Incident start times, as offsets before Input.Now.
const (
	SSHIncidentOffset     = 6 * time.Hour
	WebIncidentOffset     = 30 * time.Hour
	WindowsIncidentOffset = 18 * time.Hour
)

// incidents adds the coherent attack stories. Each needs its target agents
// (by name, falling back to the documented id) and is skipped without them.
func (g *generator) incidents() {
	g.sshIncident()
	g.webIncident()
	g.windowsIncident()
	g.vulnerabilityAlerts()
}

// burst adds n events of one shape from the same source, the last under
// the frequency rule, linking them for previous_output.
func (g *generator) burst(ag *agentInfo, rule, freqRule int, s *shape, ms, step int64, n int, vals func(i int) []string) int64 {
	var prev *alert
	for i := range n {
		r := rule
		if i == n-1 {
			r = freqRule
		}
		a := g.add(ag, r, s, ms, vals(i)...)
		a.prev, prev = prev, a
		ms += step + int64(g.rng.IntN(3000))
	}
	return ms
}

// sshIncident: brute force on web-01 and bastion-01, then a login as deploy
// on web-01, sudo, and a web shell dropped under the web root.
func (g *generator) sshIncident() {
	web := g.agentByName("web-01", "001")
	bastion := g.agentByName("bastion-01", "019")
	t := g.now - SSHIncidentOffset.Milliseconds()
	for _, ag := range []*agentInfo{web, bastion} {
		if ag == nil {
			continue
		}
		ms := t
		if ag == bastion {
			ms += 90 * second
		}
		invalid := func(i int) []string {
			return []string{AttackerSSHIP, g.port(), invalidUsers[(i*5+3)%len(invalidUsers)]}
		}
		failed := func(i int) []string {
			return []string{AttackerSSHIP, g.port(), []string{"root", "deploy", "admin"}[i%3]}
		}
		pamFail := func(int) []string { return []string{AttackerSSHIP, CompromisedUser} }
		for range 3 {
			ms = g.burst(ag, 5710, 5712, shSSHInvalid, ms, 9*second, 8, invalid)
			ms = g.burst(ag, 5760, 5763, shSSHFailed, ms, 11*second, 8, failed)
			g.add(ag, 5758, shSSHMaxAuth, ms, AttackerSSHIP, g.port(), "root")
			ms += 40 * second
		}
		if ag == web {
			g.burst(ag, 5716, 5720, shSSHPAMFail, ms, 10*second, 8, pamFail)
		}
	}
	if web == nil {
		return
	}
	ms := t + 21*minute
	g.add(web, 5715, shSSHAccepted, ms, AttackerSSHIP, "51422", CompromisedUser)
	g.add(web, 5501, shPAMOpen, ms+200, CompromisedUser)
	g.add(web, 5402, shSudo, ms+2*minute, CompromisedUser, "pts/1", "/home/"+CompromisedUser, "/bin/bash")
	g.add(web, 5402, shSudo, ms+3*minute, CompromisedUser, "pts/1", "/tmp", "/usr/bin/cp /tmp/.s.php "+WebShellPath)
	g.add(web, 554, shFIMAddedWho, ms+3*minute+1500, g.webShellVals(ms+3*minute+1500)...)
	g.add(web, 550, shFIMModifiedWho, ms+5*minute, g.indexPHPVals(ms+5*minute)...)
	g.add(web, 5502, shPAMClose, ms+9*minute, CompromisedUser)
}

// whodata is the audit block of a change made by deploy through sudo.
func whodata(process, pid string) []string {
	return []string{"0", "root", "0", "root", "1001", CompromisedUser, "0", "root", pid, process, "41877"}
}

func (g *generator) webShellVals(ms int64) []string {
	vals := []string{WebShellPath, "added", "whodata", strconv.Itoa(len(webShellContent)), "rw-r--r--", "0", "0", "root", "root",
		"1573012", mtime(ms - second), WebShellMD5, WebShellSHA1, WebShellSHA256}
	return append(vals, whodata("/usr/bin/cp", "41902")...)
}

func (g *generator) indexPHPVals(ms int64) []string {
	md, s1, s2 := fileDigests("index.php-injected")
	omd, os1, os2 := fileDigests("index.php-original")
	vals := []string{"/var/www/html/index.php", "modified", "whodata", "3182", "rw-r--r--", "33", "33", "www-data", "www-data",
		"1572866", mtime(ms - second), md, s1, s2,
		"3071", "rw-r--r--", "33", "33", "www-data", "www-data", "1572866", mtime(ms - 20*24*hour), omd, os1, os2,
		"size,mtime,md5,sha1,sha256"}
	return append(vals, whodata("/usr/bin/vim.basic", "41977")...)
}

// webIncident: 198.51.100.23 scans web-01 and web-02, then tries SQL
// injection, XSS and path traversal; one injection on web-02 returns 200.
func (g *generator) webIncident() {
	t := g.now - WebIncidentOffset.Milliseconds()
	for n, ag := range []*agentInfo{g.agentByName("web-01", "001"), g.agentByName("web-02", "002")} {
		if ag == nil {
			continue
		}
		ms := t + int64(n)*7*minute
		probe := func(i int) []string { return []string{AttackerWebIP, webProbePaths[i%len(webProbePaths)], "404"} }
		ms = g.burst(ag, 31101, 31151, shWebAccess, ms, 2*second, 14, probe)
		sqli := func(i int) []string { return []string{AttackerWebIP, sqliURLs[i%len(sqliURLs)], "403"} }
		ms = g.burst(ag, 31103, 31152, shWebAccess, ms+30*second, 3*second, 8, sqli)
		for i, u := range xssURLs {
			g.add(ag, 31105, shWebAccess, ms+int64(i)*4*second, AttackerWebIP, u, "403")
		}
		ms += int64(len(xssURLs)) * 4 * second
		for i, u := range traversalURLs {
			g.add(ag, 31104, shWebAccess, ms+int64(i)*3*second, AttackerWebIP, u, "400")
		}
		if n == 1 {
			g.add(ag, 31106, shWebAccess, ms+2*minute, AttackerWebIP, "/products.php?id=1%27%20OR%20%271%27=%271", "200")
		}
	}
}

var (
	sqliURLs = []string{
		"/products.php?id=1%27%20UNION%20SELECT%20NULL,username,password%20FROM%20users--",
		"/products.php?id=1%20AND%201=1",
		"/login.php?user=admin%27--&pass=x",
		"/products.php?id=1%27%20AND%20SLEEP(5)--",
		"/search.php?q=%27%20OR%20%271%27=%271",
		"/products.php?id=-1%20UNION%20ALL%20SELECT%20table_name%20FROM%20information_schema.tables",
	}
	xssURLs       = []string{"/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E", "/comment?text=%3Cimg%20src=x%20onerror=alert(1)%3E"}
	traversalURLs = []string{"/download.php?file=../../../../etc/passwd", "/static/..%2f..%2f..%2fetc/shadow", "/index.php?page=../../../../proc/self/environ"}
)

// windowsIncident: password spraying from 10.0.20.130 against dc-01; rule
// 60204 fires on every eighth failure, and one account finally logs on.
func (g *generator) windowsIncident() {
	dc := g.agentByName("dc-01", "")
	if dc == nil {
		return
	}
	ms := g.now - WindowsIncidentOffset.Milliseconds()
	var prev *alert
	for i := range 16 {
		rule := 60122
		if i%8 == 7 {
			rule = 60204
		}
		user := winUsers[i%len(winUsers)]
		a := g.winLogonFailure(dc, rule, ms, user, WindowsBruteForceIP, "0xc000006a")
		a.prev, prev = prev, a
		ms += 4*second + int64(g.rng.IntN(4000))
	}
	g.add(dc, 60106, shWinLogon, ms+30*second, g.recordID(), "DC-01$", "CORP", "svc_backup", "CORP", "3", "NtLmSsp ", "NTLM",
		"-", WindowsBruteForceIP, "50112", userSID("svc_backup"), g.logonID())
}
