package dataset

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// fimSpec is one monitored path. perUnit marks files whose content differs
// per host (configuration); others hash the same on every host of a release.
type fimSpec struct {
	path, perm, owner, group string
	size                     int
	perHost                  bool
}

var linuxFIM = []fimSpec{
	{"/etc/passwd", "rw-r--r--", "root", "root", 2417, true},
	{"/etc/shadow", "rw-r-----", "root", "shadow", 1389, true},
	{"/etc/group", "rw-r--r--", "root", "root", 912, true},
	{"/etc/gshadow", "rw-r-----", "root", "shadow", 765, true},
	{"/etc/sudoers", "r--r-----", "root", "root", 1800, true},
	{"/etc/hosts", "rw-r--r--", "root", "root", 221, true},
	{"/etc/hostname", "rw-r--r--", "root", "root", 12, true},
	{"/etc/resolv.conf", "rw-r--r--", "root", "root", 920, true},
	{"/etc/fstab", "rw-r--r--", "root", "root", 657, true},
	{"/etc/crontab", "rw-r--r--", "root", "root", 1136, true},
	{"/etc/login.defs", "rw-r--r--", "root", "root", 12345, false},
	{"/etc/ssh/sshd_config", "rw-r--r--", "root", "root", 3254, true},
	{"/etc/ssh/ssh_config", "rw-r--r--", "root", "root", 1650, false},
	{"/etc/pam.d/sshd", "rw-r--r--", "root", "root", 2133, false},
	{"/etc/pam.d/sudo", "rw-r--r--", "root", "root", 315, false},
	{"/etc/security/limits.conf", "rw-r--r--", "root", "root", 2161, false},
	{"/etc/sysctl.conf", "rw-r--r--", "root", "root", 2355, true},
	{"/etc/rsyslog.conf", "rw-r--r--", "root", "root", 1382, false},
	{"/etc/audit/auditd.conf", "rw-r-----", "root", "root", 856, false},
	{"/etc/environment", "rw-r--r--", "root", "root", 106, false},
	{"/etc/profile", "rw-r--r--", "root", "root", 582, false},
	{"/etc/bash.bashrc", "rw-r--r--", "root", "root", 2319, false},
	{"/root/.bashrc", "rw-r--r--", "root", "root", 3106, true},
	{"/root/.ssh/authorized_keys", "rw-------", "root", "root", 571, true},
	{"/usr/bin/sudo", "rwsr-xr-x", "root", "root", 232416, false},
	{"/usr/bin/su", "rwsr-xr-x", "root", "root", 55672, false},
	{"/usr/bin/passwd", "rwsr-xr-x", "root", "root", 59976, false},
	{"/usr/bin/ssh", "rwxr-xr-x", "root", "root", 846888, false},
	{"/usr/bin/curl", "rwxr-xr-x", "root", "root", 260328, false},
	{"/usr/bin/wget", "rwxr-xr-x", "root", "root", 503056, false},
	{"/usr/bin/bash", "rwxr-xr-x", "root", "root", 1396520, false},
	{"/usr/bin/ls", "rwxr-xr-x", "root", "root", 138208, false},
	{"/usr/bin/ps", "rwxr-xr-x", "root", "root", 137688, false},
	{"/usr/bin/netstat", "rwxr-xr-x", "root", "root", 155624, false},
	{"/usr/bin/top", "rwxr-xr-x", "root", "root", 129072, false},
	{"/usr/bin/find", "rwxr-xr-x", "root", "root", 282088, false},
	{"/usr/bin/chmod", "rwxr-xr-x", "root", "root", 64152, false},
	{"/usr/bin/chown", "rwxr-xr-x", "root", "root", 72344, false},
	{"/usr/bin/crontab", "rwxr-sr-x", "root", "crontab", 39568, false},
	{"/usr/bin/openssl", "rwxr-xr-x", "root", "root", 1001800, false},
	{"/usr/bin/python3.10", "rwxr-xr-x", "root", "root", 5913032, false},
	{"/usr/bin/perl", "rwxr-xr-x", "root", "root", 3478464, false},
	{"/usr/bin/systemctl", "rwxr-xr-x", "root", "root", 1840040, false},
	{"/usr/bin/login", "rwxr-xr-x", "root", "root", 48064, false},
	{"/usr/bin/mount", "rwsr-xr-x", "root", "root", 47480, false},
	{"/usr/sbin/sshd", "rwxr-xr-x", "root", "root", 921912, false},
	{"/usr/sbin/useradd", "rwxr-xr-x", "root", "root", 137384, false},
	{"/usr/sbin/usermod", "rwxr-xr-x", "root", "root", 129192, false},
	{"/usr/sbin/iptables", "rwxr-xr-x", "root", "root", 224584, false},
	{"/usr/sbin/cron", "rwxr-xr-x", "root", "root", 55944, false},
	{"/boot/grub/grub.cfg", "r--------", "root", "root", 8412, true},
	{"/etc/systemd/system/sshd.service", "rw-r--r--", "root", "root", 538, false},
}

