package kpi

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"math"
	"math/bits"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/onemin/onemin"
)

// ErrTooLate is wrapped by the [onemin.ValidationError] that [Tracker.Add]
// returns for an event that came after later events of its own
// conversation had been applied, beyond the tracker's lateness: the state
// machine cannot place it, so it is counted in [TrackerStats.TooLate] and
// left out.
var ErrTooLate = errors.New("kpi: event too late")

// Defaults of [TrackerOptions].
const (
	DefaultAtRisk    = 0.75           // share of the target gone that raises an at-risk notice
	DefaultIdleAfter = 24 * time.Hour // idle age that closes a conversation out
	DefaultNotices   = 1024           // notices buffered for a slow consumer
)

// TrackerOptions configure a [Tracker]. The zero TrackerOptions track the
// first reply of every conversation in calendar time against 60 s, with
// at-risk notices at 75 % of the target, no lateness, conversations closed
// out after 24 h without events, and percentiles from a default [Sketch]
// (1 % relative error).
type TrackerOptions struct {
	// Step, Policy, SLA, Clock, Location, Method and Thresholds mean what
	// they mean on [Options], so a tracker and [Summarize] given the same
	// values measure the same thing.
	Step       Step
	Policy     ReplyPolicy
	SLA        SLA
	Clock      Clock
	Location   *time.Location
	Method     Method
	Thresholds Thresholds
	// GroupBy lists the dimensions the tracker's reports break the
	// summary down by, as [Options.GroupBy]; nil means the total only.
	GroupBy []Dimension
	// AtRisk is the share of a lead's target (a ratio, 0 < AtRisk < 1)
	// after which, with no reply, an [AtRisk] notice is sent. Zero means
	// [DefaultAtRisk] (0.75: 45 s of a 60 s target); a negative value
	// turns at-risk notices off (breach notices are still sent).
	AtRisk float64
	// Notices is the capacity of the channel [Tracker.Notices] returns.
	// The tracker never waits for a reader: a notice that finds the
	// channel full is dropped and counted in [TrackerStats.NoticesDropped].
	// Zero means [DefaultNotices]; a negative value sends no notices.
	Notices int
	// Lateness is how long the tracker holds events back so that late
	// and out-of-order ones are placed in time order: an event is applied
	// once the tracker's time has passed it by Lateness. Notices and
	// reports then run Lateness behind the tracker's time. An event that
	// comes later still is applied when it is in order for its own
	// conversation and otherwise counted in [TrackerStats.TooLate].
	// Zero applies every event at once.
	Lateness time.Duration
	// IdleAfter is how long after its latest event a conversation is
	// closed out: its lead (answered or not) becomes part of the
	// summaries of its day, and its memory is freed. An event for it
	// after that starts it afresh. Zero means [DefaultIdleAfter] (24 h).
	IdleAfter time.Duration
	// Shards is the number of independently locked parts the open
	// conversations are spread over by hash; zero means four per CPU,
	// rounded up to a power of two. Other values are rounded up to a power
	// of two, at most 1024.
	Shards int
	// Sketch sets the accuracy and range of the sketches the summaries'
	// percentiles come from; the zero value is the default 1 % sketch.
	Sketch SketchOptions
}

