package webhook

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"pgregory.net/rapid"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestReplaysClaim(t *testing.T) {
	type step struct {
		op   string // "claim" or "release"
		key  string
		at   time.Duration // after t0
		want bool          // Claim's answer
	}
	tests := []struct {
		reason   string
		capacity int
		ttl      time.Duration
		steps    []step
		wantLen  int
	}{
		{"a repeated key is a replay", 10, time.Hour, []step{
			{"claim", "a", 0, true}, {"claim", "a", 0, false}, {"claim", "b", 0, true}, {"claim", "a", time.Minute, false},
		}, 2},
		{"released keys are new again", 10, time.Hour, []step{
			{"claim", "a", 0, true}, {"release", "a", 0, false}, {"claim", "a", 0, true}, {"claim", "a", 0, false},
		}, 1},
		{"capacity drops the earliest claimed", 2, time.Hour, []step{
			{"claim", "a", 0, true}, {"claim", "b", 0, true}, {"claim", "a", 0, false},
			{"claim", "c", 0, true},                           // evicts a
			{"claim", "b", 0, false}, {"claim", "a", 0, true}, // evicts b
			{"claim", "b", 0, true},
		}, 2},
		{"released slots still count against the capacity, then leave", 2, time.Hour, []step{
			{"claim", "a", 0, true}, {"release", "a", 0, false}, {"claim", "b", 0, true},
			{"claim", "c", 0, true}, // drops a's dead slot, not b
			{"claim", "b", 0, false},
		}, 2},
		{"keys older than the TTL by event time are forgotten", 10, time.Hour, []step{
			{"claim", "a", 0, true}, {"claim", "b", 30 * time.Minute, true},
			{"claim", "c", 61 * time.Minute, true}, // a expires
			{"claim", "b", 61 * time.Minute, false},
			{"claim", "a", 61 * time.Minute, true},
		}, 3},
		{"an old event does not move the clock back", 10, time.Hour, []step{
			{"claim", "a", 2 * time.Hour, true}, {"claim", "old", 0, true}, // already past the TTL when claimed
			{"claim", "b", 2 * time.Hour, true},
			{"claim", "old", 0, true}, // still held behind a, but past its time: new again
			{"claim", "a", 0, false},  // the clock stayed at 2h
		}, 3},
	}
	for _, tt := range tests {
		c := NewReplays(tt.capacity, tt.ttl)
		for i, s := range tt.steps {
			switch s.op {
			case "claim":
				if got := c.Claim(s.key, t0.Add(s.at)); got != s.want {
					t.Errorf("%s: step %d: Claim(%q) = %v, want %v", tt.reason, i, s.key, got, s.want)
				}
			case "release":
				c.Release(s.key)
			}
		}
		if c.Len() != tt.wantLen {
			t.Errorf("%s: Len = %d, want %d", tt.reason, c.Len(), tt.wantLen)
		}
	}
}

func TestReplaysNil(t *testing.T) {
	var c *Replays
	for i := 0; i < 2; i++ {
		if !c.Claim("a", t0) {
			t.Errorf("claim %d: a nil cache must claim every key as new", i+1)
		}
	}
	c.Release("a")
	if c.Len() != 0 {
		t.Error("a nil cache holds nothing")
	}
}

func TestReplaysConcurrent(t *testing.T) {
	c := NewReplays(1000, time.Hour)
	var wg sync.WaitGroup
	wins := make([]int, 100)
	var mu sync.Mutex
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 100; k++ {
				if c.Claim(fmt.Sprint(k), t0) {
					mu.Lock()
					wins[k]++
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	for k, n := range wins {
		if n != 1 {
			t.Errorf("key %d claimed as new %d times by 8 goroutines, want exactly once", k, n)
		}
	}
}

// TestReplaysModel checks the cache against a plain map when neither bound
// bites, and the capacity bound when it does.
func TestReplaysModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		capacity := rapid.IntRange(1, 20).Draw(t, "capacity")
		c := NewReplays(capacity, time.Hour)
		big := NewReplays(1000, time.Hour)
		seen := map[string]bool{}
		keys := rapid.SliceOf(rapid.StringMatching(`[a-e]{1,2}`)).Draw(t, "keys")
		for _, k := range keys {
			if got := big.Claim(k, t0); got == seen[k] {
				t.Fatalf("Claim(%q) = %v with seen = %v", k, got, seen[k])
			}
			seen[k] = true
			c.Claim(k, t0)
			if c.Len() > capacity {
				t.Fatalf("Len %d exceeds capacity %d", c.Len(), capacity)
			}
		}
		if big.Len() != len(seen) {
			t.Fatalf("Len = %d, want %d distinct keys", big.Len(), len(seen))
		}
	})
}

// TestReplaysAgainstQueue runs random claims and releases against a plain
// queue that keeps the documented rules in the most obvious way.
func TestReplaysAgainstQueue(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		capacity := rapid.IntRange(1, 8).Draw(t, "capacity")
		ttl := time.Duration(rapid.IntRange(1, 5).Draw(t, "ttl")) * time.Second
		c := NewReplays(capacity, ttl)
		type item struct {
			key  string
			at   int64
			live bool
		}
		var queue []item
		newest := int64(-1 << 62)
		for i, n := 0, rapid.IntRange(0, 60).Draw(t, "ops"); i < n; i++ {
			key := rapid.SampledFrom([]string{"a", "b", "c", "d", "e"}).Draw(t, "key")
			if rapid.IntRange(0, 4).Draw(t, "op") == 0 {
				c.Release(key)
				for j := range queue {
					if queue[j].key == key {
						queue[j].live = false
					}
				}
				continue
			}
			at := int64(rapid.IntRange(0, 12).Draw(t, "at"))
			newest = max(newest, at)
			cutoff := newest - int64(ttl/time.Second)
			for len(queue) > 0 && queue[0].at < cutoff {
				queue = queue[1:]
			}
			want := true
			for j := range queue {
				if queue[j].key == key && queue[j].live {
					if queue[j].at >= cutoff {
						want = false
					} else {
						queue[j].live = false
					}
				}
			}
			if want {
				if len(queue) == capacity {
					queue = queue[1:]
				}
				queue = append(queue, item{key, at, true})
			}
			if got := c.Claim(key, t0.Add(time.Duration(at)*time.Second).Truncate(time.Second)); got != want {
				t.Fatalf("op %d: Claim(%q, %d) = %v, want %v", i, key, at, got, want)
			}
			live := 0
			for _, it := range queue {
				if it.live {
					live++
				}
			}
			if c.Len() != live {
				t.Fatalf("op %d: Len = %d, want %d", i, c.Len(), live)
			}
		}
	})
}

func TestReplayMemory(t *testing.T) {
	tests := []struct {
		reason   string
		capacity int
		wantNil  bool
		wantCap  int
	}{
		{"negative turns the memory off", -1, true, 0},
		{"zero is the default capacity", 0, false, DefaultReplayCapacity},
		{"positive is kept", 3, false, 3},
	}
	for _, tt := range tests {
		c := ReplayMemory(tt.capacity, time.Hour)
		if (c == nil) != tt.wantNil {
			t.Errorf("%s: ReplayMemory(%d) = %v, want nil %v", tt.reason, tt.capacity, c, tt.wantNil)
			continue
		}
		if c != nil && (c.capacity != tt.wantCap || c.ttl != 3600) {
			t.Errorf("%s: capacity %d, ttl %d s; want %d and 3600", tt.reason, c.capacity, c.ttl, tt.wantCap)
		}
	}
}
