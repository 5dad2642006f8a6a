// Package onemin is the event model of onemin, a library for response-time
// and end-to-end analytics of chat and lead handling.
//
// Everything onemin measures is computed from a flat stream of [Event]
// values: a customer writes (message_in), a bot, a human or an automation
// replies (message_out), the bot hands the dialog over (handoff), a lead is
// captured, a booking is made and attended, a deal is won, a payment
// arrives. Each event has a [Kind], a time, and the ids that link it: the
// conversation (the dialog), the contact (the person) and the tenant (the
// business, for platforms that serve many).
//
// This package checks and arranges events; the metric packages compute:
//
//   - kpi: first-reply time, P50/P90, SLA rate, business hours, live tracking
//   - funnel: ordered-step funnels, drop-off, time to convert
//   - cohort: retention, LTV, conversion within a window
//   - attribution: revenue split across touches and channels
//   - roi: exact money, ROI, CPL, CAC, payback
//   - report: the owner's reports and dashboards
//
// # Preparing events
//
// [Prepare] normalizes each event ([Event.Normalize]: lower-case channel,
// upper-case currency, a message_in marked as by the customer), validates it
// ([Event.Validate]), drops repeated event ids ([Deduper]), and orders the
// rest by time, stably. Nothing is lost silently: every rejected or
// duplicate event gives a *[ValidationError] naming its position, field and
// reason, and the [Counts] always add up: read = accepted + duplicates +
// rejected.
//
// # Views
//
// [Conversations] groups events into dialogs and [Contacts] into people,
// each ordered by time. Live sources deliver events to a [Sink].
//
// # Concurrency
//
// Event, Kind, Actor and Counts are plain values. [Deduper] is not safe for
// concurrent use; [Recorder] is.
package onemin