var linuxRoleFIM = map[string][]fimSpec{
	"web": {
		{"/etc/nginx/nginx.conf", "rw-r--r--", "root", "root", 1447, true},
		{"/etc/nginx/sites-enabled/default", "rw-r--r--", "root", "root", 2412, true},
		{"/etc/php/8.1/fpm/php.ini", "rw-r--r--", "root", "root", 72941, false},
		{"/var/www/html/index.php", "rw-r--r--", "www-data", "www-data", 4120, true},
		{"/var/www/html/wp-config.php", "rw-r-----", "www-data", "www-data", 3208, true},
		{"/var/www/html/upload.php", "rw-r--r--", "www-data", "www-data", 1876, true},
		{"/var/www/html/.htaccess", "rw-r--r--", "www-data", "www-data", 523, true},
		{"/var/www/html/uploads/logo.png", "rw-r--r--", "www-data", "www-data", 18344, true},
	},
	"mysql":    {{"/etc/my.cnf", "rw-r--r--", "root", "root", 780, true}, {"/etc/my.cnf.d/mysql-server.cnf", "rw-r--r--", "root", "root", 320, true}},
	"postgres": {{"/etc/postgresql/15/main/postgresql.conf", "rw-r--r--", "postgres", "postgres", 29760, true}, {"/etc/postgresql/15/main/pg_hba.conf", "rw-r-----", "postgres", "postgres", 5764, true}},
	"mail":     {{"/etc/postfix/main.cf", "rw-r--r--", "root", "root", 1912, true}, {"/etc/dovecot/dovecot.conf", "rw-r--r--", "root", "root", 4412, true}},
	"vpn":      {{"/etc/openvpn/server.conf", "rw-r--r--", "root", "root", 10800, true}, {"/etc/ipsec.conf", "rw-r--r--", "root", "root", 612, true}, {"/etc/ipsec.secrets", "rw-------", "root", "root", 98, true}},
	"k8s":      {{"/etc/kubernetes/kubelet/kubelet-config.json", "rw-r--r--", "root", "root", 1230, true}, {"/var/lib/kubelet/kubeconfig", "rw-------", "root", "root", 1812, true}, {"/etc/containerd/config.toml", "rw-r--r--", "root", "root", 892, true}},
	"jenkins":  {{"/var/lib/jenkins/config.xml", "rw-r--r--", "jenkins", "jenkins", 1920, true}, {"/var/lib/jenkins/credentials.xml", "rw-------", "jenkins", "jenkins", 2210, true}, {"/etc/docker/daemon.json", "rw-r--r--", "root", "root", 88, true}},
	"bastion":  {{"/etc/fail2ban/jail.local", "rw-r--r--", "root", "root", 740, true}, {"/etc/pam.d/common-auth", "rw-r--r--", "root", "root", 1260, true}},
	"proxy":    {{"/etc/squid/squid.conf", "rw-r--r--", "root", "root", 8712, true}, {"/etc/haproxy/haproxy.cfg", "rw-r--r--", "root", "root", 1810, true}},
	"legacy":   {{"/etc/httpd/conf/httpd.conf", "rw-r--r--", "root", "root", 11753, true}, {"/var/www/html/index.php", "rw-r--r--", "apache", "apache", 890, true}, {"/usr/share/tomcat/conf/tomcat-users.xml", "rw-r-----", "root", "tomcat", 2450, true}},
	"manager":  {{"/var/ossec/etc/ossec.conf", "rw-rw----", "root", "wazuh", 14200, true}, {"/var/ossec/etc/client.keys", "rw-rw----", "wazuh", "wazuh", 2406, true}, {"/var/ossec/etc/rules/local_rules.xml", "rw-rw----", "wazuh", "wazuh", 512, true}, {"/etc/wazuh-indexer/opensearch.yml", "rw-r-----", "wazuh-indexer", "wazuh-indexer", 1011, true}},
}

