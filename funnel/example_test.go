package funnel_test

import (
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/funnel"
)

var start = time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)

func event(contact string, k onemin.Kind, minutes int) onemin.Event {
	return onemin.Event{ContactID: contact, Kind: k, At: start.Add(time.Duration(minutes) * time.Minute)}
}

func ExampleFunnel_Compute() {
	events := []onemin.Event{
		event("anna", onemin.Lead, 0), event("anna", onemin.Booking, 30), event("anna", onemin.Attended, 24*60),
		event("boris", onemin.Lead, 5), event("boris", onemin.Booking, 95),
		event("vera", onemin.Lead, 10),
	}
	f := funnel.Funnel{Steps: funnel.KindSteps(onemin.Lead, onemin.Booking, onemin.Attended)}
	res, err := f.Compute(events)
	if err != nil {
		panic(err)
	}
	for _, s := range res.Steps {
		fmt.Printf("%-8s %d  from previous %-6s from start %-6s median %vs\n",
			s.Step, s.Count, s.ConversionFromPrevious, s.ConversionFromStart, *s.MedianSecondsToStep)
	}
	// Output:
	// lead     3  from previous 100.0% from start 100.0% median 0s
	// booking  2  from previous 66.7%  from start 66.7%  median 3600s
	// attended 1  from previous 50.0%  from start 33.3%  median 86400s
}

func ExampleFunnel_Compute_window() {
	// Mixpanel's example: with a one-hour window counted from the first
	// step-1 event, C at 2:15 is too late; the A at 1:30 does not restart
	// the window.
	events := []onemin.Event{
		event("u", onemin.Touch, 0), event("u", onemin.Touch, 30), event("u", onemin.Lead, 45), event("u", onemin.Payment, 75),
	}
	f := funnel.Funnel{Steps: funnel.KindSteps(onemin.Touch, onemin.Lead, onemin.Payment), Window: time.Hour}
	res, _ := f.Compute(events)
	for _, s := range res.Steps {
		fmt.Println(s.Step, s.Count)
	}
	// Output:
	// touch 1
	// lead 1
	// payment 0
}

func ExampleResult_json() {
	f := funnel.Funnel{Steps: funnel.KindSteps(onemin.Lead, onemin.Booking)}
	res, _ := f.Compute(nil) // nobody entered: the rates are undefined
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(res.Steps[1])
	// Output:
	// {
	//   "step": "booking",
	//   "count": 0,
	//   "conversion_from_previous": null,
	//   "conversion_from_start": null,
	//   "dropoff": 0,
	//   "median_seconds_to_step": null,
	//   "p90_seconds_to_step": null
	// }
}

func ExampleChatbot() {
	msg := func(k onemin.Kind, a onemin.Actor, minutes int) onemin.Event {
		e := event("anna", k, minutes)
		e.ConversationID, e.Actor = "d1", a
		return e
	}
	events := []onemin.Event{
		msg(onemin.MessageIn, onemin.Customer, 0), msg(onemin.MessageOut, onemin.Bot, 0),
		msg(onemin.MessageIn, onemin.Customer, 2), msg(onemin.Lead, 0, 3), msg(onemin.Handoff, 0, 4),
		event("anna", onemin.DealWon, 600),
	}
	f := funnel.Chatbot()
	res, _ := f.Compute(events)
	for _, s := range res.Steps {
		fmt.Println(s.Step, s.Count)
	}
	// Output:
	// dialog_start 1
	// engaged 1
	// conversion_action 1
	// handoff 1
	// deal_won 1
	// paid 0
}

func ExampleAppointments() {
	b := func(contact, agent string, k onemin.Kind, day int) onemin.Event {
		e := event(contact, k, day*24*60)
		e.Agent = agent
		return e
	}
	rep := funnel.Appointments([]onemin.Event{
		b("anna", "irina", onemin.Booking, 0), b("anna", "", onemin.Confirmed, 1), b("anna", "", onemin.Attended, 2),
		b("boris", "irina", onemin.Booking, 0), b("boris", "", onemin.NoShow, 2),
		b("vera", "oleg", onemin.Booking, 1), b("vera", "", onemin.Cancelled, 2),
	}, time.UTC)
	for _, r := range rep.ByAgent {
		fmt.Printf("%s: %d booked, %d confirmed, %d attended, %d no-show, no-show rate %s\n",
			r.Key, r.Bookings, r.Confirmed, r.Attended, r.NoShow, r.NoShowRate)
	}
	// Output:
	// irina: 2 booked, 1 confirmed, 1 attended, 1 no-show, no-show rate 50.0%
	// oleg: 1 booked, 0 confirmed, 0 attended, 0 no-show, no-show rate n/a
}

