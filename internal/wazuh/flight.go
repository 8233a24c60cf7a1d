package wazuh

import (
	"context"

	"golang.org/x/sync/singleflight"
)

// maxFlightJoins bounds how often a caller re-joins a flight whose leader went away.
const maxFlightJoins = 3

// shared runs fn once per key for all concurrent callers. fn runs with the
// context of the caller that started the flight; each caller still returns as
// soon as its own ctx ends. If the leader gave up (its ctx ended) while this
// caller's ctx is alive, the caller starts or joins a new flight instead of
// inheriting the leader's cancellation.
func shared[T any](ctx context.Context, g *singleflight.Group, key string, fn func(context.Context) (T, error)) (T, error) {
	var zero T
	for range maxFlightJoins {
		ch := g.DoChan(key, func() (any, error) { return fn(ctx) })
		select {
		case <-ctx.Done():
			return zero, ctx.Err()
		case res := <-ch:
			if res.Err != nil && isContextErr(res.Err) && ctx.Err() == nil {
				continue
			}
			v, _ := res.Val.(T)
			return v, res.Err
		}
	}
	return fn(ctx)
}
