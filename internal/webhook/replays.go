package webhook

import (
	"crypto/sha256"
	"math"
	"sync"
	"time"
)

// Defaults of a [Replays] cache whose constructor arguments are zero.
const (
	// DefaultReplayCapacity is how many keys a cache holds: about 7 MiB
	// of memory, whatever the keys' length.
	DefaultReplayCapacity = 100_000
	// DefaultReplayTTL is how long a key is remembered, measured on the
	// clock of the events themselves: Meta retries a failed delivery for
	// up to seven days, Telegram keeps an update for a day.
	DefaultReplayTTL = 7 * 24 * time.Hour
)

// replayKey is a key's SHA-256, cut to 128 bits: a fixed size per entry
// whatever the payload's ids look like, and no collision in practice.
type replayKey [16]byte

// replaySlot is one claim in the ring: the key, its time in Unix seconds,
// and whether it is still held (a released key leaves a dead slot).
type replaySlot struct {
	key  replayKey
	at   int64
	live bool
}

// Replays remembers the keys (event ids) of recent deliveries so that a
// handler answers a system's retry without feeding the same event twice.
// It is bounded twice over: it holds at most its capacity of keys,
// forgetting the earliest claimed first, and it forgets a key once the
// newest time it has been shown is more than its TTL past the key's time.
// Time comes from the caller (a handler passes each event's own
// timestamp), never from the clock, so a replayed log behaves as the live
// stream did. Memory is about 70 bytes a key.
//
// A key the cache has forgotten is claimed again as new; downstream
// de-duplication by event id ([onemin.Deduper], [onemin.Prepare]) catches
// what falls outside the window. Replays is safe for concurrent use; a nil
// *Replays claims every key as new.
type Replays struct {
	mu       sync.Mutex
	capacity int
	ttl      int64 // seconds
	newest   int64 // Unix seconds
	ring     []replaySlot
	start    int // the earliest slot
	count    int // slots in use, live or dead
	index    map[replayKey]int
}

// NewReplays returns an empty cache of at most capacity keys, each kept for
// ttl (to the second). Zero or negative arguments mean
// [DefaultReplayCapacity] and [DefaultReplayTTL].
func NewReplays(capacity int, ttl time.Duration) *Replays {
	if capacity <= 0 {
		capacity = DefaultReplayCapacity
	}
	if ttl <= 0 {
		ttl = DefaultReplayTTL
	}
	return &Replays{
		capacity: capacity,
		ttl:      max(int64(ttl/time.Second), 1),
		newest:   math.MinInt64,
		index:    make(map[replayKey]int),
	}
}

// ReplayMemory returns the cache a handler's ReplayCapacity and ReplayTTL
// options ask for: [NewReplays] of them, or nil (no replay memory) when
// capacity is negative.
func ReplayMemory(capacity int, ttl time.Duration) *Replays {
	if capacity < 0 {
		return nil
	}
	return NewReplays(capacity, ttl)
}

func hashKey(key string) replayKey {
	sum := sha256.Sum256([]byte(key))
	var k replayKey
	copy(k[:], sum[:16])
	return k
}

// Claim records key as seen at time at and reports whether it is new: true
// the first time, false while the cache still remembers it. A caller that
// claimed a key and then failed to deliver its event gives it back with
// [Replays.Release], so that the system's retry is accepted.
func (c *Replays) Claim(key string, at time.Time) bool {
	if c == nil {
		return true
	}
	k, sec := hashKey(key), at.Unix()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.newest = max(c.newest, sec)
	cutoff := c.newest - c.ttl
	for c.count > 0 && c.ring[c.start].at < cutoff {
		c.pop()
	}
	if slot, ok := c.index[k]; ok {
		if c.ring[slot].at >= cutoff {
			return false
		}
		// Held behind a newer key but past its time: new again.
		c.ring[slot].live = false
		delete(c.index, k)
	}
	if c.count == c.capacity {
		c.pop()
	}
	if c.count == len(c.ring) {
		c.grow()
	}
	slot := (c.start + c.count) % len(c.ring)
	c.ring[slot] = replaySlot{key: k, at: sec, live: true}
	c.index[k] = slot
	c.count++
	return true
}

// Release forgets key, so that the next claim of it is new again.
func (c *Replays) Release(key string) {
	if c == nil {
		return
	}
	k := hashKey(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if slot, ok := c.index[k]; ok {
		c.ring[slot].live = false
		delete(c.index, k)
	}
}

// Len returns the number of keys remembered.
func (c *Replays) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.index)
}

// pop drops the earliest slot.
func (c *Replays) pop() {
	if s := &c.ring[c.start]; s.live {
		delete(c.index, s.key)
	}
	c.start = (c.start + 1) % len(c.ring)
	c.count--
}

// grow doubles the ring, up to the capacity, keeping claim order.
func (c *Replays) grow() {
	ring := make([]replaySlot, min(max(2*len(c.ring), 64), c.capacity))
	for i := 0; i < c.count; i++ {
		s := c.ring[(c.start+i)%len(c.ring)]
		ring[i] = s
		if s.live {
			c.index[s.key] = i
		}
	}
	c.ring, c.start = ring, 0
}
