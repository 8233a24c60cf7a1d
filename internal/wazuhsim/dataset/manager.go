package dataset

import "time"

// ClusterKey is the cluster <key> in the manager's ossec.conf; it and the
// integration api_key below are there so redaction has secrets to redact.
const ClusterKey = "c98b62a9b6169ac5f67dae55ae4a9088"

// Secret-looking values of the manager configuration (integrations).
const (
	VirusTotalAPIKey = "6f1c2e4d8a9b0c3d5e7f1a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d"
	SlackHookURL     = "https://hooks.slack.com/services/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"
	PagerDutyAPIKey  = "u+3Kx9bPqZ_fT7mW2nRy"
)

func apiInfo(now time.Time) Item {
	return Item{
		"title": "Wazuh API REST", "api_version": "4.14.7", "revision": "rc1", "license_name": "GPL 2.0",
		"license_url": "https://github.com/wazuh/wazuh/blob/v4.14.7/LICENSE", "hostname": ManagerName, "timestamp": zTime(now),
	}
}

func managerInfo(seed int64) Item {
	return Item{"path": "/var/ossec", "version": WazuhVersion, "type": "server", "max_agents": "unlimited",
		"openssl_support": "yes", "tz_offset": "+0000", "tz_name": "UTC", "uuid": uuidOf("manager:" + itoa64(seed))}
}

func managerStatus() Item {
	return Item{
		"wazuh-agentlessd": "stopped", "wazuh-analysisd": "running", "wazuh-authd": "running", "wazuh-csyslogd": "stopped",
		"wazuh-dbd": "stopped", "wazuh-monitord": "running", "wazuh-execd": "running", "wazuh-integratord": "running",
		"wazuh-logcollector": "running", "wazuh-maild": "stopped", "wazuh-remoted": "running", "wazuh-reportd": "stopped",
		"wazuh-syscheckd": "running", "wazuh-clusterd": "running", "wazuh-modulesd": "running", "wazuh-db": "running",
		"wazuh-apid": "running",
	}
}

