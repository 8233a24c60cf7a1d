package events

// Windows eventchannel alerts carry data.win.system and data.win.eventdata
// and no full_log (the rules use the no_full_log option).

const securityProviderGUID = "{54849625-5478-4994-a5ba-3e3b0328c30d}"

func winSystem(provider, guid, eventID, task, keywords, channel, level, severity, message string) []field {
	return []field{
		cf("data.win.system.providerName", provider), cf("data.win.system.providerGuid", guid),
		cf("data.win.system.eventID", eventID), cf("data.win.system.version", "0"), cf("data.win.system.level", level),
		cf("data.win.system.task", task), cf("data.win.system.opcode", "0"), cf("data.win.system.keywords", keywords),
		{path: "data.win.system.systemTime", src: srcWinTime}, sf("data.win.system.eventRecordID"),
		cf("data.win.system.processID", "652"), cf("data.win.system.threadID", "4712"),
		cf("data.win.system.channel", channel), {path: "data.win.system.computer", src: srcAgentName},
		cf("data.win.system.severityValue", severity), cf("data.win.system.message", message),
	}
}

func winShape(name string, fields ...[]field) *shape {
	var all []field
	for _, f := range fields {
		all = append(all, f...)
	}
	return newShape(shape{name: name, decoderName: "windows_eventchannel", location: "EventChannel", input: true, fields: all})
}

var logonEventData = []field{
	cf("data.win.eventdata.subjectUserSid", "S-1-5-18"), sf("data.win.eventdata.subjectUserName"),
	sf("data.win.eventdata.subjectDomainName"), cf("data.win.eventdata.subjectLogonId", "0x3e7"),
	sf("data.win.eventdata.targetUserName"), sf("data.win.eventdata.targetDomainName"),
	sf("data.win.eventdata.logonType"), sf("data.win.eventdata.logonProcessName"),
	sf("data.win.eventdata.authenticationPackageName"), sf("data.win.eventdata.workstationName"),
	sf("data.win.eventdata.ipAddress"), sf("data.win.eventdata.ipPort"),
	cf("data.win.eventdata.processName", "C:\\Windows\\System32\\lsass.exe"), cf("data.win.eventdata.keyLength", "0"),
}

var (
	shWinLogon = winShape("win-logon-4624",
		winSystem("Microsoft-Windows-Security-Auditing", securityProviderGUID, "4624", "12544", "0x8020000000000000", "Security", "0", "AUDIT_SUCCESS", "\"An account was successfully logged on.\""),
		logonEventData, []field{sf("data.win.eventdata.targetUserSid"), sf("data.win.eventdata.targetLogonId"), cf("data.win.eventdata.impersonationLevel", "%%1833")})
	shWinLogonFail = winShape("win-logon-4625",
		winSystem("Microsoft-Windows-Security-Auditing", securityProviderGUID, "4625", "12544", "0x8010000000000000", "Security", "0", "AUDIT_FAILURE", "\"An account failed to log on.\""),
		logonEventData, []field{cf("data.win.eventdata.targetUserSid", "S-1-0-0"), cf("data.win.eventdata.status", "0xc000006d"),
			sf("data.win.eventdata.subStatus"), cf("data.win.eventdata.failureReason", "%%2313")})
	shWinLogoff = winShape("win-logoff-4634",
		winSystem("Microsoft-Windows-Security-Auditing", securityProviderGUID, "4634", "12545", "0x8020000000000000", "Security", "0", "AUDIT_SUCCESS", "\"An account was logged off.\""),
		[]field{sf("data.win.eventdata.targetUserSid"), sf("data.win.eventdata.targetUserName"), sf("data.win.eventdata.targetDomainName"),
			sf("data.win.eventdata.targetLogonId"), sf("data.win.eventdata.logonType")})
	shWinUserCreated = winShape("win-user-created-4720",
		winSystem("Microsoft-Windows-Security-Auditing", securityProviderGUID, "4720", "13824", "0x8020000000000000", "Security", "0", "AUDIT_SUCCESS", "\"A user account was created.\""),
		[]field{sf("data.win.eventdata.targetUserName"), sf("data.win.eventdata.targetDomainName"), sf("data.win.eventdata.targetSid"),
			sf("data.win.eventdata.subjectUserName"), sf("data.win.eventdata.subjectDomainName"), cf("data.win.eventdata.samAccountName", "")})
	shWinService = winShape("win-service-7045",
		winSystem("Service Control Manager", "{555908d1-a6d7-4695-8e1e-26931d2012f4}", "7045", "0", "0x8080000000000000", "System", "4", "INFORMATION", "\"A service was installed in the system.\""),
		[]field{sf("data.win.eventdata.serviceName"), sf("data.win.eventdata.imagePath"), cf("data.win.eventdata.serviceType", "user mode service"),
			cf("data.win.eventdata.startType", "auto start"), cf("data.win.eventdata.accountName", "LocalSystem")})
	shWinDefenderUpdate = winShape("win-defender-2000",
		winSystem("Microsoft-Windows-Windows Defender", "{11cd958a-c507-4ef3-b3f2-5fd9dfbd2c78}", "2000", "0", "0x8000000000000000", "Microsoft-Windows-Windows Defender/Operational", "4", "INFORMATION", "\"Antimalware definitions updated successfully.\""),
		[]field{sf("data.win.eventdata.current Signature Version"), sf("data.win.eventdata.previous Signature Version"), cf("data.win.eventdata.signature Type", "AntiVirus"), cf("data.win.eventdata.update Type", "Delta")})
	shSysmonProcess = winShape("sysmon-1",
		winSystem("Microsoft-Windows-Sysmon", "{5770385f-c22a-43e0-bf4c-06f5698ffbd9}", "1", "1", "0x8000000000000000", "Microsoft-Windows-Sysmon/Operational", "4", "INFORMATION", "\"Process Create:\""),
		[]field{sf("data.win.eventdata.image"), cf("data.win.eventdata.originalFileName", "Cmd.Exe"), sf("data.win.eventdata.commandLine"),
			sf("data.win.eventdata.parentImage"), sf("data.win.eventdata.parentCommandLine"), sf("data.win.eventdata.user"),
			cf("data.win.eventdata.integrityLevel", "High"), sf("data.win.eventdata.processId"), sf("data.win.eventdata.hashes")})
)
