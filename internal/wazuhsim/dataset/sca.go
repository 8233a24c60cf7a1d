package dataset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
)

// scaFamily gives the checks of one control area their wording and their
// compliance mapping (the frameworks Wazuh's CIS policies tag).
type scaFamily struct {
	desc, rationale                                  string
	cscV7, cscV8, nist, pci3, pci4, iso, soc2, hipaa string
	mitreTechniques, mitreTactics, mitreMitigations  string
}

var scaFamilies = map[string]scaFamily{
	"fs":        {"Removing support for unneeded filesystem types and restricting mount options reduces the local attack surface of the system.", "If a filesystem type or mount option is not needed, disable it; attackers use world-writable mounts such as /tmp to stage and execute payloads.", "5.1", "4.8", "CM-7", "2.2.5", "2.2.4", "A.12.5.1", "CC6.3", "", "T1204.002", "TA0005", "M1050"},
	"integrity": {"File integrity tooling detects unauthorised changes to critical files.", "By monitoring the filesystem state, compromised files can be detected to prevent or limit the exposure of accidental or malicious misconfigurations.", "14.9", "3.14", "AU-2", "11.5", "11.5.2", "A.12.4.1", "CC7.1", "164.312(c)(1)", "T1565.001", "TA0040", "M1022"},
	"perm":      {"Ownership and permissions of this file or directory are restricted to the owner.", "Restricting access prevents unprivileged users from reading or modifying security-relevant content.", "14.6", "3.3", "AC-3", "7.1", "7.2.1", "A.9.1.1", "CC6.1", "164.312(a)(1)", "T1222", "TA0005", "M1022"},
	"kernel":    {"Kernel parameters harden the system against memory corruption exploits and information disclosure.", "Randomising memory layout and restricting core dumps make exploitation of memory corruption vulnerabilities harder.", "8.3", "10.5", "SI-16", "1.4", "1.5.1", "A.12.6.1", "CC6.8", "", "T1068", "TA0004", "M1050"},
	"banner":    {"Login banners warn users about monitoring and must not disclose system information.", "Displaying OS and patch level information in login banners gives attackers detailed system information.", "5.1", "4.1", "AC-8", "2.2.4", "2.2.1", "A.9.4.2", "CC6.1", "", "T1082", "TA0007", "M1035"},
	"svc":       {"Unneeded services and client software should not be installed or running.", "Removing unneeded services reduces the attack surface of the system; many of them transmit data or credentials in clear text.", "9.2", "4.8", "CM-7", "2.2.2", "2.2.4", "A.12.6.2", "CC6.3", "", "T1543", "TA0003", "M1042"},
	"net":       {"Network parameters protect the host against spoofing, redirection and downgrade attacks.", "Attackers can use source-routed packets, ICMP redirects or legacy protocols to intercept traffic or bypass controls.", "9.2", "4.4", "SC-7", "1.4", "1.4.1", "A.13.1.1", "CC6.6", "", "T1557", "TA0006", "M1037"},
	"fw":        {"A host-based firewall limits network exposure to the services that are needed.", "A host firewall provides defense in depth against network-based attacks and lateral movement.", "9.4", "4.5", "SC-7(5)", "1.4", "1.5.1", "A.13.1.1", "CC6.6", "164.312(e)(1)", "T1021", "TA0008", "M1037"},
	"audit":     {"The audit subsystem records security-relevant events for later investigation.", "Audit records are essential to detect intrusions, reconstruct incidents and meet regulatory retention requirements.", "6.2", "8.2", "AU-2", "10.2", "10.2.1", "A.12.4.1", "CC7.2", "164.312(b)", "T1562.002", "TA0005", "M1047"},
	"log":       {"Log files and logging configuration must be protected and retained.", "Log data can contain sensitive information and is required to investigate incidents; it must not be altered by attackers.", "6.4", "8.3", "AU-9", "10.5", "10.3.2", "A.12.4.2", "CC7.2", "164.312(b)", "T1070.002", "TA0005", "M1022"},
	"access":    {"Access to privileged functions is restricted to authorised users.", "Limiting who can use privileged commands and how they authenticate reduces the impact of a compromised account.", "4.3", "5.4", "AC-6", "7.2", "7.2.2", "A.9.2.3", "CC6.1", "164.312(a)(1)", "T1548", "TA0004", "M1026"},
	"ssh":       {"The SSH daemon is hardened to allow only strong, attributable, limited remote administration.", "SSH is the primary remote entry point of Linux servers; weak settings enable brute force and privileged remote logins.", "4.4", "5.2", "AC-17", "2.2.4", "2.2.6", "A.9.4.2", "CC6.1", "164.312(d)", "T1021.004", "TA0008", "M1042"},
	"pw":        {"Password policy settings enforce strength, expiration and lockout of account credentials.", "Strong, regularly changed passwords and lockout after repeated failures reduce the success of brute-force and password-guessing attacks.", "4.4", "5.2", "IA-5", "8.2.3", "8.3.6", "A.9.4.3", "CC6.1", "164.308(a)(5)(ii)(D)", "T1110", "TA0006", "M1027"},
	"malware":   {"Anti-malware protections are enabled and current.", "Malware protection detects and blocks known malicious code and suspicious behaviour.", "8.1", "10.1", "SI-3", "5.1", "5.2.1", "A.12.2.1", "CC6.8", "164.308(a)(5)(ii)(B)", "T1204", "TA0002", "M1049"},
	"patch":     {"Operating system and application updates are installed automatically.", "Timely patching closes known vulnerabilities before they can be exploited.", "3.4", "7.3", "SI-2", "6.2", "6.3.3", "A.12.6.1", "CC7.1", "164.308(a)(5)(ii)(B)", "T1190", "TA0001", "M1051"},
	"privacy":   {"Diagnostic and advertising data sharing is disabled.", "Sharing diagnostic data sends potentially sensitive information about the system and its users to third parties.", "13.1", "3.1", "SC-7", "3.1", "3.2", "A.8.2.3", "C1.1", "", "T1005", "TA0009", "M1057"},
	"crypto":    {"Full-disk encryption protects data at rest.", "Encrypting the disk prevents disclosure of data if the device is lost or stolen.", "13.6", "3.6", "SC-28", "3.4", "3.5.1", "A.10.1.1", "CC6.7", "164.312(a)(2)(iv)", "T1005", "TA0009", "M1041"},
}

