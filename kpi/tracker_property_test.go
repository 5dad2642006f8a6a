package kpi

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

// genLiveEvents draws a few hours of events of up to a dozen leads, with
// ties in time, several tenants, bookings that name only a contact, and a
// payment the tracker ignores.
func genLiveEvents(t *rapid.T) []onemin.Event {
	base := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC) // a Monday
	channels := []string{"whatsapp", "email", "web", ""}
	n := rapid.IntRange(0, 60).Draw(t, "events")
	events := make([]onemin.Event, 0, n)
	for i := range n {
		e := onemin.Event{
			Tenant:         rapid.SampledFrom([]string{"", "", "salon"}).Draw(t, fmt.Sprint("tenant", i)),
			ConversationID: fmt.Sprint("c", rapid.IntRange(0, 11).Draw(t, fmt.Sprint("conv", i))),
			Channel:        rapid.SampledFrom(channels).Draw(t, fmt.Sprint("channel", i)),
			Agent:          rapid.SampledFrom([]string{"", "anna", "bot"}).Draw(t, fmt.Sprint("agent", i)),
			Source:         rapid.SampledFrom([]string{"", "ads"}).Draw(t, fmt.Sprint("source", i)),
			// Whole seconds over ten hours, so that ties happen and
			// leads cross the end of a business day.
			At: base.Add(time.Duration(rapid.IntRange(0, 36_000).Draw(t, fmt.Sprint("at", i))) * time.Second),
		}
		switch rapid.IntRange(0, 9).Draw(t, fmt.Sprint("kind", i)) {
		case 0, 1, 2:
			e.Kind, e.Actor = onemin.MessageIn, onemin.Customer
		case 3, 4, 5:
			e.Kind = onemin.MessageOut
			e.Actor = rapid.SampledFrom([]onemin.Actor{onemin.Bot, onemin.Human, onemin.Automation}).Draw(t, fmt.Sprint("actor", i))
		case 6:
			e.Kind = onemin.Handoff
		case 7:
			e.Kind = onemin.Closed
		case 8:
			e.Kind = rapid.SampledFrom([]onemin.Kind{onemin.Booking, onemin.Confirmed}).Draw(t, fmt.Sprint("booking", i))
			if rapid.Bool().Draw(t, fmt.Sprint("contactOnly", i)) {
				e.ConversationID, e.ContactID = "", fmt.Sprint("p", i%3)
			}
		case 9:
			// Kinds that move no clock; naming the conversation, they
			// lend it their labels.
			e.Kind = rapid.SampledFrom([]onemin.Kind{onemin.Touch, onemin.Lead, onemin.DealWon}).Draw(t, fmt.Sprint("other", i))
		}
		events = append(events, e)
	}
	return events
}

// inTimeOrder returns events sorted as Summarize takes each
// conversation's: by time, then kind rank.
func inTimeOrder(events []onemin.Event) []onemin.Event {
	s := slices.Clone(events)
	slices.SortStableFunc(s, func(a, b onemin.Event) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(tieRank(a.Kind), tieRank(b.Kind)))
	})
	return s
}

// fataler is what the checks need of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatalf(format string, args ...any)
}

// agree checks that a tracker's summary has a batch summary's counts,
// rate, status, target and mean exactly, and its percentiles within the
// relative error alpha.
func agree(t fataler, what string, batch, live Summary, alpha float64) {
	t.Helper()
	if batch.Counts != live.Counts || batch.Rate != live.Rate || batch.Status != live.Status ||
		batch.Target != live.Target || batch.Mean != live.Mean {
		t.Fatalf("%s: tracker summary %+v, Summarize %+v", what, live, batch)
	}
	for _, p := range []struct {
		name       string
		want, have NullFloat
	}{{"median", batch.Median, live.Median}, {"P90", batch.P90, live.P90}, {"P99", batch.P99, live.P99}} {
		if p.want.Valid != p.have.Valid || math.Abs(p.have.Value-p.want.Value) > alpha*math.Abs(p.want.Value)+1e-9 {
			t.Fatalf("%s: %s %v, Summarize %v (relative error allowed %v)", what, p.name, p.have, p.want, alpha)
		}
	}
}

