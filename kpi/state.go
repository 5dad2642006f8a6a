package kpi

import (
	"math"
	"time"

	"github.com/onemin/onemin"
)

// noInstant marks an instant not seen yet in a [convState].
const noInstant = math.MinInt64

// Instants are kept as Unix nanoseconds; events outside the range that
// fits (years 1678–2262) are counted and left out.
var (
	minInstant = time.Unix(0, math.MinInt64+1)
	maxInstant = time.Unix(0, math.MaxInt64)
)

// instantFits reports whether t fits in Unix nanoseconds.
func instantFits(t time.Time) bool { return !t.Before(minInstant) && !t.After(maxInstant) }

// rank orders events of one conversation that happen at the same instant,
// so that results do not depend on the input's order: the customer's
// message comes first (a reply at the same instant answers it in zero
// time), then a handoff, a booking, a reply, a confirmation, other kinds,
// and a closing last.
func tieRank(k onemin.Kind) uint8 {
	switch k {
	case onemin.MessageIn:
		return 0
	case onemin.Handoff:
		return 1
	case onemin.Booking:
		return 2
	case onemin.MessageOut:
		return 3
	case onemin.Confirmed:
		return 4
	case onemin.Closed:
		return 6
	}
	return 5
}

// replySpan is one reply interval, in Unix nanoseconds.
type replySpan struct{ start, stop int64 }

// convState is the clock of one conversation: the first instant of each
// event that starts or stops a step, fed events in time order (then by
// rank). It is the one state machine behind [Summarize] and [Measure].
type convState struct {
	firstIn      int64 // first customer message
	firstReply   int64 // first clock-stopping reply at or after firstIn
	firstBot     int64 // first bot reply at or after firstIn
	handoff      int64 // first handoff
	handoffReply int64 // first human reply at or after handoff
	booking      int64 // first booking
	confirmed    int64 // first confirmation at or after booking
	closed       int64 // first closing at or after firstIn
	waiting      int64 // oldest customer message not yet answered
	lastAt       int64 // the latest instant fed
	lastRank     uint8 // the rank of the latest event fed
	disordered   bool  // an event came before one already fed
	greetings    int32 // replies before any customer message
	channel      string
	agent        string // agent of the first clock-stopping reply
	anyAgent     string // first agent named on any event
	source       string
}

func newConvState() convState {
	return convState{firstIn: noInstant, firstReply: noInstant, firstBot: noInstant, handoff: noInstant,
		handoffReply: noInstant, booking: noInstant, confirmed: noInstant, closed: noInstant, waiting: noInstant,
		lastAt: noInstant}
}

// observe feeds one event at instant at (Unix nanoseconds). It reports
// false, and changes nothing, when the event comes before one already fed;
// the caller then replays the conversation in order. Every event fills
// the labels (channel, source, agent) not named yet; only the kinds
// [tracked] lists move the clocks, so an event of another kind (a lead, a
// payment) fills labels and nothing else. When replies is not nil, every
// reply interval is appended to it.
func (s *convState) observe(e *onemin.Event, at int64, policy ReplyPolicy, replies *[]replySpan) bool {
	r := tieRank(e.Kind)
	if at < s.lastAt || (at == s.lastAt && r < s.lastRank) {
		s.disordered = true
		return false
	}
	s.lastAt, s.lastRank = at, r
	if s.channel == "" {
		s.channel = e.Channel
	}
	if s.source == "" {
		s.source = e.Source
	}
	if s.anyAgent == "" {
		s.anyAgent = e.Agent
	}
	switch e.Kind {
	case onemin.MessageIn:
		if s.firstIn == noInstant {
			s.firstIn = at
		}
		if s.waiting == noInstant {
			s.waiting = at
		}
	case onemin.MessageOut:
		if s.firstIn == noInstant {
			s.greetings++
		} else if e.Actor == onemin.Bot && s.firstBot == noInstant {
			s.firstBot = at
		}
		if e.Actor == onemin.Human && s.handoff != noInstant && s.handoffReply == noInstant {
			s.handoffReply = at
		}
		if s.waiting != noInstant && policy.Stops(e.Actor) {
			if replies != nil {
				*replies = append(*replies, replySpan{s.waiting, at})
			}
			if s.firstReply == noInstant {
				s.firstReply = at
				s.agent = e.Agent
			}
			s.waiting = noInstant
		}
	case onemin.Handoff:
		if s.handoff == noInstant {
			s.handoff = at
		}
	case onemin.Booking:
		if s.booking == noInstant {
			s.booking = at
		}
	case onemin.Confirmed:
		if s.booking != noInstant && s.confirmed == noInstant {
			s.confirmed = at
		}
	case onemin.Closed:
		if s.firstIn != noInstant && s.closed == noInstant {
			s.closed = at
		}
	}
	return true
}

// step returns the start and stop of a step (noInstant when absent).
func (s *convState) step(st Step) (start, stop int64) {
	switch st {
	case FirstReply:
		return s.firstIn, s.firstReply
	case BotReply:
		return s.firstIn, s.firstBot
	case HandoffReply:
		return s.handoff, s.handoffReply
	case Confirmation:
		return s.booking, s.confirmed
	case Closing:
		return s.firstIn, s.closed
	}
	return noInstant, noInstant
}

// handler returns the agent who handled the conversation: the one who sent
// the first clock-stopping reply, or else the first one named.
func (s *convState) handler() string {
	if s.agent != "" {
		return s.agent
	}
	return s.anyAgent
}
