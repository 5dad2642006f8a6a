package kpi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// t0 is a Monday, 10:00 UTC.
var t0 = time.Date(2025, 1, 6, 10, 0, 0, 0, time.UTC)

// at returns t0 + sec seconds.
func at(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }

// msg builds an event of conversation conv at t0 + sec.
func msg(conv string, k onemin.Kind, a onemin.Actor, sec int) onemin.Event {
	return onemin.Event{Kind: k, Actor: a, ConversationID: conv, At: at(sec), Channel: "whatsapp"}
}

func in(conv string, sec int) onemin.Event {
	return msg(conv, onemin.MessageIn, onemin.Customer, sec)
}
func bot(conv string, sec int) onemin.Event {
	return msg(conv, onemin.MessageOut, onemin.Bot, sec)
}
func human(conv string, sec int) onemin.Event {
	return msg(conv, onemin.MessageOut, onemin.Human, sec)
}
func auto(conv string, sec int) onemin.Event {
	return msg(conv, onemin.MessageOut, onemin.Automation, sec)
}
func other(conv string, k onemin.Kind, sec int) onemin.Event {
	return msg(conv, k, onemin.ActorNone, sec)
}

// calendarIv is an interval in calendar time (Business = Calendar).
func calendarIv(from, to int) *Interval {
	d := time.Duration(to-from) * time.Second
	return &Interval{Start: at(from), End: at(to), Calendar: d, Business: d}
}

func TestMeasureHandComputed(t *testing.T) {
	tests := []struct {
		reason string
		policy ReplyPolicy
		events []onemin.Event
		want   Times
	}{
		{
			reason: "bot answers in 20 s",
			events: []onemin.Event{in("c", 0), bot("c", 20)},
			want: Times{FirstReply: calendarIv(0, 20), BotReply: calendarIv(0, 20),
				Replies: []Interval{*calendarIv(0, 20)}},
		},
		{
			reason: "an automation reply never stops the clock; the human's at 90 s does",
			events: []onemin.Event{in("c", 0), auto("c", 5), human("c", 90)},
			want:   Times{FirstReply: calendarIv(0, 90), Replies: []Interval{*calendarIv(0, 90)}},
		},
		{
			reason: "human-only policy: the bot's 3 s answer is not the first reply",
			policy: HumanReply,
			events: []onemin.Event{in("c", 0), bot("c", 3), human("c", 45)},
			want: Times{FirstReply: calendarIv(0, 45), BotReply: calendarIv(0, 3),
				Replies: []Interval{*calendarIv(0, 45)}},
		},
		{
			reason: "a greeting before the customer writes is no reply",
			events: []onemin.Event{bot("c", -10), in("c", 0), bot("c", 30)},
			want: Times{FirstReply: calendarIv(0, 30), BotReply: calendarIv(0, 30),
				Replies: []Interval{*calendarIv(0, 30)}, Greetings: 1},
		},
		{
			reason: "each reply is timed from the oldest unanswered message; a second reply answers nothing new",
			events: []onemin.Event{in("c", 0), in("c", 10), human("c", 25), in("c", 40), human("c", 100), human("c", 110)},
			want: Times{FirstReply: calendarIv(0, 25),
				Replies: []Interval{*calendarIv(0, 25), *calendarIv(40, 100)}},
		},
		{
			reason: "handoff wait runs from the handoff to the first human reply, not the bot's",
			events: []onemin.Event{in("c", 0), bot("c", 2), other("c", onemin.Handoff, 30), in("c", 35),
				bot("c", 40), human("c", 200)},
			want: Times{FirstReply: calendarIv(0, 2), BotReply: calendarIv(0, 2),
				Replies:     []Interval{*calendarIv(0, 2), *calendarIv(35, 40)},
				HandoffWait: calendarIv(30, 200)},
		},
		{
			reason: "handle time is the first closing − the first customer message",
			events: []onemin.Event{in("c", 0), human("c", 30), other("c", onemin.Closed, 3600)},
			want: Times{FirstReply: calendarIv(0, 30), Replies: []Interval{*calendarIv(0, 30)},
				Handle: calendarIv(0, 3600)},
		},
		{
			reason: "a reply at the same instant as the message answers it in 0 s, whatever the input order",
			events: []onemin.Event{bot("c", 0), in("c", 0)},
			want: Times{FirstReply: calendarIv(0, 0), BotReply: calendarIv(0, 0),
				Replies: []Interval{*calendarIv(0, 0)}},
		},
		{
			reason: "no reply yet: the conversation is waiting since the first message",
			events: []onemin.Event{in("c", 0), auto("c", 1), in("c", 50)},
			want:   Times{Waiting: at(0)},
		},
		{
			reason: "booking confirmed 20 min later",
			events: []onemin.Event{in("c", 0), bot("c", 1), other("c", onemin.Booking, 60),
				other("c", onemin.Confirmed, 60+1200)},
			want: Times{FirstReply: calendarIv(0, 1), BotReply: calendarIv(0, 1),
				Replies: []Interval{*calendarIv(0, 1)}, Confirmation: calendarIv(60, 1260)},
		},
	}
	for _, tt := range tests {
		c := onemin.Conversations(tt.events)
		if len(c) != 1 {
			t.Fatalf("%s: %d conversations", tt.reason, len(c))
		}
		got := Measure(c[0], tt.policy, nil)
		tt.want.Conversation = onemin.ConversationKey{ID: "c"}
		tt.want.Channel = "whatsapp"
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}

// officeHours is open Monday to Friday 09:00–18:00 UTC.
func officeHours(t *testing.T) *Calendar {
	t.Helper()
	c, err := NewCalendar(time.UTC, MustParseSchedule("mon-fri 09:00-18:00"))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestMeasureBusinessHours(t *testing.T) {
	// A message on Friday 17:58, answered on Monday 09:03: 3 days 15 h 5 min
	// of calendar time, 2 + 3 = 5 min of business time.
	fri := time.Date(2025, 1, 10, 17, 58, 0, 0, time.UTC)
	mon := time.Date(2025, 1, 13, 9, 3, 0, 0, time.UTC)
	events := []onemin.Event{
		{Kind: onemin.MessageIn, Actor: onemin.Customer, ConversationID: "c", At: fri},
		{Kind: onemin.MessageOut, Actor: onemin.Human, ConversationID: "c", At: mon},
	}
	got := Measure(onemin.Conversations(events)[0], AnyReply, officeHours(t))
	want := &Interval{Start: fri, End: mon, Calendar: mon.Sub(fri), Business: 5 * time.Minute}
	if diff := cmp.Diff(want, got.FirstReply); diff != "" {
		t.Errorf("first reply (-want +got):\n%s", diff)
	}
}

func TestIntervalJSON(t *testing.T) {
	b, err := json.Marshal(calendarIv(0, 90))
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"start":"2025-01-06T10:00:00Z","end":"2025-01-06T10:01:30Z","calendar_seconds":90,"business_seconds":90}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
