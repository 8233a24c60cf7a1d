package events

import "strconv"

func (g *generator) recordID() string { return strconv.Itoa(100000 + g.rng.IntN(9000000)) }

func (g *generator) logonID() string {
	return "0x" + strconv.FormatInt(int64(0x100000+g.rng.IntN(0xeffffff)), 16)
}

// userSID is a stable domain SID per user name.
func userSID(user string) string {
	h := uint32(2166136261)
	for _, c := range []byte(user) {
		h = (h ^ uint32(c)) * 16777619
	}
	return "S-1-5-21-3623811015-3361044348-30300820-" + strconv.Itoa(1100+int(h%3000))
}

func (g *generator) winLogon(ag *agentInfo, ms int64) {
	u := g.of(winUsers)
	typ, proc, pkg, ip := "3", "NtLmSsp ", "NTLM", g.of(adminIPs)
	if g.rng.IntN(2) == 0 {
		typ, proc, pkg = "3", "Kerberos", "Kerberos"
	}
	if g.rng.IntN(5) == 0 {
		typ, ip = "10", g.of(adminIPs)
	}
	g.add(ag, 60106, shWinLogon, ms, g.recordID(), ag.ref.Name+"$", "CORP", u, "CORP", typ, proc, pkg,
		"WS-"+strconv.Itoa(100+g.rng.IntN(60)), ip, strconv.Itoa(49152+g.rng.IntN(16000)), userSID(u), g.logonID())
}

func (g *generator) winLogoff(ag *agentInfo, ms int64) {
	u := g.of(winUsers)
	g.add(ag, 60137, shWinLogoff, ms, g.recordID(), userSID(u), u, "CORP", g.logonID(), "3")
}

func (g *generator) winLogonFailed(ag *agentInfo, ms int64) {
	g.winLogonFailure(ag, 60122, ms, g.of(winUsers), g.of(adminIPs), "0xc000006a")
}

// winLogonFailure adds one 4625 event under rule (60122 or 60204).
func (g *generator) winLogonFailure(ag *agentInfo, rule int, ms int64, user, ip, subStatus string) *alert {
	return g.add(ag, rule, shWinLogonFail, ms, g.recordID(), ag.ref.Name+"$", "CORP", user, "CORP", "3", "NtLmSsp ", "NTLM",
		"-", ip, strconv.Itoa(49152+g.rng.IntN(16000)), subStatus)
}

func (g *generator) winDefenderUpdate(ag *agentInfo, ms int64) {
	v := 400 + g.rng.IntN(90)
	g.add(ag, 62130, shWinDefenderUpdate, ms, g.recordID(), "1.421."+strconv.Itoa(v+1)+".0", "1.421."+strconv.Itoa(v)+".0")
}

func (g *generator) winService(ag *agentInfo, ms int64) {
	svc := g.of([]string{"GoogleUpdaterService", "edgeupdate", "WazuhSvc", "VSSTools"})
	g.add(ag, 61138, shWinService, ms, g.recordID(), svc, "\"C:\\Program Files\\"+svc+"\\"+svc+".exe\"")
}

func (g *generator) winUserCreated(ag *agentInfo, ms int64) {
	u := g.of([]string{"tmp_contractor", "svc_report", "jdoe2", "helpdesk01"})
	g.add(ag, 60109, shWinUserCreated, ms, g.recordID(), u, "CORP", userSID(u), "administrator", "CORP")
}

func (g *generator) sysmonCmd(ag *agentInfo, ms int64) {
	parent := g.of([]string{"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE", "C:\\Windows\\System32\\wbem\\WmiPrvSE.exe", "C:\\Windows\\System32\\mshta.exe"})
	g.add(ag, 92052, shSysmonProcess, ms, g.recordID(), "C:\\Windows\\System32\\cmd.exe", "cmd.exe /c whoami /all", parent,
		"\""+parent+"\"", "CORP\\"+g.of(winUsers), strconv.Itoa(1000+g.rng.IntN(9000)),
		"SHA1=F1EFB0FDDC156E4C61C5F78A54700E4E7984D55D,MD5=911D039E71583A07320B32BDE22F8E22,SHA256=B99D114B267FFD068C3289199B6DF95A9F9E64872D6C2D666D63974BBCE75BF2")
}
