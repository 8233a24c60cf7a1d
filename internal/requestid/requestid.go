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
	id = clean(id)
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

// clean keeps printable ASCII except space, so the id is safe in an HTTP
// header and a log line (no CR/LF injection).
func clean(id string) string {
	b := make([]byte, 0, min(len(id), maxLen))
	for i := 0; i < len(id) && len(b) < maxLen; i++ {
		if c := id[i]; c > 0x20 && c < 0x7f {
			b = append(b, c)
		}
	}
	return string(b)
}
