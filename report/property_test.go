package report

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/roi"
)

// genEvents draws a week of leads, replies, bookings, payments and costs,
// with channel and source names that include markup and odd characters.
func genEvents(t *rapid.T) []onemin.Event {
	start := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	names := rapid.SampledFrom([]string{"whatsapp", "instagram", "web", "", "<b>x</b>", "a|b", "tg & co", `"quoted"`, "канал"})
	sources := rapid.SampledFrom([]string{"", "vk", "yandex", "<script>", "ads|1"})
	n := rapid.IntRange(0, 25).Draw(t, "conversations")
	var raw []onemin.Event
	id := 0
	add := func(e onemin.Event) {
		id++
		e.ID = fmt.Sprintf("e%d", id)
		raw = append(raw, e)
	}
	for i := range n {
		conv, contact := fmt.Sprintf("c%d", i), fmt.Sprintf("p%d", rapid.IntRange(0, n).Draw(t, "contact"))
		at := start.Add(time.Duration(rapid.Int64Range(0, int64(9*24*time.Hour)).Draw(t, "start")))
		ch := names.Draw(t, "channel")
		src := sources.Draw(t, "source")
		add(onemin.Event{Kind: onemin.MessageIn, At: at, ConversationID: conv, ContactID: contact, Channel: ch, Source: src})
		if rapid.Bool().Draw(t, "answered") {
			actor := rapid.SampledFrom([]onemin.Actor{onemin.Bot, onemin.Human, onemin.Automation}).Draw(t, "actor")
			wait := time.Duration(rapid.Int64Range(0, int64(3*time.Hour)).Draw(t, "wait"))
			add(onemin.Event{Kind: onemin.MessageOut, At: at.Add(wait), ConversationID: conv, ContactID: contact, Channel: ch, Actor: actor, Agent: names.Draw(t, "agent")})
		}
		if rapid.Bool().Draw(t, "lead") {
			add(onemin.Event{Kind: onemin.Lead, At: at.Add(time.Minute), ConversationID: conv, ContactID: contact, Source: src})
		}
		if rapid.Bool().Draw(t, "booking") {
			add(onemin.Event{Kind: onemin.Booking, At: at.Add(2 * time.Minute), ConversationID: conv, ContactID: contact, Agent: names.Draw(t, "agent")})
			outcome := rapid.SampledFrom([]onemin.Kind{onemin.Attended, onemin.NoShow, onemin.Cancelled, onemin.Confirmed}).Draw(t, "outcome")
			add(onemin.Event{Kind: outcome, At: at.Add(24 * time.Hour), ContactID: contact})
		}
		if rapid.Bool().Draw(t, "pays") {
			cents := rapid.Int64Range(1, 1_000_000).Draw(t, "cents")
			add(onemin.Event{Kind: onemin.Payment, At: at.Add(time.Duration(rapid.Int64Range(0, int64(72*time.Hour)).Draw(t, "later"))),
				ContactID: contact, Product: rapid.SampledFrom([]string{"", "a", "b"}).Draw(t, "product"),
				Amount: decimal.New(cents, -2), Currency: "RUB"})
		}
	}
	for range rapid.IntRange(0, 4).Draw(t, "costs") {
		add(onemin.Event{Kind: onemin.Cost, At: start.Add(time.Duration(rapid.Int64Range(0, int64(9*24*time.Hour)).Draw(t, "cost at"))),
			Source: sources.Draw(t, "cost source"), Amount: decimal.New(rapid.Int64Range(0, 100000).Draw(t, "spend"), 0), Currency: "RUB"})
	}
	events, _, errs := onemin.Prepare(raw)
	if len(errs) > 0 {
		t.Fatalf("generated events do not validate: %v", errs)
	}
	return events
}

// Every lead of the dashboard is in exactly one channel, one hour, one day
// and one bar of the distribution (or unanswered), and the week's total
// is the sum of its days' digests.
func TestPropertyDashboardPartitionsLeads(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		week := PeriodOf(Week, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), nil)
		asOf := week.To.Add(time.Duration(rapid.Int64Range(0, int64(48*time.Hour)).Draw(t, "after")))
		d, err := NewDashboard(events, week, asOf, Options{})
		if err != nil {
			t.Fatal(err)
		}
		sum := func(groups []int) int {
			s := 0
			for _, g := range groups {
				s += g
			}
			return s
		}
		var ch, hr, dy, bins []int
		for _, g := range d.ByChannel {
			ch = append(ch, g.Summary.Leads)
		}
		for _, g := range d.ByHour {
			hr = append(hr, g.Summary.Leads)
		}
		for _, g := range d.ByDay {
			dy = append(dy, g.Summary.Leads)
		}
		for _, b := range d.Distribution {
			bins = append(bins, b.Leads)
		}
		s := d.Summary
		if sum(ch) != s.Leads || sum(hr) != s.Leads || sum(dy) != s.Leads || sum(bins)+s.Unanswered != s.Leads {
			t.Fatalf("leads %d; channels %d, hours %d, days %d, bins %d + unanswered %d", s.Leads, sum(ch), sum(hr), sum(dy), sum(bins), s.Unanswered)
		}
		if s.Met+s.Breached+s.Pending != s.Leads {
			t.Fatalf("outcomes do not add up: %+v", s.Counts)
		}
		days := 0
		for day := week.From; day.Before(week.To); day = day.AddDate(0, 0, 1) {
			dd, err := NewDailyDigest(events, PeriodOf(Day, day, nil), asOf, Options{})
			if err != nil {
				t.Fatal(err)
			}
			days += dd.Day.Incoming
		}
		if days != s.Leads {
			t.Fatalf("the days' digests count %d leads, the week %d", days, s.Leads)
		}
	})
}