// Tracker follows conversations live and keeps the One-Minute KPI
// current: it takes events as they arrive ([Tracker.Add], a
// [onemin.Sink]), runs each conversation's clock on the same state machine
// as [Summarize], sends at-risk and breach notices as the caller advances
// its time ([Tracker.AdvanceTo]), and reports summaries per day and group
// at any moment ([Tracker.Report]) whose counts equal those of [Summarize]
// over the same events and whose percentiles are within the sketch's
// relative error of them.
//
// Memory grows with the open conversations (about 180 bytes each) and the
// summaries of the days and groups held (a few KiB each), not with the
// events: a conversation without events for [TrackerOptions.IdleAfter] is
// closed out into its day's summaries.
//
// The tracker never reads the clock: its time is the latest of the times
// given to AdvanceTo and of the events it was given. A Tracker is safe for
// concurrent use; conversations are spread over shards, each with its own
// lock, so that goroutines adding events rarely wait for one another.
type Tracker struct {
	opts     TrackerOptions
	loc      *time.Location
	atRisk   float64
	idle     int64
	lateness int64
	seed     maphash.Seed
	shards   []trackerShard
	shift    uint // a key's hash >> shift is its shard
	notices  chan Notice
	empty    *Accumulator // a streaming accumulator with the options' sketch, never added to
	now      atomic.Int64 // latest time given to AdvanceTo, noInstant before
	latest   atomic.Int64 // latest instant of an event given to Add, noInstant before
	// Counted outside any shard.
	rejected   atomic.Int64
	ignored    atomic.Int64
	outOfRange atomic.Int64
	unlinked   atomic.Int64
	sent       atomic.Int64
	dropped    atomic.Int64
}

// A Tracker is a sink of events.
var _ onemin.Sink = (*Tracker)(nil)

// trackerShard holds the conversations whose key hashes to it.
type trackerShard struct {
	mu     sync.Mutex
	convs  convTable
	labels labelTable
	wake   wakeHeap
	held   heldQueue
	due    []heldEvent // scratch of flush
	probe  []batchItem // scratch of flush
	seq    uint64      // arrival number of held events
	latest int64       // latest event instant given to the shard
	// released is the shard's horizon: held events at or before it are
	// applied, those not yet by the next flush (the shard is never
	// unlocked before).
	released int64
	finals   map[finalKey]*Accumulator
	tenants  map[string]string // the tenants of open conversations' keys, see tenantOf
	stats    shardStats
	_        [64]byte // keeps the next shard's lock off this one's cache line
}

// shardStats are the counts a shard keeps under its lock.
type shardStats struct {
	events, tooLate, closed, closedUnanswered, greetings int64
}

// finalKey names the summary of the closed-out leads of one day (a day
// number in the tracker's zone) for one group; dim 0 is the day's total.
type finalKey struct {
	day   int32
	dim   Dimension
	label string
}

// NewTracker returns an empty tracker, or an error when an option is out
// of range: AtRisk of 1 or more, a negative Lateness or IdleAfter, an
// unknown dimension in GroupBy, or bad Sketch options.
func NewTracker(opts TrackerOptions) (*Tracker, error) {
	t := &Tracker{opts: opts, seed: maphash.MakeSeed()}
	switch {
	case opts.AtRisk >= 1 || math.IsNaN(opts.AtRisk):
		return nil, fmt.Errorf("kpi: at-risk share %v is not below 1", opts.AtRisk)
	case opts.Lateness < 0:
		return nil, fmt.Errorf("kpi: negative lateness %v", opts.Lateness)
	case opts.IdleAfter < 0:
		return nil, fmt.Errorf("kpi: negative idle age %v", opts.IdleAfter)
	case opts.Step >= stepCount:
		return nil, fmt.Errorf("kpi: invalid step %d", uint8(opts.Step))
	}
	for _, d := range opts.GroupBy {
		if d == 0 || int(d) >= len(dimensionNames) {
			return nil, fmt.Errorf("kpi: invalid dimension %d", uint8(d))
		}
	}
	empty, err := NewStreamingAccumulator(opts.Sketch)
	if err != nil {
		return nil, err
	}
	t.empty = empty
	t.atRisk = opts.AtRisk
	if t.atRisk == 0 {
		t.atRisk = DefaultAtRisk
	}
	t.idle = int64(opts.IdleAfter)
	if t.idle == 0 {
		t.idle = int64(DefaultIdleAfter)
	}
	t.lateness = int64(opts.Lateness)
	t.loc = opts.Location
	if t.loc == nil {
		t.loc = clockLocation(opts.Clock)
	}
	if t.loc == nil {
		t.loc = time.UTC
	}
	switch n := opts.Notices; {
	case n == 0:
		t.notices = make(chan Notice, DefaultNotices)
	case n > 0:
		t.notices = make(chan Notice, n)
	}
	n := opts.Shards
	if n <= 0 {
		n = 4 * runtime.GOMAXPROCS(0)
	}
	n = min(n, 1024)
	shardBits := uint(bits.Len(uint(n - 1)))
	t.shift = 64 - shardBits
	t.shards = make([]trackerShard, 1<<shardBits)
	for i := range t.shards {
		t.shards[i].reset(t.seed)
	}
	t.now.Store(noInstant)
	t.latest.Store(noInstant)
	return t, nil
}

