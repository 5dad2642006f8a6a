package amocrm

import "sync"

// replayCache remembers the keys of the last cap deliveries, so that a
// retried delivery is acknowledged without being applied twice. Memory is
// bounded: the oldest key is forgotten first. It is safe for concurrent
// use.
type replayCache struct {
	mu   sync.Mutex
	keys map[string]struct{}
	ring []string
	next int
}

func newReplayCache(capacity int) *replayCache {
	return &replayCache{keys: make(map[string]struct{}, capacity), ring: make([]string, capacity)}
}

// claim records key and reports true, or reports false when key is already
// recorded (a replay, or the same delivery in flight).
func (c *replayCache) claim(key string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.keys[key]; ok {
		return false
	}
	if old := c.ring[c.next]; old != "" {
		delete(c.keys, old)
	}
	c.ring[c.next] = key
	c.next = (c.next + 1) % len(c.ring)
	c.keys[key] = struct{}{}
	return true
}

// release forgets key, after its delivery failed, so that the sender's
// retry is applied.
func (c *replayCache) release(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.keys[key]; !ok {
		return
	}
	delete(c.keys, key)
	for i, k := range c.ring {
		if k == key {
			c.ring[i] = ""
		}
	}
}
