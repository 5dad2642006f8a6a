package kpi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

func TestTrackerLateEvents(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	in := func(at time.Duration) onemin.Event {
		return liveMsg("a", onemin.MessageIn, onemin.Customer, t0.Add(at))
	}
	out := func(at time.Duration) onemin.Event { return liveMsg("a", onemin.MessageOut, onemin.Bot, t0.Add(at)) }
	type delivery struct {
		events  []onemin.Event
		advance time.Duration // AdvanceTo(t0 + advance) after the delivery, when not zero
		late    int           // events the delivery's error names as too late
	}
	tests := []struct {
		reason     string
		lateness   time.Duration
		deliveries []delivery
		want       Counts
		median     NullFloat
		stats      TrackerStats
	}{
		{
			reason:     "in order, no lateness",
			deliveries: []delivery{{events: []onemin.Event{in(0), out(20 * time.Second)}}},
			want:       Counts{Leads: 1, Answered: 1, Met: 1},
			median:     Some(20),
			stats:      TrackerStats{Applied: 2, Open: 1},
		},
		{
			reason:     "without lateness, a message that comes after the reply to it is too late",
			deliveries: []delivery{{events: []onemin.Event{in(10 * time.Second), out(20 * time.Second)}}, {events: []onemin.Event{in(0)}, late: 1}},
			want:       Counts{Leads: 1, Answered: 1, Met: 1},
			median:     Some(10),
			stats:      TrackerStats{Applied: 2, TooLate: 1, Open: 1},
		},
		{
			reason:   "within the lateness, it is placed before the reply",
			lateness: time.Minute,
			deliveries: []delivery{{events: []onemin.Event{in(10 * time.Second), out(20 * time.Second)}},
				{events: []onemin.Event{in(0)}, advance: 2 * time.Minute}},
			want:   Counts{Leads: 1, Answered: 1, Met: 1},
			median: Some(20),
			stats:  TrackerStats{Applied: 3, Open: 1},
		},
		{
			reason:   "beyond the lateness, it is too late",
			lateness: time.Minute,
			deliveries: []delivery{{events: []onemin.Event{in(10 * time.Second), out(20 * time.Second)}, advance: 2 * time.Minute},
				{events: []onemin.Event{in(0)}, late: 1}},
			want:   Counts{Leads: 1, Answered: 1, Met: 1},
			median: Some(10),
			stats:  TrackerStats{Applied: 2, TooLate: 1, Open: 1},
		},
		{
			reason:   "beyond the lateness but in order for its conversation, it is applied",
			lateness: time.Minute,
			deliveries: []delivery{{events: []onemin.Event{in(0)}, advance: 10 * time.Minute},
				{events: []onemin.Event{out(30 * time.Second)}}},
			want:   Counts{Leads: 1, Answered: 1, Met: 1},
			median: Some(30),
			stats:  TrackerStats{Applied: 2, Open: 1, Notices: 1}, // the breach went out before the reply came
		},
		{
			reason:     "events held back are not in the report yet",
			lateness:   time.Minute,
			deliveries: []delivery{{events: []onemin.Event{in(0), out(20 * time.Second)}}},
			want:       Counts{},
			stats:      TrackerStats{Held: 2},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			tr, err := NewTracker(TrackerOptions{Lateness: tt.lateness, AtRisk: -1})
			if err != nil {
				t.Fatal(err)
			}
			for i, d := range tt.deliveries {
				err := tr.Add(context.Background(), d.events...)
				var ve *onemin.ValidationError
				switch {
				case d.late == 0 && err != nil:
					t.Fatalf("delivery %d: %v", i, err)
				case d.late > 0 && (!errors.Is(err, ErrTooLate) || !errors.As(err, &ve) || ve.Field != "at" || ve.Line != 1):
					t.Fatalf("delivery %d: error %v, want a ValidationError of line 1, field at, wrapping ErrTooLate", i, err)
				}
				if d.advance != 0 {
					tr.AdvanceTo(t0.Add(d.advance))
				}
			}
			s := tr.Report().Summary
			if diff := cmp.Diff(tt.want, s.Counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if s.Median != tt.median {
				t.Errorf("median %v, want %v", s.Median, tt.median)
			}
			if diff := cmp.Diff(tt.stats, tr.Stats()); diff != "" {
				t.Errorf("stats (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTrackerIdleCloseOut(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	tr, err := NewTracker(TrackerOptions{IdleAfter: 10 * time.Minute, AtRisk: -1, GroupBy: []Dimension{ByDay}})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := tr.Add(ctx, liveMsg("a", onemin.MessageIn, onemin.Customer, t0),
		liveMsg("b", onemin.MessageIn, onemin.Customer, t0),
		liveMsg("b", onemin.MessageOut, onemin.Human, t0.Add(90*time.Second))); err != nil {
		t.Fatal(err)
	}
	tr.AdvanceTo(t0.Add(10*time.Minute - 1))
	if got := tr.Stats(); got.Open != 2 || got.Closed != 0 {
		t.Fatalf("before the idle age: %+v", got)
	}
	before := tr.Report()
	tr.AdvanceTo(t0.Add(12 * time.Minute))
	got := tr.Stats()
	if got.Open != 0 || got.Closed != 2 || got.ClosedUnanswered != 1 {
		t.Errorf("after the idle age: %+v, want 0 open, 2 closed, 1 of them unanswered", got)
	}
	after := tr.Report()
	want := Counts{Leads: 2, Answered: 1, Unanswered: 1, Breached: 2}
	if diff := cmp.Diff(want, after.Summary.Counts); diff != "" {
		t.Errorf("closed-out leads (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before.Summary.Counts, after.Summary.Counts); diff != "" {
		t.Errorf("closing out changed the counts (-open +closed):\n%s", diff)
	}
	if day := tr.DayReport(t0); day.Summary.Leads != 2 {
		t.Errorf("DayReport(%v) has %d leads, want 2", t0, day.Summary.Leads)
	}
	if day := tr.DayReport(t0.Add(24 * time.Hour)); day.Summary.Leads != 0 {
		t.Errorf("the next day has %d leads, want 0", day.Summary.Leads)
	}
	if diff := cmp.Diff([]time.Time{time.Date(2026, 11, 2, 0, 0, 0, 0, time.UTC)}, tr.Days()); diff != "" {
		t.Errorf("Days (-want +got):\n%s", diff)
	}
	if n := tr.Forget(t0); n != 0 {
		t.Errorf("Forget(the same day) dropped %d days", n)
	}
	if n := tr.Forget(t0.Add(24 * time.Hour)); n != 1 || tr.Report().Summary.Leads != 0 {
		t.Errorf("Forget(the next day) dropped %d days (want 1), %d leads left", n, tr.Report().Summary.Leads)
	}
	// An event after the close-out starts the conversation afresh.
	if err := tr.Add(ctx, liveMsg("a", onemin.MessageIn, onemin.Customer, t0.Add(20*time.Minute))); err != nil {
		t.Fatal(err)
	}
	if s := tr.Report().Summary; s.Leads != 1 || s.Pending != 1 {
		t.Errorf("after a new message: %d leads, %d pending; want 1 and 1", s.Leads, s.Pending)
	}
}

func TestTrackerRejectsInvalidDeliveries(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	tr, err := NewTracker(TrackerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	err = tr.Add(context.Background(), liveMsg("a", onemin.MessageIn, onemin.Customer, t0),
		onemin.Event{ConversationID: "a", Kind: onemin.MessageOut, At: t0}) // no actor
	var ve *onemin.ValidationError
	if !errors.As(err, &ve) || ve.Line != 2 || ve.Field != "actor" || !errors.Is(err, onemin.ErrMissing) {
		t.Fatalf("Add = %v, want a ValidationError of line 2, field actor, wrapping ErrMissing", err)
	}
	if diff := cmp.Diff(TrackerStats{Rejected: 2}, tr.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := tr.Add(ctx, liveMsg("a", onemin.MessageIn, onemin.Customer, t0)); !errors.Is(err, context.Canceled) {
		t.Errorf("Add with a done context = %v", err)
	}
	for _, opts := range []TrackerOptions{{AtRisk: 1}, {Lateness: -1}, {IdleAfter: -1}, {GroupBy: []Dimension{99}},
		{Sketch: SketchOptions{RelativeAccuracy: 0.9}}} {
		if _, err := NewTracker(opts); err == nil {
			t.Errorf("NewTracker(%+v) accepted it", opts)
		}
	}
}