func (sh *trackerShard) reset(seed maphash.Seed) {
	sh.convs = newConvTable(seed)
	sh.labels = newLabelTable()
	sh.wake, sh.held, sh.seq = nil, heldQueue{}, 0
	sh.due, sh.probe = nil, nil
	sh.latest, sh.released = noInstant, noInstant
	sh.finals = make(map[finalKey]*Accumulator)
	sh.tenants = make(map[string]string)
	sh.stats = shardStats{}
}

// Options returns the options the tracker was made with.
func (t *Tracker) Options() TrackerOptions { return t.opts }

// Notices returns the channel notices are sent on; nil when
// [TrackerOptions.Notices] is negative. Read it from another goroutine:
// the tracker drops, and counts, what does not fit.
func (t *Tracker) Notices() <-chan Notice { return t.notices }

// shard returns the shard of a key hash.
func (t *Tracker) shard(h uint64) *trackerShard { return &t.shards[t.shardIndex(h)] }

// Add applies events: it implements [onemin.Sink]. Events are validated
// first ([onemin.Event.Validate]); if any is invalid, none is applied and
// the error joins one [onemin.ValidationError] per invalid event, its Line
// the event's 1-based position in events. Times outside the years
// 1678–2262 and bookings naming neither conversation nor contact are
// counted and left out, as [Summarize] does. Events of kinds that move no
// clock (leads, payments, touches, …) lend a conversation they name their
// channel, source and agent, as in Summarize (and are placed in time
// order like the others, so one can be too late), and are otherwise
// counted and left out.
//
// An event that cannot be placed (see [TrackerOptions.Lateness]) is
// counted and left out while the others are applied; the error then joins
// one ValidationError wrapping [ErrTooLate] for each, in the order of
// events. Add fails with ctx's error, applying nothing, when ctx is done.
//
// The outcome does not depend on how events are split into calls, but the
// cost does: a call locks each shard it touches once and looks its
// conversations up together, so deliveries of a hundred events or more
// cost less per event than one event at a time.
func (t *Tracker) Add(ctx context.Context, events ...onemin.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var invalid []error
	for i := range events {
		if err := events[i].Validate(); err != nil {
			var ve *onemin.ValidationError
			if errors.As(err, &ve) {
				c := *ve
				c.Line = i + 1
				err = &c
			}
			invalid = append(invalid, err)
		}
	}
	if invalid != nil {
		t.rejected.Add(int64(len(events)))
		return fmt.Errorf("kpi: %d of %d events invalid, none applied: %w", len(invalid), len(events), errors.Join(invalid...))
	}
	b := getBatch()
	defer putBatch(b)
	var ignored, outOfRange, unlinked int64
	// now is the tracker's time as each event arrives: the latest of the
	// times given to AdvanceTo and of the events given before it, to any
	// shard, so that what is beyond the lateness depends neither on how
	// keys fall into shards nor on how events are split into deliveries.
	now := max(t.now.Load(), t.latest.Load())
	// A long delivery goes a segment at a time, so that its scratch stays
	// small.
	for start := 0; start < len(events); start += addSegment {
		b.items = b.items[:0]
		for i := start; i < min(start+addSegment, len(events)); i++ {
			e := &events[i]
			if !fitsInstant(e.At) {
				outOfRange++
				continue
			}
			if !tracked(e.Kind) && !lendsLabels(e) {
				ignored++
				continue
			}
			key, ok := keyOf(e)
			if !ok {
				unlinked++
				continue
			}
			k := encodeKey(key)
			h, at := maphash.String(t.seed, k), e.At.UnixNano()
			b.items = append(b.items, batchItem{hash: h, key: k, line: i, at: at, before: now,
				shard: int32(t.shardIndex(h)), slot: -1})
			now = max(now, at)
		}
		for old := t.latest.Load(); now > old && !t.latest.CompareAndSwap(old, now); old = t.latest.Load() {
		}
		switch {
		case len(b.items) == 0:
		case len(t.shards) == 1 || len(b.items) == 1:
			sh := &t.shards[b.items[0].shard]
			sh.mu.Lock()
			sh.addAll(t, events, b.items, &b.late)
			sh.mu.Unlock()
		default:
			b.group(t)
			t.addGroups(events, b)
		}
	}
	if ignored > 0 {
		t.ignored.Add(ignored)
	}
	if outOfRange > 0 {
		t.outOfRange.Add(outOfRange)
	}
	if unlinked > 0 {
		t.unlinked.Add(unlinked)
	}
	if len(b.late) == 0 {
		return nil
	}
	slices.Sort(b.late)
	late := make([]error, len(b.late))
	for i, line := range b.late {
		e := &events[line]
		late[i] = &onemin.ValidationError{Line: line + 1, EventID: e.ID, Field: "at",
			Reason: fmt.Sprintf("%s at %s came after later events of its conversation, beyond the lateness of %s",
				e.Kind, e.At.Format(time.RFC3339Nano), time.Duration(t.lateness)), Err: ErrTooLate}
	}
	return fmt.Errorf("kpi: %d of %d events too late, the others applied: %w", len(late), len(events), errors.Join(late...))
}

