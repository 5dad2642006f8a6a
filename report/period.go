package report

import (
	"fmt"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

// Period is the span a report covers: From inclusive, To exclusive. It is
// the same type as [kpi.Period], so a report's period can be handed to an
// [kpi.AlertRule] as it is.
type Period = kpi.Period

// Span is the length of a report's period: a calendar day, an ISO week
// (Monday to Sunday) or a calendar month, in a time zone. The zero Span is
// Day.
type Span uint8

// The spans of the reports: the daily digest covers a Day, the no-show
// report a Week, the marketing report a Month; the dashboards take any.
const (
	Day Span = iota
	Week
	Month
)

// String returns "day", "week" or "month".
func (s Span) String() string {
	switch s {
	case Day:
		return "day"
	case Week:
		return "week"
	case Month:
		return "month"
	}
	return fmt.Sprintf("Span(%d)", uint8(s))
}

// ParseSpan returns the span named "day", "week" or "month".
func ParseSpan(name string) (Span, error) {
	switch name {
	case "day":
		return Day, nil
	case "week":
		return Week, nil
	case "month":
		return Month, nil
	}
	return 0, fmt.Errorf("report: unknown span %q (want day, week or month)", name)
}

// PeriodOf returns the span of calendar time that holds t, in loc (nil
// means UTC): the day from midnight to midnight, the ISO week from Monday
// midnight, or the month from the first. Its ends are midnights in loc, so a
// day is 23 or 25 hours long across a daylight-saving change.
func PeriodOf(s Span, t time.Time, loc *time.Location) Period {
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	y, m, d := t.Date()
	switch s {
	case Week:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		from := time.Date(y, m, d-back, 0, 0, 0, 0, loc)
		return Period{From: from, To: time.Date(y, m, d-back+7, 0, 0, 0, 0, loc)}
	case Month:
		return Period{From: time.Date(y, m, 1, 0, 0, 0, 0, loc), To: time.Date(y, m+1, 1, 0, 0, 0, 0, loc)}
	}
	return Period{From: time.Date(y, m, d, 0, 0, 0, 0, loc), To: time.Date(y, m, d+1, 0, 0, 0, 0, loc)}
}

// LastComplete returns the latest period of span s that has ended by asOf
// (its To is at or before asOf), in loc: for a daily digest read in the
// morning, yesterday.
func LastComplete(s Span, asOf time.Time, loc *time.Location) Period {
	p := PeriodOf(s, asOf, loc)
	if p.To.After(asOf) {
		return Previous(s, p)
	}
	return p
}

// Previous returns the period of span s just before p: the day, ISO week or
// calendar month that ends where p starts. For a period that is not a whole
// day, week or month (a custom range) use [PreviousRange].
func Previous(s Span, p Period) Period {
	loc := p.From.Location()
	y, m, d := p.From.Date()
	switch s {
	case Week:
		return Period{From: time.Date(y, m, d-7, 0, 0, 0, 0, loc), To: p.From}
	case Month:
		return Period{From: time.Date(y, m-1, 1, 0, 0, 0, 0, loc), To: p.From}
	}
	return Period{From: time.Date(y, m, d-1, 0, 0, 0, 0, loc), To: p.From}
}

// PreviousRange returns the period of the same number of calendar days
// that ends where p starts (of the same length in time when p does not
// start and end at midnights).
func PreviousRange(p Period) Period {
	loc := p.From.Location()
	if isMidnight(p.From) && isMidnight(p.To.In(loc)) {
		days := 0
		for t := p.From; t.Before(p.To); days++ {
			y, m, d := t.Date()
			t = time.Date(y, m, d+1, 0, 0, 0, 0, loc)
		}
		y, m, d := p.From.Date()
		return Period{From: time.Date(y, m, d-days, 0, 0, 0, 0, loc), To: p.From}
	}
	return Period{From: p.From.Add(-p.To.Sub(p.From)), To: p.From}
}

func isMidnight(t time.Time) bool {
	h, m, s := t.Clock()
	return h == 0 && m == 0 && s == 0 && t.Nanosecond() == 0
}

// in reports whether t falls in p.
func in(p Period, t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// checkPeriod returns an error for a period that is empty or inverted.
func checkPeriod(p Period) error {
	if p.From.IsZero() || p.To.IsZero() || !p.From.Before(p.To) {
		return fmt.Errorf("%w: period %v is empty (From must be before To)", ErrPeriod, p)
	}
	return nil
}

// countIn counts the events that fall in p.
func countIn(events []onemin.Event, p Period) int {
	n := 0
	for i := range events {
		if in(p, events[i].At) {
			n++
		}
	}
	return n
}
