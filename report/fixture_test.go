package report

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/roi"
)

// The fixture is a small salon over the first week of March 2026, in UTC,
// small enough to check every figure by hand (see the comments of the
// tests that use it).
//
//	Mon 03-02  c1 whatsapp  in 10:00:00, bot 10:00:05        5 s  met
//	           c2 whatsapp  in 11:00:00, human 11:02:00     120 s  breached
//	           c3 web       in 12:00:00, automation 12:00:01 (no reply),
//	                        human 12:00:40                   40 s  met
//	Tue 03-03  c4 instagram in 09:00:00, bot 09:00:03         3 s  met
//	                        (writes again at 09:00:30, leaves a lead, is
//	                        handed over, wins a deal and pays 3500 ₽)
//	           c5 instagram in 09:30:00, bot 09:30:10        10 s  met
//	           c6 whatsapp  in 14:00:00, human 14:05:00     300 s  breached
//	           c7 web       in 20:00:00, no reply                  breached at 03-04 00:00
//	           c8 telegram  in 23:59:30, no reply                  pending at 03-04 00:00
var (
	mon = time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tue = mon.AddDate(0, 0, 1)
	wed = mon.AddDate(0, 0, 2)
)

func at(day time.Time, clock string) time.Time {
	var h, m, s int
	if _, err := fmt.Sscanf(clock, "%d:%d:%d", &h, &m, &s); err != nil {
		panic(err)
	}
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
}

func rub(s string) roi.Money { return roi.New(decimal.RequireFromString(s), "RUB") }

func fixtureEvents(t testing.TB) []onemin.Event {
	t.Helper()
	var raw []onemin.Event
	add := func(e onemin.Event) {
		e.ID = fmt.Sprintf("e%03d", len(raw)+1)
		raw = append(raw, e)
	}
	msgIn := func(conv, contact, channel, source string, when time.Time) {
		add(onemin.Event{Kind: onemin.MessageIn, At: when, ConversationID: conv, ContactID: contact, Channel: channel,
			Actor: onemin.Customer, Source: source})
	}
	reply := func(conv, contact, channel string, actor onemin.Actor, agent string, when time.Time) {
		add(onemin.Event{Kind: onemin.MessageOut, At: when, ConversationID: conv, ContactID: contact, Channel: channel,
			Actor: actor, Agent: agent})
	}
	of := func(kind onemin.Kind, conv, contact, agent, source string, when time.Time) {
		add(onemin.Event{Kind: kind, At: when, ConversationID: conv, ContactID: contact, Agent: agent, Source: source})
	}
	add(onemin.Event{Kind: onemin.Cost, At: at(mon.AddDate(0, 0, -1), "09:00:00"), Source: "instagram", Amount: decimal.RequireFromString("6000"), Currency: "RUB"})
	add(onemin.Event{Kind: onemin.Cost, At: at(mon.AddDate(0, 0, -1), "09:00:00"), Source: "yandex", Amount: decimal.RequireFromString("3000"), Currency: "RUB"})

	msgIn("c1", "p1", "whatsapp", "yandex", at(mon, "10:00:00"))
	reply("c1", "p1", "whatsapp", onemin.Bot, "bot", at(mon, "10:00:05"))
	of(onemin.Lead, "c1", "p1", "bot", "yandex", at(mon, "10:01:00"))
	of(onemin.Booking, "c1", "p1", "bot", "", at(mon, "10:02:00"))
	of(onemin.Closed, "c1", "p1", "", "", at(mon, "10:03:00"))

	msgIn("c2", "p2", "whatsapp", "", at(mon, "11:00:00"))
	reply("c2", "p2", "whatsapp", onemin.Human, "Marat", at(mon, "11:02:00"))

	msgIn("c3", "p3", "web", "", at(mon, "12:00:00"))
	reply("c3", "p3", "web", onemin.Automation, "", at(mon, "12:00:01"))
	reply("c3", "p3", "web", onemin.Human, "Alina", at(mon, "12:00:40"))

	add(onemin.Event{Kind: onemin.Touch, At: at(mon, "20:00:00"), ContactID: "p4", Channel: "instagram", Source: "vk"})
	msgIn("c4", "p4", "instagram", "instagram", at(tue, "09:00:00"))
	reply("c4", "p4", "instagram", onemin.Bot, "bot", at(tue, "09:00:03"))
	msgIn("c4", "p4", "instagram", "instagram", at(tue, "09:00:30"))
	of(onemin.Lead, "c4", "p4", "bot", "instagram", at(tue, "09:01:00"))
	of(onemin.Booking, "c4", "p4", "Alina", "", at(tue, "09:02:00"))
	of(onemin.Handoff, "c4", "p4", "bot", "", at(tue, "09:05:00"))
	of(onemin.Closed, "c4", "p4", "", "", at(tue, "09:10:00"))

	msgIn("c5", "p5", "instagram", "instagram", at(tue, "09:30:00"))
	reply("c5", "p5", "instagram", onemin.Bot, "bot", at(tue, "09:30:10"))
	of(onemin.Lead, "c5", "p5", "bot", "instagram", at(tue, "09:31:00"))
	of(onemin.Booking, "c5", "p5", "Alina", "", at(tue, "09:32:00"))
	of(onemin.Closed, "c5", "p5", "", "", at(tue, "09:40:00"))

	msgIn("c6", "p6", "whatsapp", "", at(tue, "14:00:00"))
	reply("c6", "p6", "whatsapp", onemin.Human, "Marat", at(tue, "14:05:00"))

	add(onemin.Event{Kind: onemin.DealWon, At: at(tue, "18:00:00"), ContactID: "p4", Amount: decimal.RequireFromString("3500"), Currency: "RUB"})
	add(onemin.Event{Kind: onemin.Payment, At: at(tue, "18:00:00"), ContactID: "p4", Amount: decimal.RequireFromString("3500.00"), Currency: "RUB"})
	add(onemin.Event{Kind: onemin.CSAT, At: at(tue, "18:30:00"), ContactID: "p4", ConversationID: "c4", Score: 5})
	add(onemin.Event{Kind: onemin.CSAT, At: at(tue, "18:40:00"), ContactID: "p5", ConversationID: "c5", Score: 4})

	msgIn("c7", "p7", "web", "", at(tue, "20:00:00"))
	msgIn("c8", "p8", "telegram", "", at(tue, "23:59:30"))

	// Outcomes of the week's bookings, after the daily as-of time.
	of(onemin.Confirmed, "", "p1", "Alina", "", at(wed, "09:00:00"))
	of(onemin.Confirmed, "", "p4", "Alina", "", at(wed, "09:10:00"))
	of(onemin.Cancelled, "", "p5", "Alina", "", at(wed.AddDate(0, 0, 1), "10:00:00"))
	of(onemin.Attended, "", "p1", "Alina", "", at(wed.AddDate(0, 0, 1), "11:00:00"))
	of(onemin.NoShow, "", "p4", "Alina", "", at(wed.AddDate(0, 0, 2), "12:00:00"))

	events, counts, errs := onemin.Prepare(raw)
	if len(errs) > 0 || counts.Rejected > 0 {
		t.Fatalf("fixture does not validate: %v", errs)
	}
	return events
}