// The marketing report's channels add up to its total, exactly: spend,
// leads and revenue.
func TestPropertyMarketingAddsUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		p := Period{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)}
		r, err := NewMarketingReport(events, p, p.To, Options{Model: rapid.SampledFrom(attribution.Models()).Draw(t, "model")})
		if err != nil {
			t.Fatal(err)
		}
		spend, revenue, leads := decimal.Zero, decimal.Zero, 0
		for _, c := range r.Channels {
			spend = spend.Add(c.Spend.Amount)
			revenue = revenue.Add(c.Revenue.Amount)
			leads += c.Leads
		}
		if !spend.Equal(r.Total.Spend.Amount) || !revenue.Equal(r.Total.Revenue.Amount) || leads != r.Total.Leads {
			t.Fatalf("channels sum to %s spend, %s revenue, %d leads; total %s, %s, %d",
				spend, revenue, leads, r.Total.Spend.Amount, r.Total.Revenue.Amount, r.Total.Leads)
		}
		var paid decimal.Decimal
		for i := range events {
			if events[i].Kind == onemin.Payment && in(p, events[i].At) {
				paid = paid.Add(events[i].Amount)
			}
		}
		if !paid.Equal(r.Total.Revenue.Amount) {
			t.Fatalf("payments of the month %s, attributed revenue %s", paid, r.Total.Revenue.Amount)
		}
	})
}

// The bot's revenue of two adjacent periods adds up to that of their
// union, part by part.
func TestPropertyBotRevenueAdditive(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
		cut := from.Add(time.Duration(rapid.IntRange(1, 13).Draw(t, "cut days")) * 24 * time.Hour)
		to := from.AddDate(0, 0, 14)
		get := func(p Period) roi.Revenue {
			d, err := NewBotDashboard(events, p, to, Options{}, BotCosts{})
			if err != nil {
				t.Fatal(err)
			}
			return d.Current.ROI.Revenue
		}
		a, b, all := get(Period{From: from, To: cut}), get(Period{From: cut, To: to}), get(Period{From: from, To: to})
		for _, part := range []struct {
			name    string
			x, y, z roi.Money
		}{{"direct", a.Direct, b.Direct, all.Direct}, {"upsell", a.Upsell, b.Upsell, all.Upsell},
			{"repeat", a.Repeat, b.Repeat, all.Repeat}, {"refunds", a.Refunds, b.Refunds, all.Refunds}} {
			if !part.x.Amount.Add(part.y.Amount).Equal(part.z.Amount) {
				t.Fatalf("%s: %s + %s ≠ %s", part.name, part.x, part.y, part.z)
			}
		}
	})
}

// Whatever the names in the data, the HTML page stays well-formed and makes
// no request, and the text renderer writes without error. (FuzzRender puts
// arbitrary text in the same places; this draws whole data sets.)
func TestPropertyRenderersAcceptAnyText(t *testing.T) {
	rapid.Check(t, func(tt *rapid.T) {
		events := genEvents(tt)
		opts := Options{Title: rapid.String().Draw(tt, "title")}
		week := PeriodOf(Week, time.Date(2026, 3, 4, 0, 0, 0, 0, time.UTC), nil)
		// One report a case, in turn, keeps the property within seconds
		// under the race detector.
		build := []func() (Report, error){
			func() (Report, error) { return NewDashboard(events, week, week.To, opts) },
			func() (Report, error) { return NewMarketingReport(events, week, week.To, opts) },
			func() (Report, error) { return NewNoShowReport(events, week, week.To, opts) },
		}[rapid.IntRange(0, 2).Draw(tt, "report")]
		r, err := build()
		if err != nil {
			tt.Fatal(err)
		}
		if err := Render(&bytes.Buffer{}, Text, r); err != nil {
			tt.Fatal(err)
		}
		var b bytes.Buffer
		if err := Render(&b, HTML, r); err != nil {
			tt.Fatal(err)
		}
		checkHTML(t, b.Bytes())
	})
}

// A day is in its own period; the period before ends where it starts; the
// last complete period has ended by the as-of time and the next has not.
func TestPropertyPeriods(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("MSK", 3*3600), mustZone(t, "Europe/Berlin"), mustZone(t, "America/New_York")}
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		at := time.Unix(rapid.Int64Range(1e9, 2e9).Draw(t, "unix"), 0).In(loc)
		s := rapid.SampledFrom([]Span{Day, Week, Month}).Draw(t, "span")
		p := PeriodOf(s, at, loc)
		if !in(p, at) {
			t.Fatalf("%v not in %v", at, p)
		}
		if prev := Previous(s, p); !prev.To.Equal(p.From) || PeriodOf(s, prev.From, loc) != prev {
			t.Fatalf("previous of %v is %v", p, prev)
		}
		if r := PreviousRange(p); !r.To.Equal(p.From) || !r.From.Before(r.To) {
			t.Fatalf("previous range of %v is %v", p, r)
		}
		lc := LastComplete(s, at, loc)
		if lc.To.After(at) {
			t.Fatalf("last complete %v ends after %v", lc, at)
		}
		if next := PeriodOf(s, lc.To, loc); !next.To.After(at) {
			t.Fatalf("%v after the last complete %v has ended by %v", next, lc, at)
		}
	})
}

func mustZone(t *testing.T, name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("no zone %s: %v", name, err)
	}
	return loc
}
