package dataset

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// managerAddr is the cluster master's address agents report to.
const managerAddr = "10.0.0.2"

// inventory is one agent's syscollector data plus what other parts reuse.
type inventory struct {
	items    map[string][]Item
	packages []pkgSpec
}

// buildSyscollector generates the syscollector collections of every agent
// that has reported, and the package references the events package needs.
func buildSyscollector(seed int64, agents []agent, now time.Time) (map[string]map[string][]Item, map[string][]events.PackageRef) {
	sys := make(map[string]map[string][]Item)
	refs := make(map[string][]events.PackageRef)
	for _, a := range agents {
		if !a.hasInventory() {
			continue
		}
		inv := agentInventory(newRand(seed, "syscollector/"+a.id), a, now)
		sys[a.id] = inv.items
		refs[a.id] = packageRefs(inv.packages)
	}
	return sys, refs
}

func agentInventory(r *rand.Rand, a agent, now time.Time) inventory {
	seen := a.lastSeen(now)
	scanAt := seen.Add(-time.Duration(between(r, 60, 3500)) * time.Second).Truncate(time.Second)
	scan := Item{"id": 0, "time": apiTime(scanAt)}
	boot := seen.Add(-time.Duration(between(r, 3, 90)) * 24 * time.Hour).Add(-time.Duration(r.IntN(86400)) * time.Second)
	specs := packageSpecs(a)
	procs := spawnProcesses(r, a, boot, now)
	items := map[string][]Item{
		"os":        {osItem(a, scan)},
		"hardware":  {hardwareItem(r, a, scan)},
		"packages":  packageItems(r, a, specs, scan),
		"processes": processItems(r, a, procs, boot, scan),
		"ports":     portItems(r, a, procs, scan),
		"netaddr":   netaddrItems(a, scan),
		"netiface":  netifaceItems(r, a, scan),
		"hotfixes":  hotfixItems(a, scan),
	}
	return inventory{items: items, packages: specs}
}

func osItem(a agent, scan Item) Item {
	p := a.os
	osv := Item{"name": p.name, "platform": p.platform, "version": p.version, "major": p.major, "minor": p.minor, "codename": p.codename}
	it := Item{"agent_id": a.id, "scan": scan, "os": osv, "hostname": a.name, "architecture": p.arch,
		"sysname": "Linux", "release": p.kernel, "version": p.kbuild}
	switch {
	case p.isWindows():
		osv["build"] = p.build
		it["sysname"] = "Windows_NT"
		it["release"] = p.build
		it["version"] = p.version
		it["os_release"] = map[string]string{"win2022": "2009", "win2019": "1809", "win11": "23H2", "win10": "22H2"}[p.key]
	case p.isMac():
		it["sysname"] = "Darwin"
	}
	if a.id == "000" {
		it["hostname"] = ManagerName
	}
	return it
}

func hardwareItem(r *rand.Rand, a agent, scan Item) Item {
	cores, ramGB, cpu := 2, 4, "Intel(R) Xeon(R) Platinum 8259CL CPU @ 2.50GHz"
	switch a.role {
	case "manager", "mysql", "postgres", "k8s", "jenkins":
		cores, ramGB = 8, 32
	case "web", "mail", "dc", "fileserver", "legacy":
		cores, ramGB = 4, 16
	case "workstation", "devws":
		cores, ramGB, cpu = 8, 16, "11th Gen Intel(R) Core(TM) i7-1185G7 @ 3.00GHz"
	case "mac":
		cores, ramGB, cpu = 10, 32, "Apple M1 Pro"
	}
	if a.os.platform == "amzn" {
		cpu = "Intel(R) Xeon(R) Platinum 8375C CPU @ 2.90GHz"
	}
	total := ramGB * 1024 * 1024
	usage := between(r, 18, 85)
	serial := "VMware-56 4d " + strings.ToUpper(randHex(r, 3)) + " " + strings.ToUpper(randHex(r, 5))
	switch {
	case a.os.isMac():
		serial = "C02" + strings.ToUpper(randHex(r, 4))
	case a.os.platform == "amzn":
		serial = "ec2" + randHex(r, 6)
	case a.role == "workstation" || a.role == "devws":
		serial = "PF" + strings.ToUpper(randHex(r, 3))
	}
	return Item{"agent_id": a.id, "scan": scan, "board_serial": serial,
		"cpu": Item{"cores": cores, "mhz": float64(between(r, 2400, 3100)), "name": cpu},
		"ram": Item{"total": total, "free": total * (100 - usage) / 100, "usage": usage}}
}

// portSpec is a socket: process names the owning process.
type portSpec struct {
	proto, lip     string
	lport          int
	rip            string
	rport          int
	state, process string
	txq, rxq       int
}

