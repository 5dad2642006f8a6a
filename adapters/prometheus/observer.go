package promkpi

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// MaxObservedEvents is the most events an [Observer] keeps for one
// conversation whose step has not stopped before it drops the customer's
// further messages (counting them in [Observer.Dropped]), so that a flood
// of messages with no reply cannot grow its memory without bound. No step
// depends on them: the first customer message starts the clock, and the
// replies, handoffs and closings that stop it are still kept.
const MaxObservedEvents = 256

// Observer is a [onemin.Sink] and a [prometheus.Collector] that gives a
// live tracker's durations a histogram: fed the same events as the tracker
// (a webhook handler feeding both), it observes each lead's step duration
// into onemin_step_duration_seconds, by channel, once, at the moment the
// step stops — the first reply, say. The duration is what [kpi.Measure]
// gives for the conversation's events so far, under the tracker's step,
// reply policy and clock, so it is the duration the tracker records.
//
// Unlike a report, a histogram only grows: a lead observed is never taken
// back, and an event that arrives after its conversation's step stopped,
// stamped earlier (a late customer message, say), changes the tracker's
// report but not the histogram. Confirmations are observed for bookings
// that name their conversation.
//
// Memory grows with the conversations whose step has not stopped, which
// keep their events (their customer's messages up to [MaxObservedEvents]),
// and with those observed but not yet idle, which keep a few bytes. A conversation
// without events for the tracker's IdleAfter is forgotten, and an event
// for it after that starts a new lead, as a live tracker closes it out and
// starts it afresh. An Observer is safe for concurrent use.
type Observer struct {
	step   kpi.Step
	policy kpi.ReplyPolicy
	clock  kpi.Clock
	idle   time.Duration
	hist   *prometheus.HistogramVec
	folder *folder
	// Descriptors of the observer's own state.
	openDesc, droppedDesc *prometheus.Desc

	mu      sync.Mutex
	convs   map[onemin.ConversationKey]*observedConv
	latest  time.Time // the latest event time seen
	sweep   time.Time // when idle conversations are next looked for
	dropped int64
}

// observedConv is one conversation: its events until its step stops,
// then only its latest time.
type observedConv struct {
	events   []onemin.Event
	latest   time.Time
	observed bool
}

// NewObserver returns an observer that measures what a tracker made with
// topts measures (its Step, Policy, Clock and IdleAfter), with the
// histogram options, constant labels and channel limit of opts, or an
// error as for [New].
func NewObserver(topts kpi.TrackerOptions, opts Options) (*Observer, error) {
	hopts, err := histogramOptions(opts)
	if err != nil {
		return nil, err
	}
	if hopts.ConstLabels, err = withStep(opts.ConstLabels, topts.Step); err != nil {
		return nil, err
	}
	idle := topts.IdleAfter
	if idle <= 0 {
		idle = kpi.DefaultIdleAfter
	}
	return &Observer{
		openDesc: prometheus.NewDesc("onemin_observer_conversations_open",
			"Conversations the observer holds: waiting for their step to stop, or observed and not yet idle.", nil, hopts.ConstLabels),
		droppedDesc: prometheus.NewDesc("onemin_observer_messages_dropped_total",
			"Customer messages left out because their conversation held the most events kept.", nil, hopts.ConstLabels),
		step:   topts.Step,
		policy: topts.Policy,
		clock:  topts.Clock,
		idle:   idle,
		hist:   prometheus.NewHistogramVec(hopts, []string{"channel"}),
		folder: newFolder(opts.Channels, DefaultMaxChannels),
		convs:  make(map[onemin.ConversationKey]*observedConv),
	}, nil
}

