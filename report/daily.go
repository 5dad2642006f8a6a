package report

import (
	"slices"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/roi"
)

// DailyDigest is the daily lead digest: what came in on a day, how fast it
// was answered and what it turned into, beside the day before, with the SLA
// alert when the day's rate is under the rule's threshold. A DailyDigest is
// a plain value.
type DailyDigest struct {
	// Title names the business (Options.Title); empty for none. AsOf is
	// the time the figures were taken at; TimeZone names the report's zone.
	Title    string    `json:"title,omitempty"`
	AsOf     time.Time `json:"as_of"`
	TimeZone string    `json:"time_zone"`
	// BusinessHours is true when reply times were measured in business
	// hours only ([Options.Clock]); the text forms say so under the as-of
	// line.
	BusinessHours bool `json:"business_hours,omitempty"`
	// Day is the digest's day; Before is the day before it.
	Day    DayFigures `json:"day"`
	Before DayFigures `json:"before"`
	// Alert is set when the alert rule fires on Day's summary.
	Alert *kpi.Alert `json:"alert"`
}

// DayFigures are the figures of one period (a day, in the digest).
//
// Incoming, Answered and Unanswered count leads: conversations whose first
// customer message falls in the period, answered or not by AsOf. Messages and
// Replies count events in the period: customer messages, and replies by a
// bot or a human (automation does not reply). Conversions count the
// conversion events in the period, whichever day their dialog began.
type DayFigures struct {
	// Period is the span counted (a calendar day in the digest).
	Period Period `json:"period"`
	// Complete reports whether the period had ended by the as-of time.
	Complete bool `json:"complete"`
	// Events counts the events of the period known at the as-of time.
	Events     int `json:"events"`
	Incoming   int `json:"incoming"`
	Answered   int `json:"answered"`
	Unanswered int `json:"unanswered"`
	Messages   int `json:"messages"`
	Replies    int `json:"replies"`
	// Leads, Bookings, Sales and Payments count lead, booking, deal_won
	// and payment events.
	Leads    int `json:"leads"`
	Bookings int `json:"bookings"`
	Sales    int `json:"sales"`
	Payments int `json:"payments"`
	// Revenue is the sum of the payments, one amount per currency
	// (ordered by code): different currencies are never added.
	Revenue []roi.Money `json:"revenue"`
	// KPI is the One-Minute KPI of the incoming leads: median, P90 (in
	// seconds) and the SLA rate (percent) with its status.
	KPI kpi.Summary `json:"kpi"`
}

// NewDailyDigest builds the digest of day (a period, normally
// PeriodOf(Day, …) or LastComplete(Day, asOf, loc)) from events as of asOf.
// The day before is the calendar day before day.From. events should have
// passed onemin.Prepare; events after asOf are left out. The error wraps
// ErrPeriod when day is empty or asOf is before it.
func NewDailyDigest(events []onemin.Event, day Period, asOf time.Time, opts Options) (*DailyDigest, error) {
	if err := checkAsOf(day, asOf); err != nil {
		return nil, err
	}
	loc := opts.location()
	day = Period{From: day.From.In(loc), To: day.To.In(loc)}
	m := measure(events, &opts, asOf)
	d := &DailyDigest{Title: opts.Title, AsOf: asOf.In(loc), TimeZone: loc.String(), BusinessHours: opts.Clock != nil}
	d.Day = m.figures(events, day, asOf)
	d.Before = m.figures(events, PreviousRange(day), asOf)
	if a, ok := opts.Alert.Check(day, d.Day.KPI); ok {
		d.Alert = &a
	}
	return d, nil
}

// figures counts the events of p known at asOf.
func (m *measured) figures(events []onemin.Event, p Period, asOf time.Time) DayFigures {
	f := DayFigures{Period: p, Complete: !asOf.Before(p.To), KPI: m.summary(p, nil)}
	f.Incoming, f.Answered, f.Unanswered = f.KPI.Leads, f.KPI.Answered, f.KPI.Unanswered
	sums := map[string]roi.Money{}
	for i := range events {
		e := &events[i]
		if !in(p, e.At) || e.At.After(asOf) {
			continue
		}
		f.Events++
		switch e.Kind {
		case onemin.MessageIn:
			f.Messages++
		case onemin.MessageOut:
			if e.Actor == onemin.Bot || e.Actor == onemin.Human {
				f.Replies++
			}
		case onemin.Lead:
			f.Leads++
		case onemin.Booking:
			f.Bookings++
		case onemin.DealWon:
			f.Sales++
		case onemin.Payment:
			f.Payments++
			s := sums[e.Currency]
			s.Currency = e.Currency
			s.Amount = s.Amount.Add(e.Amount)
			sums[e.Currency] = s
		}
	}
	f.Revenue = sortedMoney(sums)
	return f
}

// sortedMoney returns the sums ordered by currency code, never nil.
func sortedMoney(sums map[string]roi.Money) []roi.Money {
	out := make([]roi.Money, 0, len(sums))
	for _, s := range sums {
		out = append(out, s)
	}
	slices.SortFunc(out, func(a, b roi.Money) int {
		switch {
		case a.Currency < b.Currency:
			return -1
		case a.Currency > b.Currency:
			return 1
		}
		return 0
	})
	return out
}
