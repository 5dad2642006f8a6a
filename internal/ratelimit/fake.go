package ratelimit

import (
	"context"
	"sync"
	"time"
)

// FakeClock is a [Clock] for tests: time stands still until Sleep or
// Advance moves it, and Sleep returns at once. It is safe for concurrent
// use.
type FakeClock struct {
	mu    sync.Mutex
	now   time.Time
	slept time.Duration
}

// NewFakeClock returns a fake clock that reads start.
func NewFakeClock(start time.Time) *FakeClock { return &FakeClock{now: start} }

// Now returns the fake time.
func (c *FakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the fake time forward by d (when positive) and returns
// ctx's error, if any.
func (c *FakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Advance moves the fake time forward by d (when positive).
func (c *FakeClock) Advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept += d
	c.mu.Unlock()
}

// Slept returns the total time the clock has been moved forward.
func (c *FakeClock) Slept() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.slept
}

// FuncClock adapts a pair of functions to a [Clock]; a nil function falls
// back to [SystemClock]'s.
type FuncClock struct {
	NowFunc   func() time.Time
	SleepFunc func(ctx context.Context, d time.Duration) error
}

// Now calls NowFunc.
func (c FuncClock) Now() time.Time {
	if c.NowFunc == nil {
		return SystemClock{}.Now()
	}
	return c.NowFunc()
}

// Sleep calls SleepFunc.
func (c FuncClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.SleepFunc == nil {
		return SystemClock{}.Sleep(ctx, d)
	}
	return c.SleepFunc(ctx, d)
}
