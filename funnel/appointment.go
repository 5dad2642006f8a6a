package funnel

import (
	"cmp"
	"slices"
	"time"

	"github.com/onemin/onemin"
)

// AppointmentRow is one row of the weekly no-show and confirmation report.
type AppointmentRow struct {
	// Key is the agent, or the Monday that starts the week
	// ("2006-01-02"), or "total"; in ByWeekAgent, "week agent".
	Key string `json:"key"`
	// Week and Agent are set in the rows of ByWeekAgent.
	Week  string `json:"week,omitempty"`
	Agent string `json:"agent,omitempty"`
	// Bookings counts booking events.
	Bookings int `json:"bookings"`
	// Confirmed, Attended, NoShow and Cancelled count the bookings with
	// that outcome. A booking has at most one of attended, no_show and
	// cancelled (the last one recorded) and may be confirmed as well.
	Confirmed int `json:"confirmed"`
	Attended  int `json:"attended"`
	NoShow    int `json:"no_show"`
	Cancelled int `json:"cancelled"`
	// ConfirmationRate is Confirmed ÷ Bookings, a ratio 0–1.
	ConfirmationRate onemin.Ratio `json:"confirmation_rate"`
	// NoShowRate is NoShow ÷ (Attended + NoShow), a ratio 0–1: the share
	// of the appointments that came due and were not cancelled. Bookings
	// still ahead, or cancelled, are not in it. Undefined (null) when no
	// appointment has come due.
	NoShowRate onemin.Ratio `json:"no_show_rate"`
}

// AppointmentReport is seed 001's weekly report: bookings, confirmations and
// no-shows per employee and per week.
type AppointmentReport struct {
	ByAgent []AppointmentRow `json:"by_agent"`
	ByWeek  []AppointmentRow `json:"by_week"`
	// ByWeekAgent is the weekly report proper: each week, each employee.
	ByWeekAgent []AppointmentRow `json:"by_week_agent"`
	Total       AppointmentRow   `json:"total"`
	// Unmatched counts confirmed, attended, no_show and cancelled events
	// with no booking of the same contact before them.
	Unmatched int `json:"unmatched"`
}

// booking is one appointment and what became of it.
type booking struct {
	at        time.Time
	agent     string
	confirmed bool
	outcome   onemin.Kind // Attended, NoShow, Cancelled or 0
}

// Appointments builds the report. Each outcome (confirmed, attended,
// no_show, cancelled) belongs to the contact's latest booking before it (by
// contact_id, or by conversation_id for events without one). A booking's
// agent is the booking event's agent, else the first agent among its
// outcomes, else [NoValue]; its week is the ISO week (Monday first) of the
// booking event in loc (nil means UTC). Rows are ordered by key.
func Appointments(events []onemin.Event, loc *time.Location) AppointmentReport {
	if loc == nil {
		loc = time.UTC
	}
	id := func(e *onemin.Event) string {
		if e.ContactID != "" {
			return "c:" + e.ContactID
		}
		if e.ConversationID != "" {
			return "d:" + e.ConversationID
		}
		return ""
	}
	isAppointment := func(e *onemin.Event) bool {
		switch e.Kind {
		case onemin.Booking, onemin.Confirmed, onemin.Attended, onemin.NoShow, onemin.Cancelled:
			return true
		}
		return false
	}
	order, start, _ := entities(events, id, isAppointment)
	var (
		rep    AppointmentReport
		all    []booking
		booked []booking
	)
	for k := 0; k+1 < len(start); k++ {
		booked = booked[:0]
		for _, i := range order[start[k]:start[k+1]] {
			e := &events[i]
			if e.Kind == onemin.Booking {
				booked = append(booked, booking{at: e.At, agent: e.Agent})
				continue
			}
			if len(booked) == 0 {
				rep.Unmatched++
				continue
			}
			b := &booked[len(booked)-1]
			if b.agent == "" {
				b.agent = e.Agent
			}
			if e.Kind == onemin.Confirmed {
				b.confirmed = true
			} else {
				b.outcome = e.Kind
			}
		}
		all = append(all, booked...)
	}
	byAgent := map[string]*AppointmentRow{}
	byWeek := map[string]*AppointmentRow{}
	byWeekAgent := map[string]*AppointmentRow{}
	rep.Total.Key = "total"
	for i := range all {
		b := &all[i]
		agent := b.agent
		if agent == "" {
			agent = NoValue
		}
		rep.Total.add(b)
		rowOf(byAgent, agent).add(b)
		week := weekStart(b.at.In(loc)).Format(time.DateOnly)
		rowOf(byWeek, week).add(b)
		r := rowOf(byWeekAgent, week+" "+agent)
		r.Week, r.Agent = week, agent
		r.add(b)
	}
	rep.Total.rates()
	rep.ByAgent = sortedRows(byAgent)
	rep.ByWeek = sortedRows(byWeek)
	rep.ByWeekAgent = sortedRows(byWeekAgent)
	return rep
}

func (r *AppointmentRow) add(b *booking) {
	r.Bookings++
	if b.confirmed {
		r.Confirmed++
	}
	switch b.outcome {
	case onemin.Attended:
		r.Attended++
	case onemin.NoShow:
		r.NoShow++
	case onemin.Cancelled:
		r.Cancelled++
	}
}

func (r *AppointmentRow) rates() {
	r.ConfirmationRate = onemin.Ratio{Num: r.Confirmed, Den: r.Bookings}
	r.NoShowRate = onemin.Ratio{Num: r.NoShow, Den: r.Attended + r.NoShow}
}

func rowOf(m map[string]*AppointmentRow, key string) *AppointmentRow {
	r := m[key]
	if r == nil {
		r = &AppointmentRow{Key: key}
		m[key] = r
	}
	return r
}

func sortedRows(m map[string]*AppointmentRow) []AppointmentRow {
	out := make([]AppointmentRow, 0, len(m))
	for _, r := range m {
		r.rates()
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b AppointmentRow) int { return cmp.Compare(a.Key, b.Key) })
	return out
}

// weekStart returns midnight of the Monday that starts t's ISO week, in t's
// location.
func weekStart(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7
	y, m, d := t.Date()
	return time.Date(y, m, d-back, 0, 0, 0, 0, t.Location())
}
