package report

import (
	"errors"
	"time"

	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/roi"
)

// ErrPeriod is wrapped by the error of a report asked for an empty or
// inverted period, or an as-of time before the period starts.
var ErrPeriod = errors.New("report: bad period")

// Options configure every report. The zero Options measure the first reply
// in calendar time against 60 s (any bot or human reply stops the clock),
// with linear (type 7) percentiles, the 80 % / 70 % traffic light, an alert
// below 70 %, days and hours in UTC, and no business name.
//
// Options are read-only once in use and then safe for concurrent use.
type Options struct {
	// Title names the business in headings ("Beauty salon, Kazan");
	// empty means none.
	Title string
	// Location is the time zone of days, weeks, months and hours of day;
	// nil means UTC.
	Location *time.Location
	// SLA holds the first-reply targets by channel; the zero SLA is 60 s.
	SLA kpi.SLA
	// Policy says which replies stop the clock; zero is any bot or human
	// reply.
	Policy kpi.ReplyPolicy
	// Clock measures durations: nil for calendar time, a *kpi.Calendar
	// for business hours.
	Clock kpi.Clock
	// Method is the percentile method; zero is linear (Hyndman–Fan type 7,
	// a spreadsheet's PERCENTILE).
	Method kpi.Method
	// Thresholds set the SLA traffic light; zero fields mean 80 % and 70 %.
	Thresholds kpi.Thresholds
	// Alert is the rule of the SLA alert; the zero rule fires below 70 %.
	Alert kpi.AlertRule
	// NoShow sets the traffic light of the weekly no-show rate; zero
	// fields mean under 10 % green and under 15 % yellow.
	NoShow NoShowTargets
	// Model shares revenue among channels in the marketing report and on
	// the bot dashboard; zero is first touch. [attribution.LastTouch] is
	// the usual choice to start with.
	Model attribution.Model
	// Lookback drops touches older than this before a payment when
	// revenue is attributed; zero means 30 days.
	Lookback time.Duration
	// Rates convert amounts of several currencies into one; nil makes a
	// mix of currencies an error (wrapping roi.ErrCurrencyMix), never a
	// silent sum.
	Rates *roi.Rates
}

// NoShowTargets are the traffic light of a no-show rate, in percent (0–100),
// where lower is better: green below Green, yellow below Yellow, red at or
// above Yellow. Zero fields mean 10 % and 15 %, the "under 10–15 % after
// reminders" goal.
type NoShowTargets struct {
	Green, Yellow float64
}

// DefaultLookback is the attribution lookback when [Options.Lookback] is zero.
const DefaultLookback = 30 * 24 * time.Hour

// Status returns the light of a no-show rate, a ratio 0–1; kpi.NoStatus when
// it is undefined.
func (t NoShowTargets) Status(rate float64, ok bool) kpi.Status {
	if !ok {
		return kpi.NoStatus
	}
	g, y := t.Green, t.Yellow
	if g == 0 {
		g = 10
	}
	if y == 0 {
		y = 15
	}
	switch p := rate * 100; {
	case p < g:
		return kpi.Green
	case p < y:
		return kpi.Yellow
	}
	return kpi.Red
}

func (o *Options) location() *time.Location {
	if o.Location == nil {
		return time.UTC
	}
	return o.Location
}

func (o *Options) lookback() time.Duration {
	if o.Lookback == 0 {
		return DefaultLookback
	}
	return o.Lookback
}

// kpiOptions are the options of kpi.Summarize for the first reply as of asOf.
func (o *Options) kpiOptions(asOf time.Time) kpi.Options {
	return kpi.Options{
		Policy:     o.Policy,
		SLA:        o.SLA,
		Clock:      o.Clock,
		Location:   o.location(),
		AsOf:       asOf,
		Method:     o.Method,
		Thresholds: o.Thresholds,
		KeepLeads:  true,
	}
}