// web01IncidentFIM returns the FIM database rows the intrusion left on
// web-01, in step with the events package's alerts: the web shell copied
// by deploy through sudo (root-owned), the injected index.php and the
// www-data crontab added for persistence.
func web01IncidentFIM(now time.Time) []Item {
	added := now.Add(-IncidentShellAge).Add(1500 * time.Millisecond)
	indexAt := now.Add(-IncidentShellAge + 2*time.Minute)
	cronAt := now.Add(-IncidentShellAge + IncidentDropperDelay + 6*time.Minute)
	cron := "www-data crontab:*/10 * * * * " + IncidentDropperPath
	return []Item{
		{"file": WebShellPath, "type": "file", "perm": "rw-r--r--", "uid": "0", "gid": "0", "uname": "root", "gname": "root",
			"size": WebShellSize, "inode": webShellInode, "mtime": apiTime(added.Add(-time.Second).Truncate(time.Second)),
			"date": apiTime(added.Truncate(time.Second)), "changes": 1, "md5": WebShellMD5, "sha1": WebShellSHA1,
			"sha256": WebShellSHA256, "attributes": ""},
		{"file": "/var/www/html/index.php", "type": "file", "perm": "rw-r--r--", "uid": "33", "gid": "33", "uname": "www-data",
			"gname": "www-data", "size": 3182, "inode": indexPHPInode, "mtime": apiTime(indexAt.Add(-time.Second).Truncate(time.Second)),
			"date": apiTime(indexAt.Truncate(time.Second)), "changes": 2, "md5": md5Of("index.php-injected"),
			"sha1": sha1Of("index.php-injected"), "sha256": sha256Of("index.php-injected"), "attributes": ""},
		{"file": IncidentCrontab, "type": "file", "perm": "rw-------", "uid": "33", "gid": "105", "uname": "www-data",
			"gname": "crontab", "size": 212, "inode": 3967354, "mtime": apiTime(cronAt.Truncate(time.Second)),
			"date": apiTime(cronAt.Add(2 * time.Second).Truncate(time.Second)), "changes": 1, "md5": md5Of(cron),
			"sha1": sha1Of(cron), "sha256": sha256Of(cron), "attributes": ""},
	}
}

var windowsFIM = []fimSpec{
	{`c:\windows\system32\drivers\etc\hosts`, "", "", "", 824, true},
	{`c:\windows\system32\drivers\etc\lmhosts.sam`, "", "", "", 3683, false},
	{`c:\windows\regedit.exe`, "", "", "", 370688, false},
	{`c:\windows\system.ini`, "", "", "", 219, false},
	{`c:\windows\win.ini`, "", "", "", 92, false},
	{`c:\windows\system32\cmd.exe`, "", "", "", 323584, false},
	{`c:\windows\system32\windowspowershell\v1.0\powershell.exe`, "", "", "", 455680, false},
	{`c:\windows\system32\net.exe`, "", "", "", 57344, false},
	{`c:\windows\system32\net1.exe`, "", "", "", 172544, false},
	{`c:\windows\system32\reg.exe`, "", "", "", 82944, false},
	{`c:\windows\system32\sc.exe`, "", "", "", 72704, false},
	{`c:\windows\system32\schtasks.exe`, "", "", "", 235008, false},
	{`c:\windows\system32\wbem\wmic.exe`, "", "", "", 571904, false},
	{`c:\windows\system32\certutil.exe`, "", "", "", 1651200, false},
	{`c:\windows\system32\bitsadmin.exe`, "", "", "", 199680, false},
	{`c:\windows\system32\at.exe`, "", "", "", 31744, false},
	{`c:\windows\system32\attrib.exe`, "", "", "", 23552, false},
	{`c:\windows\system32\drivers\etc\networks`, "", "", "", 407, false},
	{`c:\windows\sysnative\winrm.vbs`, "", "", "", 204106, false},
	{`c:\programdata\microsoft\windows\start menu\programs\startup\desktop.ini`, "", "", "", 174, false},
}

