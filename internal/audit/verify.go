package audit

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/wazuh-mcp/wazuh-mcp/internal/store"
)

// Break is the first place where the chain does not hold.
type Break struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

// Report is the result of a verification. HeadSeq and HeadHash are those
// of the last record that verified.
type Report struct {
	Records     int64  `json:"records"`
	FirstSeq    int64  `json:"first_seq,omitempty"`
	HeadSeq     int64  `json:"head_seq"`
	HeadHash    string `json:"head_hash"`
	FirstBroken *Break `json:"first_broken,omitempty"`
}

// OK reports whether the chain verified.
func (r Report) OK() bool { return r.FirstBroken == nil }

// errStop ends a walk at the first break.
var errStop = errors.New("stop")

// chain checks records one after the other.
type chain struct {
	rep      Report
	prevSeq  int64
	prevHash string
}

// newChain starts at genesis (seq 0); anchor starts an export elsewhere.
func newChain() *chain { return &chain{prevHash: store.GenesisHash} }

// add checks one record; a break stops the walk.
func (c *chain) add(seq int64, prevHash, hash string, record []byte) error {
	if b := c.check(seq, prevHash, hash, record); b != nil {
		c.rep.FirstBroken = b
		return errStop
	}
	if c.rep.Records == 0 {
		c.rep.FirstSeq = seq
	}
	c.rep.Records++
	c.prevSeq, c.prevHash = seq, hash
	c.rep.HeadSeq, c.rep.HeadHash = seq, hash
	return nil
}

func (c *chain) check(seq int64, prevHash, hash string, record []byte) *Break {
	switch {
	case seq <= c.prevSeq:
		return &Break{seq, fmt.Sprintf("seq %d out of order after %d (a record was inserted or renumbered)", seq, c.prevSeq)}
	case seq > c.prevSeq+1:
		return &Break{c.prevSeq + 1, fmt.Sprintf("record %s missing: the next record is %d (deleted)", seqRange(c.prevSeq+1, seq-1), seq)}
	case prevHash != c.prevHash:
		return &Break{seq, fmt.Sprintf("prev_hash does not match the hash of record %d (a record was inserted, deleted or rewritten before it)", c.prevSeq)}
	case store.ChainHash(prevHash, record) != hash:
		return &Break{seq, "hash does not match the record (the record or its hash was altered)"}
	}
	return nil
}

func seqRange(from, to int64) string {
	if from == to {
		return strconv.FormatInt(from, 10)
	}
	return fmt.Sprintf("%d-%d", from, to)
}

// Verify walks the whole audit log from genesis: every hash is recomputed,
// every prev_hash must be the previous record's hash, seqs must follow
// each other from 1, and the at and kind columns (outside the hash) must
// agree with the hashed record. A break is reported in the Report, not as
// an error; the error is for a store that cannot be read. A chain cannot
// show that its newest records were cut off: compare HeadHash with a copy
// kept elsewhere.
func Verify(ctx context.Context, st *store.Store) (Report, error) {
	c := newChain()
	err := st.EachAudit(ctx, 0, time.Time{}, func(r store.AuditRecord) error {
		if err := c.add(r.Seq, r.PrevHash, r.Hash, r.Record); err != nil {
			return err
		}
		if b := checkColumns(r); b != nil {
			c.rep.FirstBroken = b
			return errStop
		}
		return nil
	})
	if err != nil && !errors.Is(err, errStop) {
		return c.rep, fmt.Errorf("audit verify: %w", err)
	}
	return c.rep, nil
}

// checkColumns compares the unhashed columns with the hashed record, so
// that moving a record in time (what export --since filters on) shows.
func checkColumns(r store.AuditRecord) *Break {
	var e struct {
		Time time.Time `json:"time"`
		Kind string    `json:"kind"`
	}
	if err := json.Unmarshal(r.Record, &e); err != nil {
		return &Break{r.Seq, "the record is not an audit event: " + err.Error()}
	}
	if !e.Time.Equal(r.At) || e.Kind != r.Kind {
		return &Break{r.Seq, "the at or kind column differs from the hashed record (the row was edited)"}
	}
	return nil
}

