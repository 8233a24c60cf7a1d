package events

import "time"

var testNow = time.Date(2026, 11, 21, 10, 15, 30, 0, time.UTC)

// testInput is a small fleet with the incident targets.
func testInput(alerts int) Input {
	ubuntu := func(id, name, ip string) AgentRef {
		return AgentRef{ID: id, Name: name, IP: ip, Status: "active", Platform: "ubuntu", OSName: "Ubuntu", OSVersion: "22.04.5 LTS"}
	}
	agents := []AgentRef{
		{ID: "000", Name: "wazuh-manager", IP: "127.0.0.1", Status: "active", Platform: "ubuntu", OSName: "Ubuntu", OSVersion: "22.04.5 LTS"},
		ubuntu("001", "web-01", "10.0.1.11"),
		ubuntu("002", "web-02", "10.0.1.12"),
		{ID: "003", Name: "db-01", IP: "10.0.2.21", Status: "disconnected", Platform: "rhel", OSName: "Red Hat Enterprise Linux", OSVersion: "9.4"},
		{ID: "004", Name: "dc-01", IP: "10.0.20.10", Status: "active", Platform: "windows", OSName: "Microsoft Windows Server 2022 Datacenter", OSVersion: "10.0.20348.2762"},
		{ID: "005", Name: "old-01", IP: "10.0.9.9", Status: "never_connected", Platform: "ubuntu"},
		ubuntu("019", "bastion-01", "10.0.0.5"),
	}
	pkgs := map[string][]PackageRef{
		"001": {{Name: "sudo", Version: "1.9.9-1ubuntu2.4", Architecture: "amd64", Format: "deb", Size: 2504, Description: "Provide limited super user privileges to specific users"},
			{Name: "openssh-server", Version: "1:8.9p1-3ubuntu0.10", Architecture: "amd64", Format: "deb", Size: 1500}},
		"003": {{Name: "openssl", Version: "3.0.7-27.el9", Architecture: "x86_64", Format: "rpm"}},
	}
	return Input{Seed: 42, Alerts: alerts, Now: testNow, Agents: agents, Packages: pkgs,
		ManagerName: "wazuh-manager", ClusterName: "wazuh", NodeName: "node01"}
}
