package kpi

import "github.com/onemin/onemin"

// heldEvent is an event a tracker holds back for its lateness: the fields
// the state machine reads, its key and the key's hash.
type heldEvent struct {
	at      int64
	seq     uint64 // arrival order, the last tie-break
	hash    uint64 // of key, with the tracker's seed
	rank    uint8
	kind    onemin.Kind
	actor   onemin.Actor
	key     string
	channel string
	agent   string
	source  string
}

// before orders held events as [Summarize] orders a conversation's
// events: by time, then rank, then arrival.
func (a *heldEvent) before(b *heldEvent) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.seq < b.seq
}

// heldHeap is a min-heap of held events.
type heldHeap []heldEvent

func (h *heldHeap) push(e heldEvent) { heapPush((*[]heldEvent)(h), e) }
func (h *heldHeap) pop() heldEvent   { return heapPop((*[]heldEvent)(h)) }

// heldQueue holds a shard's events back in the order of
// [heldEvent.before]. Events mostly come in that order, so it keeps a
// run of them in a ring, first in first out, where holding and taking
// one costs a copy, and only the events that come before the run's last
// one in a binary heap. The queue's first event is the earlier of the two
// heads; as arrival numbers are unique, the order is total and events
// come out exactly as from one heap.
type heldQueue struct {
	ring    []heldEvent // the run; its length is zero or a power of two
	head, n int         // the run is ring[head], ring[head+1], … (wrapping), n events
	heap    heldHeap
}

// len returns the number of events held.
func (q *heldQueue) len() int { return q.n + len(q.heap) }

// run returns the i-th event of the run.
func (q *heldQueue) run(i int) *heldEvent { return &q.ring[(q.head+i)&(len(q.ring)-1)] }

// push holds e; arrival numbers are unique.
func (q *heldQueue) push(e heldEvent) {
	if q.n > 0 && e.before(q.run(q.n-1)) {
		q.heap.push(e)
		return
	}
	if q.n == len(q.ring) {
		ring := make([]heldEvent, max(16, 2*len(q.ring)))
		for i := range q.n {
			ring[i] = *q.run(i)
		}
		q.ring, q.head = ring, 0
	}
	*q.run(q.n) = e
	q.n++
}

// first returns the first event held, and false when none is.
func (q *heldQueue) first() (*heldEvent, bool) {
	var f *heldEvent
	if q.n > 0 {
		f = q.run(0)
	}
	if len(q.heap) > 0 && (f == nil || q.heap[0].before(f)) {
		f = &q.heap[0]
	}
	return f, f != nil
}

// pop removes and returns the first event held; the queue is not empty.
func (q *heldQueue) pop() heldEvent {
	if q.n > 0 && (len(q.heap) == 0 || q.run(0).before(&q.heap[0])) {
		e := *q.run(0)
		q.drop(1)
		return e
	}
	return q.heap.pop()
}

// due returns up to lookupChunk of the first events held at or before
// horizon, in order, and whether they are the run's first ones, still
// held: the caller drops them once done (nothing may be pushed
// meanwhile). Otherwise they were taken out into *buf.
func (q *heldQueue) due(horizon int64, buf *[]heldEvent) ([]heldEvent, bool) {
	if len(q.heap) == 0 || q.heap[0].at > horizon {
		// The run's due events come before any in the heap: read them
		// where they are, up to where the ring wraps.
		end := q.head + min(q.n, len(q.ring)-q.head, lookupChunk)
		i := q.head
		for i < end && q.ring[i].at <= horizon {
			i++
		}
		return q.ring[q.head:i], true
	}
	b := (*buf)[:0]
	for len(b) < lookupChunk {
		if f, ok := q.first(); !ok || f.at > horizon {
			break
		}
		b = append(b, q.pop())
	}
	*buf = b
	return b, false
}

// drop removes the first k events of the run, which due returned.
func (q *heldQueue) drop(k int) {
	for i := range k {
		*q.run(i) = heldEvent{} // let go of its strings
	}
	q.head = (q.head + k) & (len(q.ring) - 1)
	q.n -= k
}

// each calls f with every event held, in no particular order.
func (q *heldQueue) each(f func(*heldEvent)) {
	for i := range q.n {
		f(q.run(i))
	}
	for i := range q.heap {
		f(&q.heap[i])
	}
}
