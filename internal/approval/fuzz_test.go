package approval

import (
	"context"
	"testing"
	"time"
)

// FuzzVerifyState: the state of an in-line approval question verifies for
// the action, plan hash and session it was made for, and for no other:
// an answer cannot be moved onto another action, plan or session by
// shifting text between the fields.
func FuzzVerifyState(f *testing.F) {
	const hash = "3f0c6a0d4c5e1b2a9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928"
	f.Add("act_k2j4h5g6f7d8s9a0", hash, "sess-1", "act_k2j4h5g6f7d8s9a0", hash, "sess-2", "")
	f.Add("act_a", hash, "s", "act_b", hash, "s", "")
	f.Add("act_a", "h1", "", "act_a", "h2", "", "")
	f.Add("act_a\x00h1", "h2", "s", "act_a", "h1\x00h2", "s", "")
	f.Add("a", "b", "c\x00d", "a", "b\x00c", "d", "")
	f.Add("act_a", hash, "s", "act_a", hash, "s", "AAAA")
	g := New(nil, nil, Options{ConfirmSecret: []byte("fuzz-secret-0123456789abcdef0123")})
	f.Fuzz(func(t *testing.T, id, hash, session, id2, hash2, session2, forged string) {
		state := g.SignState(id, hash, session)
		if !g.VerifyState(state, id, hash, session) {
			t.Fatalf("the state of (%q, %q, %q) does not verify", id, hash, session)
		}
		same := id == id2 && hash == hash2 && session == session2
		if !same && g.VerifyState(state, id2, hash2, session2) {
			t.Fatalf("the state of (%q, %q, %q) verifies for (%q, %q, %q)", id, hash, session, id2, hash2, session2)
		}
		if forged != state && g.VerifyState(forged, id, hash, session) {
			t.Fatalf("forged state %q verifies", forged)
		}
	})
}

// FuzzPageSession: a session cookie decodes only to the operator this
// server signed it for (no other identity, no other expiry, no
// forgery), and only that session's CSRF token passes.
func FuzzPageSession(f *testing.F) {
	now := time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)
	p := NewPage(New(nil, nil, Options{}), PageOptions{CookieSecret: []byte("0123456789abcdef0123456789abcdef"),
		Now: func() time.Time { return now }}).(*page)
	op := &operator{ID: "key_op1", Name: "Alice", Exp: now.Add(30 * time.Minute).Unix(), N: "nonce-1"}
	expired := &operator{ID: "key_op1", Name: "Alice", Exp: now.Add(-time.Second).Unix(), N: "nonce-0"}
	good, token := p.encode(op), p.csrf(op)
	f.Add(good, token)
	f.Add(p.encode(expired), p.csrf(expired))
	f.Add(good+"x", token+"0")
	f.Add(good[:len(good)-1], token[:len(token)-1])
	f.Add("e30."+good[len(good)-43:], "")
	f.Add(".", "00")
	f.Add("eyJpZCI6ImtleV9vcDEiLCJleHAiOjk5OTk5OTk5OTksIm4iOiJ4In0.AAAA", token)
	f.Fuzz(func(t *testing.T, cookie, csrf string) {
		got, _ := p.decode(context.Background(), cookie)
		if got != nil && *got != *op {
			t.Fatalf("cookie %q decoded to %+v, which this server never signed", cookie, got)
		}
		if p.csrfOK(op, csrf) && csrf != token {
			t.Fatalf("CSRF token %q accepted for the session", csrf)
		}
		if got != nil && !p.csrfOK(got, token) {
			t.Fatal("the session's own token is refused")
		}
	})
}