// addGroups applies the events of b, grouped by shard, locking each shard
// once. A shard another goroutine holds is passed over and come back to
// after the others, so that two goroutines adding at once rarely wait.
func (t *Tracker) addGroups(events []onemin.Event, b *addBatch) {
	var busyShards [16]int
	busy := busyShards[:0]
	start := 0
	for s, end := range b.ends {
		if end == start {
			continue
		}
		sh := &t.shards[s]
		if sh.mu.TryLock() {
			sh.addAll(t, events, b.grouped[start:end], &b.late)
			sh.mu.Unlock()
		} else {
			busy = append(busy, s)
		}
		start = end
	}
	for _, s := range busy {
		start := 0
		if s > 0 {
			start = b.ends[s-1]
		}
		sh := &t.shards[s]
		sh.mu.Lock()
		sh.addAll(t, events, b.grouped[start:b.ends[s]], &b.late)
		sh.mu.Unlock()
	}
}

// accept takes one event of a tracked kind, or one that lends labels: it
// is events[it.line], its encoded key it.key. It reports false when the
// event is too late to place.
func (sh *trackerShard) accept(t *Tracker, e *onemin.Event, it *batchItem) bool {
	sh.stats.events++
	sh.latest = max(sh.latest, it.at)
	if t.lateness > 0 {
		// The horizon as the event arrives: the tracker's time then, less
		// the lateness. A later event is held; one at or before it is
		// beyond the lateness and applied at once, after those released.
		sh.released = max(sh.released, t.behind(max(it.before, t.now.Load())))
		if it.at > sh.released {
			sh.seq++
			sh.held.push(heldEvent{at: it.at, rank: tieRank(e.Kind), seq: sh.seq, hash: it.hash, kind: e.Kind,
				actor: e.Actor, key: it.key, channel: e.Channel, agent: e.Agent, source: e.Source})
			// Its time is the tracker's time now. The events this releases
			// are applied by the next flush: before any event is applied
			// directly, and before the lock is let go.
			sh.released = max(sh.released, t.behind(it.at))
			return true
		}
		sh.flush(t)
	}
	return sh.apply(t, e, it.key, it.hash, it.at, it.slot)
}

