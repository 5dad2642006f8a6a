package kpi

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// noticeSeen is what a test checks of a notice.
type noticeSeen struct {
	Kind    NoticeKind
	Conv    string
	Due     time.Time
	Elapsed time.Duration
}

func drain(tr *Tracker) []noticeSeen {
	var out []noticeSeen
	for {
		select {
		case n := <-tr.Notices():
			out = append(out, noticeSeen{n.Kind, n.Conversation, n.Due, n.Elapsed})
		default:
			return out
		}
	}
}

func liveMsg(conv string, k onemin.Kind, a onemin.Actor, at time.Time) onemin.Event {
	return onemin.Event{ConversationID: conv, Kind: k, Actor: a, At: at, Channel: "whatsapp"}
}

// neverOpen is a clock whose business hours never come again.
type neverOpen struct{}

func (neverOpen) Between(from, to time.Time) time.Duration      { return 0 }
func (neverOpen) Add(from time.Time, d time.Duration) time.Time { return time.Time{} }

func TestTrackerNotices(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC) // a Monday
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	week, err := ParseSchedule("mon-fri 09:00-18:00")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := NewCalendar(moscow, week)
	if err != nil {
		t.Fatal(err)
	}
	evening := time.Date(2026, 11, 2, 17, 59, 30, 0, moscow) // 30 s before closing
	tuesday := func(h, m, s int) time.Time { return time.Date(2026, 11, 3, h, m, s, 0, moscow) }
	type step struct {
		events []onemin.Event
		to     time.Time
		want   []noticeSeen
	}
	tests := []struct {
		reason string
		clock  Clock
		steps  []step
	}{
		{
			reason: "at risk at 45 s of a 60 s target, breach once the 60 s have passed",
			steps: []step{
				{events: []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, t0)}, to: t0.Add(44 * time.Second)},
				{to: t0.Add(45 * time.Second), want: []noticeSeen{{AtRisk, "a", t0.Add(45 * time.Second), 45 * time.Second}}},
				{to: t0.Add(59 * time.Second)},
				{to: t0.Add(60 * time.Second)}, // a reply now would still meet the target
				{to: t0.Add(60*time.Second + 1), want: []noticeSeen{{Breach, "a", t0.Add(60 * time.Second), 60*time.Second + 1}}},
				{to: t0.Add(time.Hour)}, // each notice once
			},
		},
		{
			reason: "a reply before the at-risk instant cancels both notices",
			steps: []step{
				{events: []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, t0),
					liveMsg("a", onemin.MessageOut, onemin.Bot, t0.Add(30*time.Second))}, to: t0.Add(30 * time.Second)},
				{to: t0.Add(time.Hour)},
			},
		},
		{
			reason: "a reply after the at-risk notice cancels the breach",
			steps: []step{
				{events: []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, t0)}, to: t0.Add(50 * time.Second),
					want: []noticeSeen{{AtRisk, "a", t0.Add(45 * time.Second), 50 * time.Second}}},
				{events: []onemin.Event{liveMsg("a", onemin.MessageOut, onemin.Human, t0.Add(55*time.Second))}, to: t0.Add(time.Hour)},
			},
		},
		{
			reason: "an automation does not stop the clock",
			steps: []step{
				{events: []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, t0),
					liveMsg("a", onemin.MessageOut, onemin.Automation, t0.Add(time.Second))}, to: t0.Add(61 * time.Second),
					want: []noticeSeen{{Breach, "a", t0.Add(60 * time.Second), 61 * time.Second}}},
			},
		},
		{
			reason: "business hours move the deadline across the closed night",
			clock:  cal,
			steps: []step{
				{events: []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, evening)}, to: evening.Add(15 * time.Hour)},
				{to: tuesday(9, 0, 14)},
				{to: tuesday(9, 0, 15), want: []noticeSeen{{AtRisk, "a", tuesday(9, 0, 15), 45 * time.Second}}},
				{to: tuesday(9, 0, 30)},
				{to: tuesday(9, 0, 31), want: []noticeSeen{{Breach, "a", tuesday(9, 0, 30), 61 * time.Second}}},
			},
		},
		{
			reason: "a clock that never opens again sends no notice",
			clock:  neverOpen{},
			steps: []step{
				{events: []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, t0)}, to: t0.Add(23 * time.Hour)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			tr, err := NewTracker(TrackerOptions{Clock: tt.clock, Shards: 2})
			if err != nil {
				t.Fatal(err)
			}
			for i, s := range tt.steps {
				if err := tr.Add(context.Background(), s.events...); err != nil {
					t.Fatal(err)
				}
				tr.AdvanceTo(s.to)
				got := drain(tr)
				for j := range got {
					got[j].Due = got[j].Due.UTC()
				}
				for j := range s.want {
					s.want[j].Due = s.want[j].Due.UTC()
				}
				if diff := cmp.Diff(s.want, got); diff != "" {
					t.Errorf("step %d, AdvanceTo(%s): notices (-want +got):\n%s", i, s.to, diff)
				}
			}
		})
	}
}

// TestNeverOpenClock: with a clock that never opens again the deadline
// never comes, so an unanswered lead stays pending, in batch and live.
func TestNeverOpenClock(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	later := t0.Add(1000 * time.Hour)
	if o, dl := Evaluate(t0, time.Time{}, time.Minute, neverOpen{}, later); o != Pending || !dl.IsZero() {
		t.Errorf("Evaluate = %v, deadline %v; want pending and the zero time", o, dl)
	}
	events := []onemin.Event{liveMsg("a", onemin.MessageIn, onemin.Customer, t0)}
	tr, err := NewTracker(TrackerOptions{Clock: neverOpen{}})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
	tr.AdvanceTo(later)
	want := Counts{Leads: 1, Unanswered: 1, Pending: 1}
	if diff := cmp.Diff(want, tr.Report().Summary.Counts); diff != "" {
		t.Errorf("tracker (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want, Summarize(events, Options{Clock: neverOpen{}, AsOf: later}).Summary.Counts); diff != "" {
		t.Errorf("Summarize (-want +got):\n%s", diff)
	}
}

func TestTrackerNoticesDropWhenFull(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	tr, err := NewTracker(TrackerOptions{Notices: 2, AtRisk: -1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []string{"a", "b", "c", "d", "e"} {
		if err := tr.Add(context.Background(), liveMsg(c, onemin.MessageIn, onemin.Customer, t0)); err != nil {
			t.Fatal(err)
		}
	}
	if got := tr.AdvanceTo(t0.Add(2 * time.Minute)); got != 2 {
		t.Errorf("AdvanceTo sent %d notices, want 2 (the channel holds 2)", got)
	}
	s := tr.Stats()
	if s.Notices != 2 || s.NoticesDropped != 3 {
		t.Errorf("Stats: %d notices sent, %d dropped; want 2 and 3", s.Notices, s.NoticesDropped)
	}
	if got := len(drain(tr)); got != 2 {
		t.Errorf("channel held %d notices, want 2", got)
	}
}
