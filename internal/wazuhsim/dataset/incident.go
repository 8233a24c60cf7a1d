package dataset

import (
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/wazuhsim/events"
)

// The web-01 compromise is the story the demo data tells. The events package
// owns the alert side (SSH brute force from events.AttackerSSHIP about 6h
// before Now, login as events.CompromisedUser, web shell dropped); this
// package carries the host-side artefacts: the web shell in FIM, the
// reverse shell in processes and ports, a www-data crontab, rootcheck
// findings, and the malicious-ioc CDB lists. Values are taken from events so
// both sides always agree.
const (
	web01ID = "001"

	// IncidentAttackerIP is the attacker's address (in CDB list malicious-ip).
	IncidentAttackerIP = events.AttackerSSHIP
	// IncidentScannerIP is the web scanner's address (in malicious-ip).
	IncidentScannerIP = events.AttackerWebIP
	// IncidentReverseShellPort is the attacker's listener.
	IncidentReverseShellPort = 4444
	// IncidentDropperPath is the dropped reverse-shell binary.
	IncidentDropperPath = "/tmp/.x/kworker"
	// IncidentC2Domain is listed in malicious-domains.
	IncidentC2Domain = "update-kworker.top"
	// IncidentCrontab is the persistence the attacker adds.
	IncidentCrontab = "/var/spool/cron/crontabs/www-data"

	// WebShellPath and its digests (also in CDB list malware-hashes).
	WebShellPath   = events.WebShellPath
	WebShellMD5    = events.WebShellMD5
	WebShellSHA1   = events.WebShellSHA1
	WebShellSHA256 = events.WebShellSHA256
	// WebShellSize is the length of the events package's web shell content.
	WebShellSize = 94

	// IncidentShellAge is how long before Now the web shell was written: the
	// events package logs deploy in 21 minutes into the SSH incident and
	// copies the shell 3 minutes later (FIM alert 554). The reverse shell
	// starts IncidentDropperDelay after that.
	IncidentShellAge     = events.SSHIncidentOffset - 24*time.Minute
	IncidentDropperDelay = 14 * time.Minute

	// webShellInode and indexPHPInode match the FIM alerts of the events
	// package for the same files.
	webShellInode = 1573012
	indexPHPInode = 1572866
)

// DropperSHA256 is the digest of the dropped binary (in malware-hashes).
var dropperSHA256 = sha256Of("dataset:incident:/tmp/.x/kworker")
