package dataset

import (
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// pkgSpec is a catalogue entry resolved for one agent, before rendering.
type pkgSpec struct {
	name, version, arch, format, vendor, section, priority, source, desc, location string
	size                                                                           int64
}

// packageSpecs lists the agent's installed packages in catalogue order.
func packageSpecs(a agent) []pkgSpec {
	switch a.os.family {
	case "deb":
		return debSpecs(a)
	case "rpm":
		return rpmSpecs(a)
	case "windows":
		return osPkgSpecs(a, winBase, winRole[a.role], "win")
	default:
		return osPkgSpecs(a, macBase, macRole[a.role], "pkg")
	}
}

func debSpecs(a agent) []pkgSpec {
	vendor := "Debian Developers <debian-devel@lists.debian.org>"
	if a.os.platform == "ubuntu" {
		vendor = "Ubuntu Developers <ubuntu-devel-discuss@lists.ubuntu.com>"
	}
	var out []pkgSpec
	add := func(p debPackage) {
		v := p.v[a.os.pkgCol]
		if v == "" {
			return
		}
		out = append(out, pkgSpec{name: p.name, version: v, arch: debArch(p.name), format: "deb",
			vendor: vendorOverride(p.name, vendor), section: p.section, priority: p.priority,
			source: p.source, desc: p.desc, size: int64(p.sizeKB)})
	}
	for _, p := range debBase {
		add(p)
	}
	for _, p := range debRole[a.role] {
		add(p)
	}
	if a.role != "manager" {
		out = append(out, wazuhAgentPkg(a, "deb", vendor))
	}
	return out
}

// debArch: a few packages are architecture-independent in Debian.
func debArch(name string) string {
	switch name {
	case "adduser", "ca-certificates", "debconf", "lsb-release", "netbase", "tzdata", "unattended-upgrades",
		"python3-urllib3", "python3-requests", "ncurses-base", "cloud-init", "nginx-common", "certbot",
		"postgresql-common", "spamassassin", "easy-rsa", "fail2ban", "jenkins", "maven", "python3-pip":
		return "all"
	}
	return "amd64"
}

func rpmSpecs(a agent) []pkgSpec {
	vendor := map[string]string{"rhel": "Red Hat, Inc.", "centos": "CentOS", "amzn": "Amazon Linux", "rocky": "Rocky Enterprise Software Foundation"}[a.os.platform]
	var out []pkgSpec
	add := func(p rpmPackage) {
		v := p.v[a.os.pkgCol]
		if v == "" {
			return
		}
		arch := "x86_64"
		if p.name == "tzdata" || p.name == "ca-certificates" || p.name == "selinux-policy-targeted" {
			arch = "noarch"
		}
		out = append(out, pkgSpec{name: p.name, version: v, arch: arch, format: "rpm",
			vendor: vendorOverride(p.name, vendor), section: p.group, priority: " ", source: " ",
			desc: p.desc, size: int64(p.sizeKB) * 1024})
	}
	for _, p := range rpmBase {
		add(p)
	}
	for _, p := range rpmRole[a.role] {
		add(p)
	}
	return append(out, wazuhAgentPkg(a, "rpm", vendor))
}

func osPkgSpecs(a agent, base, role []osPackage, defFormat string) []pkgSpec {
	var out []pkgSpec
	for _, list := range [][]osPackage{base, role} {
		for _, p := range list {
			s := pkgSpec{name: p.name, version: p.version, arch: p.arch, format: p.format, vendor: p.vendor,
				section: " ", priority: " ", source: " ", desc: p.desc, location: p.location, size: int64(p.sizeKB)}
			if s.format == "" {
				s.format = defFormat
			}
			if p.name == "Wazuh Agent" {
				s.version = strings.TrimPrefix(a.version, "v")
			}
			if s.desc == "" {
				s.desc = " "
			}
			out = append(out, s)
		}
	}
	return out
}

func wazuhAgentPkg(a agent, format, _ string) pkgSpec {
	v := strings.TrimPrefix(a.version, "v") + "-1"
	arch := "amd64"
	if format == "rpm" {
		arch = "x86_64"
	}
	return pkgSpec{name: "wazuh-agent", version: v, arch: arch, format: format, vendor: "Wazuh, Inc <info@wazuh.com>",
		section: "admin", priority: "extra", source: " ", desc: "Wazuh helps you to gain security visibility into your infrastructure by monitoring hosts at an operating system and application level.", size: 31000}
}

// vendorOverride names the real maintainers of third-party repositories.
func vendorOverride(name, def string) string {
	switch {
	case strings.HasPrefix(name, "wazuh-"), name == "filebeat":
		return "Wazuh, Inc <info@wazuh.com>"
	case name == "jenkins":
		return "Jenkins Project <jenkinsci-dev@googlegroups.com>"
	case strings.HasPrefix(name, "docker-ce"), name == "containerd.io":
		return "Docker <support@docker.com>"
	case strings.HasPrefix(name, "kube"), name == "cri-tools":
		return "Kubernetes Authors <dev@kubernetes.io>"
	case name == "percona-xtrabackup-80":
		return "Percona Development Team <info@percona.com>"
	case name == "zabbix-server-pgsql":
		return "Zabbix LLC"
	}
	return def
}

// packageItems renders GET /syscollector/{id}/packages. Only deb packages
// have a multiarch: since 4.7 (wazuh/wazuh#19869) the column is NULL for the
// others, and the API leaves NULL fields out (the spec's enum has no " ").
func packageItems(r *rand.Rand, a agent, specs []pkgSpec, scan Item) []Item {
	out := make([]Item, 0, len(specs))
	installedBase := a.dateAdd.Add(-time.Duration(between(r, 1, 20)) * 24 * time.Hour)
	for _, s := range specs {
		it := Item{
			"agent_id": a.id, "scan": scan, "name": s.name, "version": s.version, "architecture": s.arch,
			"format": s.format, "vendor": s.vendor, "section": s.section, "priority": s.priority,
			"source": s.source, "description": s.desc, "size": s.size, "location": s.location,
			"install_time": "",
		}
		if s.format == "deb" {
			it["multiarch"] = debMultiarch(s.arch)
			it["location"] = ""
		} else {
			it["install_time"] = installedBase.Add(time.Duration(r.IntN(300*24)) * time.Hour).Format("2006/01/02 15:04:05")
		}
		out = append(out, it)
	}
	return out
}

func debMultiarch(arch string) string {
	if arch == "all" {
		return "foreign"
	}
	return "same"
}

// packageRefs converts the specs for the events package.
func packageRefs(specs []pkgSpec) []events.PackageRef {
	out := make([]events.PackageRef, 0, len(specs))
	for _, s := range specs {
		out = append(out, events.PackageRef{Name: s.name, Version: s.version, Architecture: s.arch,
			Format: s.format, Description: s.desc, Size: s.size})
	}
	return out
}
