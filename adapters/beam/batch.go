package onebeam

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/onemin/onemin"
)

func init() {
	beam.RegisterCoder(reflect.TypeFor[Batch](), encodeBatch, decodeBatch)
	register.DoFn2x0[Batch, func(int, Batch)](&shardFn{})
	register.Emitter2[int, Batch]()
	register.Emitter1[Batch]()
	register.DoFn2x0[onemin.Event, func(Batch)](&batchFn{})
	register.Function2x0(unbatch)
	register.Emitter1[onemin.Event]()
	register.Iter1[Batch]()
}

// BatchSize is the most events a [Batch] made by this package holds:
// large enough that a runner's cost per element is paid once per thousand
// events, small enough that an element is about 100 KB.
const BatchSize = 1000

// DefaultShards is the number of shards of each shuffle when the options
// leave it zero. A worker holds one shard's events at a time (about
// events / shards of them); see [ReadOptions.Shards].
const DefaultShards = 64

// Batch is a group of events that moves through a runner as one element:
// the element type of [Input.Events] and what [KPI], [Funnel] and
// [AttributionPaths] shuffle, so that the runner's cost per element (a
// gRPC frame, a coder call, a shuffle entry) is paid per batch, not per
// event. Its coder writes the events as the package's event coder does.
// The events of a batch are in no particular order and belong to no
// particular key. It is a plain value.
type Batch struct {
	Events []onemin.Event
}

// batchVersion is the first byte of an encoded batch.
const batchVersion = 1

// encodeBatch is the coder of a Batch: a version byte, the number of
// events, then each event as appendEvent writes it.
func encodeBatch(b Batch) ([]byte, error) {
	out := make([]byte, 0, 2+len(b.Events)*96)
	out = append(out, batchVersion)
	out = binary.AppendUvarint(out, uint64(len(b.Events)))
	for i := range b.Events {
		out = appendEvent(out, &b.Events[i])
	}
	return out, nil
}

func decodeBatch(data []byte) (Batch, error) {
	r := &reader{data: data}
	if v := r.byte("version"); r.err == nil && v != batchVersion {
		return Batch{}, fmt.Errorf("%w: batch: unsupported version %d", ErrCorrupt, v)
	}
	n := r.uvarint("count")
	if r.err != nil {
		return Batch{}, fmt.Errorf("%w: batch: %w", ErrCorrupt, r.err)
	}
	// An event takes at least minEventBytes: a count beyond what the data
	// can hold is corrupt, and allocating for it would trust the input.
	if n > uint64(len(r.data)/minEventBytes) {
		return Batch{}, fmt.Errorf("%w: batch: %d events in %d bytes", ErrCorrupt, n, len(r.data))
	}
	b := Batch{Events: make([]onemin.Event, n)}
	rest := r.data
	for i := range b.Events {
		var err error
		if rest, err = readEvent(rest, &b.Events[i]); err != nil {
			return Batch{}, fmt.Errorf("%w: batch: event %d: %w", ErrCorrupt, i, err)
		}
	}
	if len(rest) != 0 {
		return Batch{}, fmt.Errorf("%w: batch: %d bytes after the events", ErrCorrupt, len(rest))
	}
	return b, nil
}

// minEventBytes is the size of the shortest encoded event: version, kind,
// actor, time flag, score, twelve empty texts, amount sign, empty
// magnitude and exponent.
const minEventBytes = 4 + 1 + 12 + 3

// locatedBatch is the binary form of accepted events of one file on their
// way to de-duplication: the file name once, then the number of events and
// each event's row ordinal and event.
type locatedBatch struct {
	file string
	buf  []byte
	n    int
}

func (lb *locatedBatch) add(line int, e *onemin.Event) {
	lb.buf = binary.AppendUvarint(lb.buf, uint64(line))
	lb.buf = appendEvent(lb.buf, e)
	lb.n++
}

