package onemin

import (
	"context"
	"slices"
	"sync"
)

// Sink receives events as they arrive: a webhook adapter feeds one, a live
// tracker or a store is one. Add receives the events of one delivery
// together; an implementation should apply all of them or none and return
// an error that says why not. Implementations document whether they are safe
// for concurrent use.
type Sink interface {
	Add(ctx context.Context, events ...Event) error
}

// SinkFunc adapts a function to the [Sink] interface.
type SinkFunc func(ctx context.Context, events ...Event) error

// Add calls f.
func (f SinkFunc) Add(ctx context.Context, events ...Event) error { return f(ctx, events...) }

// Recorder is a [Sink] that keeps every event it is given, in arrival order.
// It is safe for concurrent use. The zero Recorder is ready to use.
type Recorder struct {
	mu     sync.Mutex
	events []Event
}

// Add appends events. It fails only when ctx is done.
func (r *Recorder) Add(ctx context.Context, events ...Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r.mu.Lock()
	r.events = append(r.events, events...)
	r.mu.Unlock()
	return nil
}

// Events returns a copy of the events recorded so far.
func (r *Recorder) Events() []Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.events)
}

// Len returns the number of events recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.events)
}
