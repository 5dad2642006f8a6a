package kpi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/maphash"
	"math"

	"github.com/onemin/onemin"
)

// ErrSnapshotCorrupt is wrapped by the error [Tracker.UnmarshalBinary]
// returns for data that is not a snapshot this version can read: wrong
// magic or version, truncated, out-of-range or contradictory values, or
// trailing bytes.
var ErrSnapshotCorrupt = errors.New("kpi: corrupt tracker snapshot")

// ErrSnapshotMismatch is wrapped by the error [Tracker.UnmarshalBinary]
// returns for a valid snapshot of a tracker that measures something else:
// another step or reply policy, or sketches with other options.
var ErrSnapshotMismatch = errors.New("kpi: tracker snapshot of other options")

// The binary form of a [Tracker], version 1. Integers are varints
// (encoding/binary: Uvarint for counts and sizes, Varint for instants in
// Unix nanoseconds); a string is its length and its bytes.
//
//	magic     4 bytes, "1mTK"
//	version   1 byte, 1
//	step, policy          1 byte each
//	now                   the latest AdvanceTo time (MinInt64: none)
//	latest, released      the latest event time and the lateness horizon
//	counts    rejected, ignored, out of range, unlinked, notices sent,
//	          notices dropped, events, too late, closed, closed unanswered,
//	          greetings of closed conversations
//	n, then n open conversations:
//	  key, the ten instants of its clock (first message, first reply,
//	  first bot reply, handoff, handoff reply, booking, confirmation,
//	  closing, oldest unanswered message, latest event), greetings,
//	  rank of the latest event, notices sent (0, 1 at risk, 2 breach),
//	  channel, agent of the first reply, first agent, source
//	n, then n held events: time, arrival number, kind, actor, key,
//	  channel, agent, source
//	n, then n day summaries: day (days since 1970-01-01), dimension
//	  (0 for the day's total), group, and the accumulator's binary form
//	  (see [Accumulator.AppendBinary]) as a string
//
// Nothing may follow.
const (
	snapshotMagic   = "1mTK"
	snapshotVersion = 1
)

// MarshalBinary implements [encoding.BinaryMarshaler]: it returns the
// whole state of the tracker (open conversations, held events, the
// summaries of closed-out leads, counts and time) in the versioned binary
// form described at [Tracker.AppendBinary]. Options are not part of it.
func (t *Tracker) MarshalBinary() ([]byte, error) { return t.AppendBinary(nil) }