// Add takes the events of one delivery: it implements [onemin.Sink]. If any
// event is invalid ([onemin.Event.Validate]) it applies none and returns
// the errors, one [onemin.ValidationError] each, as a tracker does. Events
// that name no conversation, and kinds that take part in no step
// (payments, touches, …), are left out.
func (o *Observer) Add(ctx context.Context, events ...onemin.Event) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	var errs []error
	for i := range events {
		if err := events[i].Validate(); err != nil {
			var ve *onemin.ValidationError
			if errors.As(err, &ve) {
				ve.Line = i + 1
			}
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range events {
		o.apply(&events[i])
	}
	if o.latest.After(o.sweep) {
		o.forgetIdle()
	}
	return nil
}

// apply adds one event to its conversation and observes the step's
// duration if this event stopped it; o.mu is held.
func (o *Observer) apply(e *onemin.Event) {
	if e.ConversationID == "" || !measured(e.Kind) {
		return
	}
	if e.At.After(o.latest) {
		o.latest = e.At
	}
	key := onemin.ConversationKey{Tenant: e.Tenant, ID: e.ConversationID}
	c := o.convs[key]
	if c == nil || !e.At.Before(c.latest.Add(o.idle)) {
		// New, or idle for IdleAfter: a live tracker has closed it out,
		// and this event starts it afresh.
		c = &observedConv{}
		o.convs[key] = c
	}
	if e.At.After(c.latest) {
		c.latest = e.At
	}
	if c.observed {
		return
	}
	if len(c.events) >= MaxObservedEvents && e.Kind == onemin.MessageIn {
		// Only the first customer message starts a step; later ones
		// change no step's duration.
		o.dropped++
		return
	}
	c.events = append(c.events, *e)
	times := kpi.Measure(onemin.Conversation{Key: key, Events: c.events}, o.policy, o.clock)
	iv := stepInterval(&times, o.step)
	if iv == nil {
		return
	}
	o.hist.WithLabelValues(o.folder.admit(times.Channel)).Observe(iv.Business.Seconds())
	c.observed, c.events = true, nil
}

// forgetIdle drops the conversations idle for o.idle as of the latest
// event time, and sets when to look again; o.mu is held.
func (o *Observer) forgetIdle() {
	cutoff := o.latest.Add(-o.idle)
	for k, c := range o.convs {
		if c.latest.Before(cutoff) {
			delete(o.convs, k)
		}
	}
	o.sweep = o.latest.Add(o.idle / 4)
}

// measured reports whether events of kind k take part in a step, as they
// do in a tracker: messages, handoffs, closings, bookings and
// confirmations. Others (payments, touches, …) are left out.
func measured(k onemin.Kind) bool {
	switch k {
	case onemin.MessageIn, onemin.MessageOut, onemin.Handoff, onemin.Closed, onemin.Booking, onemin.Confirmed:
		return true
	}
	return false
}

// stepInterval returns the interval of times that step measures.
func stepInterval(t *kpi.Times, step kpi.Step) *kpi.Interval {
	switch step {
	case kpi.FirstReply:
		return t.FirstReply
	case kpi.BotReply:
		return t.BotReply
	case kpi.HandoffReply:
		return t.HandoffWait
	case kpi.Confirmation:
		return t.Confirmation
	case kpi.Closing:
		return t.Handle
	}
	return nil
}

// Open returns the number of conversations the observer holds.
func (o *Observer) Open() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.convs)
}

// Dropped returns the number of customer messages left out because their
// conversation already held [MaxObservedEvents] events.
func (o *Observer) Dropped() int64 {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.dropped
}

// Describe implements [prometheus.Collector].
func (o *Observer) Describe(ch chan<- *prometheus.Desc) {
	o.hist.Describe(ch)
	ch <- o.openDesc
	ch <- o.droppedDesc
}

// Collect implements [prometheus.Collector]: the histogram, and the
// observer's own state, onemin_observer_conversations_open (gauge) and
// onemin_observer_messages_dropped_total (counter).
func (o *Observer) Collect(ch chan<- prometheus.Metric) {
	o.hist.Collect(ch)
	o.mu.Lock()
	open, dropped := len(o.convs), o.dropped
	o.mu.Unlock()
	ch <- prometheus.MustNewConstMetric(o.openDesc, prometheus.GaugeValue, float64(open))
	ch <- prometheus.MustNewConstMetric(o.droppedDesc, prometheus.CounterValue, float64(dropped))
}