// scaCheckBase gives each policy its own id range, as Wazuh's policies have.
var scaCheckBase = map[string]int{
	"cis_ubuntu22-04": 28000, "cis_ubuntu20-04": 19000, "cis_ubuntu24-04": 36500, "cis_debian12": 35000, "cis_debian11": 17500,
	"cis_rhel9": 29500, "cis_amazon_linux_2023": 34000, "cis_centos7": 11000, "cis_rocky_linux_9": 32500,
	"cis_win2022": 27000, "cis_win2019": 15500, "cis_win11_enterprise": 26000, "cis_win10_enterprise": 15000,
	"cis_apple_macOS_14.0": 33000, "cis_apple_macOS_15.0": 37000,
}

// rpmCheckText rewrites Debian tooling in check text for RPM distributions.
var rpmCheckText = strings.NewReplacer(
	"dpkg-query -W -f='${binary:Package}\\t${Status}\\n' xserver-xorg*", "rpm -qa xorg-x11-server*",
	"dpkg-query -W xserver-xorg*", "rpm -qa xorg-x11-server*",
	"dpkg-query -s ", "rpm -q ", "r:install ok installed", "r:^\\S+-\\d",
	"apt purge", "dnf remove", "apt install", "dnf install",
	"ufw status", "firewall-cmd --state", "r:Status: active", "r:^running", "ufw enable", "systemctl --now enable firewalld",
	"/boot/grub/grub.cfg", "/boot/grub2/grub.cfg", "/etc/pam.d/common-auth", "/etc/pam.d/system-auth",
	"is-enabled cron", "is-enabled crond", "enable cron", "enable crond", "aideinit", "aide --init",
)

// agentScaProfile tunes how hardened each host is, so scores tell a story:
// the bastion is hardened, the legacy box is not, web-01 has the SSH and
// /tmp weaknesses the intruder used.
func passRate(a agent) float64 {
	switch a.id {
	case "019":
		return 0.9
	case "020":
		return 0.3
	case "000":
		return 0.75
	}
	switch a.role {
	case "dc":
		return 0.78
	case "workstation", "devws", "mac":
		return 0.55
	}
	return 0.62
}

// forcedResults pins individual outcomes (agent id → CIS id → result).
var forcedResults = map[string]map[string]string{
	web01ID: {"5.2.7": "failed", "1.1.2.4": "failed", "5.2.18": "failed", "5.3.4": "failed", "6.1.9": "failed"},
	"019":   {"5.2.7": "passed", "5.2.9": "passed", "5.2.18": "passed"},
	"020":   {"5.2.7": "failed", "5.2.9": "failed", "2.3.4": "failed"},
}

func scaTemplates(p osProfile) []scaTemplate {
	switch p.family {
	case "windows":
		return windowsChecks
	case "macos":
		return macChecks
	}
	return linuxChecks
}

// buildSCA generates GET /sca/{id} and its checks for agents that report.
func buildSCA(seed int64, agents []agent, now time.Time) (map[string][]Item, map[string]map[string][]Item) {
	pol := map[string][]Item{}
	checks := map[string]map[string][]Item{}
	for _, a := range agents {
		if !a.hasInventory() {
			continue
		}
		r := newRand(seed, "sca/"+a.id)
		items := scaCheckItems(r, a)
		summary := scaSummary(r, a, items, now)
		pol[a.id] = []Item{summary}
		checks[a.id] = map[string][]Item{a.os.scaID: items}
	}
	return pol, checks
}

