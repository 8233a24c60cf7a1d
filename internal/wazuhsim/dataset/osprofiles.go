package dataset

// osProfile is one operating system release as an agent reports it in
// GET /agents os{} and syscollector os. family selects the package, process,
// SCA and FIM catalogues.
type osProfile struct {
	key      string // roster key, e.g. "ubuntu22"
	family   string // deb | rpm | windows | macos
	name     string
	platform string
	version  string
	major    string
	minor    string
	codename string
	build    string // windows only
	arch     string
	kernel   string // uname release (linux/darwin)
	kbuild   string // uname version
	// SCA policy this release is scanned with.
	scaID   string
	scaName string
	scaDesc string
	scaFile string // hash_file is derived from it
	// pkgCol indexes the version column of the family's package catalogue.
	pkgCol int
}

// Column indexes into debPackages/rpmPackages version arrays.
const (
	colU2004 = iota
	colU2204
	colU2404
	colD11
	colD12
)

const (
	colEL7 = iota
	colEL9
	colAL2023
)

var osProfiles = []osProfile{
	{key: "ubuntu22", family: "deb", name: "Ubuntu", platform: "ubuntu", version: "22.04.4 LTS", major: "22", minor: "04", codename: "Jammy Jellyfish", arch: "x86_64",
		kernel: "5.15.0-119-generic", kbuild: "#129-Ubuntu SMP Fri Aug 2 19:25:20 UTC 2024",
		scaID: "cis_ubuntu22-04", scaName: "CIS Benchmark for Ubuntu Linux 22.04 LTS", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Ubuntu Linux 22.04 LTS.", pkgCol: colU2204},
	{key: "ubuntu20", family: "deb", name: "Ubuntu", platform: "ubuntu", version: "20.04.6 LTS", major: "20", minor: "04", codename: "Focal Fossa", arch: "x86_64",
		kernel: "5.4.0-193-generic", kbuild: "#213-Ubuntu SMP Fri Aug 2 19:14:16 UTC 2024",
		scaID: "cis_ubuntu20-04", scaName: "CIS Benchmark for Ubuntu Linux 20.04 LTS", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Ubuntu Linux 20.04 LTS.", pkgCol: colU2004},
	{key: "ubuntu24", family: "deb", name: "Ubuntu", platform: "ubuntu", version: "24.04.1 LTS", major: "24", minor: "04", codename: "Noble Numbat", arch: "x86_64",
		kernel: "6.8.0-45-generic", kbuild: "#45-Ubuntu SMP PREEMPT_DYNAMIC Fri Aug 30 12:02:04 UTC 2024",
		scaID: "cis_ubuntu24-04", scaName: "CIS Benchmark for Ubuntu Linux 24.04 LTS", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Ubuntu Linux 24.04 LTS.", pkgCol: colU2404},
	{key: "debian12", family: "deb", name: "Debian GNU/Linux", platform: "debian", version: "12", major: "12", codename: "bookworm", arch: "x86_64",
		kernel: "6.1.0-25-amd64", kbuild: "#1 SMP PREEMPT_DYNAMIC Debian 6.1.106-3 (2024-08-26)",
		scaID: "cis_debian12", scaName: "CIS Benchmark for Debian Linux 12", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Debian Linux 12.", pkgCol: colD12},
	{key: "debian11", family: "deb", name: "Debian GNU/Linux", platform: "debian", version: "11", major: "11", codename: "bullseye", arch: "x86_64",
		kernel: "5.10.0-32-amd64", kbuild: "#1 SMP Debian 5.10.223-1 (2024-08-10)",
		scaID: "cis_debian11", scaName: "CIS Benchmark for Debian Linux 11", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Debian Linux 11.", pkgCol: colD11},
	{key: "rhel9", family: "rpm", name: "Red Hat Enterprise Linux", platform: "rhel", version: "9.4", major: "9", minor: "4", codename: "Plow", arch: "x86_64",
		kernel: "5.14.0-427.33.1.el9_4.x86_64", kbuild: "#1 SMP PREEMPT_DYNAMIC Fri Aug 16 10:56:24 EDT 2024",
		scaID: "cis_rhel9", scaName: "CIS Red Hat Enterprise Linux 9 Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Red Hat Enterprise Linux 9 systems running on x86_64 platforms.", pkgCol: colEL9},
	{key: "amzn2023", family: "rpm", name: "Amazon Linux", platform: "amzn", version: "2023", major: "2023", arch: "x86_64",
		kernel: "6.1.109-118.189.amzn2023.x86_64", kbuild: "#1 SMP PREEMPT_DYNAMIC Tue Sep 10 08:59:12 UTC 2024",
		scaID: "cis_amazon_linux_2023", scaName: "CIS Amazon Linux 2023 Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Amazon Linux 2023.", pkgCol: colAL2023},
	{key: "centos7", family: "rpm", name: "CentOS Linux", platform: "centos", version: "7.9.2009", major: "7", minor: "9", codename: "Core", arch: "x86_64",
		kernel: "3.10.0-1160.119.1.el7.x86_64", kbuild: "#1 SMP Tue Jun 4 14:43:51 UTC 2024",
		scaID: "cis_centos7", scaName: "CIS CentOS Linux 7 Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for CentOS Linux 7 systems running on x86 and x64 platforms.", pkgCol: colEL7},
	{key: "rocky9", family: "rpm", name: "Rocky Linux", platform: "rocky", version: "9.4", major: "9", minor: "4", codename: "Blue Onyx", arch: "x86_64",
		kernel: "5.14.0-427.13.1.el9_4.x86_64", kbuild: "#1 SMP PREEMPT_DYNAMIC Wed May 1 19:11:28 UTC 2024",
		scaID: "cis_rocky_linux_9", scaName: "CIS Rocky Linux 9 Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Rocky Linux 9.", pkgCol: colEL9},
	{key: "win2022", family: "windows", name: "Microsoft Windows Server 2022 Datacenter", platform: "windows", version: "10.0.20348.2700", major: "10", minor: "0", build: "20348", arch: "x86_64",
		scaID: "cis_win2022", scaName: "CIS Microsoft Windows Server 2022 Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Microsoft Windows Server 2022.", pkgCol: 0},
	{key: "win2019", family: "windows", name: "Microsoft Windows Server 2019 Standard", platform: "windows", version: "10.0.17763.6293", major: "10", minor: "0", build: "17763", arch: "x86_64",
		scaID: "cis_win2019", scaName: "CIS Microsoft Windows Server 2019 Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Microsoft Windows Server 2019.", pkgCol: 1},
	{key: "win11", family: "windows", name: "Microsoft Windows 11 Enterprise", platform: "windows", version: "10.0.22631.4169", major: "10", minor: "0", build: "22631", arch: "x86_64",
		scaID: "cis_win11_enterprise", scaName: "CIS Microsoft Windows 11 Enterprise Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Microsoft Windows 11 Enterprise.", pkgCol: 2},
	{key: "win10", family: "windows", name: "Microsoft Windows 10 Enterprise", platform: "windows", version: "10.0.19045.4894", major: "10", minor: "0", build: "19045", arch: "x86_64",
		scaID: "cis_win10_enterprise", scaName: "CIS Microsoft Windows 10 Enterprise Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Microsoft Windows 10 Enterprise.", pkgCol: 3},
	{key: "macos14", family: "macos", name: "macOS", platform: "darwin", version: "14.6.1", major: "14", minor: "6", codename: "Sonoma", arch: "arm64",
		kernel: "23.6.0", kbuild: "Darwin Kernel Version 23.6.0: Mon Jul 29 21:14:30 PDT 2024; root:xnu-10063.141.2~1/RELEASE_ARM64_T6000",
		scaID: "cis_apple_macOS_14.0", scaName: "CIS Apple macOS 14.0 Sonoma Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Apple macOS 14.0 Sonoma.", pkgCol: 0},
	{key: "macos15", family: "macos", name: "macOS", platform: "darwin", version: "15.0.1", major: "15", minor: "0", codename: "Sequoia", arch: "arm64",
		kernel: "24.0.0", kbuild: "Darwin Kernel Version 24.0.0: Tue Sep 24 23:39:07 PDT 2024; root:xnu-11215.1.12~1/RELEASE_ARM64_T6000",
		scaID: "cis_apple_macOS_15.0", scaName: "CIS Apple macOS 15.0 Sequoia Benchmark", scaDesc: "This document provides prescriptive guidance for establishing a secure configuration posture for Apple macOS 15.0 Sequoia.", pkgCol: 1},
}

// profileByKey returns the profile with the given roster key; the roster is
// a fixed table, so a missing key is a programming error.
func profileByKey(key string) osProfile {
	for _, p := range osProfiles {
		if p.key == key {
			return p
		}
	}
	panic("dataset: unknown os profile " + key)
}

// uname renders os.uname the way the agent reports it.
func (p osProfile) uname(host string) string {
	switch p.family {
	case "windows":
		return p.name
	case "macos":
		return "Darwin |" + host + " |" + p.kernel + " |" + p.kbuild + " |" + p.arch
	}
	return "Linux |" + host + " |" + p.kernel + " |" + p.kbuild + " |" + p.arch
}

// isWindows etc. keep call sites readable.
func (p osProfile) isWindows() bool { return p.family == "windows" }
func (p osProfile) isMac() bool     { return p.family == "macos" }
func (p osProfile) isLinux() bool   { return p.family == "deb" || p.family == "rpm" }