var windowsRegistryFIM = []string{
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\Run`,
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\RunOnce`,
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\RunServices`,
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Windows\CurrentVersion\Policies\System`,
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Winlogon`,
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Windows NT\CurrentVersion\Image File Execution Options`,
	`HKEY_LOCAL_MACHINE\Software\Microsoft\Active Setup\Installed Components`,
	`HKEY_LOCAL_MACHINE\Software\Classes\exefile\shell\open\command`,
	`HKEY_LOCAL_MACHINE\Software\Classes\batfile\shell\open\command`,
	`HKEY_LOCAL_MACHINE\Software\Classes\cmdfile\shell\open\command`,
	`HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\Lsa`,
	`HKEY_LOCAL_MACHINE\System\CurrentControlSet\Control\SecurePipeServers\winreg`,
	`HKEY_LOCAL_MACHINE\System\CurrentControlSet\Services\LanmanServer\Parameters`,
	`HKEY_LOCAL_MACHINE\Security\Policy\Secrets`,
	`HKEY_LOCAL_MACHINE\Software\Policies\Microsoft\Windows Defender`,
}

var macFIM = []fimSpec{
	{"/etc/hosts", "rw-r--r--", "root", "wheel", 213, true},
	{"/etc/sudoers", "r--r-----", "root", "wheel", 1563, false},
	{"/etc/ssh/sshd_config", "rw-r--r--", "root", "wheel", 3316, false},
	{"/etc/pam.d/sudo", "r--r--r--", "root", "wheel", 283, false},
	{"/etc/security/audit_control", "r--------", "root", "wheel", 359, false},
	{"/etc/shells", "rw-r--r--", "root", "wheel", 179, false},
	{"/etc/zshrc", "r--r--r--", "root", "wheel", 3094, false},
	{"/usr/bin/sudo", "r-s--x--x", "root", "wheel", 1434560, false},
	{"/usr/bin/su", "r-sr-xr-x", "root", "wheel", 171264, false},
	{"/usr/bin/ssh", "rwxr-xr-x", "root", "wheel", 1891232, false},
	{"/usr/bin/curl", "rwxr-xr-x", "root", "wheel", 262544, false},
	{"/usr/bin/login", "r-sr-xr-x", "root", "wheel", 203776, false},
	{"/usr/bin/python3", "rwxr-xr-x", "root", "wheel", 168288, false},
	{"/usr/bin/osascript", "rwxr-xr-x", "root", "wheel", 154208, false},
	{"/usr/sbin/sshd", "rwxr-xr-x", "root", "wheel", 1530656, false},
	{"/usr/sbin/cron", "rwxr-xr-x", "root", "wheel", 168752, false},
	{"/bin/bash", "rwxr-xr-x", "root", "wheel", 1310224, false},
	{"/bin/zsh", "rwxr-xr-x", "root", "wheel", 1361200, false},
	{"/bin/ps", "rwsr-xr-x", "root", "wheel", 188432, false},
	{"/bin/ls", "rwxr-xr-x", "root", "wheel", 154624, false},
	{"/Library/LaunchDaemons/com.wazuh.agent.plist", "rw-r--r--", "root", "wheel", 729, false},
	{"/Library/LaunchDaemons/com.docker.vmnetd.plist", "rw-r--r--", "root", "wheel", 1040, true},
	{"/Library/LaunchDaemons/com.microsoft.autoupdate.helper.plist", "rw-r--r--", "root", "wheel", 812, true},
	{"/Library/LaunchAgents/com.google.keystone.agent.plist", "rw-r--r--", "root", "wheel", 917, true},
	{"/Library/Preferences/com.apple.alf.plist", "rw-r--r--", "root", "wheel", 1672, true},
	{"/Library/Preferences/com.apple.loginwindow.plist", "rw-r--r--", "root", "wheel", 201, true},
}

// uidOf maps the Unix accounts used above to plausible ids.
var uidOf = map[string]string{"root": "0", "www-data": "33", "shadow": "42", "crontab": "105", "postgres": "113", "mysql": "27",
	"jenkins": "115", "apache": "48", "tomcat": "91", "wazuh": "999", "wazuh-indexer": "998", "deploy": "1001", "wheel": "0"}

// buildSyscheck generates GET /syscheck/{id} for agents that report.
func buildSyscheck(seed int64, agents []agent, now time.Time) map[string][]Item {
	out := map[string][]Item{}
	for _, a := range agents {
		if !a.hasInventory() {
			continue
		}
		r := newRand(seed, "syscheck/"+a.id)
		out[a.id] = fimItems(r, a, now)
	}
	return out
}

