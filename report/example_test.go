package report_test

import (
	"fmt"
	"os"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/report"
)

// events is a small day: three leads on Tuesday answered in 4 s, 50 s and
// 2 min, one lead on Monday answered in 20 s, and a payment.
func events() []onemin.Event {
	day := time.Date(2026, 3, 3, 0, 0, 0, 0, time.UTC)
	var raw []onemin.Event
	lead := func(conv string, in time.Time, wait time.Duration, actor onemin.Actor) {
		raw = append(raw,
			onemin.Event{ID: conv + "-in", Kind: onemin.MessageIn, At: in, ConversationID: conv, ContactID: conv, Channel: "whatsapp"},
			onemin.Event{ID: conv + "-out", Kind: onemin.MessageOut, At: in.Add(wait), ConversationID: conv, ContactID: conv, Channel: "whatsapp", Actor: actor})
	}
	lead("a", day.Add(-14*time.Hour), 20*time.Second, onemin.Human)
	lead("b", day.Add(10*time.Hour), 4*time.Second, onemin.Bot)
	lead("c", day.Add(11*time.Hour), 50*time.Second, onemin.Human)
	lead("d", day.Add(15*time.Hour), 2*time.Minute, onemin.Human)
	raw = append(raw, onemin.Event{ID: "p", Kind: onemin.Payment, At: day.Add(16 * time.Hour), ContactID: "b",
		Amount: decimal.RequireFromString("2500"), Currency: "RUB"})
	events, _, _ := onemin.Prepare(raw)
	return events
}

// The daily digest of Tuesday, read on Wednesday morning: two of three
// leads answered within 60 s is 66.7 %, under the 70 % alert.
func ExampleNewDailyDigest() {
	asOf := time.Date(2026, 3, 4, 8, 0, 0, 0, time.UTC)
	day := report.LastComplete(report.Day, asOf, time.UTC)
	d, err := report.NewDailyDigest(events(), day, asOf, report.Options{Title: "Salon"})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Day.Incoming, d.Day.KPI.Median, d.Day.KPI.Rate, d.Day.KPI.Status)
	m := d.Message()
	fmt.Println(m.Subject)
	fmt.Println(m.Text)
	// Output:
	// 3 50 66.66666666666667 red
	// Salon: Leads Tue 2026-03-03
	// ⚠ SLA rate 66.7% is below 70% for Tue 2026-03-03: 2 of 3 leads answered within 1m (1 breached, 0 pending)
	//
	// New leads: 3 (+2 vs 1)
	// Answered: 3 (unanswered 0)
	// Median first reply: 50s (+30s vs 20s)
	// P90: 1m46s
	// SLA rate: 66.7% 🔴 red (−33.3 pp vs 100.0%)
	// Leads captured: 0 (±0 vs 0)
	// Bookings: 0 (±0 vs 0)
	// Deals won: 0 (±0 vs 0)
	// Revenue: 2 500,00 ₽ (vs 0)
}

// The One-Minute dashboard of two days, as text. P90 of 4, 20, 50 and
// 120 s: rank 0.9·3 = 2.7, 50 + 0.7·70 = 99 s.
func ExampleNewDashboard() {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	p := report.Period{From: from, To: from.AddDate(0, 0, 2)}
	d, err := report.NewDashboard(events(), p, p.To, report.Options{})
	if err != nil {
		panic(err)
	}
	s := d.Summary
	fmt.Printf("leads %d, median %vs, P90 %vs, SLA rate %v%% (%v)\n", s.Leads, s.Median, s.P90, s.Rate, s.Status)
	fmt.Println(d.Alert != nil)
	// Output:
	// leads 4, median 35s, P90 99s, SLA rate 75% (yellow)
	// false
}

// Render writes any report in any format; here the Markdown of a week's
// no-show report with no bookings, whose rates are undefined, not zero,
// and with no week before it to compare with.
func ExampleRender() {
	from := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	r, err := report.NewNoShowReport(events(), report.PeriodOf(report.Week, from, nil), from.AddDate(0, 0, 7), report.Options{})
	if err != nil {
		panic(err)
	}
	if err := report.Render(os.Stdout, report.Markdown, r); err != nil {
		panic(err)
	}
	// Output:
	// # Weekly no-shows and confirmations
	//
	// 2026-03-02 – 2026-03-08 · as of 2026-03-09 00:00 (UTC)
	//
	// ## Bookings made this week
	//
	// - Bookings: **0**
	// - Confirmed: **0**
	// - Confirmation rate: **n/a**
	// - Attended: **0**
	// - No-shows: **0**
	// - Cancelled: **0**
	// - No-show rate: **n/a**
	//
	// _No-show rate = no-shows ÷ (attended + no-shows)._
	//
	// _No data for 2026-02-23 – 2026-03-01, the period before: nothing to compare with._
	//
	// ## By employee
	//
	// | employee | bookings | confirmed | confirmation | attended | no-show | cancelled | no-show rate | status |
	// | --- | --: | --: | --: | --: | --: | --: | --: | --- |
	// | total | 0 | 0 | n/a | 0 | 0 | 0 | n/a | n/a |
}

// PeriodOf and LastComplete pick a report's period in the owner's zone.
func ExampleLastComplete() {
	loc := time.FixedZone("MSK", 3*3600)
	asOf := time.Date(2026, 10, 14, 9, 30, 0, 0, loc) // a Wednesday morning
	fmt.Println(report.LastComplete(report.Day, asOf, loc))
	fmt.Println(report.LastComplete(report.Week, asOf, loc))
	fmt.Println(report.LastComplete(report.Month, asOf, loc))
	// Output:
	// 2026-10-13 – 2026-10-14
	// 2026-10-05 – 2026-10-12
	// 2026-09-01 – 2026-10-01
}
