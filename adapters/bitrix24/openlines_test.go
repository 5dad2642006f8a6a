package bitrix24

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

func msk(h, m, s int) time.Time {
	return time.Date(2025, 1, 9, h, m, s, 0, time.FixedZone("", 3*3600))
}

func TestSessionFixtures(t *testing.T) {
	var raws []json.RawMessage
	if err := json.Unmarshal([]byte(fixture(t, "sessions.json")), &raws); err != nil {
		t.Fatal(err)
	}
	type row struct {
		Kind  onemin.Kind
		Actor onemin.Actor
		At    time.Time
	}
	tests := []struct {
		reason      string
		wantFirst   time.Duration // first reply, by hand: answer − dateCreate
		wantRows    []row
		wantContact string
		wantChannel string
	}{
		{"bot answers in 4 s, operator at 3:30 after a handoff", 4 * time.Second, []row{
			{onemin.MessageIn, onemin.Customer, msk(10, 0, 0)},
			{onemin.MessageOut, onemin.Bot, msk(10, 0, 4)},
			{onemin.Handoff, onemin.ActorNone, msk(10, 1, 0)},
			{onemin.MessageOut, onemin.Human, msk(10, 3, 30)},
			{onemin.Closed, onemin.ActorNone, msk(10, 20, 0)},
		}, "contact:88", "telegram"},
		{"operator answers first in 45 s (camel-case record)", 45 * time.Second, []row{
			{onemin.MessageIn, onemin.Customer, msk(11, 0, 0)},
			{onemin.MessageOut, onemin.Human, msk(11, 0, 45)},
		}, "livechat|2|5|17", "web"},
		{"unanswered", -1, []row{
			{onemin.MessageIn, onemin.Customer, msk(23, 50, 0)},
		}, "wa|79270000000", "whatsapp"},
	}
	if len(raws) != len(tests) {
		t.Fatalf("%d fixtures for %d cases", len(raws), len(tests))
	}
	for i, tt := range tests {
		s, err := DecodeSession(raws[i])
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		events, err := SessionEvents(s)
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		var rows []row
		for _, e := range events {
			rows = append(rows, row{e.Kind, e.Actor, e.At})
			if err := e.Validate(); err != nil {
				t.Errorf("%s: invalid event %+v: %v", tt.reason, e, err)
			}
			if e.ContactID != tt.wantContact || e.Channel != tt.wantChannel {
				t.Errorf("%s: contact %q channel %q", tt.reason, e.ContactID, e.Channel)
			}
		}
		if d := cmp.Diff(tt.wantRows, rows, cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); d != "" {
			t.Errorf("%s: events (-want +got):\n%s", tt.reason, d)
		}
		if got := firstReply(events); got != tt.wantFirst {
			t.Errorf("%s: first reply %v, want %v", tt.reason, got, tt.wantFirst)
		}
	}
}

// firstReply is the first message_out by a bot or a human minus the first
// message_in, or −1 when there is none.
func firstReply(events []onemin.Event) time.Duration {
	var in time.Time
	for _, e := range events {
		switch {
		case e.Kind == onemin.MessageIn && in.IsZero():
			in = e.At
		case e.Kind == onemin.MessageOut && !in.IsZero() && (e.Actor == onemin.Bot || e.Actor == onemin.Human):
			return e.At.Sub(in)
		}
	}
	return -1
}

func TestSessionEventsRejects(t *testing.T) {
	tests := []struct {
		reason string
		s      Session
		want   error
	}{
		{"no dateCreate", Session{ID: 1}, onemin.ErrMissing},
		{"answer before the message", Session{ID: 1, Created: msk(10, 0, 0), FirstAnswer: msk(9, 59, 0)}, onemin.ErrInvalid},
		{"closed before the message", Session{ID: 1, Created: msk(10, 0, 0), Closed: msk(9, 0, 0)}, onemin.ErrInvalid},
	}
	for _, tt := range tests {
		_, err := SessionEvents(tt.s)
		var ve *onemin.ValidationError
		if !errors.As(err, &ve) || !errors.Is(err, tt.want) {
			t.Errorf("%s: err %v, want a ValidationError wrapping %v", tt.reason, err, tt.want)
		}
	}
}

func TestDecodeSessionRejects(t *testing.T) {
	for _, in := range []string{`[]`, `{"id": 0, "dateCreate": "2025-01-09T10:00:00+03:00"}`, `{"id": 5}`,
		`{"id": 5, "dateCreate": "09.01.2025 10:00"}`, `{"id": {"x":1}, "dateCreate": "2025-01-09T10:00:00+03:00"}`} {
		if _, err := DecodeSession([]byte(in)); err == nil {
			t.Errorf("DecodeSession(%s) accepted", in)
		}
	}
}

// TestSessionEventsProperties: whatever the times, the events are valid,
// in time order, start with the customer's message, and the first reply
// equals the earliest answer (bot or operator) minus dateCreate.
func TestSessionEventsProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		created := msk(10, 0, 0)
		opt := func(name string) time.Time {
			if !rapid.Bool().Draw(t, name+"Set") {
				return time.Time{}
			}
			return created.Add(time.Duration(rapid.IntRange(0, 7200).Draw(t, name)) * time.Second)
		}
		s := Session{ID: 7, Created: created, FirstAnswer: opt("first"), Operator: opt("operator"),
			OperatorAnswer: opt("operatorAnswer"), Closed: opt("closed")}
		events, err := SessionEvents(s)
		if err != nil {
			t.Fatal(err)
		}
		if events[0].Kind != onemin.MessageIn {
			t.Fatalf("first event %v", events[0].Kind)
		}
		for i, e := range events {
			if err := e.Validate(); err != nil {
				t.Fatalf("event %d: %v", i, err)
			}
			if i > 0 && e.At.Before(events[i-1].At) {
				t.Fatalf("events out of order: %v", events)
			}
		}
		want := time.Duration(-1)
		for _, a := range []time.Time{s.FirstAnswer, s.OperatorAnswer} {
			if !a.IsZero() && (want < 0 || a.Sub(created) < want) {
				want = a.Sub(created)
			}
		}
		if got := firstReply(events); got != want {
			t.Fatalf("first reply %v, want %v (session %+v)", got, want, s)
		}
	})
}
