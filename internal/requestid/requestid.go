// Package requestid carries a request's correlation id through a context, so
// every layer (HTTP middleware, tool handlers, backend clients, audit) can log
// and forward the same id without depending on each other.
package requestid

import "context"

// ctxKey is unexported so no other package can collide with or overwrite it.
type ctxKey struct{}

// maxLen bounds ids taken from untrusted headers so they cannot bloat logs.
const maxLen = 128

// With returns a context carrying id. Ids are cleaned (printable ASCII only,
// at most 128 bytes) because they often come from client headers and end up in
// logs and outgoing headers; an id that cleans to "" leaves ctx unchanged.
func With(ctx context.Context, id string) context.Context {
	id = Clean(id)
	if id == "" {
		return ctx
	}
	return context.WithValue(ctx, ctxKey{}, id)
}

// From returns the correlation id carried by ctx, or "" when there is none.
func From(ctx context.Context) string {
	if ctx == nil {
		return ""
	}
	id, _ := ctx.Value(ctxKey{}).(string)
	return id
}

// Clean keeps printable ASCII except space, at most 128 bytes, so the id is
// safe in an HTTP header and a log line (no CR/LF injection). For ids taken
// from headers without a context at hand (tool calls' own headers).
func Clean(id string) string {
	if isClean(id) {
		return id // the usual case: no copy
	}
	b := make([]byte, 0, min(len(id), maxLen))
	for i := 0; i < len(id) && len(b) < maxLen; i++ {
		if c := id[i]; c > 0x20 && c < 0x7f {
			b = append(b, c)
		}
	}
	return string(b)
}

func isClean(id string) bool {
	if len(id) > maxLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= 0x20 || c >= 0x7f {
			return false
		}
	}
	return true
}
