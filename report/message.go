package report

import (
	"strconv"
	"strings"

	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/report/send"
)

// Message returns the digest as a short plain text for Telegram or e-mail,
// within Telegram's limit of 4096 characters: the day's leads, speed and
// conversions against the day before, and the alert when it fired.
func (d *DailyDigest) Message() send.Message {
	t, b := &d.Day, &d.Before
	subject := "Leads " + periodText(t.Period)
	if d.Title != "" {
		subject = d.Title + ": " + subject
	}
	var s strings.Builder
	if d.Alert != nil {
		s.WriteString("⚠ " + alertText(d.Alert, t.Period) + "\n\n")
	}
	line := func(label, value, change string) {
		s.WriteString(label + ": " + value)
		if change != "" {
			s.WriteString(" (" + change + ")")
		}
		s.WriteString("\n")
	}
	line("New leads", strconv.Itoa(t.Incoming), changeCount(t.Incoming, b.Incoming))
	line("Answered", strconv.Itoa(t.Answered), "unanswered "+strconv.Itoa(t.Unanswered))
	line("Median first reply", duration(t.KPI.Median), changeDuration(t.KPI.Median, b.KPI.Median))
	line("P90", duration(t.KPI.P90), "")
	line("SLA rate", percent(t.KPI.Rate)+" "+statusMark(t.KPI.Status), changePoints(t.KPI.Rate, b.KPI.Rate))
	line("Leads captured", strconv.Itoa(t.Leads), changeCount(t.Leads, b.Leads))
	line("Bookings", strconv.Itoa(t.Bookings), changeCount(t.Bookings, b.Bookings))
	line("Deals won", strconv.Itoa(t.Sales), changeCount(t.Sales, b.Sales))
	line("Revenue", moneys(t.Revenue), "vs "+moneys(b.Revenue))
	if !t.Complete {
		s.WriteString("(the day is not over yet)\n")
	}
	return send.Message{Subject: cleanText(subject), Text: fitMessage(strings.Join(cleanLines(strings.TrimRight(s.String(), "\n")), "\n"))}
}

// Message returns the dashboard's short text: the alert when it fired,
// else one line with the SLA rate and its status.
func (d *Dashboard) Message() send.Message {
	subject := "One-Minute KPI " + periodText(d.Period)
	if d.Title != "" {
		subject = d.Title + ": " + subject
	}
	if d.Alert != nil {
		return AlertMessage(d.Title, d.Alert)
	}
	s := &d.Summary
	text := "SLA rate " + percent(s.Rate) + " " + statusMark(s.Status) + ", median " + duration(s.Median) +
		", P90 " + duration(s.P90) + ", " + strconv.Itoa(s.Leads) + " leads, " + strconv.Itoa(s.Unanswered) + " unanswered"
	return send.Message{Subject: cleanText(subject), Text: fitMessage(cleanText(text))}
}

// AlertMessage returns the SLA alert as a short message for Telegram or
// e-mail; business names the business in the subject ("" for none).
func AlertMessage(business string, a *kpi.Alert) send.Message {
	subject := "SLA alert: " + strconv.FormatFloat(a.Rate, 'f', 1, 64) + "% < " + strconv.FormatFloat(a.Threshold, 'f', -1, 64) + "%"
	if business != "" {
		subject = business + ": " + subject
	}
	return send.Message{Subject: cleanText(subject), Text: fitMessage("⚠ " + cleanText(alertText(a, a.Period)))}
}

// statusMark is the light as a sign and a word: "🟢 green".
func statusMark(s kpi.Status) string { return statusBadge(s) }

// fitMessage keeps a message within Telegram's limit.
func fitMessage(s string) string { return send.Truncate(s, send.MaxTelegramText) }

// alertText says what the alert is about, with the period written as
// people read it (its last day, not the exclusive end).
func alertText(a *kpi.Alert, p Period) string {
	within := "within the target"
	if a.Target > 0 {
		within = "within " + seconds(a.Target.Seconds())
	}
	c := a.Counts
	return "SLA rate " + strconv.FormatFloat(a.Rate, 'f', 1, 64) + "% is below " + strconv.FormatFloat(a.Threshold, 'f', -1, 64) +
		"% for " + periodText(p) + ": " + strconv.Itoa(c.Met) + " of " + strconv.Itoa(c.Decided()) + " leads answered " + within +
		" (" + strconv.Itoa(c.Breached) + " breached, " + strconv.Itoa(c.Pending) + " pending)"
}
