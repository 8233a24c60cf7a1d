package dataset

import "time"

// fimFrequency is the syscheck <frequency> of the generated configuration.
const fimFrequency = 43200 * time.Second

// buildFIMScans generates GET /syscheck/{id}/last_scan: when the last
// scheduled FIM scan started and ended, before the agent was last seen.
// Agents without inventory never scanned: start and end are null, as the
// real API answers.
func buildFIMScans(seed int64, agents []agent, now time.Time) map[string]Item {
	out := map[string]Item{}
	for _, a := range agents {
		if !a.hasInventory() {
			out[a.id] = Item{"start": nil, "end": nil}
			continue
		}
		r := newRand(seed, "fim-scan/"+a.id)
		seen := a.lastSeen(now)
		start := seen.Add(-time.Duration(between(r, 600, int(fimFrequency/time.Second)-600)) * time.Second).Truncate(time.Second)
		end := start.Add(time.Duration(between(r, 20, 540)) * time.Second)
		out[a.id] = Item{"start": zTime(start), "end": zTime(end)}
	}
	return out
}
