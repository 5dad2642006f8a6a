// Package kpi computes response-time metrics of chat and lead handling:
// the One-Minute KPI (first-reply time per lead, its median, P90 and P99,
// and the SLA rate), reply and handoff times, SLA compliance by channel and
// step in calendar time or business hours, and a traffic-light status.
//
// # Definitions
//
// A lead is a conversation with at least one customer message. For each
// lead, with events taken in time order:
//
//	first reply time = first clock-stopping reply − first customer message
//	reply time       = each clock-stopping reply − oldest customer message still unanswered
//	handoff wait     = first human reply at or after the handoff − the handoff
//	handle time      = first closing − first customer message
//	confirmation     = first confirmation at or after the booking − the booking
//
// Which replies stop the clock is the [ReplyPolicy]: by default a reply by
// a bot or a human ([AnyReply]); [HumanReply] counts only a human's. A reply
// by an automation (auto-responder, campaign) never stops the clock, and a
// reply sent before the first customer message (a bot's greeting) answers
// nothing: it is counted in [Report.Greetings] and is no reply time.
//
// Every interval is kept twice: in calendar time and in business time as
// measured by a [Clock]; without a Clock both are the same. SLA outcomes,
// percentiles and means use the Clock's time. [NewCalendar] makes a
// business-hours Clock from a weekly [Schedule], holidays and working
// days in an IANA time zone.
//
// # SLA
//
// An [SLA] holds targets by [Step] and channel (60 s by default;
// [RecommendedSLA] has ready-made ones). As of a time T, each lead is
//
//	met      if it was answered within the target (duration ≤ target),
//	breached if it was answered later, or is unanswered and T is past its deadline,
//	pending  if it is unanswered and T is not past its deadline,
//
// where the deadline is the instant the target has elapsed on the Clock.
// Then
//
//	SLA rate = met ÷ (leads − pending) × 100   (percent, 0–100)
//
// which, once nothing is pending, is count(interval ≤ target) ÷ leads ×
// 100. With no decided lead the rate is undefined, not zero: a [NullFloat]
// that is not Valid, null in JSON.
//
// # Percentiles
//
// [Percentile] takes the [Method] explicitly. The default, [Linear], is
// Hyndman–Fan type 7: rank h = (n − 1)·p, interpolating between the values
// around it — what spreadsheet PERCENTILE, NumPy and PostgreSQL
// percentile_cont give, so {1, 2, 3, 4} at p = 0.3 is 1.9 and the median of
// an even count is the mean of the two middle values. [NearestRank] returns
// x[⌈p·n⌉ − 1]. Summaries report the percentiles of answered leads only;
// unanswered ones are counted, not given a made-up duration.
//
// # Summaries
//
// [Summarize] makes one pass over events and returns a [Report]: the total
// [Summary], breakdowns by channel, agent, source, hour, weekday, day or
// tenant, and, on request, one [Result] per lead:
//
//	events, counts, errs := onemin.Prepare(raw) // validated, de-duplicated, in time order
//	// … report counts and errs: every rejected row is named …
//	rep := kpi.Summarize(events, kpi.Options{
//		SLA:     kpi.RecommendedSLA(),
//		GroupBy: []kpi.Dimension{kpi.ByChannel},
//	})
//	fmt.Println(rep.Summary.Median, rep.Summary.Rate, rep.Summary.Status)
//
// [Measure] gives every interval of one conversation (each reply time, the
// handoff wait, the handle time), and [Evaluate] judges one lead.
//
// A [Summary] turns the SLA rate into green, yellow or red by [Thresholds]
// (80 % and 70 % by default), and an [AlertRule] turns a period's summary
// into an alert when the rate falls below 70 %. Summaries are built with an
// [Accumulator], whose counts add and whose samples merge, so shards,
// tenants and days combine by merging.
//
// # Live tracking
//
// A [Tracker] follows conversations as their events arrive, from webhook
// handlers on many goroutines: it is a [onemin.Sink]. Each conversation's
// clock runs on the same state machine as in Summarize, so a replayed log
// and a live stream give the same counts. The caller passes the time:
//
//	tr, err := kpi.NewTracker(kpi.TrackerOptions{SLA: kpi.RecommendedSLA(), Clock: cal})
//	go func() {
//		for n := range tr.Notices() {
//			send(n.String()) // "at risk: conversation 42 (whatsapp): 45s of 1m0s gone and nobody has replied"
//		}
//	}()
//	err = tr.Add(ctx, events...)  // in the webhook handler
//	tr.AdvanceTo(now)             // every second, with the time the caller keeps
//	rep := tr.Report()            // or DayReport(day), at any moment
//
// AdvanceTo sends an [AtRisk] notice once a share of a lead's target (by
// default three quarters: 45 s of 60 s) has gone by on the clock with no
// reply, and a
// [Breach] notice once the deadline has passed; a reply cancels both. The
// channel is buffered: when its reader lags, notices are dropped and
// counted, and ingestion never waits. Events that come out of order are
// placed in order within [TrackerOptions.Lateness]; later ones are counted
// and named in Add's error. Memory grows with open conversations (about
// 180 bytes each); one idle for [TrackerOptions.IdleAfter] is closed out
// into the summaries of its day. [Tracker.MarshalBinary] snapshots the
// whole state for a restart.
//
// The tracker's summaries keep their durations in a [Sketch]: an
// [Accumulator] made by [NewStreamingAccumulator] takes constant memory,
// merges exactly (the merge of shards is the accumulator of their union),
// and its percentiles are within 1 % of the exact ones. Its [Summary] says
// so ([Summary.Estimate] "sketch", [Summary.RelativeError] 0.01), and so
// does its JSON.
//
// # Scale
//
// Summarize keeps a small state per conversation (the first instant of
// each event that starts or stops a step), never a copy of the events, and
// sorts the durations once: one pass over events in time order, one map
// lookup per event. Conversations whose events come out of order are
// replayed in order, so any order gives the same report.
//
// A [Tracker] holds memory in proportion to its open conversations, and
// a [Sketch] keeps quantiles of unbounded streams in bounded memory with a
// relative-error guarantee.
package kpi
