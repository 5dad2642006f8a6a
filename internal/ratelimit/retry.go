package ratelimit

import (
	"context"
	"time"
)

// Backoff says how long to wait before each retry: Base, 2·Base, 4·Base, …,
// never more than Max. The zero Backoff waits 1 s, then doubles up to 30 s.
type Backoff struct {
	// Base is the wait before the first retry; zero means 1 s.
	Base time.Duration
	// Max caps every wait; zero means 30 s.
	Max time.Duration
}

// Delay returns the wait before retry number attempt (0 for the first
// retry): min(Max, Base·2^attempt).
func (b Backoff) Delay(attempt int) time.Duration {
	base, maxWait := b.Base, b.Max
	if base <= 0 {
		base = time.Second
	}
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	d := base
	for i := 0; i < attempt; i++ {
		if d >= maxWait/2 {
			return maxWait
		}
		d *= 2
	}
	return min(d, maxWait)
}

// Verdict is what one attempt of a call says about itself.
type Verdict struct {
	// Retry is true when the server turned the call away for now (rate
	// limit, temporarily unavailable) and the call may be repeated.
	Retry bool
	// After, when positive, is the wait the server asked for (such as an
	// HTTP Retry-After); it overrides the backoff for this retry.
	After time.Duration
}

// Retry calls attempt until it succeeds, fails for good, or has been
// retried retries times; before every attempt it waits for the limiter
// (a nil limiter does not pace). Between attempts it sleeps on clock for
// the backoff's delay. It returns the last attempt's error, or ctx's error
// if ctx ends first.
func Retry(ctx context.Context, lim *Limiter, clock Clock, backoff Backoff, retries int, attempt func(ctx context.Context) (Verdict, error)) error {
	if clock == nil {
		clock = SystemClock{}
	}
	for n := 0; ; n++ {
		if lim != nil {
			if err := lim.Wait(ctx); err != nil {
				return err
			}
		} else if err := ctx.Err(); err != nil {
			return err
		}
		v, err := attempt(ctx)
		if err == nil || !v.Retry || n >= retries {
			return err
		}
		wait := backoff.Delay(n)
		if v.After > 0 {
			wait = v.After
		}
		if serr := clock.Sleep(ctx, wait); serr != nil {
			return serr
		}
	}
}
