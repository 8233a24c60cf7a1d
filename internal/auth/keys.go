package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strings"
)

// NewKey returns a fresh API key (32 random bytes, base64url without
// padding: 43 characters) and its id. Keys have no required format when
// they are checked; this is just how the server makes them.
func NewKey() (key, id string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand panics on failure)
	return base64.RawURLEncoding.EncodeToString(b), "key_" + strings.ToLower(rand.Text()[:12])
}

// HashKey is how keys are stored: SHA-256. A slow password hash (bcrypt,
// argon2) defends low-entropy secrets against offline guessing; stored keys
// are always 256-bit random values made by NewKey, for which guessing is
// hopeless either way, while a fast, deterministic hash lets the store find
// a key by its hash with one index lookup instead of trying every row.
func HashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// envKeyID names the MCP_API_KEY principal. It is keyed with the signing
// secret so that it changes with the key (old tokens stop working when the
// key is rotated) without revealing anything that helps guess a weak key.
func envKeyID(secret []byte, key string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("env-key\x00" + key))
	return "env:" + hex.EncodeToString(m.Sum(nil)[:8])
}
