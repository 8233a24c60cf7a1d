package events

import "strings"

// Wazuh's own events: agent lifecycle, command monitoring, rootcheck.
var (
	shOssec = newShape(shape{name: "ossec", decoderName: "ossec", location: "wazuh-agent", input: true, emptyPre: true,
		fields: []field{sf("data.extra_data")},
		render: func(a *alert, b *strings.Builder) {
			writeParts(a, b, []string{"ossec: ", "$data.extra_data"})
		}})
	shNetstat = newShape(shape{name: "netstat", decoderName: "ossec", location: "netstat listening ports", input: true, emptyPre: true,
		fields: []field{sf("data.dstport")},
		render: func(a *alert, b *strings.Builder) {
			writeParts(a, b, []string{"ossec: output: 'netstat listening ports':\ntcp 0.0.0.0:", "$data.dstport", " 0.0.0.0:* ", "\ntcp 0.0.0.0:22 0.0.0.0:* \ntcp6 :::22 :::* "})
		}})
	shRootcheck = newShape(shape{name: "rootcheck", decoderName: "rootcheck", location: "rootcheck", input: true, emptyPre: true,
		fields: []field{sf("data.title"), sf("data.file")},
		render: func(a *alert, b *strings.Builder) {
			switch a.get("data.title") {
			case "Trojaned version of file detected.":
				writeParts(a, b, []string{"Trojaned version of file '", "$data.file", "' detected. Signature used: 'bash|^/bin/sh|file\\.h|proc\\.h|/dev/[^bu]|^/bin/.*sh' (Generic)."})
			default:
				writeParts(a, b, []string{"File '", "$data.file", "' is owned by root and has written permissions to anyone."})
			}
		}})
)

// FIM (syscheck) events. Fields follow the template's syscheck mapping.
var fimAfter = []field{
	sf("syscheck.path"), sf("syscheck.event"), sf("syscheck.mode"),
	sfk("syscheck.size_after", kNumber), sf("syscheck.perm_after"), sf("syscheck.uid_after"), sf("syscheck.gid_after"),
	sf("syscheck.uname_after"), sf("syscheck.gname_after"), sfk("syscheck.inode_after", kNumKeyword),
	sfk("syscheck.mtime_after", kDate), sf("syscheck.md5_after"), sf("syscheck.sha1_after"), sf("syscheck.sha256_after"),
}

var fimBefore = []field{
	sfk("syscheck.size_before", kNumber), sf("syscheck.perm_before"), sf("syscheck.uid_before"), sf("syscheck.gid_before"),
	sf("syscheck.uname_before"), sf("syscheck.gname_before"), sfk("syscheck.inode_before", kNumKeyword),
	sfk("syscheck.mtime_before", kDate), sf("syscheck.md5_before"), sf("syscheck.sha1_before"), sf("syscheck.sha256_before"),
	sfk("syscheck.changed_attributes", kList),
}

var fimAudit = []field{
	sf("syscheck.audit.user.id"), sf("syscheck.audit.user.name"),
	sf("syscheck.audit.effective_user.id"), sf("syscheck.audit.effective_user.name"),
	sf("syscheck.audit.login_user.id"), sf("syscheck.audit.login_user.name"),
	sf("syscheck.audit.group.id"), sf("syscheck.audit.group.name"),
	sf("syscheck.audit.process.id"), sf("syscheck.audit.process.name"), sf("syscheck.audit.process.ppid"),
}

func fimShape(name, decoder string, fields ...[]field) *shape {
	var all []field
	for _, f := range fields {
		all = append(all, f...)
	}
	return newShape(shape{name: name, decoderName: decoder, location: "syscheck", fields: all, render: renderFIM})
}

var (
	shFIMAdded       = fimShape("fim-added", "syscheck_new_entry", fimAfter)
	shFIMAddedWho    = fimShape("fim-added-whodata", "syscheck_new_entry", fimAfter, fimAudit)
	shFIMModified    = fimShape("fim-modified", "syscheck_integrity_changed", fimAfter, fimBefore)
	shFIMModifiedWho = fimShape("fim-modified-whodata", "syscheck_integrity_changed", fimAfter, fimBefore, fimAudit)
	shFIMDeleted     = fimShape("fim-deleted", "syscheck_deleted", fimAfter)
)

// renderFIM writes the 4.x syscheck full_log.
func renderFIM(a *alert, b *strings.Builder) {
	writeParts(a, b, []string{"File '", "$syscheck.path", "' ", "$syscheck.event", "\nMode: ", "$syscheck.mode", "\n"})
	if ch := a.get("syscheck.changed_attributes"); ch != "" {
		b.WriteString("Changed attributes: " + strings.ReplaceAll(ch, ",", ", ") + "\n")
		if strings.Contains(ch, "size") {
			writeParts(a, b, []string{"Size changed from '", "$syscheck.size_before", "' to '", "$syscheck.size_after", "'\n"})
		}
		if strings.Contains(ch, "md5") {
			writeParts(a, b, []string{"Old md5sum was: '", "$syscheck.md5_before", "'\nNew md5sum is : '", "$syscheck.md5_after", "'\n"})
			writeParts(a, b, []string{"Old sha1sum was: '", "$syscheck.sha1_before", "'\nNew sha1sum is : '", "$syscheck.sha1_after", "'\n"})
			writeParts(a, b, []string{"Old sha256sum was: '", "$syscheck.sha256_before", "'\nNew sha256sum is : '", "$syscheck.sha256_after", "'\n"})
		}
	}
}

// SCA check results (rules 19007-19009).
var shSCA = newShape(shape{name: "sca-check", decoderName: "sca", location: "sca", input: true, emptyPre: true,
	fields: []field{
		cf("data.sca.type", "check"), sf("data.sca.scan_id"), sf("data.sca.policy"), sf("data.sca.policy_id"),
		sf("data.sca.check.id"), sf("data.sca.check.title"), sf("data.sca.check.description"),
		sf("data.sca.check.rationale"), sf("data.sca.check.remediation"),
		sfk("data.sca.check.compliance.cis", kList), sf("data.sca.check.command"), sf("data.sca.check.result"),
	},
	desc: func(a *alert) string { return a.get("data.sca.policy") + ": " + a.get("data.sca.check.title") },
})

// Vulnerability detector alerts (rules 23503-23506), 4.8+ layout.
var shVulnAlert = newShape(shape{name: "vulnerability", decoderName: "json", location: "vulnerability-detector", input: false, emptyPre: true,
	fields: []field{
		sf("data.vulnerability.cve"), sf("data.vulnerability.title"), sf("data.vulnerability.severity"),
		sfk("data.vulnerability.published", kDate), sfk("data.vulnerability.updated", kDate),
		sf("data.vulnerability.reference"), cf("data.vulnerability.status", "Active"), cf("data.vulnerability.assigner", "cve@mitre.org"),
		sf("data.vulnerability.package.name"), sf("data.vulnerability.package.version"), sf("data.vulnerability.package.architecture"),
		sf("data.vulnerability.package.condition"), sf("data.vulnerability.cvss.cvss3.base_score"),
		sfk("data.vulnerability.score.base", kNumber), cf("data.vulnerability.score.version", "3.1"),
		sf("data.vulnerability.classification"), cf("data.vulnerability.enumeration", "CVE"),
		sf("data.vulnerability.scanner.reference"), sf("data.vulnerability.rationale"), cf("data.vulnerability.cve_version", "4.0"),
	},
	desc: func(a *alert) string {
		return a.get("data.vulnerability.cve") + " affects " + a.get("data.vulnerability.package.name")
	},
})
