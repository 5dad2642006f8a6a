package cohort

import (
	"fmt"
	"time"
)

// Period is the length of a retention period and of a time cohort:
// calendar months, ISO weeks (Monday to Sunday) or days, in the configured
// time zone. The zero Period is [Month].
type Period uint8

const (
	Month Period = iota // calendar months
	Week                // ISO weeks, Monday first
	Day                 // calendar days
)

// String returns "month", "week" or "day".
func (p Period) String() string {
	switch p {
	case Month:
		return "month"
	case Week:
		return "week"
	case Day:
		return "day"
	}
	return fmt.Sprintf("Period(%d)", uint8(p))
}

// ParsePeriod returns the period named "month", "week" or "day".
func ParsePeriod(s string) (Period, error) {
	for _, p := range []Period{Month, Week, Day} {
		if p.String() == s {
			return p, nil
		}
	}
	return 0, fmt.Errorf("cohort: unknown period %q (want day, week or month)", s)
}

// daysSinceEpoch returns the civil day number of t's date in its location
// (0 is 1970-01-01).
func daysSinceEpoch(t time.Time) int {
	y, m, d := t.Date()
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// index returns the number of the period that contains t in loc: months
// since year 0, ISO weeks or days since 1970.
func (p Period) index(t time.Time, loc *time.Location) int {
	t = t.In(loc)
	switch p {
	case Month:
		y, m, _ := t.Date()
		return y*12 + int(m) - 1
	case Week:
		// 1970-01-01 was a Thursday: day −3 is the Monday of week 0.
		return floorDiv(daysSinceEpoch(t)+3, 7)
	default:
		return daysSinceEpoch(t)
	}
}

// start returns the first instant of period number i in loc.
func (p Period) start(i int, loc *time.Location) time.Time {
	switch p {
	case Month:
		return time.Date(floorDiv(i, 12), time.Month(i-floorDiv(i, 12)*12+1), 1, 0, 0, 0, 0, loc)
	case Week:
		return time.Date(1970, 1, 1+i*7-3, 0, 0, 0, 0, loc)
	default:
		return time.Date(1970, 1, 1+i, 0, 0, 0, 0, loc)
	}
}

// label names period number i: "2025-03" for a month, the first day
// "2025-03-03" for a week or a day.
func (p Period) label(i int, loc *time.Location) string {
	if p == Month {
		return p.start(i, loc).Format("2006-01")
	}
	return p.start(i, loc).Format(time.DateOnly)
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}
