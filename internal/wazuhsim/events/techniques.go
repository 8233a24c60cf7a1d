package events

// ATT&CK tactic names as Wazuh's MITRE database spells them.
const (
	tReconnaissance   = "Reconnaissance"
	tInitialAccess    = "Initial Access"
	tExecution        = "Execution"
	tPersistence      = "Persistence"
	tPrivEsc          = "Privilege Escalation"
	tDefenseEvasion   = "Defense Evasion"
	tCredentialAccess = "Credential Access"
	tDiscovery        = "Discovery"
	tLateralMovement  = "Lateral Movement"
	tCollection       = "Collection"
	tCommandControl   = "Command and Control"
	tImpact           = "Impact"
)

// techniqueTable lists every technique referenced by ruleTable, with its
// ATT&CK name (sub-techniques carry their own short name, as alerts show in
// rule.mitre.technique) and tactics. A test keeps it complete.
var techniqueTable = []Technique{
	{ID: "T1003.001", Name: "LSASS Memory", Tactics: []string{tCredentialAccess}, Description: "Adversaries may access the memory of the Local Security Authority Subsystem Service (LSASS) to obtain credential material."},
	{ID: "T1005", Name: "Data from Local System", Tactics: []string{tCollection}, Description: "Adversaries may search local system sources, such as file systems and local databases, to find files of interest."},
	{ID: "T1018", Name: "Remote System Discovery", Tactics: []string{tDiscovery}, Description: "Adversaries may try to get a listing of other systems by IP address, hostname, or other logical identifier on a network."},
	{ID: "T1021", Name: "Remote Services", Tactics: []string{tLateralMovement}, Description: "Adversaries may use valid accounts to log into a service that accepts remote connections."},
	{ID: "T1021.001", Name: "Remote Desktop Protocol", Tactics: []string{tLateralMovement}, Description: "Adversaries may use valid accounts to log into a computer using the Remote Desktop Protocol (RDP)."},
	{ID: "T1021.002", Name: "SMB/Windows Admin Shares", Tactics: []string{tLateralMovement}, Description: "Adversaries may use valid accounts to interact with a remote network share using Server Message Block (SMB)."},
	{ID: "T1021.004", Name: "SSH", Tactics: []string{tLateralMovement}, Description: "Adversaries may use valid accounts to log into remote machines using Secure Shell (SSH)."},
	{ID: "T1040", Name: "Network Sniffing", Tactics: []string{tCredentialAccess, tDiscovery}, Description: "Adversaries may sniff network traffic to capture information about an environment, including authentication material."},
	{ID: "T1046", Name: "Network Service Discovery", Tactics: []string{tDiscovery}, Description: "Adversaries may attempt to get a listing of services running on remote hosts."},
	{ID: "T1047", Name: "Windows Management Instrumentation", Tactics: []string{tExecution}, Description: "Adversaries may abuse Windows Management Instrumentation (WMI) to execute malicious commands and payloads."},
	{ID: "T1053.003", Name: "Cron", Tactics: []string{tExecution, tPersistence, tPrivEsc}, Description: "Adversaries may abuse the cron utility to perform task scheduling for initial or recurring execution of malicious code."},
	{ID: "T1053.005", Name: "Scheduled Task", Tactics: []string{tExecution, tPersistence, tPrivEsc}, Description: "Adversaries may abuse the Windows Task Scheduler to perform task scheduling for initial or recurring execution of malicious code."},
	{ID: "T1055", Name: "Process Injection", Tactics: []string{tDefenseEvasion, tPrivEsc}, Description: "Adversaries may inject code into processes in order to evade process-based defenses as well as possibly elevate privileges."},
	{ID: "T1059", Name: "Command and Scripting Interpreter", Tactics: []string{tExecution}, Description: "Adversaries may abuse command and script interpreters to execute commands, scripts, or binaries."},
	{ID: "T1059.001", Name: "PowerShell", Tactics: []string{tExecution}, Description: "Adversaries may abuse PowerShell commands and scripts for execution."},
	{ID: "T1059.003", Name: "Windows Command Shell", Tactics: []string{tExecution}, Description: "Adversaries may abuse the Windows command shell for execution."},
	{ID: "T1059.004", Name: "Unix Shell", Tactics: []string{tExecution}, Description: "Adversaries may abuse Unix shell commands and scripts for execution."},
	{ID: "T1059.005", Name: "Visual Basic", Tactics: []string{tExecution}, Description: "Adversaries may abuse Visual Basic (VB) for execution."},
	{ID: "T1059.007", Name: "JavaScript", Tactics: []string{tExecution}, Description: "Adversaries may abuse various implementations of JavaScript for execution."},
	{ID: "T1068", Name: "Exploitation for Privilege Escalation", Tactics: []string{tPrivEsc}, Description: "Adversaries may exploit software vulnerabilities in an attempt to elevate privileges."},
	{ID: "T1070", Name: "Indicator Removal", Tactics: []string{tDefenseEvasion}, Description: "Adversaries may delete or modify artifacts generated within systems to remove evidence of their presence."},
	{ID: "T1070.004", Name: "File Deletion", Tactics: []string{tDefenseEvasion}, Description: "Adversaries may delete files left behind by the actions of their intrusion activity."},
	{ID: "T1072", Name: "Software Deployment Tools", Tactics: []string{tExecution, tLateralMovement}, Description: "Adversaries may gain access to and use centralized software suites installed within an enterprise to execute commands and move laterally."},
	{ID: "T1078", Name: "Valid Accounts", Tactics: []string{tDefenseEvasion, tPersistence, tPrivEsc, tInitialAccess}, Description: "Adversaries may obtain and abuse credentials of existing accounts as a means of gaining access."},
	{ID: "T1078.002", Name: "Domain Accounts", Tactics: []string{tDefenseEvasion, tPersistence, tPrivEsc, tInitialAccess}, Description: "Adversaries may obtain and abuse credentials of a domain account."},
	{ID: "T1082", Name: "System Information Discovery", Tactics: []string{tDiscovery}, Description: "An adversary may attempt to get detailed information about the operating system and hardware."},
	{ID: "T1083", Name: "File and Directory Discovery", Tactics: []string{tDiscovery}, Description: "Adversaries may enumerate files and directories or may search in specific locations of a host or network share."},
	{ID: "T1087", Name: "Account Discovery", Tactics: []string{tDiscovery}, Description: "Adversaries may attempt to get a listing of valid accounts, usernames, or email addresses on a system or within a compromised environment."},
	{ID: "T1095", Name: "Non-Application Layer Protocol", Tactics: []string{tCommandControl}, Description: "Adversaries may use an OSI non-application layer protocol for communication."},
	{ID: "T1098", Name: "Account Manipulation", Tactics: []string{tPersistence, tPrivEsc}, Description: "Adversaries may manipulate accounts to maintain and/or elevate access to victim systems."},
	{ID: "T1102", Name: "Web Service", Tactics: []string{tCommandControl}, Description: "Adversaries may use an existing, legitimate external Web service as a means for relaying data to/from a compromised system."},
	{ID: "T1105", Name: "Ingress Tool Transfer", Tactics: []string{tCommandControl}, Description: "Adversaries may transfer tools or other files from an external system into a compromised environment."},
	{ID: "T1110", Name: "Brute Force", Tactics: []string{tCredentialAccess}, Description: "Adversaries may use brute force techniques to gain access to accounts when passwords are unknown or when password hashes are obtained."},
	{ID: "T1110.001", Name: "Password Guessing", Tactics: []string{tCredentialAccess}, Description: "Adversaries with no prior knowledge of legitimate credentials within the system or environment may guess passwords to attempt access to accounts."},
	{ID: "T1112", Name: "Modify Registry", Tactics: []string{tDefenseEvasion}, Description: "Adversaries may interact with the Windows Registry to hide configuration information, remove information as part of cleaning up, or as part of other techniques."},
	{ID: "T1136", Name: "Create Account", Tactics: []string{tPersistence}, Description: "Adversaries may create an account to maintain access to victim systems."},
	{ID: "T1190", Name: "Exploit Public-Facing Application", Tactics: []string{tInitialAccess}, Description: "Adversaries may attempt to exploit a weakness in an Internet-facing host or system to initially access a network."},
	{ID: "T1204", Name: "User Execution", Tactics: []string{tExecution}, Description: "An adversary may rely upon specific actions by a user in order to gain execution."},
	{ID: "T1210", Name: "Exploitation of Remote Services", Tactics: []string{tLateralMovement}, Description: "Adversaries may exploit remote services to gain unauthorized access to internal systems once inside of a network."},
	{ID: "T1212", Name: "Exploitation for Credential Access", Tactics: []string{tCredentialAccess}, Description: "Adversaries may exploit software vulnerabilities in an attempt to collect credentials."},
	{ID: "T1484", Name: "Domain Policy Modification", Tactics: []string{tDefenseEvasion, tPrivEsc}, Description: "Adversaries may modify the configuration settings of a domain to evade defenses and/or escalate privileges in domain environments."},
	{ID: "T1485", Name: "Data Destruction", Tactics: []string{tImpact}, Description: "Adversaries may destroy data and files on specific systems or in large numbers on a network to interrupt availability."},
	{ID: "T1489", Name: "Service Stop", Tactics: []string{tImpact}, Description: "Adversaries may stop or disable services on a system to render those services unavailable to legitimate users."},
	{ID: "T1498", Name: "Network Denial of Service", Tactics: []string{tImpact}, Description: "Adversaries may perform Network Denial of Service (DoS) attacks to degrade or block the availability of targeted resources to users."},
	{ID: "T1499", Name: "Endpoint Denial of Service", Tactics: []string{tImpact}, Description: "Adversaries may perform Endpoint Denial of Service (DoS) attacks to degrade or block the availability of services to users."},
	{ID: "T1505.003", Name: "Web Shell", Tactics: []string{tPersistence}, Description: "Adversaries may backdoor web servers with web shells to establish persistent access to systems."},
	{ID: "T1529", Name: "System Shutdown/Reboot", Tactics: []string{tImpact}, Description: "Adversaries may shutdown/reboot systems to interrupt access to, or aid in the destruction of, those systems."},
	{ID: "T1531", Name: "Account Access Removal", Tactics: []string{tImpact}, Description: "Adversaries may interrupt availability of system and network resources by inhibiting access to accounts utilized by legitimate users."},
	{ID: "T1543.003", Name: "Windows Service", Tactics: []string{tPersistence, tPrivEsc}, Description: "Adversaries may create or modify Windows services to repeatedly execute malicious payloads as part of persistence."},
	{ID: "T1547.001", Name: "Registry Run Keys / Startup Folder", Tactics: []string{tPersistence, tPrivEsc}, Description: "Adversaries may achieve persistence by adding a program to a startup folder or referencing it with a Registry run key."},
	{ID: "T1548.003", Name: "Sudo and Sudo Caching", Tactics: []string{tPrivEsc, tDefenseEvasion}, Description: "Adversaries may perform sudo caching and/or use the sudoers file to elevate privileges."},
	{ID: "T1550.002", Name: "Pass the Hash", Tactics: []string{tDefenseEvasion, tLateralMovement}, Description: "Adversaries may pass the hash using stolen password hashes to move laterally within an environment, bypassing normal system access controls."},
	{ID: "T1561.001", Name: "Disk Content Wipe", Tactics: []string{tImpact}, Description: "Adversaries may erase the contents of storage devices on specific systems or in large numbers in a network to interrupt availability."},
	{ID: "T1562", Name: "Impair Defenses", Tactics: []string{tDefenseEvasion}, Description: "Adversaries may maliciously modify components of a victim environment in order to hinder or disable defensive mechanisms."},
	{ID: "T1562.001", Name: "Disable or Modify Tools", Tactics: []string{tDefenseEvasion}, Description: "Adversaries may modify and/or disable security tools to avoid possible detection of their malware/tools and activities."},
	{ID: "T1565.001", Name: "Stored Data Manipulation", Tactics: []string{tImpact}, Description: "Adversaries may insert, delete, or manipulate data at rest in order to influence external outcomes or hide activity."},
	{ID: "T1570", Name: "Lateral Tool Transfer", Tactics: []string{tLateralMovement}, Description: "Adversaries may transfer tools or other files between systems in a compromised environment."},
	{ID: "T1595.002", Name: "Vulnerability Scanning", Tactics: []string{tReconnaissance}, Description: "Adversaries may scan victims for vulnerabilities that can be used during targeting."},
}