func portSpecs(a agent) []portSpec {
	any4, loc := "0.0.0.0", "127.0.0.1"
	lst, est := "listening", "established"
	ip := a.ip
	if a.id == "000" {
		ip = managerAddr
	}
	var ps []portSpec
	switch a.os.family {
	case "windows":
		ps = []portSpec{
			{"tcp", any4, 135, any4, 0, lst, "svchost.exe", 0, 0},
			{"tcp", any4, 445, any4, 0, lst, "System", 0, 0},
			{"tcp", ip, 139, any4, 0, lst, "System", 0, 0},
			{"tcp", any4, 3389, any4, 0, lst, "svchost.exe", 0, 0},
			{"tcp", any4, 5985, any4, 0, lst, "System", 0, 0},
			{"tcp", any4, 49664, any4, 0, lst, "lsass.exe", 0, 0},
			{"tcp", any4, 49665, any4, 0, lst, "wininit.exe", 0, 0},
			{"tcp", any4, 49666, any4, 0, lst, "svchost.exe", 0, 0},
			{"tcp", any4, 49668, any4, 0, lst, "spoolsv.exe", 0, 0},
			{"udp", any4, 5353, any4, 0, "", "svchost.exe", 0, 0},
			{"tcp", ip, 50512, managerAddr, 1514, est, "wazuh-agent.exe", 0, 0},
		}
		if a.role == "dc" {
			ps = append(ps,
				portSpec{"tcp", any4, 53, any4, 0, lst, "dns.exe", 0, 0},
				portSpec{"udp", any4, 53, any4, 0, "", "dns.exe", 0, 0},
				portSpec{"tcp", any4, 88, any4, 0, lst, "lsass.exe", 0, 0},
				portSpec{"tcp", any4, 389, any4, 0, lst, "lsass.exe", 0, 0},
				portSpec{"tcp", any4, 464, any4, 0, lst, "lsass.exe", 0, 0},
				portSpec{"tcp", any4, 636, any4, 0, lst, "lsass.exe", 0, 0},
				portSpec{"tcp", any4, 3268, any4, 0, lst, "lsass.exe", 0, 0},
				portSpec{"tcp", any4, 3269, any4, 0, lst, "lsass.exe", 0, 0},
				portSpec{"tcp", any4, 9389, any4, 0, lst, "Microsoft.ActiveDirectory.WebServices.exe", 0, 0},
				portSpec{"tcp", ip, 389, "10.0.20.101", 52114, est, "lsass.exe", 0, 0},
			)
		}
		return ps
	case "macos":
		return []portSpec{
			{"tcp", any4, 5000, any4, 0, lst, "ControlCenter", 0, 0},
			{"tcp", any4, 7000, any4, 0, lst, "ControlCenter", 0, 0},
			{"udp", any4, 5353, any4, 0, "", "mDNSResponder", 0, 0},
			{"tcp", ip, 50123, managerAddr, 1514, est, "wazuh-agentd", 0, 0},
			{"tcp", ip, 50433, "140.82.112.4", 443, est, "Google Chrome", 0, 0},
		}
	}
	ps = []portSpec{
		{"tcp", any4, 22, any4, 0, lst, "sshd", 0, 0},
		{"tcp6", "::", 22, "::", 0, lst, "sshd", 0, 0},
		{"udp", loc, 323, any4, 0, "", "chronyd", 0, 0},
		{"tcp", ip, 22, "10.0.0.10", 51022, est, "sshd", 0, 0},
	}
	if a.id != "000" {
		ps = append(ps, portSpec{"tcp", ip, 41838, managerAddr, 1514, est, "wazuh-agentd", 0, 0})
	}
	if a.os.platform == "ubuntu" {
		ps = append(ps, portSpec{"udp", "127.0.0.53", 53, any4, 0, "", "systemd-resolve", 0, 0},
			portSpec{"tcp", "127.0.0.53", 53, any4, 0, lst, "systemd-resolve", 0, 0})
	}
	return append(ps, rolePorts(a, ip)...)
}

