package dataset

import (
	"math/rand/v2"
	"time"
)

// buildLogcollector generates GET /agents/{id}/stats/logcollector for
// agents that report: totals since the agent started and the last interval.
func buildLogcollector(seed int64, agents []agent, now time.Time) map[string]Item {
	out := map[string]Item{}
	for _, a := range agents {
		if !a.hasInventory() {
			continue
		}
		r := newRand(seed, "logcollector/"+a.id)
		end := a.lastSeen(now).Truncate(time.Second)
		start := end.Add(-time.Duration(between(r, 20, 160)) * time.Hour)
		iStart := end.Add(-5 * time.Second)
		var global, interval []any
		for _, s := range logSources(a) {
			ge := s.rate * between(r, 400, 1400) * int(end.Sub(start).Hours()+1) / 10
			ie := 0
			if s.rate > 0 && chance(r, 0.6) {
				ie = between(r, 0, s.rate/5+1)
			}
			avg := avgLineBytes(s.format)
			global = append(global, logFileStats(s.location, ge, ge*avg, r))
			interval = append(interval, logFileStats(s.location, ie, ie*avg, nil))
		}
		out[a.id] = Item{
			"global":   Item{"start": zTime(start), "end": zTime(end), "files": global},
			"interval": Item{"start": zTime(iStart), "end": zTime(end), "files": interval},
		}
	}
	return out
}

func avgLineBytes(format string) int {
	switch format {
	case "eventchannel":
		return 1450
	case "json", "journald":
		return 420
	case "apache", "squid":
		return 230
	}
	return 140
}

// logFileStats renders one files[] entry; drops are rare and only in the
// global window (r == nil means none).
func logFileStats(loc string, events, bytes int, r *rand.Rand) Item {
	drops := 0
	if r != nil && events > 100000 && chance(r, 0.2) {
		drops = between(r, 1, 40)
	}
	return Item{"location": loc, "events": events, "bytes": bytes, "targets": []any{Item{"name": "agent", "drops": drops}}}
}
