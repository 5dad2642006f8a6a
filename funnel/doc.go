// Package funnel computes ordered-step funnels over the events of contacts
// or conversations: how many reached each step, the conversion from the
// previous step and from the start, the drop-off, and how long it took,
// overall and broken down by source, channel, scenario, product, agent or
// hour. It also holds the ready-made funnels of a sales chatbot and of
// appointments, and the KPIs that live on the same paths: lead → booking
// conversion, dialog → lead → sale, confirmation and no-show rates, bot
// containment, CSAT and NPS, and handle time.
//
// # Definitions
//
// A funnel is a list of [Step]s, each a predicate over an event. An entity
// (a contact, or a conversation: [Funnel.Unit]) makes attempts. An attempt
// starts at an event that matches step 1 (in [AnyOrder], any step) and
// lasts until it reaches the last step, until its conversion window runs out
// (Window after its entry; a repeated step 1 does not restart it), until an
// exclusion drops it, or, in [StrictOrder], until an out-of-turn step event
// breaks it. The next entry after that starts a new attempt.
//
//   - [ThisOrder]: step i+1 at or after step i, other events in between
//     allowed.
//   - [StrictOrder]: as ThisOrder, but after step i the next event that
//     matches any step must be step i+1.
//   - [AnyOrder]: step i is reached once steps 1…i have all happened.
//
// With [Uniques] each entity counts once, by its furthest attempt, and an
// entity that did an excluded event between the steps of an [Exclusion] is
// left out altogether; with [Totals] every attempt counts but the dropped
// ones. For each step:
//
//	conversion_from_previous = count(i) ÷ count(i−1)      (ratio 0–1)
//	conversion_from_start    = count(i) ÷ count(1)        (ratio 0–1)
//	dropoff                  = count(i−1) − count(i)
//	median, p90              = type-7 percentiles of (time of step i − entry), seconds
//
// A ratio whose denominator is 0 is undefined ([onemin.Ratio], null in
// JSON), never 0. Events are put in time order per entity (ties by kind,
// then event id), so a result never depends on the order of the input.
//
// # The chatbot funnel
//
// [Chatbot] is dialog start → engaged (the customer writes again after the
// first answer of the bot or a manager) → conversion action (lead or
// booking) → handoff → deal won → paid, per contact. Support dialogs
// (scenario "support") are left out by default so that sales and support
// are never mixed. [CountZeroDialogs] counts what such a funnel never
// sees: conversations with no customer message and customers who got no
// answer.
//
// # Cost
//
// [Funnel.Compute] groups the events by entity without copying them: 8
// bytes per event (its entity and its place in the entity's time order),
// about 40 per entity for the index, and one float64 per entity (or
// attempt) and step reached, for the medians. Over 10 million events of
// 1.8 million contacts the chatbot funnel allocates about 355 MB in 160
// allocations.
//
// # Example
//
//	f := funnel.Chatbot()
//	f.Window = 30 * 24 * time.Hour
//	f.By = funnel.BySource
//	res, err := f.Compute(events)
//	if err != nil { … }
//	for _, s := range res.Steps {
//		fmt.Println(s.Step, s.Count, s.ConversionFromPrevious)
//	}
package funnel
