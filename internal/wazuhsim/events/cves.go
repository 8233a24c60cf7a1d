package events

// cve is a real vulnerability and the packages it affects. fixed is the
// first fixed upstream version, used only for the scanner condition text.
type cve struct {
	id, severity string
	score        float64
	published    string // RFC 3339
	description  string
	packages     []string // package names (deb/rpm) it applies to; "" entries unused
	fixed        string
	os           bool // applies to the Windows OS itself (category "OS")
}

// cveTable lists real CVEs with their NVD CVSS v3 base score and severity.
var cveTable = []cve{
	{"CVE-2021-3156", "High", 7.8, "2021-01-26T21:15:00Z", "Sudo before 1.9.5p2 contains an off-by-one error that can result in a heap-based buffer overflow, which allows privilege escalation to root via \"sudoedit -s\" and a command-line argument that ends with a single backslash character.", []string{"sudo"}, "1.9.5p2", false},
	{"CVE-2023-22809", "High", 7.8, "2023-01-18T17:15:00Z", "In Sudo before 1.9.12p2, the sudoedit (aka -e) feature mishandles extra arguments passed in the user-provided environment variables (SUDO_EDITOR, VISUAL, and EDITOR), allowing a local attacker to append arbitrary entries to the list of files to process.", []string{"sudo"}, "1.9.12p2", false},
	{"CVE-2021-4034", "High", 7.8, "2022-01-28T20:15:00Z", "A local privilege escalation vulnerability was found on polkit's pkexec utility. The pkexec application is a setuid tool designed to allow unprivileged users to run commands as privileged users according predefined policies.", []string{"policykit-1", "polkit", "pkexec"}, "0.120", false},
	{"CVE-2024-6387", "High", 8.1, "2024-07-01T13:15:00Z", "A security regression (CVE-2006-5051) was discovered in OpenSSH's server (sshd). There is a race condition which can lead sshd to handle some signals in an unsafe manner. An unauthenticated, remote attacker may be able to trigger it by failing to authenticate within a set time period.", []string{"openssh-server", "openssh"}, "9.8p1", false},
	{"CVE-2023-38408", "Critical", 9.8, "2023-07-20T03:15:00Z", "The PKCS#11 feature in ssh-agent in OpenSSH before 9.3p2 has an insufficiently trustworthy search path, leading to remote code execution if an agent is forwarded to an attacker-controlled system.", []string{"openssh-client", "openssh-clients", "openssh"}, "9.3p2", false},
	{"CVE-2023-48795", "Medium", 5.9, "2023-12-18T16:15:00Z", "The SSH transport protocol with certain OpenSSH extensions, found in OpenSSH before 9.6 and other products, allows remote attackers to bypass integrity checks such that some packets are omitted (from the extension negotiation message), aka a Terrapin attack.", []string{"openssh-server", "openssh-client", "openssh", "openssh-clients"}, "9.6p1", false},
	{"CVE-2022-3602", "High", 7.5, "2022-11-01T18:15:00Z", "A buffer overrun can be triggered in X.509 certificate verification, specifically in name constraint checking. An attacker can craft a malicious email address to overflow four attacker-controlled bytes on the stack.", []string{"openssl", "libssl3"}, "3.0.7", false},
	{"CVE-2023-0286", "High", 7.4, "2023-02-08T20:15:00Z", "There is a type confusion vulnerability relating to X.400 address processing inside an X.509 GeneralName. This vulnerability may allow an attacker to read memory contents or enact a denial of service.", []string{"openssl", "libssl3", "openssl-libs"}, "3.0.8", false},
	{"CVE-2024-5535", "Critical", 9.1, "2024-06-27T11:15:00Z", "Calling the OpenSSL API function SSL_select_next_proto with an empty supported client protocols buffer may cause a crash or memory contents to be sent to the peer.", []string{"openssl", "libssl3", "openssl-libs"}, "3.0.15", false},
	{"CVE-2023-38545", "Critical", 9.8, "2023-10-18T04:15:00Z", "This flaw makes curl overflow a heap based buffer in the SOCKS5 proxy handshake.", []string{"curl", "libcurl4", "libcurl"}, "8.4.0", false},
	{"CVE-2023-38546", "Low", 3.7, "2023-10-18T04:15:00Z", "This flaw allows an attacker to insert cookies at will into a running program using libcurl, if the specific series of conditions are met.", []string{"curl", "libcurl4", "libcurl"}, "8.4.0", false},
	{"CVE-2021-23017", "High", 7.7, "2021-06-01T13:15:00Z", "A security issue in nginx resolver was identified, which might allow an attacker who is able to forge UDP packets from the DNS server to cause 1-byte memory overwrite, resulting in worker process crash or potential other impact.", []string{"nginx", "nginx-core"}, "1.21.0", false},
	{"CVE-2022-41741", "High", 7.8, "2022-10-19T22:15:00Z", "NGINX Open Source before versions 1.23.2 and 1.22.1 have a vulnerability in the module ngx_http_mp4_module that might allow a local attacker to corrupt NGINX worker memory.", []string{"nginx", "nginx-core"}, "1.23.2", false},
	{"CVE-2023-4911", "High", 7.8, "2023-10-03T18:15:00Z", "A buffer overflow was discovered in the GNU C Library's dynamic loader ld.so while processing the GLIBC_TUNABLES environment variable. This issue could allow a local attacker to use maliciously crafted GLIBC_TUNABLES environment variables when launching binaries with SUID permission to execute code with elevated privileges.", []string{"libc6", "glibc", "libc-bin"}, "2.39", false},
	{"CVE-2022-0847", "High", 7.8, "2022-03-10T17:44:00Z", "A flaw was found in the way the \"flags\" member of the new pipe buffer structure was lacking proper initialization in copy_page_to_iter_pipe and push_pipe functions in the Linux kernel and could thus contain stale values (Dirty Pipe).", []string{"linux-image-generic", "kernel", "linux-image-amd64"}, "5.16.11", false},
	{"CVE-2024-1086", "High", 7.8, "2024-01-31T13:15:00Z", "A use-after-free vulnerability in the Linux kernel's netfilter: nf_tables component can be exploited to achieve local privilege escalation.", []string{"linux-image-generic", "kernel", "linux-image-amd64"}, "6.8", false},
	{"CVE-2022-3715", "High", 7.8, "2023-01-05T15:15:00Z", "A flaw was found in the bash package, where a heap-buffer overflow can occur in valid parameter_transform. This issue may lead to memory problems.", []string{"bash"}, "5.2", false},
	{"CVE-2024-3094", "Critical", 10.0, "2024-03-29T17:15:00Z", "Malicious code was discovered in the upstream tarballs of xz, starting with version 5.6.0. The liblzma build process extracts a prebuilt object file from a disguised test file existing in the source code.", []string{"xz-utils", "liblzma5", "xz-libs", "xz"}, "5.6.2", false},
	{"CVE-2016-2781", "Medium", 6.5, "2017-02-07T15:59:00Z", "chroot in GNU coreutils, when used with --userspec, allows local users to escape to the parent session via a crafted TIOCSTI ioctl call, which pushes characters to the terminal's input buffer.", []string{"coreutils"}, "", false},
	{"CVE-2023-26604", "High", 7.8, "2023-03-03T16:15:00Z", "systemd before 247 does not adequately block local privilege escalation for some Sudo configurations, e.g., plausible sudoers files in which the \"systemctl status\" command may be executed.", []string{"systemd"}, "247", false},
	{"CVE-2024-38063", "Critical", 9.8, "2024-08-13T18:15:00Z", "Windows TCP/IP Remote Code Execution Vulnerability", nil, "", true},
	{"CVE-2024-21338", "High", 7.8, "2024-02-13T18:15:00Z", "Windows Kernel Elevation of Privilege Vulnerability", nil, "", true},
	{"CVE-2021-34527", "High", 8.8, "2021-07-02T22:15:00Z", "Windows Print Spooler Remote Code Execution Vulnerability", nil, "", true},
	{"CVE-2024-43558", "Medium", 6.5, "2024-10-08T18:15:22Z", "Windows Mobile Broadband Driver Denial of Service Vulnerability", nil, "", true},
}

// severityRule maps a severity to the vulnerability-detector alert rule.
func severityRule(sev string) int {
	switch sev {
	case "Critical":
		return 23506
	case "High":
		return 23505
	case "Medium":
		return 23504
	}
	return 23503
}
