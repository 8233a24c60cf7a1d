package dataset

// decoderSpec is one real decoder of the Wazuh ruleset (name, file and the
// essentials of its definition as GET /decoders "details" shows them).
type decoderSpec struct {
	file, name, parent, prematch, regex, order, program, jsonType string
}

var decoderSpecs = []decoderSpec{
	{"0005-wazuh_decoders.xml", "wazuh", "", "^wazuh: ", "", "", "", ""},
	{"0005-wazuh_decoders.xml", "agent-buffer", "wazuh", "^ Agent buffer:", "^ '(\\S+)'.", "level", "", ""},
	{"0005-wazuh_decoders.xml", "agent-upgrade", "wazuh", "^Upgrade procedure", "", "", "", ""},
	{"0005-wazuh_decoders.xml", "agent-restart", "wazuh", "^Agent restarted", "", "", "", ""},
	{"0006-json_decoders.xml", "json", "", "^{\\s*\"", "", "", "", "JSON_Decoder"},
	{"0010-active-response_decoders.xml", "ar_log", "", "^\\d\\d\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d \\S+: ", "", "", "", ""},
	{"0010-active-response_decoders.xml", "ar_log_json", "", "^\\d\\d\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d active-response/bin/\\S+: {", "", "", "", "JSON_Decoder"},
	{"0015-ossec_decoders.xml", "ossec", "", "^ossec: ", "", "", "", ""},
	{"0015-ossec_decoders.xml", "rootcheck", "", "^rootcheck: ", "", "", "", ""},
	{"0015-ossec_decoders.xml", "syscheck_integrity_changed", "", "^Integrity checksum changed for: ", "", "", "", ""},
	{"0015-ossec_decoders.xml", "syscheck_new_entry", "", "^New file '", "", "", "", ""},
	{"0015-ossec_decoders.xml", "syscheck_deleted", "", "^File '\\S+' was deleted.", "", "", "", ""},
	{"0025-apache_decoders.xml", "apache-errorlog", "", "^[warn] |^[notice] |^[error] ", "", "", "", ""},
	{"0025-apache_decoders.xml", "apache-errorlog-ip", "apache-errorlog", "", "[client (\\S+)]", "srcip", "", ""},
	{"0040-auditd_decoders.xml", "auditd", "", "^type=", "", "", "", ""},
	{"0040-auditd_decoders.xml", "auditd-syscall", "auditd", "", "^SYSCALL msg=audit\\((\\d\\d\\d\\d\\d\\d\\d\\d\\d\\d.\\d\\d\\d:\\d+)\\): ", "audit.id", "", ""},
	{"0040-auditd_decoders.xml", "auditd-execve", "auditd", "", "^EXECVE msg=audit\\(\\d+.\\d+:(\\d+)\\): argc=(\\d+) ", "audit.id,audit.execve.argc", "", ""},
	{"0040-auditd_decoders.xml", "auditd-config_change", "auditd", "", "^CONFIG_CHANGE msg=audit\\(\\d+.\\d+:(\\d+)\\): ", "audit.id", "", ""},
	{"0065-cisco-ios_decoders.xml", "cisco-ios", "", "^%\\w+-\\d-\\w+: ", "", "", "", ""},
	{"0100-dovecot_decoders.xml", "dovecot", "", "", "", "", "^dovecot", ""},
	{"0100-dovecot_decoders.xml", "dovecot-fields", "dovecot", "", "user=<(\\S+)>, method=\\S+, rip=(\\S+), lip=(\\S+)", "dstuser,srcip,dstip", "", ""},
	{"0120-firewall_decoders.xml", "iptables", "", "^kernel: \\[\\s*\\d+.\\d+\\] |^kernel: ", "", "", "", ""},
	{"0120-firewall_decoders.xml", "firewalld", "", "", "", "", "^firewalld", ""},
	{"0145-kernel_decoders.xml", "kernel", "", "", "", "", "^kernel", ""},
	{"0155-mysql_decoders.xml", "mysql_log", "", "^MySQL log: \\d+ \\S+ \\d+ ", "", "", "", ""},
	{"0165-named_decoders.xml", "named", "", "", "", "", "^named", ""},
	{"0170-nginx_decoders.xml", "nginx-errorlog", "", "^\\d+/\\d+/\\d+ \\d+:\\d+:\\d+ [\\w+] \\d+#\\d+: ", "", "", "", ""},
	{"0170-nginx_decoders.xml", "nginx-errorlog-ip", "nginx-errorlog", "", ", client: (\\S+), server: ", "srcip", "", ""},
	{"0175-openldap_decoders.xml", "openldap", "", "", "", "", "^slapd", ""},
	{"0180-openvpn_decoders.xml", "openvpn", "", "", "", "", "^ovpn-", ""},
	{"0185-pam_decoders.xml", "pam", "", "^pam_unix|^\\(pam_unix\\)", "", "", "", ""},
	{"0185-pam_decoders.xml", "pam-fields", "pam", "", "ruser=(\\S*) rhost=(\\S*)\\s+user=(\\S*)", "srcuser,srcip,dstuser", "", ""},
	{"0190-postfix_decoders.xml", "postfix", "", "", "", "", "^postfix", ""},
	{"0190-postfix_decoders.xml", "postfix-reject", "postfix", "^NOQUEUE: reject: RCPT from ", "^\\S+[(\\S+)]:\\d+: (\\d+) ", "srcip,id", "", ""},
	{"0195-postgresql_decoders.xml", "postgresql_log", "", "^[\\d\\d\\d\\d-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d", "", "", "", ""},
	{"0205-proftpd_decoders.xml", "proftpd", "", "", "", "", "^proftpd", ""},
	{"0225-rsyslog_decoders.xml", "rsyslogd", "", "", "", "", "^rsyslogd", ""},
	{"0235-sendmail_decoders.xml", "sendmail-reject", "", "", "", "", "^sendmail|^sm-mta", ""},
	{"0240-smbd_decoders.xml", "smbd", "", "", "", "", "^smbd", ""},
	{"0250-squid_decoders.xml", "squid-accesslog", "", "^\\d+.\\d+\\s+\\d+ \\S+ \\w+/\\d+ \\d+ \\w+ ", "", "", "", ""},
	{"0255-sshd_decoders.xml", "sshd", "", "", "", "", "^sshd", ""},
	{"0255-sshd_decoders.xml", "sshd-success", "sshd", "^Accepted", "^ \\S+ for (\\S+) from (\\S+) port (\\S+)", "user, srcip, srcport", "", ""},
	{"0255-sshd_decoders.xml", "sshd-fail", "sshd", "^Failed \\S+ ", "^for (\\S+) from (\\S+) port (\\d+)", "dstuser, srcip, srcport", "", ""},
	{"0255-sshd_decoders.xml", "sshd-invalid", "sshd", "^Invalid user|^Illegal user", "(\\S+) from (\\S+)", "srcuser, srcip", "", ""},
	{"0255-sshd_decoders.xml", "sshd-disconnect", "sshd", "^Received disconnect from ", "^(\\S+) port (\\d+):", "srcip, srcport", "", ""},
	{"0270-su_decoders.xml", "su", "", "", "", "", "^su$", ""},
	{"0275-sudo_decoders.xml", "sudo", "", "", "", "", "^sudo", ""},
	{"0275-sudo_decoders.xml", "sudo-fields", "sudo", "", "^\\s+(\\S+)\\s:\\.+TTY=(\\S+)\\s+;\\s+PWD=(\\S+)\\s+;\\s+USER=(\\S+)\\s+;\\s+COMMAND=(\\.+)", "srcuser, tty, pwd, dstuser, command", "", ""},
	{"0280-syslog-generic_decoders.xml", "syslog-errors", "", "^error: |^ERROR: ", "", "", "", ""},
	{"0281-systemd_decoders.xml", "systemd", "", "", "", "", "^systemd", ""},
	{"0281-systemd_decoders.xml", "systemd-logind", "", "", "", "", "^systemd-logind", ""},
	{"0290-unix_chkpwd_decoders.xml", "unix_chkpwd", "", "", "", "", "^unix_chkpwd", ""},
	{"0300-useradd_decoders.xml", "useradd", "", "", "", "", "^useradd", ""},
	{"0300-useradd_decoders.xml", "groupadd", "", "", "", "", "^groupadd", ""},
	{"0300-useradd_decoders.xml", "usermod", "", "", "", "", "^usermod", ""},
	{"0300-useradd_decoders.xml", "userdel", "", "", "", "", "^userdel", ""},
	{"0310-vsftpd_decoders.xml", "vsftpd", "", "^\\w\\w\\w \\w\\w\\w\\s+\\d+ \\d\\d:\\d\\d:\\d\\d \\d\\d\\d\\d [pid \\d+] ", "", "", "", ""},
	{"0320-web-accesslog_decoders.xml", "web-accesslog", "", "^\\S+ \\S+ \\S+ [\\S+ \\S\\d+] \"\\w+ \\S+ HTTP\\S+\" ", "", "", "", ""},
	{"0320-web-accesslog_decoders.xml", "web-accesslog-ip", "web-accesslog", "", "^(\\S+) \\S+ \\S+ [\\S+ \\S\\d+] \"(\\w+) (\\S+) HTTP\\S+\" (\\d+) ", "srcip, protocol, url, id", "", ""},
	{"0330-windows_decoders.xml", "windows", "", "^WinEvtLog: ", "", "", "", ""},
	{"0350-cron_decoders.xml", "cron", "", "", "", "", "^cron|^CRON|^crond|^/usr/sbin/cron", ""},
	{"0360-dpkg_decoders.xml", "dpkg-decoder", "", "^\\d+-\\d+-\\d+ \\d+:\\d+:\\d+ status installed|^\\d+-\\d+-\\d+ \\d+:\\d+:\\d+ status half-configured", "", "", "", ""},
	{"0370-yum_decoders.xml", "yum-installed", "", "^Installed: ", "", "", "", ""},
	{"0380-windows_eventchannel_decoders.xml", "windows_eventchannel", "", "", "", "", "", "JSON_Decoder"},
	{"0390-docker_decoders.xml", "docker", "", "", "", "", "", "JSON_Decoder"},
	{"0395-fail2ban_decoders.xml", "fail2ban", "", "^\\d+-\\d+-\\d+ \\d+:\\d+:\\d+,\\d+ fail2ban.", "", "", "", ""},
	{"0400-haproxy_decoders.xml", "haproxy", "", "", "", "", "^haproxy", ""},
	{"0420-sca_decoders.xml", "sca", "", "", "", "", "", "JSON_Decoder"},
	{"0425-syscollector_decoders.xml", "syscollector", "", "", "", "", "", "JSON_Decoder"},
	{"0430-vulnerability-detector_decoders.xml", "vulnerability-detector", "", "", "", "", "", "JSON_Decoder"},
	{"0440-osquery_decoders.xml", "osquery", "", "", "", "", "", "JSON_Decoder"},
	{"0470-macos_decoders.xml", "macos", "", "", "", "", "", "JSON_Decoder"},
	{"0475-journald_decoders.xml", "journald", "", "", "", "", "", "JSON_Decoder"},
}

// buildDecoders renders GET /decoders; position counts decoders within a file.
func buildDecoders() []Item {
	out := make([]Item, 0, len(decoderSpecs))
	pos := map[string]int{}
	for _, d := range decoderSpecs {
		details := Item{}
		if d.parent != "" {
			details["parent"] = d.parent
		}
		if d.program != "" {
			details["program_name"] = Item{"pattern": d.program}
		}
		if d.prematch != "" {
			pm := Item{"pattern": d.prematch}
			if d.parent != "" {
				pm["offset"] = "after_parent"
			}
			details["prematch"] = pm
		}
		if d.regex != "" {
			rx := Item{"pattern": d.regex}
			if d.prematch != "" {
				rx["offset"] = "after_prematch"
			}
			details["regex"] = rx
			details["order"] = d.order
		}
		if d.jsonType != "" {
			details["plugin_decoder"] = d.jsonType
		}
		out = append(out, Item{"filename": d.file, "relative_dirname": "ruleset/decoders", "status": "enabled",
			"name": d.name, "position": pos[d.file], "details": details})
		pos[d.file]++
	}
	return out
}
