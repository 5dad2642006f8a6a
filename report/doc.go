// Package report builds the reports a business owner reads from the events
// of chat and lead handling, and renders them for a terminal, Markdown,
// Telegram or e-mail, JSON, and one self-contained HTML page with charts.
//
// Each report is a data structure first, computed by the metric packages
// (kpi, funnel, cohort, attribution, roi) so that a number means the same
// here as everywhere else, and rendered after:
//
//   - [DailyDigest]: the day's new leads, replies and conversions, the
//     median and P90 first reply and the SLA rate, against the day before,
//     with the alert when the SLA rate is under 70 %;
//   - [NoShowReport]: the week's bookings by employee: confirmed,
//     attended, no-show, cancelled, with the no-show rate's traffic light;
//   - [MarketingReport]: the month's spend, leads, CPL, revenue and ROI by
//     marketing channel (UTM source), in exact money;
//   - [Dashboard]: the One-Minute panel (leads, median, P90, SLA rate with
//     red/yellow/green), by channel, by hour of day and by day, and the
//     distribution of first-reply times;
//   - [BotDashboard]: a director's view of a sales bot: revenue (against
//     the period before and a plan), funnel, quality, savings, trends,
//     revenue by channel and weekly retention.
//
// Every report takes its period and an as-of time from the caller: the
// package never reads the clock. A lead belongs to the period in which its
// first customer message falls and is judged as of the as-of time, so a
// report of a day that is not over says so, and counts its unanswered leads
// as pending until their deadline passes.
//
// # Definitions
//
//	first reply time = first bot or human reply − first customer message     (seconds)
//	median, P90      = Hyndman–Fan type 7, as a spreadsheet's PERCENTILE      (seconds)
//	SLA rate         = met ÷ (leads − pending) × 100                           (percent 0–100)
//	status           = green at ≥ 80 %, yellow at ≥ 70 %, red below
//	confirmation     = confirmed ÷ bookings                                   (ratio 0–1)
//	no-show rate     = no-shows ÷ (attended + no-shows)                       (ratio 0–1)
//	CPL              = spend ÷ leads                                          (money)
//	channel ROI      = (attributed revenue − spend) ÷ spend × 100             (percent)
//	bot ROI          = (revenue + savings − bot costs) ÷ bot costs × 100      (percent)
//	escalation       = bot dialogs handed to a human ÷ bot dialogs            (ratio 0–1)
//
// A ratio with a zero denominator is undefined, not zero: "n/a" in text,
// null in JSON. Money is decimal with a currency; amounts of different
// currencies are never added (the daily digest lists one sum per currency;
// the other reports need [Options].Rates).
//
// # Periods
//
// [PeriodOf] gives the day, ISO week or month around a time in a zone;
// [LastComplete] the latest one that has ended by the as-of time; [Previous]
// and [PreviousRange] the one before, for the trends.
//
// # Rendering
//
// [Render] writes one or more reports in a [Format]. HTML is a single file
// with inline CSS and inline SVG, no script and no external request, which
// opens offline and reads on a phone; statuses are written in words beside
// their colour. The digest's and the dashboard's Message methods give the
// short text that package report/send delivers to Telegram or by e-mail.
//
// # Example
//
//	events, _, _ := onemin.Prepare(raw)
//	loc, _ := time.LoadLocation("Europe/Moscow")
//	day := report.LastComplete(report.Day, asOf, loc)
//	digest, err := report.NewDailyDigest(events, day, asOf, report.Options{Location: loc})
//	if err != nil { … }
//	report.Render(os.Stdout, report.Text, digest)
//	if digest.Alert != nil {
//		tg.Send(ctx, digest.Message())
//	}
//
// # Concurrency
//
// Reports and Options are plain values. The builders do not change the
// events they are given and may run concurrently on the same slice.
package report
