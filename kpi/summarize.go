package kpi

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/onemin/onemin"
)

// Dimension is a way to group leads in a [Report].
type Dimension uint8

const (
	ByChannel Dimension = iota + 1 // "channel": the conversation's channel
	ByAgent                        // "agent": who sent the first reply, else the first agent named
	BySource                       // "source": the UTM source
	ByHour                         // "hour": hour of day the step started, "00"–"23", in the report's zone
	ByWeekday                      // "weekday": "Monday" … "Sunday", in the report's zone, Monday first
	ByDay                          // "day": the date the step started, "2006-01-02", in the report's zone
	ByTenant                       // "tenant": the business, on a platform
)

var (
	dimensionNames = []string{"", "channel", "agent", "source", "hour", "weekday", "day", "tenant"}
	dimensions     = enum[Dimension]{"Dimension", "dimension", dimensionNames}
)

// Dimensions returns every dimension in declaration order.
func Dimensions() []Dimension {
	return []Dimension{ByChannel, ByAgent, BySource, ByHour, ByWeekday, ByDay, ByTenant}
}

// String returns the dimension's name, such as "channel".
func (d Dimension) String() string { return dimensions.String(d) }

// ParseDimension returns the dimension named s.
func ParseDimension(s string) (Dimension, error) {
	return dimensions.parse(s, "channel, agent, source, hour, weekday, day or tenant")
}

