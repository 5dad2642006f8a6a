package kpi

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// labelEvents are four conversations whose labels come, in part, from
// events that move no clock. Worked by hand, with the 60 s default target
// and as of t0 + 1 h:
//
//	a: channel and source only on its lead event (at the first message's
//	   instant, after it in rank); the bot answers in 30 s: met, instagram,
//	   vk, agent bot.
//	b: no label until a payment 10 min in; a human (oleg) answers in
//	   120 s: breached, telegram, google, agent oleg.
//	c: a lead and a won deal but no customer message: no lead at all.
//	d: the customer message names whatsapp, a lead at the same instant
//	   names instagram and ads: the message ranks first, so whatsapp, and
//	   the source ads from the lead; unanswered for an hour: breached, and
//	   the agent is the one a later touch names, irina.
//
// A touch naming only a contact lends nothing and counts nowhere.
func labelEvents(t0 time.Time) []onemin.Event {
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	return []onemin.Event{
		{Kind: onemin.Lead, ConversationID: "a", At: at(0), Channel: "instagram", Source: "vk"},
		{Kind: onemin.MessageIn, Actor: onemin.Customer, ConversationID: "a", At: at(0)},
		{Kind: onemin.MessageOut, Actor: onemin.Bot, ConversationID: "a", At: at(30 * time.Second), Agent: "bot"},
		{Kind: onemin.MessageIn, Actor: onemin.Customer, ConversationID: "b", At: at(0)},
		{Kind: onemin.MessageOut, Actor: onemin.Human, ConversationID: "b", At: at(2 * time.Minute), Agent: "oleg"},
		{Kind: onemin.Payment, ConversationID: "b", At: at(10 * time.Minute), Channel: "telegram", Source: "google",
			Amount: decimal.RequireFromString("4500.00"), Currency: "RUB"},
		{Kind: onemin.Lead, ConversationID: "c", At: at(time.Minute), Channel: "web", Source: "seo"},
		{Kind: onemin.DealWon, ConversationID: "c", At: at(5 * time.Minute), Agent: "anna"},
		{Kind: onemin.MessageIn, Actor: onemin.Customer, ConversationID: "d", At: at(0), Channel: "whatsapp"},
		{Kind: onemin.Lead, ConversationID: "d", At: at(0), Channel: "instagram", Source: "ads"},
		{Kind: onemin.Touch, ConversationID: "d", At: at(20 * time.Minute), Agent: "irina"},
		{Kind: onemin.Touch, ContactID: "p1", At: at(0), Channel: "phone"},
	}
}

// labelsOf is what the hand-worked case checks of a lead.
type labelsOf struct {
	Conversation, Channel, Source, Agent string
	Outcome                              Outcome
	Seconds                              float64
}

func TestSummarizeLabelsFromEveryEvent(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	events := labelEvents(t0)
	opts := Options{AsOf: t0.Add(time.Hour), KeepLeads: true, GroupBy: []Dimension{ByChannel, BySource, ByAgent}}
	want := []labelsOf{
		{"a", "instagram", "vk", "bot", Met, 30},
		{"b", "telegram", "google", "oleg", Breached, 120},
		{"d", "whatsapp", "ads", "irina", Breached, 0},
	}
	wantGroups := [][]string{{"instagram", "telegram", "whatsapp"}, {"ads", "google", "vk"}, {"bot", "irina", "oleg"}}
	reversed := slices.Clone(events)
	slices.Reverse(reversed)
	for _, tc := range []struct {
		reason string
		events []onemin.Event
	}{
		{"as given", events},
		{"reversed, so conversations are replayed in order", reversed},
	} {
		rep := Summarize(tc.events, opts)
		var got []labelsOf
		for _, r := range rep.Leads {
			got = append(got, labelsOf{r.Conversation, r.Channel, r.Source, r.Agent, r.Outcome, r.Calendar.Seconds()})
		}
		slices.SortFunc(got, func(x, y labelsOf) int { return cmp.Compare(x.Conversation, y.Conversation) })
		if diff := gocmp.Diff(want, got); diff != "" {
			t.Errorf("%s: leads (-want +got):\n%s", tc.reason, diff)
		}
		if diff := gocmp.Diff(wantGroups, groupKeys(rep.Groups)); diff != "" {
			t.Errorf("%s: group keys (-want +got):\n%s", tc.reason, diff)
		}
		wantCounts := Counts{Leads: 3, Answered: 2, Unanswered: 1, Met: 1, Breached: 2}
		if diff := gocmp.Diff(wantCounts, rep.Summary.Counts); diff != "" {
			t.Errorf("%s: counts (-want +got):\n%s", tc.reason, diff)
		}
		if rep.Events != len(events) || rep.Unlinked != 0 || rep.Greetings != 0 {
			t.Errorf("%s: events %d, unlinked %d, greetings %d; want %d, 0, 0",
				tc.reason, rep.Events, rep.Unlinked, rep.Greetings, len(events))
		}
	}
}