// bytes returns the batch's encoding and empties it.
func (lb *locatedBatch) bytes() []byte {
	out := make([]byte, 0, len(lb.file)+len(lb.buf)+2*binary.MaxVarintLen64)
	out = binary.AppendUvarint(out, uint64(len(lb.file)))
	out = append(out, lb.file...)
	out = binary.AppendUvarint(out, uint64(lb.n))
	out = append(out, lb.buf...)
	lb.buf, lb.n = lb.buf[:0], 0
	return out
}

// appendLocatedBatch decodes a located batch and appends its events to
// dst.
func appendLocatedBatch(dst []located, data []byte) ([]located, error) {
	r := &reader{data: data}
	file := string(r.bytes("file"))
	n := r.uvarint("count")
	if r.err == nil && n > uint64(len(r.data)/(minEventBytes+1)) {
		r.err = fmt.Errorf("%d events in %d bytes", n, len(r.data))
	}
	if r.err != nil {
		return dst, fmt.Errorf("%w: located batch: %w", ErrCorrupt, r.err)
	}
	rest := r.data
	for i := range int(n) {
		r := &reader{data: rest}
		line := r.uvarint("line")
		if r.err == nil && line > math.MaxInt32 {
			r.err = errors.New("line out of range")
		}
		if r.err != nil {
			return dst, fmt.Errorf("%w: located batch: event %d: %w", ErrCorrupt, i, r.err)
		}
		l := located{File: file, Line: int(line)}
		var err error
		if rest, err = readEvent(r.data, &l.Event); err != nil {
			return dst, fmt.Errorf("%w: located batch: event %d: %w", ErrCorrupt, i, err)
		}
		dst = append(dst, l)
	}
	if len(rest) != 0 {
		return dst, fmt.Errorf("%w: located batch: %d bytes after the events", ErrCorrupt, len(rest))
	}
	return dst, nil
}

// shardOf returns the shard, in [0, n), of the key made of parts: FNV-1a
// over the parts, each followed by a zero byte, so that the same key has
// the same shard on every worker and in every run.
func shardOf(n int, parts ...string) int {
	const (
		offset = 14695981039346656037
		prime  = 1099511628211
	)
	h := uint64(offset)
	for _, p := range parts {
		for i := 0; i < len(p); i++ {
			h ^= uint64(p[i])
			h *= prime
		}
		h *= prime // the separator: a zero byte
	}
	return int(h % uint64(n))
}

// shardKey says which key of an event a shuffle shards by.
type shardKey uint8

const (
	// byLead: the lead kpi.Summarize measures, (tenant, conversation),
	// or (tenant, contact) for events that name no conversation.
	byLead shardKey = iota
	// byContact: (tenant, contact).
	byContact
	// byConversation: (tenant, conversation).
	byConversation
)

// shard returns e's shard of n by key k. An event without the key's id is
// measured on its own whichever shard it is in, and takes the shard of
// its (tenant, event_id).
func (k shardKey) shard(e *onemin.Event, n int) int {
	switch {
	case (k == byLead || k == byConversation) && e.ConversationID != "":
		return shardOf(n, "c", e.Tenant, e.ConversationID)
	case (k == byLead || k == byContact) && e.ContactID != "":
		return shardOf(n, "p", e.Tenant, e.ContactID)
	}
	return shardOf(n, "e", e.Tenant, e.ID)
}

// shardFn splits batches by shard of a key and emits (shard, batch) pairs
// of up to BatchSize events, gathering the events of a shard across the
// batches of a bundle.
type shardFn struct {
	Shards int
	Key    shardKey

	bufs [][]onemin.Event
}

func (fn *shardFn) StartBundle(func(int, Batch)) {
	fn.bufs = make([][]onemin.Event, fn.Shards)
}

func (fn *shardFn) ProcessElement(b Batch, emit func(int, Batch)) {
	for i := range b.Events {
		e := &b.Events[i]
		s := fn.Key.shard(e, fn.Shards)
		if fn.bufs[s] == nil {
			fn.bufs[s] = make([]onemin.Event, 0, BatchSize)
		}
		fn.bufs[s] = append(fn.bufs[s], *e)
		if len(fn.bufs[s]) >= BatchSize {
			emit(s, Batch{Events: fn.bufs[s]})
			fn.bufs[s] = nil
		}
	}
}