// agreeReports checks a tracker's report against Summarize's.
func agreeReports(t fataler, batch, live Report, alpha float64) {
	t.Helper()
	if !batch.AsOf.Equal(live.AsOf) || batch.Events != live.Events || batch.Greetings != live.Greetings ||
		batch.Unlinked != live.Unlinked {
		t.Fatalf("report header: tracker as of %v, %d events, %d greetings, %d unlinked; Summarize %v, %d, %d, %d",
			live.AsOf, live.Events, live.Greetings, live.Unlinked, batch.AsOf, batch.Events, batch.Greetings, batch.Unlinked)
	}
	agree(t, "total", batch.Summary, live.Summary, alpha)
	if len(batch.Groups) != len(live.Groups) {
		t.Fatalf("%d breakdowns, Summarize %d", len(live.Groups), len(batch.Groups))
	}
	for i, b := range batch.Groups {
		l := live.Groups[i]
		if len(b.Groups) != len(l.Groups) {
			t.Fatalf("%v: groups %v, Summarize %v", b.Dimension, l.Groups, b.Groups)
		}
		for j := range b.Groups {
			if b.Groups[j].Key != l.Groups[j].Key {
				t.Fatalf("%v: group %q, Summarize %q", b.Dimension, l.Groups[j].Key, b.Groups[j].Key)
			}
			agree(t, fmt.Sprintf("%v %q", b.Dimension, b.Groups[j].Key), b.Groups[j].Summary, l.Groups[j].Summary, alpha)
		}
	}
}

func officeCalendar(t testing.TB) *Calendar {
	week, err := ParseSchedule("mon-fri 09:00-13:00, 14:00-17:00")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := NewCalendar(time.UTC, week)
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestTrackerAgreesWithSummarize replays random logs through a tracker,
// delivered in time order or shuffled within the lateness, and checks its
// report against Summarize over the same events: before any conversation
// is closed out, and after all of them are.
func TestTrackerAgreesWithSummarize(t *testing.T) {
	cal := officeCalendar(t)
	sla := SLA{Default: 2 * time.Minute, Targets: map[Scope]time.Duration{{FirstReply, "email"}: 15 * time.Minute,
		{Closing, ""}: time.Hour}}
	rapid.Check(t, func(t *rapid.T) {
		events := genLiveEvents(t)
		var clock Clock
		if rapid.Bool().Draw(t, "businessHours") {
			clock = cal
		}
		shuffled := rapid.Bool().Draw(t, "shuffled")
		var lateness time.Duration
		delivered := inTimeOrder(events)
		if shuffled {
			lateness = 11 * time.Hour // more than the span of the log
			delivered = rapid.Permutation(events).Draw(t, "delivery")
		}
		opts := TrackerOptions{
			Step:     rapid.SampledFrom(Steps()).Draw(t, "step"),
			Policy:   rapid.SampledFrom([]ReplyPolicy{AnyReply, HumanReply}).Draw(t, "policy"),
			Method:   rapid.SampledFrom([]Method{Linear, NearestRank}).Draw(t, "method"),
			SLA:      sla,
			Clock:    clock,
			GroupBy:  Dimensions(),
			Lateness: lateness,
			Shards:   rapid.SampledFrom([]int{1, 4}).Draw(t, "shards"),
		}
		tr, err := NewTracker(opts)
		if err != nil {
			t.Fatal(err)
		}
		// Summarize breaks ties of time and kind by position, the
		// tracker by arrival: the log it is compared with is the events
		// in the order they were delivered.
		events = delivered
		for len(delivered) > 0 {
			k := rapid.IntRange(1, len(delivered)).Draw(t, "delivery size")
			if err := tr.Add(context.Background(), delivered[:k]...); err != nil {
				t.Fatal(err)
			}
			delivered = delivered[k:]
		}
		batchOpts := Options{Step: opts.Step, Policy: opts.Policy, Method: opts.Method, SLA: sla, Clock: clock,
			GroupBy: opts.GroupBy}
		if len(events) > 0 {
			latest := slices.MaxFunc(events, func(a, b onemin.Event) int { return a.At.Compare(b.At) }).At
			tr.AdvanceTo(latest.Add(lateness)) // every held event is applied
		}
		alpha := tr.newAccumulator().RelativeError()
		agreeReports(t, Summarize(events, batchOpts), tr.Report(), alpha)
		if len(events) == 0 {
			return
		}
		// Close every conversation out: the summaries of their days
		// take them over, judged as of that time.
		tr.AdvanceTo(tr.Report().AsOf.Add(lateness + DefaultIdleAfter))
		if open := tr.Stats().Open; open != 0 {
			t.Fatalf("%d conversations still open after their idle age", open)
		}
		live := tr.Report()
		batchOpts.AsOf = live.AsOf
		agreeReports(t, Summarize(events, batchOpts), live, alpha)
	})
}