// release applies the held events at or before horizon, in time order.
func (sh *trackerShard) release(t *Tracker, horizon int64) {
	sh.released = max(sh.released, horizon)
	sh.flush(t)
}

// apply feeds one event to its conversation's state machine; it reports
// false, changing nothing, when the event comes before one already fed.
// slot is where the conversation was looked up, or −1 for not there or
// not looked up.
func (sh *trackerShard) apply(t *Tracker, e *onemin.Event, k string, h uint64, at int64, slot int32) bool {
	found := slot >= 0
	if !found {
		// Not looked up, or not there then: the event before it in the
		// same chunk may have opened it.
		slot, found = sh.convs.find(k, h)
	}
	var st convState
	if found {
		st = sh.convs.at(slot).expand(&sh.labels)
	} else {
		st = newConvState()
	}
	start, _ := st.step(t.opts.Step)
	channel := st.channel
	if !st.observe(e, at, t.opts.Policy, nil) {
		sh.stats.tooLate++
		return false
	}
	if !found {
		slot = sh.convs.insert(k, h)
	}
	c := sh.convs.at(slot)
	c.store(&st, &sh.labels)
	// A conversation has one live wake-heap entry: the earlier of its
	// next notice and its idle time. A later idle time is found when the
	// entry comes due, so most events push nothing.
	wake := c.wake
	if !found {
		wake = satAddInstant(at, t.idle)
	}
	if now, _ := st.step(t.opts.Step); now != start || st.channel != channel {
		if due, ok := t.nextNotice(&st, c.stage); ok && due < wake {
			wake = due
		}
	}
	if !found || wake < c.wake {
		c.wake = wake
		sh.wake.push(wakeItem{wake, slot})
	}
	return true
}

// newAccumulator returns an empty streaming accumulator with the
// tracker's sketch options. All of a tracker's accumulators have the same
// options, so they merge without error.
func (t *Tracker) newAccumulator() *Accumulator {
	return &Accumulator{sketch: t.empty.sketch.Copy()}
}

// behind returns the horizon of tracker time now: now − Lateness, but not
// below the earliest instant.
func (t *Tracker) behind(now int64) int64 {
	if now < noInstant+1+t.lateness {
		return noInstant + 1
	}
	return now - t.lateness
}

// satAddInstant returns at + d, or the largest instant when that
// overflows.
func satAddInstant(at, d int64) int64 {
	if at > math.MaxInt64-d {
		return math.MaxInt64
	}
	return at + d
}

// target returns the SLA target of a conversation's step.
func (t *Tracker) target(st *convState) time.Duration {
	return t.opts.SLA.Target(t.opts.Step, st.channel)
}

// instantOn returns the instant d of clock time after start (Unix
// nanoseconds), and false when the clock never gets there (a calendar
// that never opens again) or it is past the year 2262.
func (t *Tracker) instantOn(start int64, d time.Duration) (int64, bool) {
	dl := deadlineOn(t.opts.Clock, time.Unix(0, start), d)
	if dl.IsZero() || !instantFits(dl) {
		return 0, false
	}
	return dl.UnixNano(), true
}

// atRiskAfter is the share of target after which a lead is at risk.
func (t *Tracker) atRiskAfter(target time.Duration) time.Duration {
	return time.Duration(math.Round(float64(target) * t.atRisk))
}

// nextNotice returns the instant of the next notice a conversation is due
// (a breach is due the nanosecond after the deadline), and false when
// none is: the step has not started, has stopped, or every notice is
// sent.
func (t *Tracker) nextNotice(st *convState, stage uint8) (int64, bool) {
	start, stop := st.step(t.opts.Step)
	if start == noInstant || stop != noInstant || stage >= stageBreach {
		return 0, false
	}
	target := t.target(st)
	if stage < stageAtRisk && t.atRisk > 0 {
		if at, ok := t.instantOn(start, t.atRiskAfter(target)); ok {
			return at, true
		}
		return 0, false
	}
	if dl, ok := t.instantOn(start, target); ok && dl < math.MaxInt64 {
		return dl + 1, true
	}
	return 0, false
}

