package events

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// fileDigests gives stable md5/sha1/sha256 for a synthetic file version.
func fileDigests(seed string) (string, string, string) {
	m := md5.Sum([]byte(seed))
	s1 := sha1.Sum([]byte(seed))
	s256 := sha256.Sum256([]byte(seed))
	return hex.EncodeToString(m[:]), hex.EncodeToString(s1[:]), hex.EncodeToString(s256[:])
}

func mtime(ms int64) string { return time.UnixMilli(ms).UTC().Format("2006-01-02T15:04:05") }

// fim adds a scheduled/realtime change to a monitored system file:
// mostly modifications (550), some additions (554) and deletions (553).
func (g *generator) fim(ag *agentInfo, ms int64) {
	if ag.windows {
		return
	}
	path := g.of(fimPaths)
	mode := g.of([]string{"scheduled", "realtime"})
	size := 200 + g.rng.IntN(4000)
	inode := strconv.Itoa(100000 + g.rng.IntN(900000))
	ver := strconv.Itoa(g.rng.IntN(1 << 20))
	md, s1, s2 := fileDigests(path + ver)
	switch r := g.rng.IntN(10); {
	case r < 7:
		omd, os1, os2 := fileDigests(path + ver + "old")
		vals := append(fimAfterVals(path, "modified", mode, size, inode, ms, md, s1, s2),
			strconv.Itoa(size-g.rng.IntN(100)), "rw-r--r--", "0", "0", "root", "root", inode,
			mtime(ms-int64(1+g.rng.IntN(72))*hour), omd, os1, os2, "size,mtime,md5,sha1,sha256")
		g.add(ag, 550, shFIMModified, ms, vals...)
	case r < 9:
		g.add(ag, 554, shFIMAdded, ms, fimAfterVals(path+".bak", "added", mode, size, inode, ms, md, s1, s2)...)
	default:
		g.add(ag, 553, shFIMDeleted, ms, fimAfterVals(path+".bak", "deleted", mode, size, inode, ms, md, s1, s2)...)
	}
}

func fimAfterVals(path, event, mode string, size int, inode string, ms int64, md, s1, s2 string) []string {
	perm := "rw-r--r--"
	if strings.HasPrefix(path, "/usr/") {
		perm = "rwxr-xr-x"
	}
	return []string{path, event, mode, strconv.Itoa(size), perm, "0", "0", "root", "root", inode, mtime(ms - 2*second), md, s1, s2}
}
