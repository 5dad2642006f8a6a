package funnel

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// msg builds a message of contact c in conversation d by actor a.
func msg(c, d string, k onemin.Kind, a onemin.Actor, min int) onemin.Event {
	return onemin.Event{ContactID: c, ConversationID: d, Kind: k, Actor: a, At: t0.Add(time.Duration(min) * time.Minute)}
}

func TestChatbot(t *testing.T) {
	in, out := onemin.MessageIn, onemin.MessageOut
	sup := msg("s", "s1", in, onemin.Customer, 0)
	sup.Scenario = Support
	events := []onemin.Event{
		// u goes all the way.
		msg("u", "u1", in, onemin.Customer, 0), msg("u", "u1", out, onemin.Bot, 1), msg("u", "u1", in, onemin.Customer, 2),
		msg("u", "u1", onemin.Lead, 0, 3), msg("u", "u1", onemin.Handoff, 0, 4), msg("u", "", onemin.DealWon, 0, 60), msg("u", "", onemin.Payment, 0, 70),
		// v writes twice before any answer, never again after it: not engaged.
		msg("v", "v1", in, onemin.Customer, 0), msg("v", "v1", in, onemin.Customer, 1), msg("v", "v1", out, onemin.Bot, 2),
		// w gets only an auto-responder, writes again: not engaged.
		msg("w", "w1", in, onemin.Customer, 0), msg("w", "w1", out, onemin.Automation, 1), msg("w", "w1", in, onemin.Customer, 2),
		// a support dialog is not in the sales funnel.
		sup,
		// a chat opened with a greeting only.
		msg("z", "z1", out, onemin.Bot, 0),
	}
	f := Chatbot()
	r, err := f.Compute(events)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{3, 1, 1, 1, 1, 1}, counts(r)); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	z := CountZeroDialogs(events, f.Filter)
	if diff := cmp.Diff(ZeroDialogs{Conversations: 4, NoCustomerMessage: 1, Unanswered: 1}, z); diff != "" {
		t.Errorf("zero dialogs (-want +got):\n%s", diff)
	}
}

func TestAppointments(t *testing.T) {
	b := func(c, agent string, k onemin.Kind, day int) onemin.Event {
		return onemin.Event{ContactID: c, Kind: k, Agent: agent, At: t0.AddDate(0, 0, day)} // t0 is Monday 3 March 2025
	}
	events := []onemin.Event{
		b("a", "anna", onemin.Booking, 0), b("a", "", onemin.Confirmed, 1), b("a", "", onemin.Attended, 2),
		b("b", "anna", onemin.Booking, 1), b("b", "", onemin.NoShow, 3),
		b("c", "boris", onemin.Booking, 7), b("c", "", onemin.Confirmed, 8), b("c", "", onemin.Cancelled, 9),
		b("c", "boris", onemin.Booking, 10), b("c", "", onemin.Confirmed, 11), b("c", "", onemin.Attended, 12),
		b("d", "", onemin.Attended, 3), // no booking before it
	}
	rep := Appointments(events, time.UTC)
	want := AppointmentReport{
		ByAgent: []AppointmentRow{
			{Key: "anna", Bookings: 2, Confirmed: 1, Attended: 1, NoShow: 1,
				ConfirmationRate: onemin.Ratio{Num: 1, Den: 2}, NoShowRate: onemin.Ratio{Num: 1, Den: 2}},
			{Key: "boris", Bookings: 2, Confirmed: 2, Attended: 1, Cancelled: 1,
				ConfirmationRate: onemin.Ratio{Num: 2, Den: 2}, NoShowRate: onemin.Ratio{Num: 0, Den: 1}},
		},
		ByWeek: []AppointmentRow{
			{Key: "2025-03-03", Bookings: 2, Confirmed: 1, Attended: 1, NoShow: 1,
				ConfirmationRate: onemin.Ratio{Num: 1, Den: 2}, NoShowRate: onemin.Ratio{Num: 1, Den: 2}},
			{Key: "2025-03-10", Bookings: 2, Confirmed: 2, Attended: 1, Cancelled: 1,
				ConfirmationRate: onemin.Ratio{Num: 2, Den: 2}, NoShowRate: onemin.Ratio{Num: 0, Den: 1}},
		},
		ByWeekAgent: []AppointmentRow{
			{Key: "2025-03-03 anna", Week: "2025-03-03", Agent: "anna", Bookings: 2, Confirmed: 1, Attended: 1, NoShow: 1,
				ConfirmationRate: onemin.Ratio{Num: 1, Den: 2}, NoShowRate: onemin.Ratio{Num: 1, Den: 2}},
			{Key: "2025-03-10 boris", Week: "2025-03-10", Agent: "boris", Bookings: 2, Confirmed: 2, Attended: 1, Cancelled: 1,
				ConfirmationRate: onemin.Ratio{Num: 2, Den: 2}, NoShowRate: onemin.Ratio{Num: 0, Den: 1}},
		},
		Total: AppointmentRow{Key: "total", Bookings: 4, Confirmed: 3, Attended: 2, NoShow: 1, Cancelled: 1,
			ConfirmationRate: onemin.Ratio{Num: 3, Den: 4}, NoShowRate: onemin.Ratio{Num: 1, Den: 3}},
		Unmatched: 1,
	}
	if diff := cmp.Diff(want, rep); diff != "" {
		t.Errorf("report (-want +got):\n%s", diff)
	}
}