func scaCheckItems(r *rand.Rand, a agent) []Item {
	p := a.os
	base := scaCheckBase[p.scaID]
	rate := passRate(a)
	tpls := scaTemplates(p)
	out := make([]Item, 0, len(tpls))
	for i, t := range tpls {
		if p.family == "rpm" {
			t.title, t.target, t.rule, t.remediation = rpmCheckText.Replace(t.title), rpmCheckText.Replace(t.target), rpmCheckText.Replace(t.rule), rpmCheckText.Replace(t.remediation)
		}
		result, reason := scaOutcome(r, a, t, rate)
		out = append(out, scaCheckItem(a, base+i, t, result, reason))
	}
	return out
}

func scaOutcome(r *rand.Rand, a agent, t scaTemplate, rate float64) (result, reason string) {
	if f, ok := forcedResults[a.id][t.cis]; ok && a.os.isLinux() {
		return f, ""
	}
	x := r.Float64()
	switch {
	case x < 0.07:
		return "not applicable", naReason(t)
	case x < 0.07+rate*0.93:
		return "passed", ""
	}
	return "failed", ""
}

func naReason(t scaTemplate) string {
	switch t.kind {
	case "registry":
		return fmt.Sprintf("Key '%s' not found", t.target)
	case "file":
		return fmt.Sprintf("Could not open file '%s'", t.target)
	case "process":
		return fmt.Sprintf("Could not check process '%s'", t.target)
	}
	return fmt.Sprintf("Invalid path or wrong permissions to run command '%s'", t.target)
}

func scaCheckItem(a agent, id int, t scaTemplate, result, reason string) Item {
	fam := scaFamilies[t.fam]
	it := Item{
		"id": id, "policy_id": a.os.scaID, "title": t.title,
		"description": fam.desc, "rationale": fam.rationale, "remediation": t.remediation,
		"references": "https://www.cisecurity.org/cis-benchmarks/", "result": result,
		"condition": scaCondition(t.rule), "rules": scaRules(t.rule), "compliance": scaCompliance(t, fam),
	}
	it[t.kind] = t.target
	if reason != "" {
		it["reason"] = reason
	}
	return it
}

func scaCondition(rule string) string {
	if strings.HasPrefix(rule, "not ") {
		return "none"
	}
	return "all"
}

// scaRules splits a rule expression into the API's rules list; the type is
// named after the rule's prefix, "numeric" for n: comparisons.
func scaRules(rule string) []any {
	body := strings.TrimPrefix(rule, "not ")
	typ := map[byte]string{'c': "command", 'f': "file", 'r': "registry", 'p': "process", 'd': "directory"}[body[0]]
	if strings.Contains(body, "n:") {
		typ = "numeric"
	}
	return []any{Item{"type": typ, "rule": rule}}
}

func scaCompliance(t scaTemplate, f scaFamily) []any {
	var out []any
	add := func(k, v string) {
		if v != "" {
			out = append(out, Item{"key": k, "value": v})
		}
	}
	add("cis", t.cis)
	add("cis_csc_v7", f.cscV7)
	add("cis_csc_v8", f.cscV8)
	add("nist_sp_800-53", f.nist)
	add("pci_dss_v3.2.1", f.pci3)
	add("pci_dss_v4.0", f.pci4)
	add("iso_27001-2013", f.iso)
	add("soc_2", f.soc2)
	add("hipaa", f.hipaa)
	add("mitre_techniques", f.mitreTechniques)
	add("mitre_tactics", f.mitreTactics)
	add("mitre_mitigations", f.mitreMitigations)
	return out
}

// scaSummary renders the GET /sca/{id} policy item; its counters are
// computed from the checks so they always agree.
func scaSummary(r *rand.Rand, a agent, checks []Item, now time.Time) Item {
	var pass, fail, invalid int
	for _, c := range checks {
		switch c["result"] {
		case "passed":
			pass++
		case "failed":
			fail++
		default:
			invalid++
		}
	}
	score := 0
	if pass+fail > 0 {
		score = pass * 100 / (pass + fail)
	}
	start := a.lastSeen(now).Add(-time.Duration(between(r, 300, 11*3600)) * time.Second).Truncate(time.Second)
	end := start.Add(time.Duration(between(r, 2, 40)) * time.Second)
	p := a.os
	return Item{
		"policy_id": p.scaID, "name": p.scaName, "description": p.scaDesc,
		"references": "https://www.cisecurity.org/cis-benchmarks/",
		"pass":       pass, "fail": fail, "invalid": invalid, "total_checks": len(checks), "score": score,
		"start_scan": apiTime(start), "end_scan": apiTime(end), "hash_file": sha256Of("ruleset/sca/" + p.scaID + ".yml"),
	}
}