// AdvanceTo moves the tracker's time to now (an earlier time changes
// nothing): held events up to now − Lateness are applied, notices due by
// then are sent, and conversations idle for IdleAfter by then are closed
// out. Call it regularly, say every second, from one goroutine or many.
// The notices of one call are sent in order of their due time (then
// tenant, conversation and contact); it returns how many were sent.
func (t *Tracker) AdvanceTo(now time.Time) int {
	if !instantFits(now) {
		if now.Before(minInstant) {
			return 0
		}
		now = maxInstant
	}
	n := now.UnixNano()
	for {
		old := t.now.Load()
		if n <= old || t.now.CompareAndSwap(old, n) {
			break
		}
	}
	var due []Notice
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		sh.advance(t, t.behind(max(n, t.now.Load())), &due)
		sh.mu.Unlock()
	}
	if t.notices == nil || len(due) == 0 {
		return 0
	}
	slices.SortFunc(due, func(a, b Notice) int {
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Tenant, b.Tenant),
			cmp.Compare(a.Conversation, b.Conversation), cmp.Compare(a.Contact, b.Contact))
	})
	sent := 0
	for _, nt := range due {
		select {
		case t.notices <- nt:
			sent++
		default:
			t.dropped.Add(1)
		}
	}
	t.sent.Add(int64(sent))
	return sent
}

// advance applies held events up to horizon and handles every
// conversation whose wake is due by then, appending the notices due to
// out.
func (sh *trackerShard) advance(t *Tracker, horizon int64, out *[]Notice) {
	sh.release(t, horizon)
	for len(sh.wake) > 0 && sh.wake[0].due <= horizon {
		w := sh.wake.pop()
		if int(w.slot) >= sh.convs.slots() {
			continue
		}
		c := sh.convs.at(w.slot)
		if c.keyLen == 0 || c.wake != w.due {
			continue // stale: the conversation was closed or rescheduled
		}
		if satAddInstant(c.lastAt, t.idle) <= horizon {
			sh.closeOut(t, w.slot, horizon)
			continue
		}
		st := c.expand(&sh.labels)
		sh.notify(t, c, &st, horizon, out)
		next := satAddInstant(c.lastAt, t.idle)
		if due, ok := t.nextNotice(&st, c.stage); ok && due < next {
			next = due
		}
		c.wake = next
		sh.wake.push(wakeItem{next, w.slot})
	}
}

// notify appends to out the notice a conversation is due as of horizon,
// if any: a breach once past the deadline, else an at-risk notice once
// the at-risk instant is reached. A lead that went from fine to breached
// between two calls gets only the breach notice.
func (sh *trackerShard) notify(t *Tracker, c *storedConv, st *convState, horizon int64, out *[]Notice) {
	start, stop := st.step(t.opts.Step)
	if start == noInstant || stop != noInstant || c.stage >= stageBreach {
		return
	}
	target := t.target(st)
	kind, due := NoticeKind(0), int64(0)
	dl, dlOK := t.instantOn(start, target)
	switch {
	case dlOK && horizon > dl:
		kind, due, c.stage = Breach, dl, stageBreach
	case c.stage < stageAtRisk && t.atRisk > 0:
		if at, ok := t.instantOn(start, t.atRiskAfter(target)); ok && horizon >= at {
			kind, due, c.stage = AtRisk, at, stageAtRisk
		}
	}
	if kind == 0 || t.notices == nil {
		return
	}
	key, _ := decodeKey(string(sh.convs.key(c)))
	n := Notice{Kind: kind, Step: t.opts.Step, Tenant: key.tenant, Conversation: key.conversation,
		Contact: key.contact, Channel: st.channel, Agent: st.handler(), Target: target,
		Start: time.Unix(0, start).In(t.loc), Due: time.Unix(0, due).In(t.loc), At: time.Unix(0, horizon).In(t.loc)}
	if dlOK {
		n.Deadline = time.Unix(0, dl).In(t.loc)
	}
	n.Elapsed = measureOn(t.opts.Clock, n.Start, n.At)
	*out = append(*out, n)
}

