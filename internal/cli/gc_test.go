package cli

import (
	"runtime/debug"
	"testing"
)

func TestTuneServerGC(t *testing.T) {
	orig := debug.SetGCPercent(100)
	t.Cleanup(func() { debug.SetGCPercent(orig) })
	cases := []struct {
		env      map[string]string
		want     string
		wantGOGC int
	}{
		{map[string]string{}, "200", 200},
		{map[string]string{"GOGC": "50"}, "", 100},         // the operator's GOGC (read by the runtime) stands
		{map[string]string{"GOMEMLIMIT": "1GiB"}, "", 100}, // so does a memory limit
		{map[string]string{"GOGC": "off"}, "", 100},
	}
	for _, c := range cases {
		debug.SetGCPercent(100)
		got := tuneServerGC(func(k string) string { return c.env[k] })
		if now := debug.SetGCPercent(100); got != c.want || now != c.wantGOGC {
			t.Errorf("env %v: tuneServerGC = %q with GOGC %d in effect, want %q and %d", c.env, got, now, c.want, c.wantGOGC)
		}
	}
}
