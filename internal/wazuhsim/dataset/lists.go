package dataset

import "fmt"

// Known-bad indicators of the malicious-ioc lists. Only documentation
// ranges (RFC 5737) and reserved names are used, so nothing real is accused.
var maliciousIPs = []struct{ ip, tag string }{
	{IncidentAttackerIP, "ssh-bruteforce,reverse-shell-c2"}, {IncidentScannerIP, "web-scanner"},
	{"192.0.2.14", "tor-exit"}, {"192.0.2.33", "botnet-c2"}, {"192.0.2.47", "scanner"}, {"192.0.2.58", "phishing"},
	{"192.0.2.71", "ssh-bruteforce"}, {"192.0.2.89", "malware-distribution"}, {"192.0.2.102", "scanner"},
	{"192.0.2.115", "tor-exit"}, {"192.0.2.143", "botnet-c2"}, {"192.0.2.201", "spam"},
	{"198.51.100.4", "scanner"}, {"198.51.100.17", "ssh-bruteforce"}, {"198.51.100.42", "malware-distribution"},
	{"198.51.100.66", "botnet-c2"}, {"198.51.100.77", "phishing"}, {"198.51.100.91", "tor-exit"},
	{"198.51.100.130", "web-scanner"}, {"198.51.100.155", "cryptominer-pool"}, {"198.51.100.188", "ssh-bruteforce"},
	{"198.51.100.213", "spam"}, {"203.0.113.9", "scanner"}, {"203.0.113.25", "botnet-c2"}, {"203.0.113.38", "ssh-bruteforce"},
	{"203.0.113.50", "ransomware-c2"}, {"203.0.113.61", "phishing"}, {"203.0.113.84", "tor-exit"},
	{"203.0.113.99", "web-scanner"}, {"203.0.113.120", "malware-distribution"}, {"203.0.113.177", "cryptominer-pool"},
	{"203.0.113.240", "scanner"},
}

var maliciousDomains = []struct{ domain, tag string }{
	{IncidentC2Domain, "reverse-shell-c2"}, {"login-microsoftonline.example", "phishing"}, {"cdn-jquery-update.example", "malware-distribution"},
	{"pool.xmr-mine.example", "cryptominer-pool"}, {"secure-paypal-verify.example", "phishing"}, {"dl.payload-drop.test", "malware-distribution"},
	{"c2.darkstar.invalid", "botnet-c2"}, {"update-flash-player.example", "malware-distribution"}, {"docs-google-share.example", "phishing"},
	{"beacon.cobalt.invalid", "botnet-c2"}, {"wallet-drainer.test", "phishing"}, {"tor2web-gateway.example", "tor-proxy"},
}

// buildLists renders GET /lists. Order follows the real API (by path).
func buildLists() []Item {
	return []Item{
		listItem("etc/lists/amazon", "aws-eventnames", awsEventNames()),
		listItem("etc/lists/amazon", "aws-sources", awsSources()),
		listItem("etc/lists", "audit-keys", [][2]string{{"audit-wazuh-w", "write"}, {"audit-wazuh-r", "read"}, {"audit-wazuh-a", "attribute"}, {"audit-wazuh-x", "execute"}, {"audit-wazuh-c", "command"}}),
		listItem("etc/lists/malicious-ioc", "malicious-domains", domainPairs()),
		listItem("etc/lists/malicious-ioc", "malicious-ip", ipPairs()),
		listItem("etc/lists/malicious-ioc", "malware-hashes", hashPairs()),
		listItem("etc/lists", "security-eventchannel", securityEventChannel()),
	}
}

func listItem(dir, name string, pairs [][2]string) Item {
	items := make([]any, 0, len(pairs))
	for _, p := range pairs {
		items = append(items, Item{"key": p[0], "value": p[1]})
	}
	return Item{"items": items, "relative_dirname": dir, "filename": name}
}

func ipPairs() [][2]string {
	out := make([][2]string, 0, len(maliciousIPs))
	for _, x := range maliciousIPs {
		out = append(out, [2]string{x.ip, x.tag})
	}
	return out
}

func domainPairs() [][2]string {
	out := make([][2]string, 0, len(maliciousDomains))
	for _, x := range maliciousDomains {
		out = append(out, [2]string{x.domain, x.tag})
	}
	return out
}

// hashPairs lists the incident's files first, then well-known-looking
// families whose digests are derived (they match nothing on the fleet).
func hashPairs() [][2]string {
	out := [][2]string{
		{WebShellSHA256, "php-webshell"}, {WebShellMD5, "php-webshell"},
		{dropperSHA256, "linux-reverse-shell"},
	}
	for i, fam := range []string{"mirai", "xmrig-miner", "cobaltstrike-beacon", "emotet", "qakbot", "lockbit", "agent-tesla", "njrat", "asyncrat", "redline-stealer"} {
		out = append(out, [2]string{sha256Of(fmt.Sprintf("ioc:%s:%d", fam, i)), fam})
		out = append(out, [2]string{md5Of(fmt.Sprintf("ioc:%s:%d", fam, i)), fam})
	}
	return out
}

func awsEventNames() [][2]string {
	names := []string{"ConsoleLogin", "CreateUser", "DeleteUser", "CreateAccessKey", "DeleteTrail", "StopLogging", "UpdateTrail",
		"PutBucketPolicy", "PutBucketAcl", "AuthorizeSecurityGroupIngress", "CreateKeyPair", "RunInstances", "TerminateInstances",
		"AttachUserPolicy", "PutUserPolicy", "CreateLoginProfile", "UpdateLoginProfile", "DisableKey", "ScheduleKeyDeletion",
		"GetSecretValue", "AssumeRole", "CreateRole", "DeleteBucket", "ModifyInstanceAttribute"}
	out := make([][2]string, 0, len(names))
	for _, n := range names {
		out = append(out, [2]string{n, ""})
	}
	return out
}

func awsSources() [][2]string {
	return [][2]string{{"cloudtrail", ""}, {"guardduty", ""}, {"vpcflow", ""}, {"config", ""}, {"macie", ""}, {"inspector", ""}, {"waf", ""}, {"s3_server_access", ""}}
}

func securityEventChannel() [][2]string {
	return [][2]string{
		{"4624", "Successful logon"}, {"4625", "Failed logon"}, {"4634", "Logoff"}, {"4648", "Logon with explicit credentials"},
		{"4672", "Special privileges assigned"}, {"4688", "Process created"}, {"4720", "User account created"}, {"4722", "User account enabled"},
		{"4724", "Password reset attempt"}, {"4725", "User account disabled"}, {"4726", "User account deleted"}, {"4728", "Member added to global group"},
		{"4732", "Member added to local group"}, {"4740", "User account locked out"}, {"4756", "Member added to universal group"},
		{"4767", "User account unlocked"}, {"4768", "Kerberos TGT requested"}, {"4769", "Kerberos service ticket requested"},
		{"4771", "Kerberos pre-authentication failed"}, {"4776", "Credential validation"}, {"1102", "Audit log cleared"},
	}
}
