package funnel

import (
	"fmt"
	"slices"

	"github.com/onemin/onemin"
)

// Support is the scenario name of support dialogs, which [Chatbot] keeps
// out of the sales funnel: support saves money, sales earn it, and the two
// are never mixed.
const Support = "support"

// ExceptScenarios returns a filter that keeps every event whose scenario is
// not one of names; events without a scenario are kept.
func ExceptScenarios(names ...string) func(*onemin.Event) bool {
	if len(names) == 1 { // the usual case, Support, without a loop
		name := names[0]
		return func(e *onemin.Event) bool { return e.Scenario != name }
	}
	return func(e *onemin.Event) bool { return !slices.Contains(names, e.Scenario) }
}

// OnlyScenarios returns a filter that keeps the events whose scenario is one
// of names, and the events without a scenario (deals and payments rarely
// carry one).
func OnlyScenarios(names ...string) func(*onemin.Event) bool {
	return func(e *onemin.Event) bool { return e.Scenario == "" || slices.Contains(names, e.Scenario) }
}

// isReply reports whether e is a reply by the bot or a manager (an
// automation's message is not an answer).
func isReply(e *onemin.Event) bool {
	return e.Kind == onemin.MessageOut && (e.Actor == onemin.Bot || e.Actor == onemin.Human)
}

// The steps of the chatbot funnel.
var (
	// DialogStart is reached by a customer's message.
	DialogStart = Step{Name: "dialog_start", Match: func(e *onemin.Event) bool { return e.Kind == onemin.MessageIn }}
	// Engaged is reached when the customer writes again after the first
	// answer (a message_out by the bot or a manager; automation does not
	// count).
	Engaged = Step{Name: "engaged", Match: func(e *onemin.Event) bool { return e.Kind == onemin.MessageIn }, After: isReply}
	// ConversionAction is a lead or a booking.
	ConversionAction = AnyKindStep("conversion_action", onemin.Lead, onemin.Booking)
	// HandedOff is the bot's handoff to a manager.
	HandedOff = Step{Name: "handoff", Match: func(e *onemin.Event) bool { return e.Kind == onemin.Handoff }}
	// DealClosed is a won deal.
	DealClosed = Step{Name: "deal_won", Match: func(e *onemin.Event) bool { return e.Kind == onemin.DealWon }}
	// Paid is a payment.
	Paid = Step{Name: "paid", Match: func(e *onemin.Event) bool { return e.Kind == onemin.Payment }}
)

// Chatbot returns the end-to-end funnel of a sales chatbot: dialog start →
// engaged (the customer writes again after the first answer) → conversion
// action (lead or booking) → handoff to a manager → deal won → paid, per
// contact, in this order, uniques, without a window. Events of the
// [Support] scenario are left out; set Filter to change that (nil keeps
// everything). Change any field of the returned value as needed.
func Chatbot() Funnel {
	return Funnel{
		Steps:  []Step{DialogStart, Engaged, ConversionAction, HandedOff, DealClosed, Paid},
		Filter: ExceptScenarios(Support),
	}
}

// Appointment returns the appointment funnel booking → confirmed →
// attended, per contact, in this order, uniques, without a window. For the
// weekly report by employee see [Appointments].
func Appointment() Funnel {
	return Funnel{Steps: KindSteps(onemin.Booking, onemin.Confirmed, onemin.Attended)}
}

// Named returns the ready-made funnel called "chatbot" or "appointment".
func Named(name string) (Funnel, error) {
	switch name {
	case "chatbot":
		return Chatbot(), nil
	case "appointment":
		return Appointment(), nil
	}
	return Funnel{}, fmt.Errorf("funnel: unknown funnel %q (want chatbot or appointment)", name)
}

// ZeroDialogs counts the dialogs that a funnel of customer messages never
// sees, lost customers all the same.
type ZeroDialogs struct {
	// Conversations is the number of conversations (tenant,
	// conversation_id) among the events.
	Conversations int `json:"conversations"`
	// NoCustomerMessage counts conversations without a message_in: a
	// chat opened, a greeting sent, nothing written.
	NoCustomerMessage int `json:"no_customer_message"`
	// Unanswered counts conversations with a customer message and no
	// reply by the bot or a manager at or after the first one.
	Unanswered int `json:"unanswered"`
}

// CountZeroDialogs counts the conversations without a customer message and
// those whose customer got no answer. filter, when not nil, keeps only the
// events for which it reports true (use the funnel's Filter).
func CountZeroDialogs(events []onemin.Event, filter func(*onemin.Event) bool) ZeroDialogs {
	order, start, _ := entities(events, conversationID, filter)
	var z ZeroDialogs
	for k := 0; k+1 < len(start); k++ {
		z.Conversations++
		seenIn, answered := false, false
		for _, i := range order[start[k]:start[k+1]] {
			e := &events[i]
			switch {
			case e.Kind == onemin.MessageIn:
				seenIn = true
			case seenIn && isReply(e):
				answered = true
			}
		}
		switch {
		case !seenIn:
			z.NoCustomerMessage++
		case !answered:
			z.Unanswered++
		}
	}
	return z
}
