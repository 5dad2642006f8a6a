package kpi

import (
	"fmt"
	"strconv"
	"time"
)

// Period is a span of time a summary covers: From inclusive, To exclusive.
type Period struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
}

// String returns the period as "from – to" in RFC 3339, or as dates when
// both ends are midnights.
func (p Period) String() string {
	layout := time.RFC3339
	if isMidnight(p.From) && isMidnight(p.To) {
		layout = time.DateOnly
	}
	return p.From.Format(layout) + " – " + p.To.Format(layout)
}

func isMidnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// AlertRule raises an alert when the SLA rate of a period falls below a
// threshold: the One-Minute KPI's daily "SLA rate under 70 %" notice. The
// zero AlertRule alerts below 70 %. It is a plain value, safe for
// concurrent use.
type AlertRule struct {
	// Threshold is the SLA rate, in percent (0–100), below which the rule
	// fires; zero means [DefaultYellow] (70 %).
	Threshold float64
	// MinDecided is the fewest decided (not pending) leads for which the
	// rule fires, so that one late reply on a quiet night does not page
	// anyone; zero means 1.
	MinDecided int
}

// Alert is a fired [AlertRule]: what to send, and the numbers behind it.
type Alert struct {
	Period Period `json:"period"`
	// Rate is the SLA rate of the period and Threshold the rule's, both
	// in percent (0–100).
	Rate      float64 `json:"sla_rate"`
	Threshold float64 `json:"threshold"`
	// Target is the SLA target (zero when leads had different targets).
	Target time.Duration `json:"-"`
	Counts Counts        `json:"counts"`
	// Message is a one-line text for a messenger or an e-mail.
	Message string `json:"message"`
}

// Check returns the alert for summary s of period p, and whether the rule
// fires: it fires when the SLA rate is defined, the decided leads are at
// least MinDecided, and the rate is below the threshold. It does not fire
// at or above the threshold or when the rate is undefined.
func (r AlertRule) Check(p Period, s Summary) (Alert, bool) {
	th := r.Threshold
	if th == 0 {
		th = DefaultYellow
	}
	minDecided := max(r.MinDecided, 1)
	rate, ok := s.Rate.Get()
	if !ok || s.Decided() < minDecided || rate >= th {
		return Alert{}, false
	}
	a := Alert{Period: p, Rate: rate, Threshold: th, Target: s.Target, Counts: s.Counts}
	within := "within the target"
	if s.Target > 0 {
		within = "within " + s.Target.String()
	}
	a.Message = fmt.Sprintf("SLA rate %s%% is below %s%% for %s: %d of %d leads answered %s (%d breached, %d pending)",
		strconv.FormatFloat(rate, 'f', 1, 64), strconv.FormatFloat(th, 'f', -1, 64), p,
		s.Met, s.Decided(), within, s.Breached, s.Pending)
	return a, true
}
