package dataset

import "strings"

// buildAgentConfig generates GET /agents/{id}/config/{component}/{configuration}
// answers ("component/configuration" → data) for agents that report. The
// manager (000) answers from its own ossec.conf.
func buildAgentConfig(agents []agent) map[string]map[string]Item {
	out := map[string]map[string]Item{}
	for _, a := range agents {
		if !a.hasInventory() {
			continue
		}
		out[a.id] = agentConfig(a)
	}
	return out
}

func agentConfig(a agent) map[string]Item {
	return map[string]Item{
		"agent/client":           {"client": clientConfig(a)},
		"agent/buffer":           {"buffer": Item{"disabled": "no", "queue_size": 5000, "events_per_second": 500}},
		"agent/labels":           {"labels": agentLabels(a)},
		"agent/internal":         {"internal": Item{"agent": Item{"debug": 0, "warn_level": 90, "normal_level": 70, "tolerance": 15, "min_eps": 50, "state_interval": 5, "recv_timeout": 60, "remote_conf": 1}}},
		"com/active-response":    {"active-response": Item{"disabled": "no", "ca_store": []any{"etc/wpk_root.pem"}, "ca_verification": "yes"}},
		"com/logging":            {"logging": Item{"plain": "yes", "json": "no"}},
		"com/internal":           {"internal": Item{"execd": Item{"request_timeout": 60, "max_restart_lock": 600}}},
		"logcollector/localfile": {"localfile": localfileConfig(a)},
		"logcollector/socket":    {"socket": []any{}},
		"logcollector/internal":  {"internal": Item{"logcollector": Item{"remote_commands": 0, "loop_timeout": 2, "open_attempts": 8, "vcheck_files": 64, "max_lines": 10000, "max_files": 1000, "sock_fail_time": 300, "debug": 0, "sample_log_length": 64, "queue_size": 1024, "input_threads": 4, "force_reload": 0, "reload_interval": 64, "reload_delay": 1000, "exclude_files_interval": 86400, "state_interval": 60}}},
		"syscheck/syscheck":      {"syscheck": syscheckConfig(a)},
		"syscheck/rootcheck":     {"rootcheck": rootcheckConfig(a)},
		"syscheck/internal":      {"internal": Item{"syscheck": Item{"debug": 0, "sleep": 1, "sleep_after": 100, "rt_delay": 5, "default_max_depth": 256, "symlink_scan_interval": 600, "file_max_size": 1024, "max_fd_win_rt": 256, "max_audit_entries": 256}, "rootcheck": Item{"sleep": 50}}},
		"wmodules/wmodules":      {"wmodules": wmodulesConfig(a)},
		"request/remote":         {"remote": []any{Item{"connection": "secure", "ipv6": "no", "protocol": []any{"TCP"}, "port": "1514", "queue_size": "131072"}}},
	}
}

func configProfile(a agent) string {
	p := a.os
	switch p.family {
	case "windows":
		return "windows"
	case "macos":
		return "darwin, darwin" + p.major
	}
	return p.platform + ", " + p.platform + p.major + ", " + p.platform + strings.TrimSuffix(p.major+"."+p.minor, ".")
}

func clientConfig(a agent) Item {
	return Item{
		"config-profile": configProfile(a), "notify_time": 10, "time-reconnect": 60, "force_reconnect_interval": 0,
		"ip_update_interval": 0, "auto_restart": "yes", "remote_conf": "yes", "crypto_method": "aes",
		"server": []any{Item{"address": managerAddr, "port": 1514, "max_retries": 5, "retry_interval": 10, "protocol": "tcp"}},
		"enrollment": Item{"enabled": "yes", "delay_after_enrollment": 20, "port": 1515, "group": strings.Join(a.groups, ","),
			"ssl_cipher": "HIGH:!ADH:!EXP:!MD5:!RC4:!3DES:!CAMELLIA:@STRENGTH", "auto_method": "no",
			"authorization_pass_path": "etc/authd.pass"},
	}
}

func agentLabels(a agent) []any {
	env := "production"
	if a.role == "workstation" || a.role == "devws" || a.role == "mac" {
		env = "corporate"
	}
	labels := []any{
		Item{"key": "environment", "value": env, "hidden": "no"},
		Item{"key": "role", "value": a.role, "hidden": "no"},
		Item{"key": "network.ip", "value": agentAddr(a), "hidden": "no"},
	}
	if a.os.platform == "amzn" {
		labels = append(labels, Item{"key": "aws.instance-id", "value": "i-0" + md5Of("ec2:" + a.id)[:16], "hidden": "no"})
	}
	return labels
}