func rolePorts(a agent, ip string) []portSpec {
	any4, lst, est := "0.0.0.0", "listening", "established"
	switch a.role {
	case "web":
		ps := []portSpec{
			{"tcp", any4, 80, any4, 0, lst, "nginx", 0, 0},
			{"tcp", any4, 443, any4, 0, lst, "nginx", 0, 0},
			{"tcp6", "::", 80, "::", 0, lst, "nginx", 0, 0},
			{"tcp", ip, 443, "10.0.0.20", 48812, est, "nginx", 0, 0},
			{"tcp", ip, 38816, "10.0.2.22", 5432, est, "php-fpm8.1", 0, 0},
		}
		if a.id == web01ID {
			ps = append(ps, portSpec{"tcp", ip, 48262, IncidentAttackerIP, IncidentReverseShellPort, est, "kworker", 0, 0})
		}
		return ps
	case "mysql":
		return []portSpec{{"tcp6", "::", 3306, "::", 0, lst, "mysqld", 0, 0}, {"tcp6", "::", 33060, "::", 0, lst, "mysqld", 0, 0},
			{"tcp6", "::ffff:" + ip, 3306, "::ffff:10.0.5.40", 40122, est, "mysqld", 0, 0}}
	case "postgres":
		return []portSpec{{"tcp", any4, 5432, any4, 0, lst, "postgres", 0, 0}, {"tcp6", "::", 5432, "::", 0, lst, "postgres", 0, 0},
			{"tcp", ip, 5432, "10.0.1.11", 38816, est, "postgres", 0, 0}, {"tcp", ip, 5432, "10.0.1.12", 38902, est, "postgres", 0, 0}}
	case "mail":
		return []portSpec{{"tcp", any4, 25, any4, 0, lst, "master", 0, 0}, {"tcp", any4, 587, any4, 0, lst, "master", 0, 0},
			{"tcp", any4, 993, any4, 0, lst, "dovecot", 0, 0}, {"tcp", any4, 143, any4, 0, lst, "dovecot", 0, 0},
			{"tcp", "127.0.0.1", 783, any4, 0, lst, "spamd", 0, 0}}
	case "vpn":
		return []portSpec{{"udp", any4, 1194, any4, 0, "", "openvpn", 0, 0}, {"udp", any4, 500, any4, 0, "", "charon", 0, 0},
			{"udp", any4, 4500, any4, 0, "", "charon", 0, 0}}
	case "k8s":
		return []portSpec{{"tcp6", "::", 10250, "::", 0, lst, "kubelet", 0, 0}, {"tcp", "127.0.0.1", 10248, any4, 0, lst, "kubelet", 0, 0},
			{"tcp6", "::", 10256, "::", 0, lst, "kube-proxy", 0, 0}, {"tcp", "127.0.0.1", 10249, any4, 0, lst, "kube-proxy", 0, 0},
			{"tcp", "127.0.0.1", 39187, any4, 0, lst, "containerd", 0, 0}, {"tcp", ip, 50644, "10.0.4.10", 443, est, "kubelet", 0, 0}}
	case "jenkins":
		return []portSpec{{"tcp6", "::", 8080, "::", 0, lst, "java", 0, 0}, {"tcp6", "::", 50000, "::", 0, lst, "java", 0, 0},
			{"tcp", ip, 40122, "10.0.2.21", 3306, est, "java", 0, 0}}
	case "proxy":
		return []portSpec{{"tcp6", "::", 3128, "::", 0, lst, "squid", 0, 0}, {"tcp", any4, 80, any4, 0, lst, "haproxy", 0, 0},
			{"tcp", any4, 443, any4, 0, lst, "haproxy", 0, 0}, {"tcp", any4, 8404, any4, 0, lst, "haproxy", 0, 0},
			{"tcp", ip, 48812, "10.0.1.11", 443, est, "haproxy", 0, 0}}
	case "legacy":
		return []portSpec{{"tcp6", "::", 80, "::", 0, lst, "httpd", 0, 0}, {"tcp6", "::", 443, "::", 0, lst, "httpd", 0, 0},
			{"tcp6", "::", 8080, "::", 0, lst, "java", 0, 0}, {"tcp6", "127.0.0.1", 8005, "::", 0, lst, "java", 0, 0}}
	case "manager":
		return []portSpec{{"tcp", any4, 1514, any4, 0, lst, "wazuh-remoted", 0, 0}, {"tcp", any4, 1515, any4, 0, lst, "wazuh-authd", 0, 0},
			{"tcp", any4, 1516, any4, 0, lst, "wazuh-clusterd", 0, 0}, {"tcp", any4, 55000, any4, 0, lst, "wazuh-apid", 0, 0},
			{"tcp6", "::", 9200, "::", 0, lst, "java", 0, 0}, {"tcp6", "::", 9300, "::", 0, lst, "java", 0, 0},
			{"tcp", any4, 443, any4, 0, lst, "node", 0, 0}, {"tcp", managerAddr, 1516, "10.0.0.3", 42718, est, "wazuh-clusterd", 0, 0}}
	}
	return nil
}