// closeOut ends an idle conversation: its lead, judged as of horizon,
// joins the summaries of its day, and its slot is freed.
func (sh *trackerShard) closeOut(t *Tracker, slot int32, horizon int64) {
	c := sh.convs.at(slot)
	st := c.expand(&sh.labels)
	tenant := sh.tenantOf(c)
	sh.stats.closed++
	sh.stats.greetings += int64(st.greetings)
	if r, ok := leadResult(&st, t.opts.Step, t.opts.SLA, t.opts.Clock, t.loc, time.Unix(0, horizon).In(t.loc)); ok {
		if !r.Answered() {
			sh.stats.closedUnanswered++
		}
		sh.record(t, &r, tenant)
	}
	sh.convs.remove(slot)
}

// record adds a closed-out lead to the summaries of its day.
func (sh *trackerShard) record(t *Tracker, r *Result, tenant string) {
	day := dayNumber(r.Start)
	sh.final(t, finalKey{day: day}).Add(r)
	var labels dayLabels
	for _, dim := range t.opts.GroupBy {
		if dim == ByDay && labels == nil {
			labels = dayLabels{}
		}
		sh.final(t, finalKey{day, dim, groupLabel(dim, r, tenant, labels)}).Add(r)
	}
}

func (sh *trackerShard) final(t *Tracker, k finalKey) *Accumulator {
	a := sh.finals[k]
	if a == nil {
		a = t.newAccumulator()
		sh.finals[k] = a
	}
	return a
}

// dayNumber numbers the date of t (in its location) in days since
// 1970-01-01.
func dayNumber(t time.Time) int32 {
	y, m, d := t.Date()
	return int32(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// TrackerStats account for what a [Tracker] was given and did. Every event
// given to Add is in exactly one of Rejected, Ignored, OutOfRange,
// Unlinked, TooLate, Held or Applied.
type TrackerStats struct {
	// Rejected events failed validation (Add applied none of their
	// delivery). Ignored are of kinds that move no clock and lend no
	// conversation a label (see [Tracker.Add]),
	// OutOfRange have a time outside the years 1678–2262, and Unlinked
	// are bookings or confirmations naming neither conversation nor
	// contact.
	Rejected, Ignored, OutOfRange, Unlinked int64
	// TooLate events came out of order for their conversation beyond
	// the lateness and were left out; Held wait for the lateness to pass;
	// Applied were fed to a conversation (to its clock, or only to its
	// labels).
	TooLate, Held, Applied int64
	// Open is the number of conversations held in memory; Closed were
	// closed out as idle, ClosedUnanswered of them with no reply.
	Open, Closed, ClosedUnanswered int64
	// Notices were sent on the channel; NoticesDropped found it full.
	Notices, NoticesDropped int64
}

// Stats returns the tracker's counts.
func (t *Tracker) Stats() TrackerStats {
	s := TrackerStats{Rejected: t.rejected.Load(), Ignored: t.ignored.Load(), OutOfRange: t.outOfRange.Load(),
		Unlinked: t.unlinked.Load(), Notices: t.sent.Load(), NoticesDropped: t.dropped.Load()}
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		s.TooLate += sh.stats.tooLate
		s.Held += int64(sh.held.len())
		s.Applied += sh.stats.events - sh.stats.tooLate - int64(sh.held.len())
		s.Open += int64(sh.convs.used)
		s.Closed += sh.stats.closed
		s.ClosedUnanswered += sh.stats.closedUnanswered
		sh.mu.Unlock()
	}
	return s
}