func ExampleScores() {
	score := func(k onemin.Kind, agent string, s int) onemin.Event {
		return onemin.Event{Kind: k, Agent: agent, Score: s, At: start}
	}
	rows := funnel.Scores([]onemin.Event{
		score(onemin.CSAT, "irina", 5), score(onemin.CSAT, "irina", 3),
		score(onemin.NPS, "irina", 10), score(onemin.NPS, "irina", 9), score(onemin.NPS, "irina", 5), score(onemin.NPS, "irina", 8),
	}, funnel.ByAgent)
	r := rows[0]
	fmt.Printf("%s: CSAT %.1f, satisfied %s, NPS %.0f\n", r.Key, *r.CSATAverage, r.CSATSatisfied, *r.NPS)
	// Output:
	// irina: CSAT 4.0, satisfied 50.0%, NPS 25
}

func ExampleLeadToBooking() {
	lead := func(contact, channel string, k onemin.Kind, minutes int) onemin.Event {
		e := event(contact, k, minutes)
		e.ConversationID, e.Channel = contact, channel
		return e
	}
	rows, _ := funnel.LeadToBooking([]onemin.Event{
		lead("anna", "whatsapp", onemin.Lead, 0), lead("anna", "whatsapp", onemin.Booking, 3),
		lead("boris", "whatsapp", onemin.Lead, 5),
		lead("vera", "instagram", onemin.Lead, 9), lead("vera", "instagram", onemin.Booking, 60),
	})
	for _, r := range rows {
		fmt.Printf("%s: %d of %d leads booked (%s)\n", r.Key, r.To, r.From, r.Rate)
	}
	// Output:
	// total: 2 of 3 leads booked (66.7%)
	// instagram: 1 of 1 leads booked (100.0%)
	// whatsapp: 1 of 2 leads booked (50.0%)
}

func ExampleBotContainment() {
	d := func(conv string, k onemin.Kind, a onemin.Actor, minutes int) onemin.Event {
		return onemin.Event{ConversationID: conv, Kind: k, Actor: a, At: start.Add(time.Duration(minutes) * time.Minute)}
	}
	events := []onemin.Event{
		d("a", onemin.MessageIn, onemin.Customer, 0), d("a", onemin.MessageOut, onemin.Bot, 0), d("a", onemin.Closed, 0, 3),
		d("b", onemin.MessageIn, onemin.Customer, 0), d("b", onemin.Handoff, 0, 1), d("b", onemin.Closed, 0, 20),
	}
	c := funnel.BotContainment(events, nil)
	h := funnel.HandleTime(events, nil)
	fmt.Printf("contained %d of %d closed (%s); mean handle time %.0f s\n", c.Contained, c.Closed, c.Rate, *h.MeanSeconds)
	// Output:
	// contained 1 of 2 closed (50.0%); mean handle time 690 s
}

func ExampleCountZeroDialogs() {
	d := func(conv string, k onemin.Kind, a onemin.Actor) onemin.Event {
		return onemin.Event{ConversationID: conv, Kind: k, Actor: a, At: start}
	}
	z := funnel.CountZeroDialogs([]onemin.Event{
		d("greeting only", onemin.MessageOut, onemin.Bot),
		d("no answer", onemin.MessageIn, onemin.Customer),
		d("answered", onemin.MessageIn, onemin.Customer), d("answered", onemin.MessageOut, onemin.Human),
	}, nil)
	fmt.Printf("%d conversations: %d without a customer message, %d unanswered\n", z.Conversations, z.NoCustomerMessage, z.Unanswered)
	// Output:
	// 3 conversations: 1 without a customer message, 1 unanswered
}