func (fn *shardFn) FinishBundle(emit func(int, Batch)) {
	for s, buf := range fn.bufs {
		if len(buf) > 0 {
			emit(s, Batch{Events: buf})
		}
	}
	fn.bufs = nil
}

// byShard shards batches by key k into n shards and groups them: one
// element per shard, its batches.
func byShard(s beam.Scope, batches beam.PCollection, k shardKey, n int) beam.PCollection {
	return beam.GroupByKey(s, beam.ParDo(s, &shardFn{Shards: shards(n), Key: k}, batches))
}

// shards returns n, or DefaultShards for zero or less.
func shards(n int) int {
	if n <= 0 {
		return DefaultShards
	}
	return n
}

// gather appends the events of every batch of a shard to dst.
func gather(dst []onemin.Event, batches func(*Batch) bool) []onemin.Event {
	var b Batch
	for batches(&b) {
		dst = append(dst, b.Events...)
	}
	return dst
}

// Batches turns a PCollection of onemin.Event into one of [Batch], up to
// [BatchSize] events each (the events of one bundle are batched together):
// how events of a pipeline's own making enter [KPI], [Funnel] and
// [AttributionPaths] as cheaply as [ReadFiles]' batches. Those transforms
// also take onemin.Event and batch them so themselves.
func Batches(s beam.Scope, events beam.PCollection) beam.PCollection {
	s = s.Scope("onebeam.Batches")
	return beam.ParDo(s, &batchFn{}, events)
}

// Events turns a PCollection of [Batch] into one of onemin.Event, one
// element per event: for a user's own per-event transforms.
func Events(s beam.Scope, batches beam.PCollection) beam.PCollection {
	s = s.Scope("onebeam.Events")
	return beam.ParDo(s, unbatch, batches)
}

func unbatch(b Batch, emit func(onemin.Event)) {
	for _, e := range b.Events {
		emit(e)
	}
}

// batchFn gathers the events of a bundle into batches.
type batchFn struct {
	buf []onemin.Event
}

func (fn *batchFn) ProcessElement(e onemin.Event, emit func(Batch)) {
	fn.buf = append(fn.buf, e)
	if len(fn.buf) >= BatchSize {
		emit(Batch{Events: fn.buf})
		fn.buf = nil
	}
}

func (fn *batchFn) FinishBundle(emit func(Batch)) {
	if len(fn.buf) > 0 {
		emit(Batch{Events: fn.buf})
	}
	fn.buf = nil
}

// sortEvents sorts events stably by compare. An event is a large value,
// so it sorts their indices and then moves each event once, following the
// permutation's cycles in place.
func sortEvents(events []onemin.Event, compare func(a, b *onemin.Event) int) {
	idx := make([]int32, len(events))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(i, j int32) int {
		return cmp.Or(compare(&events[i], &events[j]), cmp.Compare(i, j))
	})
	// Position k takes the event at idx[k]; a done position points to
	// itself.
	for i := range idx {
		if idx[i] == int32(i) {
			continue
		}
		tmp, j := events[i], int32(i)
		for {
			next := idx[j]
			idx[j] = j
			if next == int32(i) {
				events[j] = tmp
				break
			}
			events[j] = events[next]
			j = next
		}
	}
}

var (
	eventType = reflect.TypeFor[onemin.Event]()
	batchType = reflect.TypeFor[Batch]()
)

// asBatches returns events as a PCollection of Batch: as it is when it
// holds batches, batched when it holds onemin.Event. It panics, as Beam
// transforms do on a bad construction, on any other element type.
func asBatches(s beam.Scope, events beam.PCollection, transform string) beam.PCollection {
	switch t := events.Type().Type(); t {
	case batchType:
		return events
	case eventType:
		return Batches(s, events)
	default:
		panic(fmt.Sprintf("onebeam: %s takes a PCollection of onebeam.Batch or onemin.Event, not of %v", transform, t))
	}
}
