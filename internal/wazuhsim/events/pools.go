package events

// Value pools for background traffic. Public addresses come from the
// documentation ranges (RFC 5737) so no real host is implicated.
var (
	scannerIPs = []string{
		"192.0.2.14", "192.0.2.77", "192.0.2.181", "198.51.100.4", "198.51.100.66",
		"198.51.100.142", "198.51.100.201", "203.0.113.45", "203.0.113.99", "203.0.113.150",
		"203.0.113.212", "192.0.2.230",
	}
	webClientIPs = []string{
		"192.0.2.10", "192.0.2.25", "192.0.2.61", "198.51.100.12", "198.51.100.37", "198.51.100.88",
		"203.0.113.20", "203.0.113.58", "203.0.113.77", "203.0.113.131",
	}
	adminIPs     = []string{"10.0.10.21", "10.0.10.22", "10.0.10.35", "10.0.10.41", "10.0.30.5"}
	linuxUsers   = []string{"deploy", "ubuntu", "ec2-user", "alice", "bob", "ansible", "jenkins", "backup", "carol"}
	invalidUsers = []string{"admin", "test", "oracle", "pi", "user", "guest", "ftpuser", "support", "git", "postgres", "mysql", "hadoop", "ubnt", "administrator", "test1", "devops"}
	sudoCommands = []string{
		"/usr/bin/systemctl restart nginx", "/usr/bin/apt-get update", "/usr/bin/journalctl -u nginx --since today",
		"/usr/bin/docker ps", "/usr/bin/tail -n 200 /var/log/syslog", "/usr/bin/systemctl status wazuh-agent",
		"/bin/cat /etc/shadow", "/usr/bin/vim /etc/hosts", "/usr/sbin/ss -tlnp",
	}
	webPaths = []string{
		"/", "/index.html", "/login", "/api/v1/orders?page=2", "/static/css/app.css", "/static/js/app.js",
		"/images/logo.png", "/api/v1/health", "/products/42", "/cart", "/search?q=shoes",
	}
	webProbePaths = []string{
		"/wp-login.php", "/.env", "/phpmyadmin/index.php", "/admin/config.php", "/.git/config",
		"/cgi-bin/luci", "/actuator/health", "/vendor/phpunit/phpunit/src/Util/PHP/eval-stdin.php",
		"/HNAP1/", "/boaform/admin/formLogin", "/owa/auth/logon.aspx",
	}
	winUsers   = []string{"jsmith", "mgarcia", "awong", "lchen", "svc_backup", "svc_sql", "administrator", "kpatel"}
	winDomains = []string{"CORP"}
	fimPaths   = []string{
		"/etc/hosts", "/etc/passwd", "/etc/group", "/etc/shadow", "/etc/resolv.conf", "/etc/ssh/sshd_config",
		"/etc/nginx/nginx.conf", "/etc/crontab", "/usr/bin/curl", "/usr/sbin/sshd", "/etc/sudoers", "/etc/hostname",
	}
)
