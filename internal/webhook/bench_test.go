package webhook

import (
	"strconv"
	"testing"
	"time"
)

// BenchmarkReplaysClaim claims new keys in a full cache, each claim
// evicting the oldest: the steady state of a busy handler. The peer,
// BenchmarkMapInsert, is a bare map insert of the same keys.
func BenchmarkReplaysClaim(b *testing.B) {
	const capacity = 1 << 14
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = "wa:wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QUQ0RjA1MTJBOEE1RDYx" + strconv.Itoa(i)
	}
	c := NewReplays(capacity, time.Hour)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		c.Claim(keys[i%len(keys)], t0)
		i++
	}
}

func BenchmarkMapInsert(b *testing.B) {
	keys := make([]string, 1<<16)
	for i := range keys {
		keys[i] = "wa:wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QUQ0RjA1MTJBOEE1RDYx" + strconv.Itoa(i)
	}
	m := make(map[string]struct{}, len(keys))
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m[keys[i%len(keys)]] = struct{}{}
		i++
	}
}
