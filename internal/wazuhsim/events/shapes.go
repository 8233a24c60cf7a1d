package events

import (
	"strconv"
	"strings"
)

// syslogLine writes "<Mmm dd hh:mm:ss> <host> <program>[<pid>]: " as the
// agent's syslog would, with a pid derived from the alert's aux bits.
func syslogLine(a *alert, b *strings.Builder, program string) {
	b.WriteString(a.syslogStamp())
	b.WriteByte(' ')
	b.WriteString(a.agent.ref.Name)
	b.WriteByte(' ')
	b.WriteString(program)
	b.WriteByte('[')
	b.WriteString(strconv.Itoa(int(1000 + a.aux%60000)))
	b.WriteString("]: ")
}

// sshd renders an sshd line whose message is built from field values.
func sshd(parts ...string) func(a *alert, b *strings.Builder) {
	return func(a *alert, b *strings.Builder) {
		syslogLine(a, b, "sshd")
		writeParts(a, b, parts)
	}
}

// writeParts writes literal parts and "$path" field references.
func writeParts(a *alert, b *strings.Builder, parts []string) {
	for _, p := range parts {
		if strings.HasPrefix(p, "$") {
			b.WriteString(a.get(p[1:]))
		} else {
			b.WriteString(p)
		}
	}
}

var sshdDecoder = shape{decoderName: "sshd", decoderParent: "sshd", program: "sshd", location: locAuth, input: true}

func sshdShape(name string, fields []field, render func(a *alert, b *strings.Builder)) *shape {
	s := sshdDecoder
	s.name, s.fields, s.render = name, fields, render
	return newShape(s)
}

// Linux authentication shapes.
var (
	shSSHAccepted = sshdShape("ssh-accepted", []field{sf("data.srcip"), sf("data.srcport"), sf("data.dstuser")},
		func(a *alert, b *strings.Builder) {
			syslogLine(a, b, "sshd")
			method := "publickey"
			if a.aux&1 == 1 {
				method = "password"
			}
			writeParts(a, b, []string{"Accepted ", method, " for ", "$data.dstuser", " from ", "$data.srcip", " port ", "$data.srcport", " ssh2"})
			if method == "publickey" {
				b.WriteString(": ED25519 SHA256:")
				b.WriteString(fakeFingerprint(a.get("data.dstuser")))
			}
		})
	shSSHInvalid = sshdShape("ssh-invalid-user", []field{sf("data.srcip"), sf("data.srcport"), sf("data.srcuser")},
		sshd("Invalid user ", "$data.srcuser", " from ", "$data.srcip", " port ", "$data.srcport"))
	shSSHFailed = sshdShape("ssh-failed-password", []field{sf("data.srcip"), sf("data.srcport"), sf("data.dstuser")},
		sshd("Failed password for ", "$data.dstuser", " from ", "$data.srcip", " port ", "$data.srcport", " ssh2"))
	shSSHPAMFail = sshdShape("ssh-pam-failure", []field{sf("data.srcip"), sf("data.dstuser")},
		sshd("error: PAM: Authentication failure for ", "$data.dstuser", " from ", "$data.srcip"))
	shSSHScan = sshdShape("ssh-scan", []field{sf("data.srcip"), sf("data.srcport")},
		sshd("Did not receive identification string from ", "$data.srcip", " port ", "$data.srcport"))
	shSSHMaxAuth = sshdShape("ssh-max-auth", []field{sf("data.srcip"), sf("data.srcport"), sf("data.dstuser")},
		sshd("error: maximum authentication attempts exceeded for ", "$data.dstuser", " from ", "$data.srcip", " port ", "$data.srcport", " ssh2 [preauth]"))

	shPAMOpen = newShape(shape{name: "pam-session-opened", decoderName: "pam", decoderParent: "pam", program: "sshd", location: locAuth, input: true,
		fields: []field{sf("data.dstuser"), cf("data.uid", "0")},
		render: func(a *alert, b *strings.Builder) {
			syslogLine(a, b, "sshd")
			writeParts(a, b, []string{"pam_unix(sshd:session): session opened for user ", "$data.dstuser", " by (uid=0)"})
		}})
	shPAMClose = newShape(shape{name: "pam-session-closed", decoderName: "pam", decoderParent: "pam", program: "sshd", location: locAuth, input: true,
		fields: []field{sf("data.dstuser")},
		render: func(a *alert, b *strings.Builder) {
			syslogLine(a, b, "sshd")
			writeParts(a, b, []string{"pam_unix(sshd:session): session closed for user ", "$data.dstuser"})
		}})
	shPAMCron = newShape(shape{name: "pam-cron-session", decoderName: "pam", decoderParent: "pam", program: "CRON", location: locAuth, input: true,
		fields: []field{cf("data.dstuser", "root"), cf("data.uid", "0")},
		render: func(a *alert, b *strings.Builder) {
			syslogLine(a, b, "CRON")
			b.WriteString("pam_unix(cron:session): session opened for user root by (uid=0)")
		}})
	shPAMFail = newShape(shape{name: "pam-auth-failure", decoderName: "pam", decoderParent: "pam", program: "sshd", location: locAuth, input: true,
		fields: []field{sf("data.srcip"), sf("data.dstuser"), cf("data.uid", "0"), cf("data.euid", "0"), cf("data.tty", "ssh"), cf("data.logname", "")},
		render: func(a *alert, b *strings.Builder) {
			syslogLine(a, b, "sshd")
			writeParts(a, b, []string{"pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=", "$data.srcip", "  user=", "$data.dstuser"})
		}})
	shSudo = newShape(shape{name: "sudo", decoderName: "sudo", decoderParent: "sudo", program: "sudo", location: locAuth, input: true,
		fields: []field{sf("data.srcuser"), sf("data.tty"), sf("data.pwd"), cf("data.dstuser", "root"), sf("data.command")},
		render: func(a *alert, b *strings.Builder) {
			b.WriteString(a.syslogStamp() + " " + a.agent.ref.Name + " sudo: ")
			writeParts(a, b, []string{"    ", "$data.srcuser", " : TTY=", "$data.tty", " ; PWD=", "$data.pwd", " ; USER=root ; COMMAND=", "$data.command"})
		}})
	shSudoFail = newShape(shape{name: "sudo-failed", decoderName: "sudo", decoderParent: "sudo", program: "sudo", location: locAuth, input: true,
		fields: []field{sf("data.srcuser"), sf("data.tty"), sf("data.pwd"), cf("data.dstuser", "root"), sf("data.command")},
		render: func(a *alert, b *strings.Builder) {
			b.WriteString(a.syslogStamp() + " " + a.agent.ref.Name + " sudo: ")
			writeParts(a, b, []string{"    ", "$data.srcuser", " : 3 incorrect password attempts ; TTY=", "$data.tty", " ; PWD=", "$data.pwd", " ; USER=root ; COMMAND=", "$data.command"})
		}})
)

// fakeFingerprint derives a stable key fingerprint per user.
func fakeFingerprint(user string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	h := uint64(14695981039346656037)
	var b [43]byte
	for i := range b {
		for _, c := range []byte(user) {
			h = (h ^ uint64(c)) * 1099511628211
		}
		h ^= uint64(i) * 0x9E3779B97F4A7C15
		b[i] = alphabet[h%64]
	}
	return string(b[:])
}
