package dataset

// logSource is one <localfile> an agent reads; rate is a relative volume.
type logSource struct {
	location, format string
	rate             int
}

var debLogs = []logSource{
	{"journald", "journald", 40}, {"/var/log/auth.log", "syslog", 20}, {"/var/log/syslog", "syslog", 60},
	{"/var/log/dpkg.log", "syslog", 1}, {"/var/log/kern.log", "syslog", 3},
}

var rpmLogs = []logSource{
	{"journald", "journald", 40}, {"/var/log/secure", "syslog", 20}, {"/var/log/messages", "syslog", 60},
	{"/var/log/dnf.rpm.log", "syslog", 1}, {"/var/log/audit/audit.log", "audit", 30},
}

var commonLinuxLogs = []logSource{
	{"/var/ossec/logs/active-responses.log", "syslog", 0}, {"df -P", "command", 2},
	{"netstat listening ports", "full_command", 1}, {"last -n 20", "full_command", 1},
}

var roleLogs = map[string][]logSource{
	"web":      {{"/var/log/nginx/access.log", "apache", 120}, {"/var/log/nginx/error.log", "apache", 6}, {"/var/log/php8.1-fpm.log", "syslog", 2}},
	"mysql":    {{"/var/log/mysql/mysqld.log", "mysql_log", 8}},
	"postgres": {{"/var/log/postgresql/postgresql-15-main.log", "postgresql_log", 10}},
	"mail":     {{"/var/log/mail.log", "syslog", 30}},
	"vpn":      {{"/var/log/openvpn/openvpn.log", "syslog", 8}},
	"k8s":      {{"/var/log/containers/*.log", "json", 80}},
	"jenkins":  {{"/var/log/jenkins/jenkins.log", "syslog", 10}},
	"proxy":    {{"/var/log/squid/access.log", "squid", 90}, {"/var/log/haproxy.log", "syslog", 40}},
	"legacy":   {{"/var/log/httpd/access_log", "apache", 50}, {"/var/log/httpd/error_log", "apache", 5}},
	"manager":  {{"/var/ossec/logs/active-responses.log", "syslog", 1}},
}

var windowsLogs = []logSource{
	{"Application", "eventchannel", 20}, {"Security", "eventchannel", 80}, {"System", "eventchannel", 25},
	{"Microsoft-Windows-Sysmon/Operational", "eventchannel", 60}, {"Microsoft-Windows-Windows Defender/Operational", "eventchannel", 2},
	{"Microsoft-Windows-PowerShell/Operational", "eventchannel", 8}, {"active-response\\active-responses.log", "syslog", 0},
}

var macLogs = []logSource{
	{"macos", "macos", 70}, {"/var/ossec/logs/active-responses.log", "syslog", 0}, {"df -P", "command", 2}, {"last -n 20", "full_command", 1},
}

// logSources lists an agent's localfiles in ossec.conf order.
func logSources(a agent) []logSource {
	switch a.os.family {
	case "windows":
		return windowsLogs
	case "macos":
		return macLogs
	}
	var out []logSource
	if a.os.family == "deb" {
		out = append(out, debLogs...)
	} else {
		out = append(out, rpmLogs...)
	}
	out = append(out, roleLogs[a.role]...)
	for _, l := range commonLinuxLogs {
		if a.role == "manager" && l.location == "/var/ossec/logs/active-responses.log" {
			continue
		}
		out = append(out, l)
	}
	return out
}