// managerConfig is ossec.conf as GET /manager/configuration returns it.
func managerConfig() Item {
	return Item{
		"global": Item{
			"jsonout_output": "yes", "alerts_log": "yes", "logall": "no", "logall_json": "no", "email_notification": "no",
			"smtp_server": "smtp.example.com", "email_from": "wazuh@example.com", "email_to": "soc@example.com",
			"email_maxperhour": 12, "email_log_source": "alerts.log", "agents_disconnection_time": "10m",
			"agents_disconnection_alert_time": 0, "update_check": "yes",
			"white_list": []any{"127.0.0.1", "^localhost.localdomain$", "10.0.0.53"},
		},
		"alerts":  Item{"log_alert_level": "3", "email_alert_level": "12"},
		"logging": Item{"log_format": "plain"},
		"remote":  []any{Item{"connection": "secure", "port": "1514", "protocol": []any{"tcp"}, "queue_size": "131072"}},
		"rootcheck": Item{"disabled": "no", "check_files": "yes", "check_trojans": "yes", "check_dev": "yes", "check_sys": "yes",
			"check_pids": "yes", "check_ports": "yes", "check_if": "yes", "frequency": "43200", "rootkit_files": "etc/rootcheck/rootkit_files.txt",
			"rootkit_trojans": "etc/rootcheck/rootkit_trojans.txt", "skip_nfs": "yes"},
		"syscheck": Item{"disabled": "no", "frequency": "43200", "scan_on_start": "yes", "alert_new_files": "yes",
			"directories": []any{Item{"dir": "/etc,/usr/bin,/usr/sbin", "check_all": "yes"}, Item{"dir": "/bin,/sbin,/boot", "check_all": "yes"}},
			"ignore":      []any{"/etc/mtab", "/etc/hosts.deny", "/etc/mail/statistics", "/etc/random-seed", "/etc/adjtime"},
			"nodiff":      []any{"/etc/ssl/private.key"}, "skip_nfs": "yes", "skip_dev": "yes", "skip_proc": "yes", "skip_sys": "yes",
			"process_priority": "10", "max_eps": "50", "synchronization": Item{"enabled": "yes", "interval": "5m", "max_eps": "10"}},
		"ruleset": Item{
			"decoder_dir": []any{"ruleset/decoders"}, "rule_dir": []any{"ruleset/rules"},
			"rule_exclude": []any{"0215-policy_rules.xml"},
			"list": []any{"etc/lists/audit-keys", "etc/lists/amazon/aws-eventnames", "etc/lists/security-eventchannel",
				"etc/lists/malicious-ioc/malicious-ip", "etc/lists/malicious-ioc/malicious-domains", "etc/lists/malicious-ioc/malware-hashes"},
			"user_defined_decoder": Item{"decoder_dir": []any{"etc/decoders"}}, "user_defined_rule": Item{"rule_dir": []any{"etc/rules"}},
		},
		"auth": Item{"disabled": "no", "port": 1515, "use_source_ip": "no", "purge": "yes", "use_password": "no",
			"ciphers": "HIGH:!ADH:!EXP:!MD5:!RC4:!3DES:!CAMELLIA:@STRENGTH", "ssl_verify_host": "no",
			"ssl_manager_cert": "etc/sslmanager.cert", "ssl_manager_key": "etc/sslmanager.key", "ssl_auto_negotiate": "no"},
		"cluster": Item{"name": ClusterName, "node_name": MasterNode, "node_type": "master", "key": ClusterKey, "port": 1516,
			"bind_addr": "0.0.0.0", "nodes": []any{managerAddr}, "hidden": "no", "disabled": "no"},
		"vulnerability-detection": Item{"enabled": "yes", "index-status": "yes", "feed-update-interval": "60m"},
		"indexer": Item{"enabled": "yes", "hosts": []any{"https://127.0.0.1:9200"},
			"ssl": Item{"certificate_authorities": []any{"/etc/filebeat/certs/root-ca.pem"},
				"certificate": "/etc/filebeat/certs/wazuh-server.pem", "key": "/etc/filebeat/certs/wazuh-server-key.pem"}},
		"integration": []any{
			Item{"name": "virustotal", "api_key": VirusTotalAPIKey, "group": "syscheck", "alert_format": "json"},
			Item{"name": "slack", "hook_url": SlackHookURL, "level": 10, "alert_format": "json"},
			Item{"name": "pagerduty", "api_key": PagerDutyAPIKey, "level": 12, "alert_format": "json"},
		},
		"command": []any{
			Item{"name": "disable-account", "executable": "disable-account", "timeout_allowed": "yes"},
			Item{"name": "restart-wazuh", "executable": "restart-wazuh"},
			Item{"name": "firewall-drop", "executable": "firewall-drop", "timeout_allowed": "yes"},
			Item{"name": "host-deny", "executable": "host-deny", "timeout_allowed": "yes"},
			Item{"name": "route-null", "executable": "route-null", "timeout_allowed": "yes"},
			Item{"name": "win_route-null", "executable": "route-null.exe", "timeout_allowed": "yes"},
			Item{"name": "netsh", "executable": "netsh.exe", "timeout_allowed": "yes"},
		},
		// Each block becomes the ar.conf line "<command><timeout> - <executable> - <timeout>"
		// that PUT /active-response accepts by name (firewall-drop600...). Blocks
		// without a trigger never fire by themselves: they are there so that
		// each stock command, and several block durations, can be requested.
		"active-response": []any{
			Item{"disabled": "no", "command": "firewall-drop", "location": "local", "rules_id": "5763", "timeout": 600},
			Item{"disabled": "no", "command": "firewall-drop", "location": "local", "timeout": 3600},
			Item{"disabled": "no", "command": "firewall-drop", "location": "local", "timeout": 86400},
			Item{"disabled": "no", "command": "host-deny", "location": "local", "rules_id": "31151,31152", "timeout": 600},
			Item{"disabled": "no", "command": "route-null", "location": "local", "timeout": 600},
			Item{"disabled": "no", "command": "win_route-null", "location": "local", "timeout": 600},
			Item{"disabled": "no", "command": "netsh", "location": "local", "timeout": 600},
			Item{"disabled": "no", "command": "disable-account", "location": "local", "timeout": 600},
		},
		"localfile": []any{
			Item{"log_format": "command", "command": "df -P", "frequency": "360"},
			Item{"log_format": "full_command", "command": "last -n 20", "frequency": "360"},
			Item{"log_format": "journald", "location": "journald"},
			Item{"log_format": "syslog", "location": "/var/ossec/logs/active-responses.log"},
		},
		"sca": Item{"enabled": "yes", "scan_on_start": "yes", "interval": "12h", "skip_nfs": "yes"},
		"wodle": []any{Item{"name": "syscollector", "disabled": "no", "interval": "1h", "scan_on_start": "yes", "hardware": "yes",
			"os": "yes", "network": "yes", "packages": "yes", "ports": Item{"all": "no", "item": "yes"}, "processes": "yes",
			"users": "yes", "groups": "yes", "services": "yes", "browser_extensions": "yes", "synchronization": Item{"max_eps": "10"}}},
	}
}

func itoa64(n int64) string { return itoa(int(n)) }
