package dataset

import (
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// mitigation is an ATT&CK mitigation (course of action) as Wazuh's MITRE
// database holds it: real ids, names and the opening of their descriptions.
type mitigation struct{ id, name, description string }

var mitigationTable = []mitigation{
	{"M1013", "Application Developer Guidance", "This mitigation describes any guidance or training given to developers of applications to avoid introducing security weaknesses that an adversary may be able to take advantage of."},
	{"M1015", "Active Directory Configuration", "Configure Active Directory to prevent use of certain techniques; use SID Filtering, etc."},
	{"M1016", "Vulnerability Scanning", "Vulnerability scanning is used to find potentially exploitable software vulnerabilities to remediate them."},
	{"M1017", "User Training", "Train users to be aware of access or manipulation attempts by an adversary to reduce the risk of successful spearphishing, social engineering, and other techniques that involve user interaction."},
	{"M1018", "User Account Management", "Manage the creation, modification, use, and permissions associated to user accounts."},
	{"M1019", "Threat Intelligence Program", "A threat intelligence program helps an organization generate their own threat intelligence information and track trends to inform defensive priorities to mitigate risk."},
	{"M1021", "Restrict Web-Based Content", "Restrict use of certain websites, block downloads/attachments, block Javascript, restrict browser extensions, etc."},
	{"M1022", "Restrict File and Directory Permissions", "Restrict access by setting directory and file permissions that are not specific to users or privileged accounts."},
	{"M1024", "Restrict Registry Permissions", "Restrict the ability to modify certain hives or keys in the Windows Registry."},
	{"M1025", "Privileged Process Integrity", "Protect processes with high privileges that can be used to interact with critical system components through use of protected process light, anti-process injection defenses, or other process integrity enforcement measures."},
	{"M1026", "Privileged Account Management", "Manage the creation, modification, use, and permissions associated to privileged accounts, including SYSTEM and root."},
	{"M1027", "Password Policies", "Set and enforce secure password policies for accounts."},
	{"M1028", "Operating System Configuration", "Make configuration changes related to the operating system or a common feature of the operating system that result in system hardening against techniques."},
	{"M1029", "Remote Data Storage", "Use remote security log and sensitive file storage where access can be controlled better to prevent exposure of intrusion detection log data or sensitive information."},
	{"M1030", "Network Segmentation", "Architect sections of the network to isolate critical systems, functions, or resources."},
	{"M1031", "Network Intrusion Prevention", "Use intrusion detection signatures to block traffic at network boundaries."},
	{"M1032", "Multi-factor Authentication", "Use two or more pieces of evidence to authenticate to a system; such as username and password in addition to a token from a physical smart card or token generator."},
	{"M1033", "Limit Software Installation", "Block users or groups from installing unapproved software."},
	{"M1035", "Limit Access to Resource Over Network", "Prevent access to file shares, remote access to systems, unnecessary services."},
	{"M1036", "Account Use Policies", "Configure features related to account use like login attempt lockouts, specific login times, etc."},
	{"M1037", "Filter Network Traffic", "Use network appliances to filter ingress or egress traffic and perform protocol-based filtering."},
	{"M1038", "Execution Prevention", "Block execution of code on a system through application control, and/or script blocking."},
	{"M1040", "Behavior Prevention on Endpoint", "Use capabilities to prevent suspicious behavior patterns from occurring on endpoint systems."},
	{"M1041", "Encrypt Sensitive Information", "Protect sensitive information with strong encryption."},
	{"M1042", "Disable or Remove Feature or Program", "Remove or deny access to unnecessary and potentially vulnerable software to prevent abuse by adversaries."},
	{"M1043", "Credential Access Protection", "Use capabilities to prevent successful credential access by adversaries; including blocking forms of credential dumping."},
	{"M1045", "Code Signing", "Enforce binary and application integrity with digital signature verification to prevent untrusted code from executing."},
	{"M1047", "Audit", "Perform audits or scans of systems, permissions, insecure software, insecure configurations, etc. to identify potential weaknesses."},
	{"M1048", "Application Isolation and Sandboxing", "Restrict execution of code to a virtual environment on or in transit to an endpoint system."},
	{"M1049", "Antivirus/Antimalware", "Use signatures or heuristics to detect malicious software."},
	{"M1050", "Exploit Protection", "Use capabilities to detect and block conditions that may lead to or be indicative of a software exploit occurring."},
	{"M1051", "Update Software", "Perform regular software updates to mitigate exploitation risk."},
	{"M1052", "User Account Control", "Configure Windows User Account Control to mitigate risk of adversaries obtaining elevated process access."},
	{"M1053", "Data Backup", "Take and store data backups from end user systems and critical servers."},
	{"M1056", "Pre-compromise", "This category is used for any applicable mitigation activities that apply to techniques occurring before an adversary gains Initial Access, such as Reconnaissance and Resource Development techniques."},
	{"M1057", "Data Loss Prevention", "Use a data loss prevention (DLP) strategy to categorize sensitive data, identify data formats indicative of personal identifiable information (PII), and restrict exfiltration of sensitive data."},
}

// techniqueMitigations maps each technique of the ruleset to its ATT&CK
// mitigations. Techniques ATT&CK leaves without mitigations ("cannot be
// easily mitigated with preventive controls") have none. A test keeps the
// map complete.
var techniqueMitigations = map[string][]string{
	"T1003.001": {"M1040", "M1043", "M1028", "M1027", "M1026", "M1025", "M1017"},
	"T1005":     {"M1057"},
	"T1018":     nil,
	"T1021":     {"M1032", "M1042", "M1026", "M1018"},
	"T1021.001": {"M1047", "M1042", "M1035", "M1032", "M1030", "M1028", "M1026", "M1018"},
	"T1021.002": {"M1037", "M1035", "M1027", "M1026"},
	"T1021.004": {"M1042", "M1032"},
	"T1040":     {"M1041", "M1032", "M1030", "M1018"},
	"T1046":     {"M1042", "M1031", "M1030"},
	"T1047":     {"M1040", "M1038", "M1026", "M1018"},
	"T1053.003": {"M1047", "M1018"},
	"T1053.005": {"M1047", "M1028", "M1026", "M1018"},
	"T1055":     {"M1040", "M1026"},
	"T1059":     {"M1049", "M1047", "M1045", "M1042", "M1040", "M1038", "M1033", "M1026", "M1021"},
	"T1059.001": {"M1049", "M1045", "M1042", "M1038", "M1026"},
	"T1059.003": {"M1038"},
	"T1059.004": {"M1038"},
	"T1059.005": {"M1049", "M1042", "M1040", "M1038", "M1021"},
	"T1059.007": {"M1042", "M1040", "M1038", "M1021"},
	"T1068":     {"M1048", "M1019", "M1050", "M1051", "M1038"},
	"T1070":     {"M1041", "M1029", "M1022"},
	"T1070.004": nil,
	"T1072":     {"M1015", "M1033", "M1032", "M1030", "M1027", "M1026", "M1051", "M1018", "M1017"},
	"T1078":     {"M1036", "M1015", "M1013", "M1027", "M1026", "M1017", "M1032"},
	"T1078.002": {"M1032", "M1026", "M1017", "M1015"},
	"T1082":     nil,
	"T1083":     nil,
	"T1087":     {"M1028", "M1018"},
	"T1095":     {"M1037", "M1031", "M1030"},
	"T1098":     {"M1032", "M1030", "M1028", "M1026", "M1022"},
	"T1102":     {"M1031", "M1021"},
	"T1105":     {"M1037", "M1031"},
	"T1110":     {"M1036", "M1032", "M1027", "M1018"},
	"T1110.001": {"M1036", "M1032", "M1027"},
	"T1112":     {"M1024"},
	"T1136":     {"M1032", "M1030", "M1028", "M1026"},
	"T1190":     {"M1048", "M1050", "M1030", "M1026", "M1051", "M1016"},
	"T1204":     {"M1040", "M1038", "M1031", "M1021", "M1017"},
	"T1210":     {"M1048", "M1042", "M1019", "M1050", "M1030", "M1026", "M1051", "M1016"},
	"T1212":     {"M1048", "M1019", "M1050", "M1051"},
	"T1484":     {"M1047", "M1026"},
	"T1485":     {"M1053"},
	"T1489":     {"M1030", "M1024", "M1022", "M1018"},
	"T1498":     {"M1037"},
	"T1499":     {"M1037"},
	"T1505.003": {"M1042", "M1026"},
	"T1529":     nil,
	"T1531":     nil,
	"T1543.003": {"M1047", "M1040", "M1026", "M1018"},
	"T1547.001": nil,
	"T1548.003": {"M1028", "M1026", "M1022"},
	"T1550.002": {"M1051", "M1052", "M1026", "M1018"},
	"T1561.001": {"M1053"},
	"T1562":     {"M1022", "M1024", "M1018"},
	"T1562.001": {"M1047", "M1038", "M1024", "M1022", "M1018"},
	"T1565.001": {"M1041", "M1029", "M1022"},
	"T1570":     {"M1037", "M1031"},
	"T1595.002": {"M1056"},
}

func mitigationStixID(extID string) string { return "course-of-action--" + uuidOf("mitigation:"+extID) }

// buildMitigations renders GET /mitre/mitigations for the mitigations the
// techniques reference, each listing its techniques by STIX id, and returns
// the mitigation STIX ids per technique external id.
func buildMitigations(techs []events.Technique) (items []Item, byTechnique map[string][]any) {
	byTechnique = map[string][]any{}
	techsOf := map[string][]any{}
	for _, t := range techs {
		for _, m := range techniqueMitigations[t.ID] {
			byTechnique[t.ID] = append(byTechnique[t.ID], mitigationStixID(m))
			techsOf[m] = append(techsOf[m], techniqueStixID(t.ID))
		}
	}
	for _, m := range mitigationTable {
		if len(techsOf[m.id]) == 0 {
			continue
		}
		items = append(items, Item{
			"id": mitigationStixID(m.id), "external_id": m.id, "name": m.name, "description": m.description,
			"mitre_version": "1.1", "deprecated": 0,
			"created_time":  mitreCreated.Format("2006-01-02T15:04:05.000000Z"),
			"modified_time": mitreModified.Format("2006-01-02T15:04:05.000000Z"),
			"techniques":    techsOf[m.id], "references": []any{},
			"url": "https://attack.mitre.org/mitigations/" + strings.ToUpper(m.id), "source": "mitre-attack",
		})
	}
	return items, byTechnique
}