func fimItems(r *rand.Rand, a agent, now time.Time) []Item {
	seen := a.lastSeen(now)
	var out []Item
	switch a.os.family {
	case "windows":
		for _, f := range windowsFIM {
			out = append(out, fimFile(r, a, f, seen))
		}
		for _, k := range windowsRegistryFIM {
			out = append(out, fimRegistry(r, a, k, seen))
		}
		return out
	case "macos":
		for _, f := range macFIM {
			out = append(out, fimFile(r, a, f, seen))
		}
		return out
	}
	for _, list := range [][]fimSpec{linuxFIM, linuxRoleFIM[a.role]} {
		for _, f := range list {
			if f.path == "/usr/bin/python3.10" && a.os.key != "ubuntu22" {
				continue
			}
			out = append(out, fimFile(r, a, f, seen))
		}
	}
	if a.id == web01ID {
		// The incident rows replace the routine row of the same path.
		incident := web01IncidentFIM(now)
		kept := out[:0]
		for _, it := range out {
			if it["file"] != "/var/www/html/index.php" {
				kept = append(kept, it)
			}
		}
		out = append(kept, incident...)
	}
	return out
}

// fimFile renders one file entry. Digests derive from one content label so
// md5/sha1/sha256 of an entry belong together and equal files hash equal.
func fimFile(r *rand.Rand, a agent, f fimSpec, seen time.Time) Item {
	label := a.os.key + ":" + f.path
	if f.perHost {
		label = a.id + ":" + f.path
	}
	mtime := a.dateAdd.Add(-time.Duration(between(r, 1, 400)) * 24 * time.Hour).Add(time.Duration(r.IntN(86400)) * time.Second)
	changes := 1
	date := a.dateAdd.Add(time.Duration(between(r, 60, 7200)) * time.Second)
	if f.perHost && chance(r, 0.25) {
		changes = between(r, 2, 6)
		mtime = seen.Add(-time.Duration(between(r, 1, 30*24)) * time.Hour)
		date = mtime.Add(time.Duration(between(r, 1, 600)) * time.Second)
		label += ":" + strconv.FormatInt(mtime.Unix(), 10)
	}
	it := Item{
		"file": f.path, "type": "file", "perm": f.perm, "uid": uidOf[f.owner], "gid": uidOf[f.group],
		"uname": f.owner, "gname": f.group, "size": f.size, "inode": 100000 + r.IntN(4000000),
		"mtime": apiTime(mtime.Truncate(time.Second)), "date": apiTime(date.Truncate(time.Second)), "changes": changes,
		"md5": md5Of(label), "sha1": sha1Of(label), "sha256": sha256Of(label), "attributes": "",
	}
	if a.os.isWindows() {
		it["perm"] = "Administrators (allowed): full_control, SYSTEM (allowed): full_control, Users (allowed): read_control|synchronize|read_data|read_ea|execute|read_attributes"
		it["uid"], it["gid"], it["uname"], it["gname"] = "S-1-5-32-544", "", "Administrators", ""
		it["inode"] = 0
		it["attributes"] = "ARCHIVE"
		if strings.HasSuffix(f.path, ".exe") {
			it["uid"], it["uname"] = "S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464", "TrustedInstaller"
		}
	}
	return it
}

func fimRegistry(r *rand.Rand, a agent, key string, seen time.Time) Item {
	mtime := a.dateAdd.Add(time.Duration(between(r, 1, 200)) * 24 * time.Hour)
	if mtime.After(seen) {
		mtime = seen.Add(-time.Duration(between(r, 1, 72)) * time.Hour)
	}
	return Item{
		"file": key, "type": "registry_key", "arch": "[x64]", "perm": "Administrators (allowed): full_control, SYSTEM (allowed): full_control",
		"uid": "S-1-5-32-544", "gid": "S-1-5-18", "uname": "Administrators", "gname": "SYSTEM", "size": 0, "inode": 0,
		"mtime": apiTime(mtime.Truncate(time.Second)), "date": apiTime(mtime.Add(time.Duration(r.IntN(3600)) * time.Second).Truncate(time.Second)),
		"changes": 1, "md5": "", "sha1": "", "sha256": "", "attributes": "",
	}
}