// AppendBinary implements [encoding.BinaryAppender]. The shards are
// locked together while it runs, so the snapshot is of one moment.
func (t *Tracker) AppendBinary(b []byte) ([]byte, error) {
	for i := range t.shards {
		t.shards[i].mu.Lock()
	}
	defer func() {
		for i := range t.shards {
			t.shards[i].mu.Unlock()
		}
	}()
	var sum shardStats
	latest, released := int64(noInstant), int64(math.MaxInt64)
	convs, held, finals := 0, 0, 0
	for i := range t.shards {
		sh := &t.shards[i]
		sum.events += sh.stats.events
		sum.tooLate += sh.stats.tooLate
		sum.closed += sh.stats.closed
		sum.closedUnanswered += sh.stats.closedUnanswered
		sum.greetings += sh.stats.greetings
		latest = max(latest, sh.latest)
		released = min(released, sh.released)
		convs += sh.convs.used
		held += sh.held.len()
		finals += len(sh.finals)
	}
	b = append(b, snapshotMagic...)
	b = append(b, snapshotVersion, byte(t.opts.Step), byte(t.opts.Policy))
	for _, v := range []int64{t.now.Load(), latest, released} {
		b = binary.AppendVarint(b, v)
	}
	for _, v := range []int64{t.rejected.Load(), t.ignored.Load(), t.outOfRange.Load(), t.unlinked.Load(),
		t.sent.Load(), t.dropped.Load(), sum.events, sum.tooLate, sum.closed, sum.closedUnanswered, sum.greetings} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	b = binary.AppendUvarint(b, uint64(convs))
	for i := range t.shards {
		sh := &t.shards[i]
		for p := range sh.convs.pages {
			for j := range sh.convs.pages[p] {
				c := &sh.convs.pages[p][j]
				if c.keyLen == 0 {
					continue
				}
				k := sh.convs.key(c)
				b = append(binary.AppendUvarint(b, uint64(len(k))), k...)
				for _, v := range []int64{c.firstIn, c.firstReply, c.firstBot, c.handoff, c.handoffReply,
					c.booking, c.confirmed, c.closed, c.waiting, c.lastAt} {
					b = binary.AppendVarint(b, v)
				}
				b = binary.AppendUvarint(b, uint64(c.greetings))
				b = append(b, c.lastRank, c.stage)
				for _, l := range []uint32{c.channel, c.agent, c.anyAgent, c.source} {
					b = appendString(b, sh.labels.names[l])
				}
			}
		}
	}
	b = binary.AppendUvarint(b, uint64(held))
	for i := range t.shards {
		t.shards[i].held.each(func(h *heldEvent) {
			b = binary.AppendVarint(b, h.at)
			b = binary.AppendUvarint(b, h.seq)
			b = append(b, byte(h.kind), byte(h.actor))
			for _, s := range []string{h.key, h.channel, h.agent, h.source} {
				b = appendString(b, s)
			}
		})
	}
	b = binary.AppendUvarint(b, uint64(finals))
	for i := range t.shards {
		for k, a := range t.shards[i].finals {
			b = binary.AppendVarint(b, int64(k.day))
			b = append(b, byte(k.dim))
			b = appendString(b, k.label)
			acc, _ := a.AppendBinary(nil)
			b = appendString(b, string(acc))
		}
	}
	return b, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// snapshot is a decoded snapshot, not yet installed in a tracker.
type snapshot struct {
	now, latest, released int64
	counts                [6]int64 // rejected, ignored, out of range, unlinked, sent, dropped
	stats                 shardStats
	convs                 []convState
	keys                  []string
	stages                []uint8
	held                  []heldEvent
	finals                map[finalKey]*Accumulator
}

// UnmarshalBinary implements [encoding.BinaryUnmarshaler]: it replaces the
// tracker's whole state with the snapshot in data, made by
// [Tracker.MarshalBinary] of a tracker with the same step, reply policy
// and sketch options (other options, the shard count included, may
// differ). Notices already sent are not sent again. On error, which wraps
// [ErrSnapshotCorrupt] when data is no valid snapshot and
// [ErrSnapshotMismatch] when it is one of a tracker with other options, the
// tracker is unchanged.
func (t *Tracker) UnmarshalBinary(data []byte) error {
	s, err := t.decodeSnapshot(data)
	if err != nil {
		return err
	}
	for i := range t.shards {
		t.shards[i].mu.Lock()
	}
	defer func() {
		for i := range t.shards {
			t.shards[i].mu.Unlock()
		}
	}()
	for i := range t.shards {
		sh := &t.shards[i]
		sh.reset(t.seed)
		sh.latest, sh.released = s.latest, s.released
	}
	t.now.Store(s.now)
	t.latest.Store(s.latest)
	t.rejected.Store(s.counts[0])
	t.ignored.Store(s.counts[1])
	t.outOfRange.Store(s.counts[2])
	t.unlinked.Store(s.counts[3])
	t.sent.Store(s.counts[4])
	t.dropped.Store(s.counts[5])
	t.shards[0].stats = s.stats
	for i := range s.convs {
		k := s.keys[i]
		h := maphash.String(t.seed, k)
		sh := t.shard(h)
		slot := sh.convs.insert(k, h)
		c := sh.convs.at(slot)
		c.store(&s.convs[i], &sh.labels)
		c.stage = s.stages[i]
		c.wake = satAddInstant(c.lastAt, t.idle)
		if due, ok := t.nextNotice(&s.convs[i], c.stage); ok && due < c.wake {
			c.wake = due
		}
		sh.wake.push(wakeItem{c.wake, slot})
	}
	for _, he := range s.held {
		he.hash = maphash.String(t.seed, he.key)
		sh := t.shard(he.hash)
		sh.held.push(he)
		sh.seq = max(sh.seq, he.seq)
	}
	for k, a := range s.finals {
		// Every shard's finals are merged when read, so one shard may
		// hold them all.
		t.shards[0].finals[k] = a
	}
	return nil
}

func (t *Tracker) decodeSnapshot(data []byte) (*snapshot, error) {
	s, err := t.decode(data)
	if err != nil && !errors.Is(err, ErrSnapshotMismatch) {
		return nil, fmt.Errorf("%w: %w", ErrSnapshotCorrupt, err)
	}
	return s, err
}

func (t *Tracker) decode(data []byte) (*snapshot, error) {
	if len(data) < len(snapshotMagic)+3 || string(data[:len(snapshotMagic)]) != snapshotMagic {
		return nil, errors.New("not a tracker snapshot")
	}
	if v := data[len(snapshotMagic)]; v != snapshotVersion {
		return nil, fmt.Errorf("unsupported version %d", v)
	}
	step, policy := Step(data[len(snapshotMagic)+1]), ReplyPolicy(data[len(snapshotMagic)+2])
	if step >= stepCount || int(policy) >= len(policies.names) {
		return nil, fmt.Errorf("invalid step %d or policy %d", uint8(step), uint8(policy))
	}
	if step != t.opts.Step || policy != t.opts.Policy {
		return nil, fmt.Errorf("%w: step %v under policy %v; the tracker measures %v under %v",
			ErrSnapshotMismatch, step, policy, t.opts.Step, t.opts.Policy)
	}
	r := &byteReader{data: data[len(snapshotMagic)+3:]}
	s := &snapshot{finals: map[finalKey]*Accumulator{}}
	s.now, s.latest, s.released = r.varint("now"), r.varint("latest"), r.varint("released")
	for i := range s.counts {
		s.counts[i] = r.count("count")
	}
	st := &s.stats
	for _, p := range []*int64{&st.events, &st.tooLate, &st.closed, &st.closedUnanswered, &st.greetings} {
		*p = r.count("count")
	}
	n := r.items("conversations", 14)
	seen := make(map[string]bool, n)
	for range n {
		k := r.string("key")
		key, ok := decodeKey(k)
		switch {
		case r.err != nil:
		case !ok || encodeKey(key) != k || (key.conversation == "" && key.contact == ""):
			r.fail("invalid conversation key %q", k)
		case seen[k]:
			r.fail("conversation key %q twice", k)
		}
		seen[k] = true
		c := newConvState()
		for _, p := range []*int64{&c.firstIn, &c.firstReply, &c.firstBot, &c.handoff, &c.handoffReply,
			&c.booking, &c.confirmed, &c.closed, &c.waiting, &c.lastAt} {
			*p = r.varint("instant")
		}
		g := r.uvarint("greetings")
		c.lastRank = r.byte("rank")
		stage := r.byte("stage")
		c.channel, c.agent, c.anyAgent, c.source = r.string("channel"), r.string("agent"), r.string("agent"), r.string("source")
		if r.err != nil {
			break
		}
		if g > math.MaxInt32 || c.lastRank > 6 || stage > stageBreach || c.lastAt == noInstant {
			r.fail("conversation %q: greetings %d, rank %d, stage %d, latest %d out of range", k, g, c.lastRank, stage, c.lastAt)
			break
		}
		for _, v := range []int64{c.firstIn, c.firstReply, c.firstBot, c.handoff, c.handoffReply,
			c.booking, c.confirmed, c.closed, c.waiting} {
			if v != noInstant && v > c.lastAt {
				r.fail("conversation %q: an instant after its latest event", k)
			}
		}
		c.greetings = int32(g)
		s.convs = append(s.convs, c)
		s.keys = append(s.keys, k)
		s.stages = append(s.stages, stage)
	}
	n = r.items("held events", 8)
	for range n {
		he := heldEvent{at: r.varint("held time"), seq: r.uvarint("arrival")}
		he.kind, he.actor = onemin.Kind(r.byte("kind")), onemin.Actor(r.byte("actor"))
		he.key, he.channel, he.agent, he.source = r.string("key"), r.string("channel"), r.string("agent"), r.string("source")
		if r.err != nil {
			break
		}
		k, ok := decodeKey(he.key)
		lends := he.kind.Valid() && k.conversation != "" && (he.channel != "" || he.source != "" || he.agent != "")
		if !ok || he.key == "" || !(tracked(he.kind) || lends) || !he.actor.Valid() || he.at == noInstant {
			r.fail("invalid held event %q", he.key)
			break
		}
		he.rank = tieRank(he.kind)
		s.held = append(s.held, he)
	}
	n = r.items("day summaries", 4)
	want := t.newAccumulator()
	for range n {
		day, dim, label := r.varint("day"), Dimension(r.byte("dimension")), r.string("group")
		acc := r.string("accumulator")
		if r.err != nil {
			break
		}
		k := finalKey{day: int32(day), dim: dim, label: label}
		if day != int64(k.day) || int(dim) >= len(dimensionNames) || s.finals[k] != nil {
			r.fail("invalid or repeated day summary %d %v %q", day, dim, label)
			break
		}
		a := new(Accumulator)
		if err := a.UnmarshalBinary([]byte(acc)); err != nil {
			r.fail("day summary %d %v %q: %w", day, dim, label, err)
			break
		}
		if !a.sameKind(want) {
			return nil, fmt.Errorf("%w: day summaries kept in sketches of other options", ErrSnapshotMismatch)
		}
		s.finals[k] = a
	}
	if r.err != nil {
		return nil, r.err
	}
	if len(r.data) != 0 {
		return nil, fmt.Errorf("%d trailing bytes", len(r.data))
	}
	return s, nil
}
