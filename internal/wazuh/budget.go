package wazuh

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/time/rate"
)

// budget keeps this client under the Manager's requests-per-minute limit
// (300 by default, answered with 429/6001 beyond it).
type budget struct {
	lim *rate.Limiter
	rpm int
	obs Observer
}

// newBudget spreads rpm evenly with a burst of a tenth of it, so any
// 60-second window sees at most rpm + rpm/10 requests (264 for the default
// 240, still under 300).
func newBudget(rpm int, obs Observer) *budget {
	burst := max(1, rpm/10)
	return &budget{lim: rate.NewLimiter(rate.Limit(float64(rpm)/60), burst), rpm: rpm, obs: obs}
}

// wait blocks until the budget allows one request. If the wait would outlast
// ctx's deadline it fails at once rather than waiting in vain.
func (b *budget) wait(ctx context.Context) error {
	res := b.lim.Reserve()
	d := res.Delay()
	if d == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		res.Cancel()
		return fmt.Errorf("wazuh: client request budget of %d requests/min exhausted; the next slot is in %s, after this call's deadline: %w",
			b.rpm, d.Round(time.Millisecond), ErrRateLimited)
	}
	b.obs.ObserveBudgetWait(d)
	if err := sleepCtx(ctx, d); err != nil {
		res.Cancel()
		return fmt.Errorf("wazuh: waiting for the client request budget (%d requests/min): %w", b.rpm, err)
	}
	return nil
}
