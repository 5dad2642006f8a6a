package kpi_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

// day is a Monday in January, UTC.
var day = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC)

func clock(h, m, s int) time.Time {
	return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute + time.Duration(s)*time.Second)
}

// salonEvents are four leads of a morning: answered by the bot in 12 s,
// by a manager in 45 s and in 2 min 30 s, and one not answered at all.
func salonEvents() []onemin.Event {
	ev := func(conv string, k onemin.Kind, a onemin.Actor, t time.Time, ch string) onemin.Event {
		return onemin.Event{ConversationID: conv, Kind: k, Actor: a, At: t, Channel: ch}
	}
	return []onemin.Event{
		ev("1", onemin.MessageIn, onemin.Customer, clock(9, 0, 0), "whatsapp"),
		ev("1", onemin.MessageOut, onemin.Bot, clock(9, 0, 12), "whatsapp"),
		ev("2", onemin.MessageIn, onemin.Customer, clock(9, 10, 0), "instagram"),
		ev("2", onemin.MessageOut, onemin.Human, clock(9, 10, 45), "instagram"),
		ev("3", onemin.MessageIn, onemin.Customer, clock(9, 20, 0), "whatsapp"),
		ev("3", onemin.MessageOut, onemin.Automation, clock(9, 20, 1), "whatsapp"), // never stops the clock
		ev("3", onemin.MessageOut, onemin.Human, clock(9, 22, 30), "whatsapp"),
		ev("4", onemin.MessageIn, onemin.Customer, clock(9, 30, 0), "instagram"),
	}
}

func ExampleSummarize() {
	rep := kpi.Summarize(salonEvents(), kpi.Options{AsOf: clock(12, 0, 0)})
	s := rep.Summary
	fmt.Printf("leads %d, answered %d, met %d, breached %d\n", s.Leads, s.Answered, s.Met, s.Breached)
	fmt.Printf("median %vs, P90 %vs, SLA rate %v%% (%v)\n", s.Median, s.P90, s.Rate, s.Status)
	// Output:
	// leads 4, answered 3, met 2, breached 2
	// median 45s, P90 129s, SLA rate 50% (red)
}

func ExampleSummarize_json() {
	rep := kpi.Summarize(salonEvents(), kpi.Options{})
	b, _ := json.MarshalIndent(rep.Summary, "", "  ")
	fmt.Println(string(b))
	// Output:
	// {
	//   "leads": 4,
	//   "answered": 3,
	//   "unanswered": 1,
	//   "pending": 1,
	//   "met": 2,
	//   "breached": 1,
	//   "median_seconds": 45,
	//   "p90_seconds": 129,
	//   "p99_seconds": 147.9,
	//   "mean_seconds": 69,
	//   "sla_seconds": 60,
	//   "sla_rate": 66.66666666666667,
	//   "status": "red"
	// }
}

func ExampleSummarize_byChannel() {
	rep := kpi.Summarize(salonEvents(), kpi.Options{
		SLA:     kpi.RecommendedSLA(), // 3 min in messengers
		AsOf:    clock(12, 0, 0),
		GroupBy: []kpi.Dimension{kpi.ByChannel},
	})
	for _, g := range rep.Groups[0].Groups {
		fmt.Printf("%-9s leads %d  SLA rate %v%%  %v\n", g.Key, g.Summary.Leads, g.Summary.Rate, g.Summary.Status)
	}
	// Output:
	// instagram leads 2  SLA rate 50%  red
	// whatsapp  leads 2  SLA rate 100%  green
}

func ExampleSummarize_businessHours() {
	// Open Monday to Friday 09:00–18:00 in Samara (UTC+4).
	samara := time.FixedZone("Samara", 4*3600)
	cal, err := kpi.NewCalendar(samara, kpi.MustParseSchedule("mon-fri 09:00-18:00"))
	if err != nil {
		panic(err)
	}
	fri := time.Date(2025, 1, 10, 17, 59, 30, 0, samara)
	mon := time.Date(2025, 1, 13, 9, 0, 20, 0, samara)
	events := []onemin.Event{
		{ConversationID: "n", Kind: onemin.MessageIn, Actor: onemin.Customer, At: fri},
		{ConversationID: "n", Kind: onemin.MessageOut, Actor: onemin.Human, At: mon},
	}
	rep := kpi.Summarize(events, kpi.Options{Clock: cal, KeepLeads: true})
	r := rep.Leads[0]
	fmt.Println("calendar:", r.Calendar, "business:", r.Business, "outcome:", r.Outcome)
	// Output:
	// calendar: 63h0m50s business: 50s outcome: met
}

func ExampleMeasure() {
	c := onemin.Conversations(salonEvents())[2] // conversation 3
	t := kpi.Measure(c, kpi.AnyReply, nil)
	fmt.Println("first reply:", t.FirstReply.Calendar)
	fmt.Println("replies:", len(t.Replies))
	// Output:
	// first reply: 2m30s
	// replies: 1
}

func ExamplePercentile() {
	values := []float64{1, 2, 3, 4}
	p30, _ := kpi.Percentile(values, 0.3, kpi.Linear)     // spreadsheet PERCENTILE(A1:A4; 0.3)
	med, _ := kpi.Median(values, kpi.Linear)              // the mean of the two middle values
	nr, _ := kpi.Percentile(values, 0.3, kpi.NearestRank) // one of the values
	_, err := kpi.Percentile(nil, 0.5, kpi.Linear)        // no data is no percentile
	fmt.Println(p30, med, nr, err)
	// Output:
	// 1.9 2.5 2 kpi: no data
}

func ExampleEvaluate() {
	received := clock(10, 0, 0)
	for _, asOf := range []time.Time{clock(10, 0, 30), clock(10, 1, 0), clock(10, 1, 1)} {
		o, deadline := kpi.Evaluate(received, time.Time{}, time.Minute, nil, asOf)
		fmt.Println(asOf.Format("15:04:05"), o, "deadline", deadline.Format("15:04:05"))
	}
	// Output:
	// 10:00:30 pending deadline 10:01:00
	// 10:01:00 pending deadline 10:01:00
	// 10:01:01 breached deadline 10:01:00
}

func ExampleAlertRule() {
	rep := kpi.Summarize(salonEvents(), kpi.Options{AsOf: clock(12, 0, 0)})
	period := kpi.Period{From: day, To: day.AddDate(0, 0, 1)}
	if a, ok := (kpi.AlertRule{}).Check(period, rep.Summary); ok {
		fmt.Println(a.Message)
	}
	// Output:
	// SLA rate 50.0% is below 70% for 2025-01-06 – 2025-01-07: 2 of 4 leads answered within 1m0s (2 breached, 0 pending)
}

func ExampleRecommendedSLA() {
	sla := kpi.RecommendedSLA()
	fmt.Println(sla.Target(kpi.FirstReply, "whatsapp"), sla.Target(kpi.FirstReply, "email"),
		sla.Target(kpi.BotReply, "telegram"), sla.Target(kpi.Confirmation, ""), sla.Target(kpi.Closing, ""))
	// Output:
	// 3m0s 15m0s 3s 30m0s 24h0m0s
}
