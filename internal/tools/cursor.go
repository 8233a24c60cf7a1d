package tools

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"

	"github.com/wazuh-mcp/wazuh-mcp/internal/args"
)

// Manager API lists page by offset. The cursor handed to the model wraps the
// next offset with a fingerprint of the query, so a cursor reused with other
// filters is refused instead of silently skipping or repeating items.
type offsetCursor struct {
	Offset      int    `json:"o"`
	Fingerprint string `json:"f"`
}

func fingerprint(parts ...string) string {
	h := sha256.Sum256([]byte(strings.Join(parts, "\x00")))
	return hex.EncodeToString(h[:8])
}

func encodeOffsetCursor(offset int, fp string) string {
	b, _ := json.Marshal(offsetCursor{Offset: offset, Fingerprint: fp})
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeOffsetCursor returns the offset of a cursor; empty gives 0.
func decodeOffsetCursor(arg, s, fp string) (int, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	if len(s) > 256 {
		return 0, args.Errorf(arg, "is not a cursor returned by this tool")
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	var c offsetCursor
	if err != nil || json.Unmarshal(b, &c) != nil || c.Offset < 0 || c.Offset > 1_000_000 {
		return 0, args.Errorf(arg, "is not a cursor returned by this tool")
	}
	if c.Fingerprint != fp {
		return 0, args.Errorf(arg, "belongs to a call with other arguments: repeat the same arguments with the cursor, or drop it")
	}
	return c.Offset, nil
}

// nextOffsetCursor returns the cursor for the page after [offset, offset+n)
// of total, or "" when it was the last page.
func nextOffsetCursor(offset, n, total int, fp string) string {
	if n == 0 || offset+n >= total {
		return ""
	}
	return encodeOffsetCursor(offset+n, fp)
}

// listPage is the paging part of results listed from the Manager API.
type listPage struct {
	Total      int    `json:"total"`
	Returned   int    `json:"returned"`
	Truncated  bool   `json:"truncated"`
	NextCursor string `json:"next_cursor,omitempty"`
}

func newListPage(total, n, offset int, fp string) listPage {
	p := listPage{Total: total, Returned: n, NextCursor: nextOffsetCursor(offset, n, total, fp)}
	p.Truncated = p.NextCursor != ""
	return p
}