// exportLine is one line of an export. Record keeps the stored bytes
// exactly (a RawMessage is written and read back verbatim), so the line
// re-hashes offline. RecordText carries a stored record that is not a
// single line of JSON (only a tampered one can be).
type exportLine struct {
	Seq        int64           `json:"seq"`
	Hash       string          `json:"hash"`
	PrevHash   string          `json:"prev_hash"`
	Record     json.RawMessage `json:"record,omitempty"`
	RecordText *string         `json:"record_text,omitempty"`
}

// Export writes the records with at >= since (zero: all) as JSON lines
// {"seq","hash","prev_hash","record"}, which VerifyExport checks offline.
func Export(ctx context.Context, st *store.Store, since time.Time, w io.Writer) error {
	bw := bufio.NewWriter(w)
	err := st.EachAudit(ctx, 0, since, func(r store.AuditRecord) error {
		return writeExportLine(bw, r)
	})
	if err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("audit export: %w", err)
	}
	return nil
}

func writeExportLine(w *bufio.Writer, r store.AuditRecord) error {
	if _, err := w.WriteString(exportLineText(r.Seq, r.Hash, r.PrevHash, r.Record) + "\n"); err != nil {
		return fmt.Errorf("write seq %d: %w", r.Seq, err)
	}
	return nil
}

// exportLineText is the one text of an export line, without its newline.
func exportLineText(seq int64, hash, prevHash string, record []byte) string {
	head := fmt.Sprintf(`{"seq":%d,"hash":%s,"prev_hash":%s,`, seq, strconv.Quote(hash), strconv.Quote(prevHash))
	if json.Valid(record) && !bytes.ContainsAny(record, "\r\n") {
		return head + `"record":` + string(record) + "}"
	}
	t, _ := json.Marshal(string(record))
	return head + `"record_text":` + string(t) + "}"
}

// maxExportLine bounds one line of an export when reading it back.
const maxExportLine = 4 << 20

// VerifyExport checks an export offline: the same checks as Verify,
// starting from genesis when the export starts at seq 1, else from the
// first line's prev_hash (an export --since cannot show its link to the
// records before it). No hash covers a seq, so the seq numbers of an
// export --since are the file's claim: they could all be shifted together
// (compare its first prev_hash with the store's hash of the seq before
// it). A malformed line is a break; the error is for a reader that fails.
func VerifyExport(r io.Reader) (Report, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxExportLine)
	var c *chain
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		l, b := parseExportLine(sc.Bytes(), line)
		if c == nil {
			c = anchor(l)
		}
		if b != nil {
			b.Seq = c.prevSeq + 1
			c.rep.FirstBroken = b
			return c.rep, nil
		}
		if c.add(l.Seq, l.PrevHash, l.Hash, l.record()) != nil {
			return c.rep, nil
		}
	}
	if err := sc.Err(); err != nil {
		return reportOf(c), fmt.Errorf("audit verify: reading the export: %w", err)
	}
	return reportOf(c), nil
}

func reportOf(c *chain) Report {
	if c == nil {
		return Report{}
	}
	return c.rep
}

// anchor starts the chain of an export at its first line.
func anchor(first exportLine) *chain {
	c := newChain()
	if first.Seq > 1 {
		c.prevSeq, c.prevHash = first.Seq-1, first.PrevHash
	}
	return c
}

func parseExportLine(b []byte, line int) (exportLine, *Break) {
	var l exportLine
	if err := json.Unmarshal(b, &l); err != nil {
		return l, &Break{Reason: fmt.Sprintf("line %d is not an export record: %v", line, err)}
	}
	if l.Seq <= 0 || (l.Record == nil) == (l.RecordText == nil) {
		return l, &Break{Reason: fmt.Sprintf("line %d lacks a seq or a record", line)}
	}
	// Export writes each line one way. Any other text that decodes to the
	// same fields (a duplicate or differently cased key, escapes, spacing)
	// is refused: a reader other than this one could see another record in
	// it ({"record":<forged>,"RECORD":<hashed>} reads as <hashed> here and
	// as <forged> with jq).
	if string(b) != exportLineText(l.Seq, l.Hash, l.PrevHash, l.record()) {
		return l, &Break{Reason: fmt.Sprintf("line %d is not written as export writes it (edited: keys, escapes or spacing differ)", line)}
	}
	return l, nil
}

func (l exportLine) record() []byte {
	if l.RecordText != nil {
		return []byte(*l.RecordText)
	}
	return l.Record
}
