package wazuh

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/sony/gobreaker/v2"
)

// breaker fails fast while the Manager is down, instead of making every tool
// call wait for its own timeouts.
type breaker struct {
	cb       *gobreaker.TwoStepCircuitBreaker[struct{}]
	failures int
	open     time.Duration
}

// Outcomes passed to the breaker's done func.
var (
	errBreakerFailure  = errors.New("manager failure")
	errBreakerExcluded = errors.New("not counted")
)

func newBreaker(s BreakerSettings, obs Observer, log *slog.Logger) *breaker {
	return &breaker{
		failures: s.Failures,
		open:     s.OpenTimeout,
		cb: gobreaker.NewTwoStepCircuitBreaker[struct{}](gobreaker.Settings{
			Name:        "wazuh-manager",
			MaxRequests: 1, // one probe while half-open
			Timeout:     s.OpenTimeout,
			ReadyToTrip: func(c gobreaker.Counts) bool { return c.ConsecutiveFailures >= uint32(s.Failures) },
			OnStateChange: func(_ string, from, to gobreaker.State) {
				log.Warn("wazuh circuit breaker state change", slog.String("from", from.String()), slog.String("to", to.String()))
				obs.ObserveBreaker(from.String(), to.String())
			},
			IsExcluded: func(err error) bool { return errors.Is(err, errBreakerExcluded) },
		}),
	}
}

// allow returns a done func to report the outcome, or ErrUnavailable when open.
func (b *breaker) allow(r *request) (func(error), error) {
	done, err := b.cb.Allow()
	if err != nil {
		return nil, newUnavailable(err, "%s %s refused without calling: the circuit breaker is open after %d consecutive failures; it lets a probe through %s after opening",
			r.method, r.endpoint, b.failures, b.open)
	}
	return done, nil
}

// state returns the breaker state ("closed", "half-open", "open").
func (b *breaker) state() string { return b.cb.State().String() }

// breakerOutcome classifies one attempt. Failures are what says the Manager
// is unhealthy: transport errors, our own request timeout, 5xx. A caller's
// own cancellation or deadline is not counted, nor is a 429: the Manager is
// up and asks us to slow down, which Retry-After handles (the client holds
// its requests for it); counting it would turn a one-second rate limit into
// an outage of OpenTimeout. Other 4xx answers are healthy.
func breakerOutcome(ctx context.Context, resp *response, err error) error {
	switch {
	case err != nil && isContextErr(err):
		if errors.Is(context.Cause(ctx), errRequestTimeout) {
			return errBreakerFailure
		}
		return errBreakerExcluded
	case err != nil:
		return errBreakerFailure
	case resp.status == http.StatusTooManyRequests:
		return errBreakerExcluded
	case resp.status >= 500:
		return errBreakerFailure
	}
	return nil
}
