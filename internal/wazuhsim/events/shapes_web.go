package events

import (
	"strconv"
	"strings"
)

// nginx access log events (web-accesslog decoder, rules 311xx).
var shWebAccess = newShape(shape{name: "web-access", decoderName: "web-accesslog", location: "/var/log/nginx/access.log", input: true, emptyPre: true,
	fields: []field{sf("data.srcip"), cf("data.protocol", "GET"), sf("data.url"), sf("data.id")},
	render: func(a *alert, b *strings.Builder) {
		// Combined log format; the status drives the rule, the rest is texture.
		writeParts(a, b, []string{"$data.srcip", " - - ["})
		b.WriteString(a.time().Format("02/Jan/2006:15:04:05 -0700"))
		writeParts(a, b, []string{"] \"", "$data.protocol", " ", "$data.url", " HTTP/1.1\" ", "$data.id", " "})
		b.WriteString(strconv.Itoa(int(150 + a.aux%4000)))
		b.WriteString(" \"-\" \"")
		b.WriteString(userAgents[int(a.aux>>8)%len(userAgents)])
		b.WriteByte('"')
	}})

// webAttackUA is used by the web incident; scanners announce themselves.
var userAgents = []string{
	"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
	"Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
	"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_7_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
	"curl/8.5.0",
	"Mozilla/5.0 (compatible; Nmap Scripting Engine; https://nmap.org/book/nse.html)",
	"sqlmap/1.8.11#stable (https://sqlmap.org)",
}

// nginx error log events (rule 31301).
var shNginxError = newShape(shape{name: "nginx-error", decoderName: "nginx-errorlog", decoderParent: "nginx-errorlog", location: "/var/log/nginx/error.log", input: true, emptyPre: true,
	fields: []field{sf("data.srcip"), sf("data.url")},
	render: func(a *alert, b *strings.Builder) {
		b.WriteString(a.time().Format("2006/01/02 15:04:05"))
		b.WriteString(" [error] ")
		pid := strconv.Itoa(int(800 + a.aux%3000))
		b.WriteString(pid + "#" + pid + ": *" + strconv.Itoa(int(a.aux%900000)) + " open() \"/usr/share/nginx/html")
		writeParts(a, b, []string{"$data.url", "\" failed (2: No such file or directory), client: ", "$data.srcip", ", server: _, request: \"GET ", "$data.url", " HTTP/1.1\", host: \""})
		b.WriteString(a.agent.ref.Name + "\"")
	}})
