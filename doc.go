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
// # Contact identity
//
// Dialogs, deals, payments and touches are linked by contact id. Phone
// numbers are brought to E.164 by [NormalizePhone] (Russian 8XXXXXXXXXX and
// +7, Kazakhstan's +7 7XX, a default region for national numbers), so the
// same person written two ways is one contact. Where contact ids must not
// leave a system in the clear, a [Pseudonymizer] replaces them with a keyed
// HMAC-SHA256 that is stable for a key.
//
// # Ratios
//
// A [Ratio] keeps its numerator and denominator, so a rate over nothing is
// undefined (its Value reports ok = false, and it is null in JSON), never a
// silent zero.
//
// # Concurrency
//
// Event, Kind, Actor and Counts are plain values. [Deduper] is not safe for
// concurrent use; [Recorder] is.
package onemin