func localfileConfig(a agent) []any {
	var out []any
	for _, s := range logSources(a) {
		it := Item{"logformat": s.format, "ignore_binaries": "no", "only-future-events": "yes", "target": []any{"agent"}}
		switch s.format {
		case "command", "full_command":
			cmd := s.location
			if s.location == "netstat listening ports" {
				cmd = "netstat -tulpn | sed 's/\\([[:alnum:]]\\+\\)\\ \\+[[:digit:]]\\+\\ \\+[[:digit:]]\\+\\ \\+\\(.*\\):\\([[:digit:]]*\\)\\ \\+\\([0-9\\.\\:\\*]\\+\\).\\+\\ \\([[:digit:]]*\\/[[:alnum:]\\-]*\\).*/\\1 \\2 == \\3 == \\4 \\5/' | sort -k 4 -g | sed 's/ == \\(.*\\) ==/:\\1/' | sed 1,2d"
			}
			it["command"], it["alias"], it["frequency"] = cmd, s.location, 360
			delete(it, "only-future-events")
		case "eventchannel":
			it["location"] = s.location
			if s.location == "Security" {
				it["query"] = Item{"value": "Event/System[EventID != 5145 and EventID != 5156 and EventID != 5447 and EventID != 4656 and EventID != 4658 and EventID != 4663 and EventID != 4660 and EventID != 4670 and EventID != 4690 and EventID != 4703 and EventID != 4907 and EventID != 5152 and EventID != 5157]"}
			}
		case "journald", "macos":
			if s.format == "macos" {
				it["location"] = "macos"
				it["query"] = Item{"value": "process == \"sudo\" or message contains \"invalid\" or process == \"sshd\" or process == \"tccd\"", "level": "info", "type": []any{"log", "activity", "trace"}}
			}
		default:
			it["location"] = s.location
			it["only-future-events"] = "no"
		}
		out = append(out, it)
	}
	return out
}

var checkOpts = []any{"check_md5sum", "check_sha1sum", "check_perm", "check_size", "check_owner", "check_group", "check_mtime", "check_inode", "check_sha256sum", "check_attrs"}

func fimDir(dir string, realtime, whodata bool, recursion int) Item {
	opts := append([]any{}, checkOpts...)
	if realtime {
		opts = append(opts, "realtime")
	}
	if whodata {
		opts = append(opts, "whodata")
	}
	return Item{"opts": opts, "dir": dir, "recursion_level": recursion, "diff_size_limit": 51200}
}

func syscheckConfig(a agent) Item {
	var dirs, ignore []any
	switch a.os.family {
	case "windows":
		dirs = []any{fimDir(`%WINDIR%\regedit.exe`, false, false, 0), fimDir(`%WINDIR%\system.ini`, false, false, 0), fimDir(`%WINDIR%\win.ini`, false, false, 0),
			fimDir(`%WINDIR%\SysNative\drivers\etc`, false, false, 0), fimDir(`%WINDIR%\SysNative\wbem`, false, false, 0),
			fimDir(`%PROGRAMDATA%\Microsoft\Windows\Start Menu\Programs\Startup`, true, false, 256)}
		ignore = []any{`%PROGRAMDATA%\Microsoft\Windows\Start Menu\Programs\Startup\desktop.ini`}
	case "macos":
		dirs = []any{fimDir("/etc", false, false, 256), fimDir("/usr/bin", false, false, 256), fimDir("/usr/sbin", false, false, 256),
			fimDir("/bin", false, false, 256), fimDir("/sbin", false, false, 256), fimDir("/Library/LaunchDaemons", true, false, 256),
			fimDir("/Library/LaunchAgents", true, false, 256)}
		ignore = []any{"/etc/mtab", "/etc/hosts.deny", "/etc/mail/statistics"}
	default:
		dirs = []any{fimDir("/etc", false, false, 256), fimDir("/usr/bin", false, false, 256), fimDir("/usr/sbin", false, false, 256),
			fimDir("/bin", false, false, 256), fimDir("/sbin", false, false, 256), fimDir("/boot", false, false, 256)}
		if a.role == "web" || a.role == "legacy" {
			dirs = append(dirs, fimDir("/var/www/html", false, true, 256))
		}
		if a.role == "web" {
			dirs = append(dirs, fimDir("/var/spool/cron", true, false, 256))
		}
		ignore = []any{"/etc/mtab", "/etc/hosts.deny", "/etc/mail/statistics", "/etc/random-seed", "/etc/random.seed", "/etc/adjtime", "/etc/httpd/logs", "/etc/utmpx", "/etc/wtmpx", "/etc/cups/certs", "/etc/dumpdates", "/etc/svc/volatile"}
	}
	c := Item{
		"disabled": "no", "frequency": 43200, "skip_nfs": "yes", "skip_dev": "yes", "skip_sys": "yes", "skip_proc": "yes",
		"scan_on_start": "yes", "max_files_per_second": 0, "file_limit": Item{"enabled": "yes", "entries": 100000},
		"diff":        Item{"disk_quota": Item{"enabled": "yes", "limit": 1048576}, "file_size": Item{"enabled": "yes", "limit": 51200}},
		"directories": dirs, "ignore": ignore, "nodiff": []any{"/etc/ssl/private.key"}, "whodata": Item{"restart_audit": "yes", "audit_key": []any{}, "startup_healthcheck": "yes"},
		"allow_remote_prefilter_cmd": "no", "synchronization": Item{"enabled": "yes", "max_interval": 3600, "interval": 300, "response_timeout": 30, "queue_size": 16384, "max_eps": 10},
		"max_eps": 50, "process_priority": 10, "database": "disk",
	}
	if a.os.isWindows() {
		c["registry_limit"] = Item{"enabled": "yes", "entries": 100000}
		var regs []any
		for _, k := range windowsRegistryFIM {
			regs = append(regs, Item{"entry": k, "arch": "64bit", "opts": append([]any{}, checkOpts...), "recursion_level": 512})
		}
		c["registry"] = regs
	}
	return c
}