func TestScores(t *testing.T) {
	s := func(k onemin.Kind, agent string, score int) onemin.Event {
		return onemin.Event{Kind: k, Agent: agent, Score: score, At: t0}
	}
	events := []onemin.Event{
		s(onemin.CSAT, "anna", 5), s(onemin.CSAT, "anna", 4), s(onemin.CSAT, "anna", 2),
		// NPS of ten answers: 5 promoters, 3 passives, 2 detractors: 50 % − 20 % = 30.
		s(onemin.NPS, "anna", 10), s(onemin.NPS, "anna", 9), s(onemin.NPS, "anna", 9), s(onemin.NPS, "anna", 10), s(onemin.NPS, "anna", 9),
		s(onemin.NPS, "anna", 8), s(onemin.NPS, "anna", 7), s(onemin.NPS, "anna", 7), s(onemin.NPS, "anna", 6), s(onemin.NPS, "anna", 0),
		s(onemin.NPS, "boris", 3),
	}
	got := Scores(events, ByAgent)
	want := []ScoreRow{
		{Key: "anna", CSATResponses: 3, CSATAverage: ptr(11.0 / 3), CSATSatisfied: onemin.Ratio{Num: 2, Den: 3},
			NPSResponses: 10, Promoters: 5, Detractors: 2, NPS: ptr(30), csatSum: 11},
		{Key: "boris", NPSResponses: 1, Detractors: 1, NPS: ptr(-100)},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(ScoreRow{})); diff != "" {
		t.Errorf("scores (-want +got):\n%s", diff)
	}
}

func TestContainmentAndHandleTime(t *testing.T) {
	in, out := onemin.MessageIn, onemin.MessageOut
	events := []onemin.Event{
		msg("a", "a1", in, onemin.Customer, 0), msg("a", "a1", out, onemin.Bot, 1), msg("a", "a1", onemin.Closed, 0, 4),
		msg("b", "b1", in, onemin.Customer, 0), msg("b", "b1", onemin.Handoff, 0, 1), msg("b", "b1", onemin.Closed, 0, 10),
		msg("c", "c1", in, onemin.Customer, 0), msg("c", "c1", out, onemin.Human, 1), msg("c", "c1", onemin.Closed, 0, 30),
		msg("d", "d1", in, onemin.Customer, 0), // still open
	}
	if diff := cmp.Diff(Containment{Closed: 3, Contained: 1, Rate: onemin.Ratio{Num: 1, Den: 3}}, BotContainment(events, nil)); diff != "" {
		t.Errorf("containment (-want +got):\n%s", diff)
	}
	// Handle times 240, 600, 1800 s: mean 880, median 600, P90 = 600 + 0.8·1200 = 1560.
	want := HandleTimes{Conversations: 3, Open: 1, MeanSeconds: ptr(880), MedianSeconds: ptr(600), P90Seconds: ptr(1560)}
	if diff := cmp.Diff(want, HandleTime(events, nil)); diff != "" {
		t.Errorf("handle time (-want +got):\n%s", diff)
	}
}

func TestConversions(t *testing.T) {
	l := func(c, ch string, k onemin.Kind, min int) onemin.Event {
		return onemin.Event{ContactID: c, ConversationID: c, Channel: ch, Kind: k, At: t0.Add(time.Duration(min) * time.Minute)}
	}
	events := []onemin.Event{
		l("a", "whatsapp", onemin.Lead, 0), l("a", "whatsapp", onemin.Booking, 5),
		l("b", "whatsapp", onemin.Lead, 0),
		l("c", "instagram", onemin.Lead, 0), l("c", "instagram", onemin.Booking, 9),
		l("d", "instagram", onemin.Booking, 0), // a booking without a lead
	}
	got, err := LeadToBooking(events)
	if err != nil {
		t.Fatal(err)
	}
	want := []Conversion{
		{Key: "total", From: 3, To: 2, Rate: onemin.Ratio{Num: 2, Den: 3}},
		{Key: "instagram", From: 1, To: 1, Rate: onemin.Ratio{Num: 1, Den: 1}},
		{Key: "whatsapp", From: 2, To: 1, Rate: onemin.Ratio{Num: 1, Den: 2}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("lead → booking (-want +got):\n%s", diff)
	}
	s := Sales(append(events, l("a", "", onemin.MessageIn, -1), l("b", "", onemin.MessageIn, -1), l("a", "", onemin.Payment, 60)), nil)
	if diff := cmp.Diff(SalesKPI{Dialogs: 2, Leads: 2, Sales: 1, DialogToLead: onemin.Ratio{Num: 2, Den: 2}, LeadToSale: onemin.Ratio{Num: 1, Den: 2}}, s); diff != "" {
		t.Errorf("sales (-want +got):\n%s", diff)
	}
}
