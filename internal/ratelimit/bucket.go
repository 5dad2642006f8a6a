package ratelimit

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Bucket is a leaky bucket that holds at most Burst requests and leaks one
// every Interval. It is safe for concurrent use. The zero Bucket is not
// usable; make one with [NewBucket].
type Bucket struct {
	interval time.Duration
	burst    int

	mu  sync.Mutex
	tat time.Time // when the bucket would be empty; zero means empty
}

// NewBucket returns an empty bucket that leaks one request every interval
// (so 1/interval requests a second in the long run) and admits bursts of
// up to burst requests. Both must be positive.
func NewBucket(interval time.Duration, burst int) (*Bucket, error) {
	if interval <= 0 {
		return nil, fmt.Errorf("ratelimit: interval %v is not positive", interval)
	}
	if burst <= 0 {
		return nil, fmt.Errorf("ratelimit: burst %d is not positive", burst)
	}
	return &Bucket{interval: interval, burst: burst}, nil
}

// Interval returns the time in which the bucket leaks one request.
func (b *Bucket) Interval() time.Duration { return b.interval }

// Burst returns the most requests the bucket holds.
func (b *Bucket) Burst() int { return b.burst }

// Reserve books a slot for one request that wants to go at now and returns
// how long the caller must wait before sending it (0: send at once). The
// slot is taken whether or not the caller then sends: a caller that gives
// up wastes one slot, which errs on the side of the server's limit.
func (b *Bucket) Reserve(now time.Time) time.Duration {
	b.mu.Lock()
	defer b.mu.Unlock()
	tat := b.tat
	if tat.Before(now) {
		tat = now
	}
	// The request may go once the level, after it is added, is at most
	// the burst: at TAT + T − b·T.
	earliest := tat.Add(b.interval - time.Duration(b.burst)*b.interval)
	b.tat = tat.Add(b.interval)
	if wait := earliest.Sub(now); wait > 0 {
		return wait
	}
	return 0
}

// Level returns how many requests the bucket holds at now, rounded up: 0
// when empty, at most the burst plus the requests waiting for a slot.
func (b *Bucket) Level(now time.Time) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	if !b.tat.After(now) {
		return 0
	}
	d := b.tat.Sub(now)
	return int((d + b.interval - 1) / b.interval)
}

// Clock tells the time and sleeps. Tests pass a fake one.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d or until ctx is done, and returns ctx's error in
	// the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// SystemClock is the [Clock] of the machine. Its zero value is ready to
// use.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Sleep waits for d or until ctx is done.
func (SystemClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Limiter paces requests through a [Bucket] with a [Clock]. It is safe for
// concurrent use.
type Limiter struct {
	bucket *Bucket
	clock  Clock
}

// NewLimiter returns a limiter over bucket that reads and sleeps on clock;
// a nil clock means [SystemClock].
func NewLimiter(bucket *Bucket, clock Clock) *Limiter {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Limiter{bucket: bucket, clock: clock}
}

// Wait blocks until one request may be sent, or until ctx is done (then it
// returns ctx's error).
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d := l.bucket.Reserve(l.clock.Now())
	if d == 0 {
		return nil
	}
	return l.clock.Sleep(ctx, d)
}

// Clock returns the limiter's clock.
func (l *Limiter) Clock() Clock { return l.clock }