// MarshalText implements [encoding.TextMarshaler].
func (d Dimension) MarshalText() ([]byte, error) { return dimensions.marshal(d) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (d *Dimension) UnmarshalText(b []byte) (err error) {
	*d, err = ParseDimension(string(b))
	return err
}

// Options configure [Summarize]. The zero Options measure the first reply
// of every conversation in calendar time against 60 s, with any bot or
// human reply stopping the clock, as of the latest event, with linear
// percentiles and the 80 % / 70 % traffic light.
type Options struct {
	// Step is what is measured; zero is [FirstReply].
	Step Step
	// Policy says which replies stop the clock; zero is [AnyReply].
	Policy ReplyPolicy
	// SLA holds the targets by step and channel; the zero SLA holds
	// every lead to 60 s.
	SLA SLA
	// Clock measures durations and deadlines; nil means calendar time. A
	// business-hours *Calendar makes every duration, percentile and
	// deadline count open time only.
	Clock Clock
	// Location is the time zone of the hour, weekday and day groups and
	// of the times in results; nil means the Clock's zone if it has one
	// (a *Calendar does), else UTC.
	Location *time.Location
	// AsOf is the time at which outcomes are judged; events after it are
	// left out, as not yet known. Zero means the latest event's time.
	AsOf time.Time
	// Method is the percentile method; zero is [Linear].
	Method Method
	// Thresholds set the traffic light; zero fields mean 80 % and 70 %.
	Thresholds Thresholds
	// GroupBy lists the dimensions to break the summary down by, each on
	// its own; nil means the total only.
	GroupBy []Dimension
	// KeepLeads asks for the per-lead results in [Report.Leads].
	KeepLeads bool
}

// Report is what [Summarize] returns: the total summary, its breakdowns,
// the per-lead results when asked for, and an account of the events.
type Report struct {
	// Step, Policy and Method echo the options used.
	Step   Step        `json:"step"`
	Policy ReplyPolicy `json:"policy"`
	Method Method      `json:"method"`
	// AsOf is the time outcomes were judged at (zero when there were no
	// events).
	AsOf time.Time `json:"as_of"`
	// Summary is over every lead.
	Summary Summary `json:"summary"`
	// Groups holds one breakdown per dimension of [Options.GroupBy], in
	// that order.
	Groups []Breakdown `json:"groups,omitempty"`
	// Leads holds the per-lead results when [Options.KeepLeads] is set,
	// ordered by start time, then tenant, conversation and contact.
	Leads []Result `json:"leads,omitempty"`
	// Events is the number of events given. Of those, AfterAsOf were
	// later than AsOf, OutOfRange had a time outside the years 1678–2262,
	// and Unlinked were messages, handoffs, closings, bookings or
	// confirmations that name no conversation (nor, for a booking or a
	// confirmation, a contact); all three were left out. Events of other
	// kinds (leads, payments, touches, …) move no clock and are not
	// counted here; those naming a conversation lend it their channel,
	// source and agent.
	Events     int `json:"events"`
	AfterAsOf  int `json:"after_as_of"`
	OutOfRange int `json:"out_of_range"`
	Unlinked   int `json:"unlinked"`
	// Greetings counts replies sent before a conversation's first
	// customer message: they answer nothing and stop no clock.
	Greetings int `json:"greetings"`
}

// Breakdown is the summary grouped by one dimension.
type Breakdown struct {
	Dimension Dimension `json:"dimension"`
	// Groups are ordered by key: days, hours and names ascending,
	// weekdays from Monday. A lead without a value (no channel, say) is
	// in the group with the empty key.
	Groups []Group `json:"groups"`
}

// Group is the summary of the leads that share one value of a dimension.
type Group struct {
	Key     string  `json:"key"`
	Summary Summary `json:"summary"`
}

// leadKey identifies the unit a step is measured on: a conversation, or a
// contact for bookings that name no conversation.
type leadKey struct{ tenant, conversation, contact string }

// scan is the state of one [Summarize] pass over events.
type scan struct {
	policy   ReplyPolicy
	asOf     int64
	hasAsOf  bool
	byConv   map[string]int32  // conversations of the single tenant: the common case, one string to hash
	index    map[leadKey]int32 // every other lead
	owner    []int32           // state of each event, −1 when unused; for replay
	keys     []leadKey
	states   []convState
	latest   int64
	rep      *Report
	disorder []int32 // states fed an event out of order
}

// tracked reports whether the state machine uses events of kind k to
// start or stop a clock.
func tracked(k onemin.Kind) bool {
	switch k {
	case onemin.MessageIn, onemin.MessageOut, onemin.Handoff, onemin.Closed,
		onemin.Booking, onemin.Confirmed:
		return true
	}
	return false
}

// lendsLabels reports whether e, of a kind the state machine does not use
// (a lead, a payment, …), names a conversation and a channel, source or
// agent for it. Such an event only fills the conversation's labels: it
// starts no lead and moves no clock, so a conversation with no customer
// message is no lead whatever such events name. One naming no label
// changes nothing and is left out.
func lendsLabels(e *onemin.Event) bool {
	return e.ConversationID != "" && (e.Channel != "" || e.Source != "" || e.Agent != "")
}

// admit returns the lead key and instant of e, and whether Summarize uses
// it; it counts what it leaves out.
func (sc *scan) admit(e *onemin.Event) (leadKey, int64, bool) {
	if !instantFits(e.At) {
		sc.rep.OutOfRange++
		return leadKey{}, 0, false
	}
	at := e.At.UnixNano()
	if sc.hasAsOf && at > sc.asOf {
		sc.rep.AfterAsOf++
		return leadKey{}, 0, false
	}
	if at > sc.latest {
		sc.latest = at
	}
	if !tracked(e.Kind) {
		if !lendsLabels(e) {
			return leadKey{}, 0, false
		}
		return leadKey{tenant: e.Tenant, conversation: e.ConversationID}, at, true
	}
	key, ok := keyOf(e)
	if !ok {
		sc.rep.Unlinked++
	}
	return key, at, ok
}

// keyOf returns the lead an event of a tracked kind belongs to: its
// conversation, or for a booking or confirmation without one, its contact.
func keyOf(e *onemin.Event) (leadKey, bool) {
	switch {
	case e.ConversationID != "":
		return leadKey{tenant: e.Tenant, conversation: e.ConversationID}, true
	case (e.Kind == onemin.Booking || e.Kind == onemin.Confirmed) && e.ContactID != "":
		return leadKey{tenant: e.Tenant, contact: e.ContactID}, true
	}
	return leadKey{}, false
}

// Summarize measures one step (the first reply by default) of every lead
// in events and summarizes them: counts, P50, P90, P99 and mean of the
// durations, and the SLA rate, in total and grouped as the options ask.
//
// events should be validated and de-duplicated, as [onemin.Prepare]
// returns them; they need not be in time order, but Summarize is fastest
// when they are (one pass, a small state per conversation; conversations
// whose events come out of order are replayed in order). Within one
// conversation, events at the same instant are taken customer message
// first, then handoff, booking, reply, confirmation, other kinds, closing,
// so the result does not depend on the input's order. A lead's channel,
// source and agent come from the first event of its conversation, in that
// order and of any kind, that names one: a lead event or a payment naming
// the conversation counts, though only the kinds above move its clocks,
// and a conversation with no customer message is no lead however many
// other events name it. (Only when two events at the same instant and of
// the same rank name different values does the input's order choose.) A
// booking and its confirmation are matched by conversation when they name
// one, else by contact. events is not changed.
//
// Summarize reads events and never fails: what it cannot use it counts in
// the report. It is safe to call concurrently on the same events.
func Summarize(events []onemin.Event, opts Options) Report {
	rep := Report{Step: opts.Step, Policy: opts.Policy, Method: opts.Method, Events: len(events)}
	// About five events a conversation is typical; the hint saves most of
	// the map's and the states' growth.
	hint := len(events)/5 + 1
	sc := scan{policy: opts.Policy, byConv: make(map[string]int32, hint), index: make(map[leadKey]int32),
		states: make([]convState, 0, hint), keys: make([]leadKey, 0, hint), latest: noInstant, rep: &rep}
	if !opts.AsOf.IsZero() {
		sc.hasAsOf = true
		switch {
		case opts.AsOf.Before(minInstant):
			sc.asOf = minInstant.UnixNano()
		case opts.AsOf.After(maxInstant):
			sc.asOf = maxInstant.UnixNano()
		default:
			sc.asOf = opts.AsOf.UnixNano()
		}
	}
	sc.owner = make([]int32, len(events))
	for i := range events {
		sc.owner[i] = -1
		if key, at, ok := sc.admit(&events[i]); ok {
			sc.feed(events, i, key, at)
		}
	}
	if len(sc.disorder) > 0 {
		sc.replay(events)
	}
	sc.owner = nil
	asOf := opts.AsOf
	if asOf.IsZero() && sc.latest != noInstant {
		asOf = time.Unix(0, sc.latest)
	}
	loc := opts.Location
	if loc == nil {
		loc = clockLocation(opts.Clock)
	}
	if loc == nil {
		loc = time.UTC
	}
	if !asOf.IsZero() {
		asOf = asOf.In(loc)
	}
	rep.AsOf = asOf
	sc.finish(&opts, loc)
	return rep
}

// feed gives events[i], of lead key at instant at, to its state.
func (sc *scan) feed(events []onemin.Event, i int, key leadKey, at int64) {
	j := sc.state(key)
	sc.owner[i] = j
	st := &sc.states[j]
	if st.disordered {
		return
	}
	if !st.observe(&events[i], at, sc.policy, nil) {
		sc.disorder = append(sc.disorder, j)
	}
}

// state returns the index of key's state, making one for a new key.
func (sc *scan) state(key leadKey) int32 {
	m := sc.index
	if key.tenant == "" && key.contact == "" {
		if j, ok := sc.byConv[key.conversation]; ok {
			return j
		}
	} else if j, ok := m[key]; ok {
		return j
	}
	j := int32(len(sc.states))
	if key.tenant == "" && key.contact == "" {
		sc.byConv[key.conversation] = j
	} else {
		m[key] = j
	}
	sc.keys = append(sc.keys, key)
	sc.states = append(sc.states, newConvState())
	return j
}

// replay feeds the conversations that got events out of order again, in
// order of (time, rank, position).
func (sc *scan) replay(events []onemin.Event) {
	again := make([]bool, len(sc.states))
	for _, j := range sc.disorder {
		again[j] = true
	}
	type pos struct {
		state int32
		rank  uint8
		at    int64
		i     int
	}
	var ps []pos
	for i, j := range sc.owner {
		if j >= 0 && again[j] {
			ps = append(ps, pos{j, tieRank(events[i].Kind), events[i].At.UnixNano(), i})
		}
	}
	slices.SortFunc(ps, func(a, b pos) int {
		if c := cmp.Compare(a.state, b.state); c != 0 {
			return c
		}
		if c := cmp.Compare(a.at, b.at); c != 0 {
			return c
		}
		if c := cmp.Compare(a.rank, b.rank); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	for k, p := range ps {
		if k == 0 || ps[k-1].state != p.state {
			sc.states[p.state] = newConvState()
		}
		sc.states[p.state].observe(&events[p.i], p.at, sc.policy, nil)
	}
}

// finish judges every lead and fills in the report's summaries.
func (sc *scan) finish(opts *Options, loc *time.Location) {
	rep := sc.rep
	var total Accumulator
	groups := make([]map[string]*Accumulator, len(opts.GroupBy))
	for i := range groups {
		groups[i] = make(map[string]*Accumulator)
	}
	labels := dayLabels{}
	for j := range sc.states {
		st := &sc.states[j]
		rep.Greetings += int(st.greetings)
		r, ok := leadResult(st, opts.Step, opts.SLA, opts.Clock, loc, rep.AsOf)
		if !ok {
			continue
		}
		total.Add(&r)
		key := sc.keys[j]
		for g, dim := range opts.GroupBy {
			label := groupLabel(dim, &r, key.tenant, labels)
			a := groups[g][label]
			if a == nil {
				a = new(Accumulator)
				groups[g][label] = a
			}
			a.Add(&r)
		}
		if opts.KeepLeads {
			r.Tenant, r.Conversation, r.Contact = key.tenant, key.conversation, key.contact
			rep.Leads = append(rep.Leads, r)
		}
	}
	rep.Summary = total.Summary(opts.Method, opts.Thresholds)
	rep.Groups = breakdowns(opts.GroupBy, groups, opts.Method, opts.Thresholds)
	slices.SortFunc(rep.Leads, func(a, b Result) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return cmp.Or(cmp.Compare(a.Tenant, b.Tenant), cmp.Compare(a.Conversation, b.Conversation),
			cmp.Compare(a.Contact, b.Contact))
	})
}

// leadResult returns the result of a conversation's step as of asOf, and
// false when the step has not started. Summarize and the Tracker both
// judge leads with it.
func leadResult(st *convState, step Step, sla SLA, clock Clock, loc *time.Location, asOf time.Time) (Result, bool) {
	start, stop := st.step(step)
	if start == noInstant {
		return Result{}, false
	}
	r := Result{Channel: st.channel, Source: st.source, Agent: st.handler()}
	r.Start = time.Unix(0, start).In(loc)
	if stop != noInstant {
		r.Stop = time.Unix(0, stop).In(loc)
	}
	r.Target = sla.Target(step, r.Channel)
	r.Outcome, r.Calendar, r.Business, r.Deadline = judge(clock, r.Start, r.Stop, r.Target, asOf)
	return r, true
}

// groupLabel returns the group of a lead in dimension dim.
func groupLabel(dim Dimension, r *Result, tenant string, labels dayLabels) string {
	switch dim {
	case ByChannel:
		return r.Channel
	case ByAgent:
		return r.Agent
	case BySource:
		return r.Source
	case ByTenant:
		return tenant
	case ByHour:
		return hourLabels[r.Start.Hour()]
	case ByWeekday:
		return r.Start.Weekday().String()
	case ByDay:
		return labels.of(r.Start)
	}
	return ""
}

// breakdowns turns the accumulators of each dimension into breakdowns,
// groups in key order (weekdays from Monday).
func breakdowns(dims []Dimension, groups []map[string]*Accumulator, m Method, th Thresholds) []Breakdown {
	var out []Breakdown
	for g, dim := range dims {
		b := Breakdown{Dimension: dim, Groups: make([]Group, 0, len(groups[g]))}
		for label, a := range groups[g] {
			b.Groups = append(b.Groups, Group{Key: label, Summary: a.Summary(m, th)})
		}
		if dim == ByWeekday {
			slices.SortFunc(b.Groups, func(x, y Group) int { return cmp.Compare(isoWeekday(x.Key), isoWeekday(y.Key)) })
		} else {
			slices.SortFunc(b.Groups, func(x, y Group) int { return cmp.Compare(x.Key, y.Key) })
		}
		out = append(out, b)
	}
	return out
}

// judge returns a lead's outcome as of asOf, its calendar and clock
// durations (zero when stop is zero) and its deadline; see [Evaluate].
func judge(clock Clock, start, stop time.Time, target time.Duration, asOf time.Time) (o Outcome, calendar, business time.Duration, dl time.Time) {
	dl = deadlineOn(clock, start, target)
	if !stop.IsZero() && !stop.After(asOf) {
		calendar, business = stop.Sub(start), measureOn(clock, start, stop)
		if business <= target {
			return Met, calendar, business, dl
		}
		return Breached, calendar, business, dl
	}
	if !dl.IsZero() && asOf.After(dl) { // a zero deadline never comes: the clock never opens again
		return Breached, 0, 0, dl
	}
	return Pending, 0, 0, dl
}

var hourLabels = func() (h [24]string) {
	for i := range h {
		h[i] = fmt.Sprintf("%02d", i)
	}
	return h
}()

// isoWeekday numbers a weekday name Monday = 1 … Sunday = 7.
func isoWeekday(name string) int {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if d.String() == name {
			if d == time.Sunday {
				return 7
			}
			return int(d)
		}
	}
	return 8
}

// dayLabels formats dates once per day rather than once per lead.
type dayLabels map[int]string

func (d dayLabels) of(t time.Time) string {
	y, m, day := t.Date()
	k := y*10000 + int(m)*100 + day
	l, ok := d[k]
	if !ok {
		l = t.Format(time.DateOnly)
		d[k] = l
	}
	return l
}
