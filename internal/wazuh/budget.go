package wazuh

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// budget keeps this client under the Manager's requests-per-minute limit
// (300 by default, answered with 429/6001 beyond it), and holds every
// request while the Manager's last Retry-After runs.
type budget struct {
	lim *rate.Limiter
	rpm int
	obs Observer

	mu        sync.Mutex
	holdUntil time.Time
}

// newBudget spreads rpm evenly with a burst of a tenth of it, so any
// 60-second window sees at most rpm + rpm/10 requests (264 for the default
// 240, still under 300).
func newBudget(rpm int, obs Observer) *budget {
	burst := max(1, rpm/10)
	return &budget{lim: rate.NewLimiter(rate.Limit(float64(rpm)/60), burst), rpm: rpm, obs: obs}
}

// holdFor keeps every request of this client back until d from now. The
// Manager answered 429 with Retry-After d; its limit counts the requests of
// the whole API user, so calls that did not see the 429 must wait as well
// instead of adding to the storm.
func (b *budget) holdFor(d time.Duration) {
	until := time.Now().Add(d)
	b.mu.Lock()
	defer b.mu.Unlock()
	if until.After(b.holdUntil) {
		b.holdUntil = until
	}
}

// waitHold waits out a hold. If it would outlast ctx's deadline it fails at
// once, without a request.
func (b *budget) waitHold(ctx context.Context) error {
	b.mu.Lock()
	d := time.Until(b.holdUntil)
	b.mu.Unlock()
	if d <= 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && time.Until(dl) < d {
		return fmt.Errorf("wazuh: the Manager is rate limiting this client (HTTP 429) and asked to retry after %s, after this call's deadline: %w",
			d.Round(time.Second), ErrRateLimited)
	}
	b.obs.ObserveBudgetWait(d)
	if err := sleepCtx(ctx, d); err != nil {
		return fmt.Errorf("wazuh: waiting for the Manager's Retry-After: %w", err)
	}
	return nil
}

// wait blocks until the budget allows one request. If the wait would outlast
// ctx's deadline it fails at once rather than waiting in vain.
func (b *budget) wait(ctx context.Context) error {
	if err := b.waitHold(ctx); err != nil {
		return err
	}
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
