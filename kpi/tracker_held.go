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
// run of them in a first-in first-out list, where adding and taking cost
// a copy each, and only the events that come before the list's last one
// in a binary heap. The queue's first event is the earlier of the two
// heads; as arrival numbers are unique, the order is total and events
// come out exactly as from one heap.
type heldQueue struct {
	run  []heldEvent // in order from head; run[:head] are taken
	head int
	heap heldHeap
}

// len returns the number of events held.
func (q *heldQueue) len() int { return len(q.run) - q.head + len(q.heap) }

// push holds e, whose arrival number is above any held.
func (q *heldQueue) push(e heldEvent) {
	if n := len(q.run); n > q.head && e.before(&q.run[n-1]) {
		q.heap.push(e)
		return
	}
	if q.head > 0 && len(q.run) == cap(q.run) {
		// Move the live run to the front rather than grow: the run
		// holds at most the events within the lateness.
		n := copy(q.run, q.run[q.head:])
		clear(q.run[n:])
		q.run, q.head = q.run[:n], 0
	}
	q.run = append(q.run, e)
}

// first returns the first event held, and false when none is.
func (q *heldQueue) first() (*heldEvent, bool) {
	var f *heldEvent
	if q.head < len(q.run) {
		f = &q.run[q.head]
	}
	if len(q.heap) > 0 && (f == nil || q.heap[0].before(f)) {
		f = &q.heap[0]
	}
	return f, f != nil
}

// pop removes and returns the first event held; the queue is not empty.
func (q *heldQueue) pop() heldEvent {
	if q.head < len(q.run) && (len(q.heap) == 0 || q.run[q.head].before(&q.heap[0])) {
		e := q.run[q.head]
		q.run[q.head] = heldEvent{} // let go of its strings
		q.head++
		if q.head == len(q.run) {
			q.run, q.head = q.run[:0], 0
		}
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
		// where they are.
		n, end := q.head, min(len(q.run), q.head+lookupChunk)
		for n < end && q.run[n].at <= horizon {
			n++
		}
		return q.run[q.head:n], true
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

// drop removes the first n events of the run, which due returned.
func (q *heldQueue) drop(n int) {
	clear(q.run[q.head : q.head+n]) // let go of their strings
	q.head += n
	if q.head == len(q.run) {
		q.run, q.head = q.run[:0], 0
	}
}

// each calls f with every event held, in no particular order.
func (q *heldQueue) each(f func(*heldEvent)) {
	for i := q.head; i < len(q.run); i++ {
		f(&q.run[i])
	}
	for i := range q.heap {
		f(&q.heap[i])
	}
}