func rootcheckConfig(a agent) Item {
	c := Item{"disabled": "no", "base_directory": "", "scanall": "no", "skip_nfs": "yes", "frequency": 43200,
		"check_dev": "yes", "check_files": "yes", "check_if": "yes", "check_pids": "yes", "check_ports": "yes",
		"check_sys": "yes", "check_trojans": "yes", "check_unixaudit": "no"}
	if a.os.isWindows() {
		c["windows_apps"] = "etc/shared/win_applications_rcl.txt"
		c["windows_malware"] = "etc/shared/win_malware_rcl.txt"
		c["windows_audit"] = "etc/shared/win_audit_rcl.txt"
		c["check_winapps"], c["check_winaudit"], c["check_winmalware"] = "yes", "yes", "yes"
	} else {
		c["rootkit_files"] = "etc/shared/rootkit_files.txt"
		c["rootkit_trojans"] = "etc/shared/rootkit_trojans.txt"
	}
	if a.os.isMac() {
		c["disabled"] = "yes"
	}
	return c
}

func wmodulesConfig(a agent) []any {
	syscoll := Item{"disabled": "no", "scan-on-start": "yes", "interval": 3600, "network": "yes", "os": "yes", "hardware": "yes",
		"packages": "yes", "ports": "yes", "ports_all": "no", "processes": "yes", "groups": "yes", "users": "yes",
		"services": "yes", "browser_extensions": "yes", "sync_max_eps": 10}
	if a.os.isWindows() {
		syscoll["hotfixes"] = "yes"
	}
	policyDir := "/var/ossec/ruleset/sca/"
	switch {
	case a.os.isWindows():
		policyDir = `C:\Program Files (x86)\ossec-agent\ruleset\sca\`
	case a.os.isMac():
		policyDir = "/Library/Ossec/ruleset/sca/"
	}
	out := []any{
		Item{"syscollector": syscoll},
		Item{"sca": Item{"enabled": "yes", "scan_on_start": "yes", "interval": 43200, "skip_nfs": "yes", "policies": []any{policyDir + a.os.scaID + ".yml"}}},
		Item{"cis-cat": Item{"disabled": "yes", "scan-on-start": "yes", "interval": 86400, "java_path": "wodles/java", "ciscat_path": "wodles/ciscat", "timeout": 1800}},
		Item{"osquery": Item{"disabled": "yes", "run_daemon": "yes", "add_labels": "yes", "log_path": "/var/log/osquery/osqueryd.results.log", "config_path": "/etc/osquery/osquery.conf"}},
	}
	if a.role == "k8s" || a.role == "jenkins" {
		out = append(out, Item{"docker-listener": Item{"disabled": "no", "interval": 600, "attempts": 5, "run_on_start": "yes"}})
	}
	if a.role == "manager" {
		out = append(out, Item{"vulnerability-detection": Item{"enabled": "yes", "index-status": "yes", "feed-update-interval": "60m"}})
	}
	return out
}
