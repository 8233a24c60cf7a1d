package dataset

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"time"
)

// newRand returns a generator for one named part of the dataset. Each part
// draws from its own stream (seed, hash of the part name), so adding data to
// one part never shifts the values of another: a test pinned on an SCA score
// does not break because a package was added to a catalogue.
func newRand(seed int64, part string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(part))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// between returns an int in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}

// pick returns one element of s.
func pick[T any](r *rand.Rand, s []T) T {
	return s[r.IntN(len(s))]
}

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool {
	return r.Float64() < p
}

// randHex returns n random bytes as lowercase hex (2n characters).
func randHex(r *rand.Rand, n int) string {
	b := make([]byte, n)
	for i := 0; i < n; i += 8 {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], r.Uint64())
		copy(b[i:], w[:])
	}
	return hex.EncodeToString(b)
}

// md5Of, sha1Of and sha256Of hash a label; used where a value must be stable
// across seeds (group checksums, the incident's web shell) or where the three
// digests of one file must agree with each other.
func md5Of(s string) string {
	sum := md5.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sha1Of(s string) string {
	sum := sha1.Sum([]byte(s))
	return hex.EncodeToString(sum[:])
}

func sha256Of(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// uuidOf formats the md5 of a label as a UUID (stable STIX-like ids).
func uuidOf(s string) string {
	h := md5Of(s)
	return fmt.Sprintf("%s-%s-4%s-a%s-%s", h[0:8], h[8:12], h[13:16], h[17:20], h[20:32])
}

// apiTime formats a time the way the 4.x Manager API serialises dates.
func apiTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05+00:00")
}

// zTime formats a time with a Z suffix (ossec.log timestamps, scan times of
// the stats endpoints).
func zTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// spaceTime formats a time as the daemon-stats and cluster endpoints do
// ("2022-07-21 10:09:20+00:00").
func spaceTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05+00:00")
}

// jitter returns d ± up to frac*d.
func jitter(r *rand.Rand, d time.Duration, frac float64) time.Duration {
	span := float64(d) * frac
	return d + time.Duration((r.Float64()*2-1)*span)
}