// portItems renders GET /syscollector/{id}/ports, resolving pids by name.
func portItems(r *rand.Rand, a agent, procs []procInstance, scan Item) []Item {
	pidOf := map[string]int{}
	for _, p := range procs {
		if _, ok := pidOf[p.name]; !ok {
			pidOf[p.name] = p.pid
		}
	}
	specs := portSpecs(a)
	out := make([]Item, 0, len(specs))
	for _, s := range specs {
		it := Item{"agent_id": a.id, "scan": scan, "protocol": s.proto,
			"local": Item{"ip": s.lip, "port": s.lport}, "remote": Item{"ip": s.rip, "port": s.rport},
			"tx_queue": s.txq, "rx_queue": s.rxq, "inode": 10000 + r.IntN(9000000),
			"pid": pidOf[s.process], "process": s.process}
		if s.state != "" {
			it["state"] = s.state
		}
		if a.os.isWindows() {
			it["inode"] = 0
		}
		out = append(out, it)
	}
	return out
}

func ifaceName(a agent) string {
	switch {
	case a.os.isWindows():
		return "Ethernet0"
	case a.os.isMac():
		return "en0"
	case a.os.platform == "amzn":
		return "ens5"
	case a.os.platform == "rhel" || a.os.platform == "centos" || a.os.platform == "rocky":
		return "ens192"
	}
	return "eth0"
}

func agentAddr(a agent) string {
	if a.id == "000" {
		return managerAddr
	}
	return a.ip
}

func netaddrItems(a agent, scan Item) []Item {
	ip := agentAddr(a)
	bcast := ip[:strings.LastIndex(ip, ".")] + ".255"
	iface := ifaceName(a)
	return []Item{
		{"agent_id": a.id, "scan": scan, "iface": iface, "proto": "ipv4", "address": ip, "netmask": "255.255.255.0", "broadcast": bcast},
		{"agent_id": a.id, "scan": scan, "iface": iface, "proto": "ipv6", "address": linkLocal(a), "netmask": "ffff:ffff:ffff:ffff::", "broadcast": ""},
	}
}

func macAddr(a agent) string {
	h := md5Of("mac:" + a.id)
	prefix := "00:50:56"
	switch {
	case a.os.platform == "amzn":
		prefix = "02:" + h[6:8]
	case a.os.isMac():
		prefix = "3c:22:fb"
	case a.role == "workstation" || a.role == "devws":
		prefix = "d4:81:d7"
	}
	if strings.Count(prefix, ":") == 1 {
		return fmt.Sprintf("%s:%s:%s:%s:%s", prefix, h[0:2], h[2:4], h[4:6], h[8:10])
	}
	return fmt.Sprintf("%s:%s:%s:%s", prefix, h[0:2], h[2:4], h[4:6])
}

func linkLocal(a agent) string {
	h := md5Of("mac:" + a.id)
	return fmt.Sprintf("fe80::250:56ff:fe%s:%s", h[0:2], h[2:6])
}

func netifaceItems(r *rand.Rand, a agent, scan Item) []Item {
	mtu := 1500
	if a.os.platform == "amzn" {
		mtu = 9001
	}
	traffic := func(scale int) Item {
		pk := between(r, 100000, 5000000) * scale
		return Item{"packets": pk, "bytes": pk * between(r, 300, 900), "errors": 0, "dropped": r.IntN(20)}
	}
	eth := Item{"agent_id": a.id, "scan": scan, "name": ifaceName(a), "type": "ethernet", "state": "up", "mtu": mtu,
		"mac": macAddr(a), "tx": traffic(1), "rx": traffic(2)}
	if a.os.isWindows() {
		eth["adapter"] = "vmxnet3 Ethernet Adapter"
		if a.role == "workstation" || a.role == "devws" {
			eth["adapter"] = "Intel(R) Ethernet Connection (13) I219-LM"
		}
	}
	// No loopback: the 4.x Linux collector does not inventory it (it came
	// with 5.0, as "unknown" state, wazuh/wazuh#38936), and netaddr has no
	// 127.0.0.1 either.
	return []Item{eth}
}

var hotfixesByOS = map[string][]string{
	"win2022": {"KB5041948", "KB5042881", "KB5043050", "KB5040437", "KB5039227", "KB5037422", "KB5034439", "KB5012170", "KB5008882"},
	"win2019": {"KB5042350", "KB5043050", "KB5040430", "KB5039217", "KB5037016", "KB5034439", "KB5005112", "KB4589208"},
	"win11":   {"KB5043076", "KB5042099", "KB5041584", "KB5040442", "KB5039212", "KB5027397", "KB5012170"},
	"win10":   {"KB5043064", "KB5042097", "KB5041580", "KB5040427", "KB5039211", "KB5034441", "KB5015684", "KB5011048"},
}

func hotfixItems(a agent, scan Item) []Item {
	kbs := hotfixesByOS[a.os.key]
	if a.status == "disconnected" && len(kbs) > 2 {
		kbs = kbs[2:] // offline machines missed the latest cumulative updates
	}
	out := make([]Item, 0, len(kbs))
	for _, kb := range kbs {
		out = append(out, Item{"agent_id": a.id, "scan": scan, "hotfix": kb})
	}
	return out
}
