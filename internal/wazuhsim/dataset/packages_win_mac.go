package dataset

// osPackage is a Windows program or macOS application: one version for all
// releases of the family (fleet-managed software is kept current).
type osPackage struct {
	name, version, vendor, arch, location, desc string
	sizeKB                                      int
	format                                      string // win | pkg | macports | "" (= family default)
}

var winBase = []osPackage{
	{"Microsoft Edge", "129.0.2792.65", "Microsoft Corporation", "i686", `C:\Program Files (x86)\Microsoft\Edge\Application`, "", 0, ""},
	{"Microsoft Edge WebView2 Runtime", "129.0.2792.65", "Microsoft Corporation", "i686", `C:\Program Files (x86)\Microsoft\EdgeWebView\Application`, "", 0, ""},
	{"Microsoft Visual C++ 2015-2022 Redistributable (x64) - 14.40.33810", "14.40.33810.0", "Microsoft Corporation", "x86_64", "", "", 20520, ""},
	{"Microsoft Visual C++ 2015-2022 Redistributable (x86) - 14.40.33810", "14.40.33810.0", "Microsoft Corporation", "i686", "", "", 18000, ""},
	{"Microsoft Update Health Tools", "5.72.0.0", "Microsoft Corporation", "x86_64", "", "", 1024, ""},
	{"Wazuh Agent", "", "Wazuh, Inc.", "i686", `C:\Program Files (x86)\ossec-agent\`, "", 21460, ""},
	{"7-Zip 23.01 (x64)", "23.01", "Igor Pavlov", "x86_64", `C:\Program Files\7-Zip\`, "", 5640, ""},
	{"Notepad++ (64-bit x64)", "8.6.2", "Notepad++ Team", "x86_64", `C:\Program Files\Notepad++`, "", 14200, ""},
	{"VMware Tools", "12.4.0.23259341", "VMware, Inc.", "x86_64", `C:\Program Files\VMware\VMware Tools\`, "", 96000, ""},
	{"Sysmon", "15.15", "Sysinternals - www.sysinternals.com", "x86_64", `C:\Windows\`, "", 4400, ""},
	{"Microsoft Defender for Endpoint", "10.8760.22621.1016", "Microsoft Corporation", "x86_64", "", "", 0, ""},
	{"PowerShell 7-x64", "7.4.5.0", "Microsoft Corporation", "x86_64", `C:\Program Files\PowerShell\7\`, "", 271000, ""},
	{"Microsoft .NET Runtime - 8.0.8 (x64)", "64.32.23411", "Microsoft Corporation", "x86_64", "", "", 86000, ""},
}

var winRole = map[string][]osPackage{
	"dc": {
		{"Microsoft Azure AD Connect", "2.3.8.0", "Microsoft Corporation", "x86_64", `C:\Program Files\Microsoft Azure Active Directory Connect\`, "", 180000, ""},
		{"Microsoft SQL Server 2019 LocalDB ", "15.0.4382.1", "Microsoft Corporation", "x86_64", "", "", 240000, ""},
		{"Remote Server Administration Tools", "10.0.20348.1", "Microsoft Corporation", "x86_64", "", "", 0, ""},
	},
	"fileserver": {
		{"Veeam Agent for Microsoft Windows", "6.1.2.134", "Veeam Software Group GmbH", "x86_64", `C:\Program Files\Veeam\Endpoint Backup\`, "", 410000, ""},
		{"DFS Replication Management Tools", "10.0.17763.1", "Microsoft Corporation", "x86_64", "", "", 0, ""},
	},
	"workstation": {
		{"Google Chrome", "129.0.6668.90", "Google LLC", "x86_64", `C:\Program Files\Google\Chrome\Application`, "", 0, ""},
		{"Microsoft 365 Apps for enterprise - en-us", "16.0.17928.20156", "Microsoft Corporation", "x86_64", `C:\Program Files\Microsoft Office`, "", 0, ""},
		{"Microsoft Teams", "24243.1309.3132.617", "Microsoft Corporation", "x86_64", "", "", 0, ""},
		{"Adobe Acrobat Reader (64-bit)", "24.003.20112", "Adobe", "x86_64", `C:\Program Files\Adobe\Acrobat DC\`, "", 740000, ""},
		{"Zoom Workplace (64-bit)", "6.1.11.45504", "Zoom Video Communications, Inc.", "x86_64", `C:\Program Files\Zoom\bin\`, "", 320000, ""},
		{"Mozilla Firefox (x64 en-US)", "128.0.3", "Mozilla", "x86_64", `C:\Program Files\Mozilla Firefox`, "", 230000, ""},
		{"Cisco Secure Client - AnyConnect VPN", "5.1.4.74", "Cisco Systems, Inc.", "i686", `C:\Program Files (x86)\Cisco\Cisco Secure Client\`, "", 70000, ""},
	},
	"devws": {
		{"Google Chrome", "129.0.6668.90", "Google LLC", "x86_64", `C:\Program Files\Google\Chrome\Application`, "", 0, ""},
		{"Microsoft Visual Studio Code", "1.93.1", "Microsoft Corporation", "x86_64", `C:\Program Files\Microsoft VS Code\`, "", 380000, ""},
		{"Git", "2.46.0", "The Git Development Community", "x86_64", `C:\Program Files\Git\`, "", 340000, ""},
		{"Docker Desktop", "4.34.2", "Docker Inc.", "x86_64", `C:\Program Files\Docker\Docker`, "", 2100000, ""},
		{"Python 3.12.6 (64-bit)", "3.12.6150.0", "Python Software Foundation", "x86_64", "", "", 101000, ""},
		{"Node.js", "20.17.0", "Node.js Foundation", "x86_64", `C:\Program Files\nodejs\`, "", 96000, ""},
		{"PuTTY release 0.81 (64-bit)", "0.81.0.0", "Simon Tatham", "x86_64", `C:\Program Files\PuTTY\`, "", 4500, ""},
		{"WinSCP 6.3.4", "6.3.4", "Martin Prikryl", "i686", `C:\Program Files (x86)\WinSCP\`, "", 40000, ""},
		{"JetBrains IntelliJ IDEA Community Edition 2024.2.2", "242.22855.74", "JetBrains s.r.o.", "x86_64", `C:\Program Files\JetBrains\IntelliJ IDEA Community Edition 2024.2.2`, "", 2900000, ""},
	},
}

var macBase = []osPackage{
	{"Safari", "18.0", "Apple", "arm64", "/Applications/Safari.app/Contents/Info.plist", "", 0, "pkg"},
	{"Google Chrome", "129.0.6668.90", "Google LLC", "arm64", "/Applications/Google Chrome.app/Contents/Info.plist", "", 0, "pkg"},
	{"Firefox", "131.0", "Mozilla", "arm64", "/Applications/Firefox.app/Contents/Info.plist", "", 0, "pkg"},
	{"Slack", "4.40.128", "Slack Technologies, Inc.", "arm64", "/Applications/Slack.app/Contents/Info.plist", "", 0, "pkg"},
	{"zoom.us", "6.2.3", "Zoom Video Communications, Inc.", "arm64", "/Applications/zoom.us.app/Contents/Info.plist", "", 0, "pkg"},
	{"Microsoft Outlook", "16.89", "Microsoft Corporation", "arm64", "/Applications/Microsoft Outlook.app/Contents/Info.plist", "", 0, "pkg"},
	{"Microsoft Word", "16.89", "Microsoft Corporation", "arm64", "/Applications/Microsoft Word.app/Contents/Info.plist", "", 0, "pkg"},
	{"Microsoft Excel", "16.89", "Microsoft Corporation", "arm64", "/Applications/Microsoft Excel.app/Contents/Info.plist", "", 0, "pkg"},
	{"1Password 7", "7.9.11", "AgileBits Inc.", "arm64", "/Applications/1Password 7.app/Contents/Info.plist", "", 0, "pkg"},
	{"Wazuh Agent", "", "Wazuh, Inc.", "arm64", "/Library/Ossec/", "", 0, "pkg"},
	{"Xcode", "16.0", "Apple", "arm64", "/Applications/Xcode.app/Contents/Info.plist", "", 0, "pkg"},
	{"Terminal", "2.14", "Apple", "arm64", "/System/Applications/Utilities/Terminal.app/Contents/Info.plist", "", 0, "pkg"},
}

var macRole = map[string][]osPackage{
	"mac": {
		{"Visual Studio Code", "1.93.1", "Microsoft Corporation", "arm64", "/Applications/Visual Studio Code.app/Contents/Info.plist", "", 0, "pkg"},
		{"Docker", "4.34.2", "Docker Inc", "arm64", "/Applications/Docker.app/Contents/Info.plist", "", 0, "pkg"},
		{"iTerm", "3.5.4", "George Nachman", "arm64", "/Applications/iTerm.app/Contents/Info.plist", "", 0, "pkg"},
		{"Postman", "11.14.0", "Postman, Inc", "arm64", "/Applications/Postman.app/Contents/Info.plist", "", 0, "pkg"},
		{"openssl", "3.3.2", "", "arm64", "/opt/local/var/macports/registry", "OpenSSL SSL/TLS cryptography library", 0, "macports"},
		{"curl", "8.10.1", "", "arm64", "/opt/local/var/macports/registry", "Tool for transferring files with URL syntax", 0, "macports"},
		{"git", "2.46.1", "", "arm64", "/opt/local/var/macports/registry", "A fast version control system", 0, "macports"},
		{"python312", "3.12.6", "", "arm64", "/opt/local/var/macports/registry", "Python 3.12", 0, "macports"},
		{"wget", "1.24.5", "", "arm64", "/opt/local/var/macports/registry", "Internet file retriever", 0, "macports"},
		{"nmap", "7.95", "", "arm64", "/opt/local/var/macports/registry", "Port scanning utility for large networks", 0, "macports"},
		{"libxml2", "2.12.9", "", "arm64", "/opt/local/var/macports/registry", "gnome xml library", 0, "macports"},
		{"sqlite3", "3.46.1", "", "arm64", "/opt/local/var/macports/registry", "an embedded SQL database engine", 0, "macports"},
		{"node", "22.9.0", "", "arm64", "/opt/local/var/macports/registry", "Evented I/O for V8 JavaScript", 0, "macports"},
		{"gnupg2", "2.4.5", "", "arm64", "/opt/local/var/macports/registry", "GNU privacy guard", 0, "macports"},
		{"ffmpeg", "4.4.4", "", "arm64", "/opt/local/var/macports/registry", "FFmpeg is a complete solution to play, record, convert and stream audio and video", 0, "macports"},
		{"openssh", "9.8p1", "", "arm64", "/opt/local/var/macports/registry", "OpenSSH secure login server", 0, "macports"},
		{"tmux", "3.4", "", "arm64", "/opt/local/var/macports/registry", "terminal multiplexer", 0, "macports"},
		{"go", "1.23.1", "", "arm64", "/opt/local/var/macports/registry", "compiled, garbage-collected, concurrent programming language developed by Google Inc.", 0, "macports"},
		{"jq", "1.7.1", "", "arm64", "/opt/local/var/macports/registry", "Command-line JSON processor", 0, "macports"},
		{"bash", "5.2.32", "", "arm64", "/opt/local/var/macports/registry", "Bash (bourne-again shell) is a UNIX command interpreter", 0, "macports"},
	},
}
