package audit

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// genuineExport is an export of five chained records, one of them stored
// as record_text (only a tampered store holds such a record, but its line
// must verify as written).
func genuineExport() (lines []string, text string) {
	records := []string{
		`{"time":"2026-11-21T12:00:00Z","kind":"tool_call","tool":"wazuh_alerts","outcome":"ok"}`,
		`{"time":"2026-11-21T12:01:00Z","kind":"action","action_id":"act_a","transition":"proposed","detail":{"plan_hash":"ab"}}`,
		"not json\nat all",
		`{"time":"2026-11-21T12:03:00Z","kind":"tool_call","error":"a<b>&c\u2028 é"}`,
		`{"time":"2026-11-21T12:04:00Z","kind":"action","action_id":"act_a","transition":"approved"}`,
	}
	prev := store.GenesisHash
	for i, r := range records {
		h := store.ChainHash(prev, []byte(r))
		lines = append(lines, exportLineText(int64(i+1), h, prev, []byte(r)))
		prev = h
	}
	return lines, strings.Join(lines, "\n") + "\n"
}

func TestVerifyExportRefusesAmbiguousLines(t *testing.T) {
	lines, _ := genuineExport()
	l := lines[1]
	rec := l[strings.Index(l, `"record":`)+len(`"record":`) : len(l)-1]
	forged := strings.Replace(rec, "proposed", "rejected", 1)
	for name, edited := range map[string]string{
		"a second, differently cased key": strings.Replace(l, `"record":`, `"record":`+forged+`,"RECORD":`, 1),
		"a duplicate key":                 strings.Replace(l, `"record":`, `"record":`+forged+`,"record":`, 1),
		"spacing":                         strings.Replace(l, `,"hash"`, `, "hash"`, 1),
		"an escaped character":            strings.Replace(l, `"seq"`, `"s\u0065q"`, 1),
	} {
		edit := append([]string(nil), lines...)
		edit[1] = edited
		rep, err := VerifyExport(strings.NewReader(strings.Join(edit, "\n")))
		if err != nil || rep.OK() || rep.FirstBroken.Seq != 2 || !strings.Contains(rep.FirstBroken.Reason, "line 2 is not written as export writes it") {
			t.Errorf("%s: report %+v %+v, %v", name, rep, rep.FirstBroken, err)
		}
	}
}

// seqPrefix splits an export line into its seq and the rest.
var seqPrefix = regexp.MustCompile(`^\{"seq":([0-9]+),`)

// FuzzVerifyExport: over arbitrary JSON lines VerifyExport never panics,
// and it reports OK only when every line is a genuine record's line,
// unchanged, in order and without a gap. The one thing it cannot prove is
// the seq numbers of an export that does not start at seq 1 (an export
// --since): no hash covers them, so they may be shifted as a whole (the
// fuzzer's first finding; VerifyExport and the CLI say so).
func FuzzVerifyExport(f *testing.F) {
	lines, text := genuineExport()
	f.Add([]byte(text))
	f.Add([]byte(strings.Join(lines[2:], "\n")))
	f.Add([]byte(strings.ReplaceAll(text, "\n", "\r\n")))
	f.Add([]byte(strings.Replace(text, "wazuh_alerts", "wazuh_agents", 1)))
	f.Add([]byte(strings.Replace(text, `"record":`, `"record":{},"RECORD":`, 1)))
	f.Add([]byte(lines[0] + "\n\n" + lines[2] + "\n"))
	f.Add([]byte(lines[1] + "\n" + lines[0]))
	f.Add([]byte(`{"seq":1,"hash":"x","prev_hash":"y","record":{},"record_text":"z"}`))
	f.Add([]byte(`{"seq":-1}` + "\n[]\nnull\n"))
	genuine := map[string]int{} // line without its seq → its true seq
	for i, l := range lines {
		genuine[l[len(seqPrefix.FindString(l)):]] = i + 1
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := VerifyExport(bytes.NewReader(data))
		if err != nil || !rep.OK() {
			return
		}
		var n, prevTrue, shift int
		for _, l := range strings.Split(string(data), "\n") {
			l = strings.TrimSuffix(l, "\r")
			if len(bytes.TrimSpace([]byte(l))) == 0 {
				continue
			}
			m := seqPrefix.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("OK with the line %q", l)
			}
			trueSeq, ok := genuine[l[len(m[0]):]]
			seq, _ := strconv.Atoi(m[1])
			switch {
			case !ok:
				t.Fatalf("OK with the modified line %q", l)
			case n == 0:
				shift = seq - trueSeq
			case trueSeq != prevTrue+1:
				t.Fatalf("OK with record %d after record %d", trueSeq, prevTrue)
			}
			if seq-trueSeq != shift || (shift != 0 && seq-n == 1) {
				t.Fatalf("OK with record %d numbered %d (first line numbered %d)", trueSeq, seq, seq-n)
			}
			prevTrue = trueSeq
			n++
		}
		if rep.Records != int64(n) {
			t.Fatalf("OK over %d lines, %d records", n, rep.Records)
		}
	})
}
