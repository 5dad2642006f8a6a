package kpi

import (
	"math"
	"slices"
	"sync"
	"time"

	"github.com/onemin/onemin"
)

// A delivery given to [Tracker.Add] is applied shard by shard: each event's
// key is hashed once, the events are grouped by shard keeping their order,
// and every shard is locked once for its group. Within a group,
// conversations are looked up a chunk at a time before any is changed, so
// that the cache misses of many lookups overlap instead of following one
// another (a tracker's open conversations rarely fit in the cache).

// lookupChunk is the number of events looked up together: enough to keep
// the memory system busy, few enough that what they touch is still in the
// cache when they are applied.
const lookupChunk = 64

// batchItem is one event of a delivery on its way to a shard, or one held
// event on its way to its conversation.
type batchItem struct {
	hash   uint64 // of key, with the tracker's seed
	key    string // the encoded lead key
	line   int    // index of the event in its delivery (or in the shard's due list)
	at     int64  // the event's instant
	before int64  // the tracker's time as the event arrives, before its own
	shard  int32  // index of the key's shard
	slot   int32  // the conversation's slot as looked up; −1 when it was not there
}

// addBatch is the scratch of one [Tracker.Add]: the items in order of
// arrival, the same grouped by shard, each shard's group end, and the
// lines of events too late to place.
type addBatch struct {
	items, grouped []batchItem
	ends           []int
	late           []int
}

var addBatches = sync.Pool{New: func() any { return new(addBatch) }}

// addSegment is the most events of a delivery grouped at once: a longer
// delivery goes a segment at a time, so that the scratch of one
// [Tracker.Add] stays within a few hundred KiB.
const addSegment = 4096

func getBatch() *addBatch { return addBatches.Get().(*addBatch) }

func putBatch(b *addBatch) {
	clear(b.items) // let go of the keys
	clear(b.grouped)
	b.items, b.grouped, b.late = b.items[:0], b.grouped[:0], b.late[:0]
	if cap(b.late) > addSegment {
		b.late = nil // many events were too late: let go of their lines
	}
	addBatches.Put(b)
}

// group orders b.items by shard into b.grouped, keeping their order
// within a shard, and sets b.ends[s] to the end of shard s's group.
func (b *addBatch) group(t *Tracker) {
	n := len(t.shards)
	if cap(b.ends) < n {
		b.ends = make([]int, n)
	}
	b.ends = b.ends[:n]
	clear(b.ends)
	for i := range b.items {
		b.ends[b.items[i].shard]++
	}
	start := 0
	for s, c := range b.ends {
		b.ends[s] = start // for now, the next free place of shard s
		start += c
	}
	b.grouped = slices.Grow(b.grouped[:0], len(b.items))[:len(b.items)] // every place is written below
	for i := range b.items {
		s := b.items[i].shard
		b.grouped[b.ends[s]] = b.items[i]
		b.ends[s]++
	}
}

// shardIndex returns the index of the shard of a key hash.
func (t *Tracker) shardIndex(h uint64) int {
	if t.shift == 64 {
		return 0
	}
	return int(h >> t.shift)
}

// addAll applies the events of one delivery that belong to the shard, in
// their order; it appends to late the lines of those too late to place.
// The shard is locked.
func (sh *trackerShard) addAll(t *Tracker, events []onemin.Event, items []batchItem, late *[]int) {
	for len(items) > 0 {
		chunk := items[:min(len(items), lookupChunk)]
		items = items[len(chunk):]
		if t.lateness == 0 {
			// Every event is applied at once: look them all up first.
			sh.convs.findAll(chunk)
		}
		for i := range chunk {
			it := &chunk[i]
			if !sh.accept(t, &events[it.line], it) {
				*late = append(*late, it.line)
			}
		}
	}
	sh.flush(t)
}

// flush applies the held events at or before the shard's horizon
// (sh.released), in order, a lookup chunk at a time.
func (sh *trackerShard) flush(t *Tracker) {
	var e onemin.Event
	for {
		chunk, inRun := sh.held.due(sh.released, &sh.due)
		if len(chunk) == 0 {
			return
		}
		probe := sh.probe[:0]
		for i := range chunk {
			probe = append(probe, batchItem{hash: chunk[i].hash, key: chunk[i].key, line: i})
		}
		sh.convs.findAll(probe)
		for i := range chunk {
			he := &chunk[i]
			e.Kind, e.Actor, e.Channel, e.Agent, e.Source = he.kind, he.actor, he.channel, he.agent, he.source
			// Held events come out in time order; one can still be too
			// late (counted by apply) when an event that came beyond the
			// lateness was applied to its conversation directly.
			sh.apply(t, &e, he.key, he.hash, he.at, probe[i].slot)
		}
		clear(probe)
		sh.probe = probe[:0]
		if inRun {
			sh.held.drop(len(chunk))
		} else {
			clear(sh.due)
			sh.due = sh.due[:0]
		}
	}
}

// findAll sets the slot of every item to its conversation's, or to −1
// when that is not open. It reads memory in three passes, each of whose
// reads depend only on the pass before, so that the cache misses of one
// pass overlap: the index cells, then the conversations (both their
// cache lines), then their keys.
func (t *convTable) findAll(items []batchItem) {
	for len(items) > lookupChunk {
		t.findAll(items[:lookupChunk])
		items = items[lookupChunk:]
	}
	mask := uint64(len(t.cells) - 1)
	for i := range items {
		it := &items[i]
		tag := it.hash >> 32
		it.slot = -1
		for j := tag & mask; ; j = (j + 1) & mask {
			c := t.cells[j]
			if c == 0 {
				break
			}
			if c>>32 == tag {
				it.slot = int32(uint32(c)) - 1
				break
			}
		}
	}
	var keys [lookupChunk]struct{ at, n int }
	var touch int64
	for i := range items {
		if s := items[i].slot; s >= 0 {
			c := t.at(s)
			touch += c.firstIn // brings the conversation's first cache line in for apply
			keys[i].at, keys[i].n = c.keyAt, c.keyLen
		}
	}
	t.touched += touch
	for i := range items {
		it := &items[i]
		if it.slot >= 0 && string(t.keys[keys[i].at:keys[i].at+keys[i].n]) != it.key {
			// Another key with the same tag came first in the probe run.
			s, ok := t.find(it.key, it.hash)
			if !ok {
				s = -1
			}
			it.slot = s
		}
	}
}

// instantSeconds bounds the Unix seconds of a time that surely fits in
// Unix nanoseconds: |seconds| < instantSeconds.
const instantSeconds = math.MaxInt64 / int64(time.Second)

// fitsInstant is instantFits, quicker for the times of this era.
func fitsInstant(t time.Time) bool {
	if s := t.Unix(); s > -instantSeconds && s < instantSeconds {
		return true
	}
	return instantFits(t)
}
