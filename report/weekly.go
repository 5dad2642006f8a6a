package report

import (
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/funnel"
	"github.com/onemin/onemin/kpi"
)

// NoShowReport is the weekly no-show and confirmation report by employee:
// for the bookings made in the period, how many were confirmed, attended,
// missed (no-show) or cancelled, per employee and in total, beside the
// period before. A NoShowReport is a plain value.
//
// A booking belongs to the period in which it was made; its outcome counts
// whenever it was recorded, up to AsOf. The rates are ratios 0–1:
//
//	confirmation rate = confirmed ÷ bookings
//	no-show rate      = no-shows ÷ (attended + no-shows)
//
// (undefined when the denominator is zero). Status is the no-show rate's
// traffic light by [NoShowTargets], lower being better.
type NoShowReport struct {
	// Title names the business (Options.Title); empty for none.
	Title string `json:"title,omitempty"`
	// Period is the span reported on, in the report's zone, and AsOf the
	// time its outcomes were judged at; TimeZone names the zone.
	Period   Period    `json:"period"`
	AsOf     time.Time `json:"as_of"`
	TimeZone string    `json:"time_zone"`
	// Complete reports whether the period had ended by AsOf.
	Complete bool `json:"complete"`
	// ByAgent has a row per employee who took a booking, by name
	// ("(none)" for bookings without one).
	ByAgent []AgentNoShow `json:"by_agent"`
	// Total is every booking of the period, and Status the traffic light
	// of its no-show rate.
	Total  funnel.AppointmentRow `json:"total"`
	Status kpi.Status            `json:"status"`
	// PreviousPeriod is the period of equal length before Period, and
	// Previous its total.
	PreviousPeriod Period                `json:"previous_period"`
	Previous       funnel.AppointmentRow `json:"previous"`
	// PreviousEvents counts the events of the period before (known at
	// AsOf); with none, no change is shown.
	PreviousEvents int `json:"previous_events"`
}

// AgentNoShow is one employee's row with its no-show traffic light.
type AgentNoShow struct {
	funnel.AppointmentRow
	Status kpi.Status `json:"status"`
}

// NewNoShowReport builds the no-show report of the bookings made in p
// (normally an ISO week: PeriodOf(Week, …)) from events as of asOf.
// events should have passed onemin.Prepare. The error wraps ErrPeriod when p
// is empty or asOf is before it.
func NewNoShowReport(events []onemin.Event, p Period, asOf time.Time, opts Options) (*NoShowReport, error) {
	if err := checkAsOf(p, asOf); err != nil {
		return nil, err
	}
	loc := opts.location()
	p = Period{From: p.From.In(loc), To: p.To.In(loc)}
	r := &NoShowReport{Title: opts.Title, Period: p, AsOf: asOf.In(loc), TimeZone: loc.String(),
		Complete: !asOf.Before(p.To), PreviousPeriod: PreviousRange(p)}
	cur := appointments(events, p, asOf, loc)
	r.Total = cur.Total
	r.Status = opts.NoShow.Status(cur.Total.NoShowRate.Value())
	r.ByAgent = make([]AgentNoShow, len(cur.ByAgent))
	for i, row := range cur.ByAgent {
		r.ByAgent[i] = AgentNoShow{AppointmentRow: row, Status: opts.NoShow.Status(row.NoShowRate.Value())}
	}
	r.Previous = appointments(events, r.PreviousPeriod, asOf, loc).Total
	r.PreviousEvents = countIn(events, r.PreviousPeriod)
	return r, nil
}

// appointments runs funnel.Appointments over the bookings made in p and
// their outcomes up to asOf. An outcome belongs to its contact's latest
// booking before it, so the outcomes that belong to a booking of p are those
// after it and before the contact's first booking after p; outcomes of
// earlier bookings find no booking of p before them and fall in Unmatched,
// which the report leaves out.
func appointments(events []onemin.Event, p Period, asOf time.Time, loc *time.Location) funnel.AppointmentReport {
	type key struct{ tenant, id string }
	keyOf := func(e *onemin.Event) key {
		if e.ContactID != "" {
			return key{e.Tenant, e.ContactID}
		}
		return key{e.Tenant, "\x00" + e.ConversationID}
	}
	next := map[key]time.Time{} // each contact's first booking at or after p.To
	for i := range events {
		e := &events[i]
		if e.Kind == onemin.Booking && !e.At.Before(p.To) && !e.At.After(asOf) {
			k := keyOf(e)
			if t, ok := next[k]; !ok || e.At.Before(t) {
				next[k] = e.At
			}
		}
	}
	var keep []onemin.Event
	for i := range events {
		e := &events[i]
		if e.At.Before(p.From) || e.At.After(asOf) {
			continue
		}
		switch e.Kind {
		case onemin.Booking:
			if e.At.Before(p.To) {
				keep = append(keep, *e)
			}
		case onemin.Confirmed, onemin.Attended, onemin.NoShow, onemin.Cancelled:
			if t, ok := next[keyOf(e)]; !ok || e.At.Before(t) {
				keep = append(keep, *e)
			}
		}
	}
	return funnel.Appointments(keep, loc)
}
