package events

// scaCheck is a CIS benchmark check as the SCA module reports it.
type scaCheck struct {
	id, title, description, rationale, remediation, cis, command string
}

// scaPolicy is one SCA policy with a few of its real checks.
type scaPolicy struct {
	id, name string
	checks   []scaCheck
}

var linuxSCAPolicy = scaPolicy{
	id:   "cis_ubuntu22-04",
	name: "CIS Ubuntu Linux 22.04 LTS Benchmark v2.0.0.",
	checks: []scaCheck{
		{"28500", "Ensure /tmp is a separate partition.", "The /tmp directory is a world-writable directory used for temporary storage by all users and some applications.", "Making /tmp its own file system allows an administrator to set additional mount options.", "Configure a separate partition for /tmp.", "1.1.2.1", "findmnt -kn /tmp"},
		{"28532", "Ensure AIDE is installed.", "Advanced Intrusion Detection Environment (AIDE) is a intrusion detection tool.", "By monitoring the filesystem state compromised files can be detected.", "Install AIDE using the appropriate package manager.", "1.3.1", "dpkg-query -s aide"},
		{"28583", "Ensure SSH root login is disabled.", "The PermitRootLogin parameter specifies if the root user can log in using SSH.", "Disallowing root logins over SSH requires system admins to authenticate using their own individual account.", "Edit /etc/ssh/sshd_config and set PermitRootLogin no.", "5.2.10", "sshd -T"},
		{"28586", "Ensure SSH MaxAuthTries is set to 4 or less.", "The MaxAuthTries parameter specifies the maximum number of authentication attempts permitted per connection.", "Setting MaxAuthTries to a low number minimizes the risk of successful brute force attacks.", "Edit /etc/ssh/sshd_config and set MaxAuthTries 4.", "5.2.18", "sshd -T"},
		{"28620", "Ensure auditd is installed.", "auditd is the userspace component to the Linux Auditing System.", "The capturing of system events provides system administrators with information to allow them to determine if unauthorized access to their system is occurring.", "Run: apt install auditd audispd-plugins.", "4.1.1.1", "dpkg-query -s auditd"},
		{"28660", "Ensure password expiration is 365 days or less.", "The PASS_MAX_DAYS parameter in /etc/login.defs allows an administrator to force passwords to expire.", "The window of opportunity for an attacker to leverage compromised credentials is limited.", "Set the PASS_MAX_DAYS parameter to conform to site policy in /etc/login.defs.", "5.5.1.2", "grep PASS_MAX_DAYS /etc/login.defs"},
	},
}

var windowsSCAPolicy = scaPolicy{
	id:   "cis_win2022",
	name: "CIS Microsoft Windows Server 2022 Benchmark v2.0.0",
	checks: []scaCheck{
		{"27000", "Ensure 'Enforce password history' is set to '24 or more password(s)'.", "This policy setting determines the number of renewed, unique passwords that have to be associated with a user account before you can reuse an old password.", "The longer a user uses the same password, the greater the chance that an attacker can determine the password.", "Set Enforce password history to 24 or more password(s).", "1.1.1", "net.exe accounts"},
		{"27003", "Ensure 'Minimum password length' is set to '14 or more character(s)'.", "This policy setting determines the least number of characters that make up a password for a user account.", "Short passwords are easier to crack.", "Set Minimum password length to 14 or more character(s).", "1.1.4", "net.exe accounts"},
		{"27006", "Ensure 'Account lockout threshold' is set to '5 or fewer invalid logon attempt(s), but not 0'.", "This policy setting determines the number of failed logon attempts before the account is locked.", "Setting an account lockout threshold reduces the likelihood that an online password brute force attack will be successful.", "Set Account lockout threshold to 5 or fewer invalid logon attempt(s), but not 0.", "1.2.2", "net.exe accounts"},
		{"27045", "Ensure 'Audit Logon' is set to 'Success and Failure'.", "This subcategory reports when a user attempts to log on to the system.", "Auditing these events may be useful when investigating a security incident.", "Set Audit Logon to Success and Failure.", "17.5.4", "auditpol.exe /get /subcategory:Logon"},
	},
}

// scaCheck adds one check result: failed (19007, level 7), passed (19008)
// or not applicable (19009), mostly failed as noisy hardening baselines are.
func (g *generator) scaCheck(ag *agentInfo, ms int64) {
	p := &linuxSCAPolicy
	if ag.windows {
		p = &windowsSCAPolicy
	}
	c := p.checks[g.rng.IntN(len(p.checks))]
	rule, result := 19007, "failed"
	switch r := g.rng.IntN(10); {
	case r >= 8:
		rule, result = 19008, "passed"
	case r == 7:
		rule, result = 19009, "not applicable"
	}
	g.add(ag, rule, shSCA, ms, ag.ref.ID+"-"+p.id+"-"+c.id[3:], p.name, p.id, c.id, c.title, c.description,
		c.rationale, c.remediation, c.cis, c.command, result)
}
