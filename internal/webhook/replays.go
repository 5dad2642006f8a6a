package webhook

import (
	"container/list"
	"crypto/sha256"
	"sync"
	"time"
)

// Defaults of a [Replays] cache whose constructor arguments are zero.
const (
	// DefaultReplayCapacity is how many keys a cache holds: about 6 MiB
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

type replayEntry struct {
	key replayKey
	at  time.Time
}

// Replays remembers the keys (event ids) of recent deliveries so that a
// handler answers a system's retry without feeding the same event twice.
// It is bounded twice over: it holds at most its capacity of keys, dropping
// the least recently claimed first, and it forgets a key once the newest
// time it has been shown is more than its TTL past the key's time. Time
// comes from the caller (a handler passes each event's own timestamp), never
// from the clock, so a replayed log behaves as the live stream did.
//
// A key the cache has forgotten is claimed again as new; downstream
// de-duplication by event id ([onemin.Deduper], [onemin.Prepare]) catches
// what falls outside the window. Replays is safe for concurrent use; a nil
// *Replays claims every key as new.
type Replays struct {
	mu       sync.Mutex
	capacity int
	ttl      time.Duration
	newest   time.Time
	order    *list.List // of replayEntry, least recent at the front
	index    map[replayKey]*list.Element
}

// NewReplays returns an empty cache of at most capacity keys, each kept for
// ttl. Zero or negative arguments mean [DefaultReplayCapacity] and
// [DefaultReplayTTL].
func NewReplays(capacity int, ttl time.Duration) *Replays {
	if capacity <= 0 {
		capacity = DefaultReplayCapacity
	}
	if ttl <= 0 {
		ttl = DefaultReplayTTL
	}
	return &Replays{
		capacity: capacity,
		ttl:      ttl,
		order:    list.New(),
		index:    make(map[replayKey]*list.Element),
	}
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
	k := hashKey(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	if at.After(c.newest) {
		c.newest = at
	}
	c.expire()
	if el, ok := c.index[k]; ok {
		c.order.MoveToBack(el)
		if el.Value.(replayEntry).at.Before(c.newest.Add(-c.ttl)) {
			el.Value = replayEntry{key: k, at: at} // remembered past its time: new again
			return true
		}
		return false
	}
	c.index[k] = c.order.PushBack(replayEntry{key: k, at: at})
	for c.order.Len() > c.capacity {
		c.remove(c.order.Front())
	}
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
	if el, ok := c.index[k]; ok {
		c.remove(el)
	}
}

// Len returns the number of keys remembered.
func (c *Replays) Len() int {
	if c == nil {
		return 0
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// expire drops keys older than the TTL from the front. Entries are in claim
// order, which is close to time order for a live stream; an old key behind a
// newer one waits for the capacity bound or its turn at the front.
func (c *Replays) expire() {
	cutoff := c.newest.Add(-c.ttl)
	for el := c.order.Front(); el != nil; el = c.order.Front() {
		if !el.Value.(replayEntry).at.Before(cutoff) {
			return
		}
		c.remove(el)
	}
}

func (c *Replays) remove(el *list.Element) {
	delete(c.index, el.Value.(replayEntry).key)
	c.order.Remove(el)
}
