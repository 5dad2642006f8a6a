package kpi

import (
	"cmp"
	"encoding/json"
	"slices"
	"time"

	"github.com/onemin/onemin"
)

// Interval is one measured stretch of a conversation: from Start to End,
// in calendar time and in business time. Calendar is End − Start;
// Business is the same on a [Clock] (equal to Calendar without one).
// Its JSON form has the keys start, end, calendar_seconds and
// business_seconds.
type Interval struct {
	Start    time.Time
	End      time.Time
	Calendar time.Duration
	Business time.Duration
}

// MarshalJSON writes the interval with its durations in seconds.
func (iv Interval) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Start    time.Time `json:"start"`
		End      time.Time `json:"end"`
		Calendar float64   `json:"calendar_seconds"`
		Business float64   `json:"business_seconds"`
	}{iv.Start, iv.End, iv.Calendar.Seconds(), iv.Business.Seconds()})
}

// Times are the reply intervals of one conversation. A pointer field is
// nil when the interval did not happen (no reply yet, no handoff, …).
type Times struct {
	Conversation onemin.ConversationKey `json:"conversation"`
	// Channel, Source and Agent are as on [Result].
	Channel string `json:"channel"`
	Source  string `json:"source"`
	Agent   string `json:"agent"`
	// FirstReply: the first clock-stopping reply − the first customer
	// message.
	FirstReply *Interval `json:"first_reply"`
	// BotReply: the bot's first reply − the first customer message.
	BotReply *Interval `json:"bot_reply"`
	// Replies: each clock-stopping reply − the oldest customer message
	// it answers (still unanswered when it was sent); replies that follow
	// one another with no customer message between answer nothing new and
	// are not listed.
	Replies []Interval `json:"replies"`
	// HandoffWait: the first human reply at or after the first handoff −
	// that handoff.
	HandoffWait *Interval `json:"handoff_wait"`
	// Handle: the first closing at or after the first customer message −
	// that message.
	Handle *Interval `json:"handle"`
	// Confirmation: the first confirmation at or after the first booking
	// − that booking.
	Confirmation *Interval `json:"confirmation"`
	// Waiting is the time of the oldest customer message that no reply
	// has answered yet; zero when every message is answered.
	Waiting time.Time `json:"waiting,omitzero"`
	// Greetings counts replies sent before the first customer message:
	// they answer nothing and are no reply time.
	Greetings int `json:"greetings"`
}

// Measure returns the reply intervals of one conversation under policy,
// with business durations on clock (nil for calendar time). Events at the
// same instant are taken in the order [Summarize] uses; times keep the
// location of the events.
func Measure(c onemin.Conversation, policy ReplyPolicy, clock Clock) Times {
	evs := make([]*onemin.Event, 0, len(c.Events))
	for i := range c.Events {
		if instantFits(c.Events[i].At) {
			evs = append(evs, &c.Events[i])
		}
	}
	slices.SortStableFunc(evs, func(a, b *onemin.Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(tieRank(a.Kind), tieRank(b.Kind)))
	})
	st := newConvState()
	var spans []replySpan
	when := map[int64]time.Time{} // keeps each instant's location
	for _, e := range evs {
		at := e.At.UnixNano()
		if _, ok := when[at]; !ok {
			when[at] = e.At
		}
		st.observe(e, at, policy, &spans)
	}
	interval := func(from, to int64) Interval {
		a, b := when[from], when[to]
		return Interval{Start: a, End: b, Calendar: b.Sub(a), Business: measureOn(clock, a, b)}
	}
	optional := func(from, to int64) *Interval {
		if from == noInstant || to == noInstant {
			return nil
		}
		iv := interval(from, to)
		return &iv
	}
	t := Times{Conversation: c.Key, Channel: st.channel, Source: st.source, Agent: st.handler(),
		Greetings: int(st.greetings)}
	t.FirstReply = optional(st.step(FirstReply))
	t.BotReply = optional(st.step(BotReply))
	t.HandoffWait = optional(st.step(HandoffReply))
	t.Confirmation = optional(st.step(Confirmation))
	t.Handle = optional(st.step(Closing))
	for _, s := range spans {
		t.Replies = append(t.Replies, interval(s.start, s.stop))
	}
	if st.waiting != noInstant {
		t.Waiting = when[st.waiting]
	}
	return t
}
