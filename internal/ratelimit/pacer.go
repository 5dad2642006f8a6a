package ratelimit

import (
	"context"
	"time"
)

// DefaultRetries is how many times a [Pacer] repeats a call turned away
// when its [Policy] leaves Retries zero.
const DefaultRetries = 5

// Policy says how a [Pacer] paces and retries the calls to one server.
type Policy struct {
	// Interval is the time in which the server's bucket leaks one request;
	// it must be positive.
	Interval time.Duration
	// Burst is the bucket's size; it must be positive.
	Burst int
	// Retries is how many times a call turned away is repeated; zero
	// means [DefaultRetries], a negative value never.
	Retries int
	// Backoff is the wait between retries.
	Backoff Backoff
	// Now and Sleep are the clock; nil means the machine's.
	Now   func() time.Time
	Sleep func(ctx context.Context, d time.Duration) error
}

// Pacer paces calls to one server through a leaky bucket and retries those
// the server turns away. It is safe for concurrent use; the pacing is
// shared by all callers.
type Pacer struct {
	limiter *Limiter
	clock   Clock
	backoff Backoff
	retries int
}

// NewPacer returns a pacer for p, or an error when its interval or burst
// is not positive.
func NewPacer(p Policy) (*Pacer, error) {
	bucket, err := NewBucket(p.Interval, p.Burst)
	if err != nil {
		return nil, err
	}
	switch {
	case p.Retries == 0:
		p.Retries = DefaultRetries
	case p.Retries < 0:
		p.Retries = 0
	}
	clock := FuncClock{NowFunc: p.Now, SleepFunc: p.Sleep}
	return &Pacer{limiter: NewLimiter(bucket, clock), clock: clock, backoff: p.Backoff, retries: p.Retries}, nil
}

// Do runs attempt under the pacing, and again after a backoff while it
// asks to be retried, as [Retry] does.
func (p *Pacer) Do(ctx context.Context, attempt func(ctx context.Context) (Verdict, error)) error {
	return Retry(ctx, p.limiter, p.clock, p.backoff, p.retries, attempt)
}
