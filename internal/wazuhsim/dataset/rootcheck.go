package dataset

import (
	"math/rand/v2"
	"time"
)

// rootcheckFinding is one rootcheck/policy-monitoring log line.
type rootcheckFinding struct {
	log, pciDSS, cis string
	solved           bool
}

var linuxRootcheck = []rootcheckFinding{
	{"System Audit: SSH Hardening - 3: Root can log in. File: /etc/ssh/sshd_config. Reference: 3 .", "2.2.4", "", false},
	{"System Audit: SSH Hardening - 4: No Public Key authentication {PCI_DSS: 2.2.4}. File: /etc/ssh/sshd_config. Reference: 4 .", "2.2.4", "", true},
	{"File '/var/log/wtmp' is owned by root and has written permissions to anyone.", "", "", true},
	{"Ending rootcheck scan.", "", "", false},
	{"Starting rootcheck scan.", "", "", false},
}

var windowsRootcheck = []rootcheckFinding{
	{"Windows Audit: Null sessions allowed. File: HKEY_LOCAL_MACHINE\\System\\CurrentControlSet\\Control\\Lsa -> RestrictAnonymous.", "", "", false},
	{"Windows Malware: Possible Malware in the system. File: C:\\Windows\\System32\\wbem\\wmic.exe.", "", "", true},
	{"Ending rootcheck scan.", "", "", false},
	{"Starting rootcheck scan.", "", "", false},
}

var web01Rootcheck = []rootcheckFinding{
	{"Anomaly detected in file '" + IncidentDropperPath + "'. Hidden file in a world-writable directory. Possible rootkit or trojan.", "10.6.1", "", false},
	{"Files hidden inside directory '/tmp'. Link count does not match number of files (4,3).", "10.6.1", "", false},
	{"Port '" + itoa(IncidentReverseShellPort) + "' (tcp) connected to a process not listed by 'ps' or hidden. Possible kernel-level rootkit.", "11.4", "", false},
}

var legacyRootcheck = []rootcheckFinding{
	{"System Audit: CIS - RHEL7 - 1.1.2 - Build considerations - Robust partition scheme - /tmp is not on its own partition {CIS: 1.1.2 RHEL7} {PCI_DSS: 2.2.4}. File: /etc/fstab. Reference: https://benchmarks.cisecurity.org/tools2/linux/CIS_Red_Hat_Enterprise_Linux_7_Benchmark_v1.1.0.pdf .", "2.2.4", "1.1.2 RHEL7", false},
	{"System Audit: CIS - RHEL7 - 6.2.8 - SSH Configuration - Root login allowed {CIS: 6.2.8 RHEL7} {PCI_DSS: 4.1}. File: /etc/ssh/sshd_config. Reference: https://benchmarks.cisecurity.org/tools2/linux/CIS_Red_Hat_Enterprise_Linux_7_Benchmark_v1.1.0.pdf .", "4.1", "6.2.8 RHEL7", false},
	{"System Audit: Web vulnerability - Outdated PHP version. File: /usr/bin/php.", "6.2", "", false},
}

// buildRootcheck generates GET /rootcheck/{id}: a scan start/end pair and
// the findings, with the incident's hidden dropper on web-01.
func buildRootcheck(seed int64, agents []agent, now time.Time) map[string][]Item {
	out := map[string][]Item{}
	for _, a := range agents {
		if !a.hasInventory() || a.os.isMac() {
			continue
		}
		r := newRand(seed, "rootcheck/"+a.id)
		findings := linuxRootcheck
		if a.os.isWindows() {
			findings = windowsRootcheck
		}
		var items []Item
		if a.id == web01ID {
			first := now.Add(-IncidentShellAge + IncidentDropperDelay + 40*time.Minute).Truncate(time.Second)
			for _, f := range web01Rootcheck {
				items = append(items, rootcheckItem(f, first, a.lastSeen(now).Add(-time.Duration(between(r, 60, 1800))*time.Second)))
			}
		}
		if a.id == "020" {
			findings = append(append([]rootcheckFinding{}, legacyRootcheck...), findings...)
		}
		for _, f := range findings {
			items = append(items, rootcheckFinding2Item(r, a, f, now))
		}
		out[a.id] = items
	}
	return out
}

func rootcheckFinding2Item(r *rand.Rand, a agent, f rootcheckFinding, now time.Time) Item {
	last := a.lastSeen(now).Add(-time.Duration(between(r, 60, 11*3600)) * time.Second)
	first := a.dateAdd.Add(time.Duration(between(r, 1, 48)) * time.Hour)
	if f.log == "Starting rootcheck scan." || f.log == "Ending rootcheck scan." {
		first = last
	}
	if f.solved {
		last = first.Add(time.Duration(between(r, 1, 20)) * 24 * time.Hour)
		if last.After(now) {
			last = now.Add(-time.Hour)
		}
	}
	return rootcheckItem(f, first, last)
}

func rootcheckItem(f rootcheckFinding, first, last time.Time) Item {
	status := "outstanding"
	if f.solved {
		status = "solved"
	}
	it := Item{"status": status, "log": f.log, "date_first": apiTime(first.Truncate(time.Second)), "date_last": apiTime(last.Truncate(time.Second))}
	if f.pciDSS != "" {
		it["pci_dss"] = f.pciDSS
	}
	if f.cis != "" {
		it["cis"] = f.cis
	}
	return it
}