func TestTrackerLabelsFromEveryEvent(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	for _, lateness := range []time.Duration{0, time.Hour} {
		tr, err := NewTracker(TrackerOptions{Lateness: lateness, AtRisk: -1, Notices: -1,
			GroupBy: []Dimension{ByChannel, BySource, ByAgent}})
		if err != nil {
			t.Fatal(err)
		}
		events := labelEvents(t0)
		if lateness == 0 {
			events = inTimeOrder(events)
		}
		if err := tr.Add(context.Background(), events...); err != nil {
			t.Fatalf("lateness %v: %v", lateness, err)
		}
		tr.AdvanceTo(t0.Add(time.Hour + lateness))
		rep := tr.Report()
		want := [][]string{{"instagram", "telegram", "whatsapp"}, {"ads", "google", "vk"}, {"bot", "irina", "oleg"}}
		if diff := gocmp.Diff(want, groupKeys(rep.Groups)); diff != "" {
			t.Errorf("lateness %v: group keys (-want +got):\n%s", lateness, diff)
		}
		wantCounts := Counts{Leads: 3, Answered: 2, Unanswered: 1, Met: 1, Breached: 2}
		if diff := gocmp.Diff(wantCounts, rep.Summary.Counts); diff != "" {
			t.Errorf("lateness %v: counts (-want +got):\n%s", lateness, diff)
		}
		st := tr.Stats()
		// The contact-only touch is the one event left out; c is held as a
		// conversation (its labels wait for a customer message) but is
		// no lead.
		if st.Ignored != 1 || st.Applied != int64(len(events)-1) || st.Open != 4 {
			t.Errorf("lateness %v: %+v; want 1 ignored, %d applied, 4 open", lateness, st, len(events)-1)
		}
	}
}

// groupKeys lists the keys of each breakdown.
func groupKeys(bs []Breakdown) [][]string {
	var keys [][]string
	for _, b := range bs {
		var k []string
		for _, g := range b.Groups {
			k = append(k, g.Key)
		}
		keys = append(keys, k)
	}
	return keys
}

// firstLabels is the reference for a conversation's labels: the first
// non-empty channel, source and agent over all its events, taken by time,
// then tie rank, then input position.
func firstLabels(events []onemin.Event) map[leadKey][3]string {
	s := inTimeOrder(events)
	out := make(map[leadKey][3]string)
	for _, e := range s {
		if e.ConversationID == "" {
			continue
		}
		k := leadKey{tenant: e.Tenant, conversation: e.ConversationID}
		l := out[k]
		for i, v := range []string{e.Channel, e.Source, e.Agent} {
			if l[i] == "" {
				l[i] = v
			}
		}
		out[k] = l
	}
	return out
}

func TestSummarizeLabelsProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genLiveEvents(t)
		rep := Summarize(events, Options{KeepLeads: true})
		ref := firstLabels(events)
		for _, r := range rep.Leads {
			if r.Conversation == "" {
				continue
			}
			l := ref[leadKey{tenant: r.Tenant, conversation: r.Conversation}]
			if r.Channel != l[0] || r.Source != l[1] || (r.Agent == "" && l[2] != "") {
				t.Fatalf("lead %s/%s: channel %q, source %q, agent %q; first named %q, %q, %q",
					r.Tenant, r.Conversation, r.Channel, r.Source, r.Agent, l[0], l[1], l[2])
			}
		}
		// Without the events that move no clock, the same leads with the
		// same times and outcomes.
		clocked := slices.DeleteFunc(slices.Clone(events), func(e onemin.Event) bool { return !tracked(e.Kind) })
		strip := func(rs []Result) []Result {
			out := make([]Result, len(rs))
			for i, r := range rs {
				r.Channel, r.Source, r.Agent = "", "", ""
				out[i] = r
			}
			return out
		}
		without := Summarize(clocked, Options{KeepLeads: true, AsOf: rep.AsOf})
		if diff := gocmp.Diff(strip(without.Leads), strip(rep.Leads)); diff != "" {
			t.Fatalf("events that move no clock changed a lead (-without +with):\n%s", diff)
		}
		if without.Greetings != rep.Greetings || without.Unlinked != rep.Unlinked {
			t.Fatalf("greetings %d → %d, unlinked %d → %d", without.Greetings, rep.Greetings, without.Unlinked, rep.Unlinked)
		}
	})
}

func ExampleSummarize_labelsFromLeadEvents() {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	events := []onemin.Event{
		{Kind: onemin.MessageIn, Actor: onemin.Customer, ConversationID: "a", At: t0},
		{Kind: onemin.Lead, ConversationID: "a", At: t0, Channel: "instagram", Source: "vk"},
		{Kind: onemin.MessageOut, Actor: onemin.Bot, ConversationID: "a", At: t0.Add(30 * time.Second)},
	}
	rep := Summarize(events, Options{GroupBy: []Dimension{ByChannel}})
	for _, g := range rep.Groups[0].Groups {
		fmt.Printf("%s: %d lead(s), %d met\n", g.Key, g.Summary.Leads, g.Summary.Met)
	}
	// Output:
	// instagram: 1 lead(s), 1 met
}