// fixtureOptions are the options of the golden files: UTC, a business
// name, last-touch attribution.
func fixtureOptions() Options {
	return Options{Title: "Test salon", Location: time.UTC, Model: attribution.LastTouch}
}

// fixtureCosts are the bot's costs in March: the platform's 1000 ₽, and
// 100 ₽ for each contact a human would have handled; a plan of 7000 ₽.
func fixtureCosts() BotCosts {
	return BotCosts{
		Costs:            roi.Costs{PlatformMonthly: rub("1000")},
		HumanContactCost: rub("100"),
		Plan:             rub("7000"),
	}
}

var (
	dailyAsOf  = wed                                         // the morning after Tuesday
	weeklyAsOf = mon.AddDate(0, 0, 7)                        // the Monday after the week
	monthAsOf  = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC) // the first of April
	march      = Period{From: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), To: monthAsOf}
)

// fixtureReports builds the five reports of the golden files.
func fixtureReports(t testing.TB) []Report {
	t.Helper()
	events := fixtureEvents(t)
	opts := fixtureOptions()
	daily, err := NewDailyDigest(events, PeriodOf(Day, tue, nil), dailyAsOf, opts)
	if err != nil {
		t.Fatal(err)
	}
	weekly, err := NewNoShowReport(events, PeriodOf(Week, mon, nil), weeklyAsOf, opts)
	if err != nil {
		t.Fatal(err)
	}
	monthly, err := NewMarketingReport(events, march, monthAsOf, opts)
	if err != nil {
		t.Fatal(err)
	}
	dash, err := NewDashboard(events, Period{From: mon, To: wed}, dailyAsOf, opts)
	if err != nil {
		t.Fatal(err)
	}
	bot, err := NewBotDashboard(events, march, monthAsOf, opts, fixtureCosts())
	if err != nil {
		t.Fatal(err)
	}
	return []Report{daily, weekly, monthly, dash, bot}
}
