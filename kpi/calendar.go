package kpi

import (
	"fmt"
	"math"
	"strings"
	"time"

	// Time zones must work on systems without a zone database.
	_ "time/tzdata"
)

// Calendar is a business-hours calendar: a weekly [Schedule] of wall-clock
// intervals, holidays and extra working days, in an IANA time zone. It
// measures durations in open time only: [Calendar.Between] is the open time
// between two instants, and [Calendar.Add] the instant by which a given open
// time has passed (an SLA deadline in business hours).
//
// The rules:
//
//   - Wall-clock intervals are resolved in the zone on each date, so they
//     stay right across daylight-saving and other offset changes: a
//     09:00–18:00 day is 9 hours on both sides of a change, while a
//     00:00–24:00 day is 23 or 25 hours on the day of the change. A wall time
//     that happens twice resolves to the earlier instant; one skipped by
//     setting the clocks forward resolves later by the length of the gap.
//   - An overnight interval belongs to the day it starts on: on a Friday
//     schedule "22:00-06:00" opens Friday 22:00 and closes Saturday 06:00. A
//     holiday on Friday cancels all of it; a holiday on Saturday cancels
//     none of it (but cancels Saturday's own intervals).
//   - A holiday is a date, in the calendar's zone, on which nothing opens.
//   - An extra working day is a date on which given hours replace the week's
//     hours for that weekday (a working Saturday, or changed hours on one
//     date). A date cannot be both.
//   - Where intervals overlap (an overnight interval and the next morning's
//     hours) the open time is their union, never counted twice.
//
// The nil *Calendar and [AlwaysOpen] are open at all times: their Between
// is the plain elapsed time. A Calendar is immutable after [NewCalendar] and
// safe for concurrent use.
type Calendar struct {
	loc      *time.Location
	week     Schedule
	always   bool
	holidays map[int64]bool   // civil day number → closed
	extra    map[int64][]span // civil day number → hours on that date
	lastDay  int64            // the latest extra working day, or MinInt64
}

// AlwaysOpen is the calendar that is open every second, in UTC: its
// [Calendar.Between] is to − from and its [Calendar.Add] is from + d. It is
// what "calendar time" means where a business-hours calendar is expected.
var AlwaysOpen = &Calendar{loc: time.UTC, always: true}

// CalendarOption adds holidays or extra working days to a [Calendar] made
// by [NewCalendar].
type CalendarOption func(*calendarConfig)

type calendarConfig struct {
	holidays []string
	extra    []extraDays
}

type extraDays struct {
	hours string
	dates []string
}

// DateLayout is the layout of the dates that [WithHolidays] and
// [WithWorkingDays] take: "2006-01-02", a date in the calendar's zone.
const DateLayout = time.DateOnly

// WithHolidays closes the calendar on the given dates, each written
// "2026-01-07" ([DateLayout]) in the calendar's zone. An interval that
// starts the evening before a holiday and runs overnight into it is kept.
func WithHolidays(dates ...string) CalendarOption {
	return func(c *calendarConfig) { c.holidays = append(c.holidays, dates...) }
}

// WithWorkingDays opens the calendar on the given dates ("2026-11-01",
// [DateLayout]) with the given hours, which replace the week's hours for
// that date. hours takes the hours part of the [ParseSchedule] grammar:
// "09:00-18:00", "10:00-14:00,15:00-19:00", "22:00-06:00".
func WithWorkingDays(hours string, dates ...string) CalendarOption {
	return func(c *calendarConfig) { c.extra = append(c.extra, extraDays{hours, dates}) }
}

// NewCalendar returns a calendar open on week's hours in loc, with the
// options' holidays and extra working days. A nil loc means UTC. It returns
// an error wrapping [ErrSchedule] if a date is not "YYYY-MM-DD", the hours of
// a working day do not parse, or a date is both a holiday and a working day.
func NewCalendar(loc *time.Location, week Schedule, opts ...CalendarOption) (*Calendar, error) {
	if loc == nil {
		loc = time.UTC
	}
	var cfg calendarConfig
	for _, o := range opts {
		o(&cfg)
	}
	c := &Calendar{loc: loc, week: week, lastDay: math.MinInt64}
	for _, s := range cfg.holidays {
		d, err := parseDay(s)
		if err != nil {
			return nil, err
		}
		if c.holidays == nil {
			c.holidays = make(map[int64]bool)
		}
		c.holidays[d] = true
	}
	for _, e := range cfg.extra {
		spans, err := parseSpans(e.hours)
		if err != nil {
			return nil, fmt.Errorf("%w: working-day hours %q: %v", ErrSchedule, e.hours, err)
		}
		for _, s := range e.dates {
			d, err := parseDay(s)
			if err != nil {
				return nil, err
			}
			if c.holidays[d] {
				return nil, fmt.Errorf("%w: %s is both a holiday and a working day", ErrSchedule, s)
			}
			if c.extra == nil {
				c.extra = make(map[int64][]span)
			}
			c.extra[d] = spans
			c.lastDay = max(c.lastDay, d)
		}
	}
	return c, nil
}

// parseDay reads a YYYY-MM-DD date as a civil day number.
func parseDay(s string) (int64, error) {
	t, err := time.Parse(DateLayout, strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrSchedule, s)
	}
	return floorDiv(t.Unix(), secondsPerDay), nil
}

// Location returns the calendar's time zone; UTC for the nil calendar and
// [AlwaysOpen].
func (c *Calendar) Location() *time.Location {
	if c == nil || c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// Schedule returns the calendar's weekly hours (the zero Schedule for the
// nil calendar and [AlwaysOpen]).
func (c *Calendar) Schedule() Schedule {
	if c == nil {
		return Schedule{}
	}
	return c.week
}

func (c *Calendar) alwaysOpen() bool { return c == nil || c.always }

// Between returns the open time between from and to: the length of the
// part of [from, to) that falls in the calendar's open intervals. It is 0
// if to is not after from. Between(a, c) = Between(a, b) + Between(b, c) for
// a ≤ b ≤ c. Durations longer than about 292 years saturate.
func (c *Calendar) Between(from, to time.Time) time.Duration {
	if !to.After(from) {
		return 0
	}
	if c.alwaysOpen() {
		return to.Sub(from)
	}
	var total time.Duration
	c.walk(from, func(s, e time.Time) bool {
		if !s.Before(to) {
			return false
		}
		if e.After(to) {
			e = to
		}
		total = satAdd(total, e.Sub(s))
		return true
	})
	return total
}

// Add returns the earliest instant t at which d of open time has passed
// since from, so that Between(from, t) == d: an SLA deadline of d business
// time. For d ≤ 0 it returns from. If the calendar never gives d of open
// time after from (its week is closed and its working days run out), Add
// returns the zero Time.
func (c *Calendar) Add(from time.Time, d time.Duration) time.Time {
	if d <= 0 {
		return from
	}
	if c.alwaysOpen() {
		return from.Add(d)
	}
	var deadline time.Time
	c.walk(from, func(s, e time.Time) bool {
		if open := e.Sub(s); d > open {
			d -= open
			return true
		}
		deadline = s.Add(d).In(c.loc)
		return false
	})
	return deadline
}

// IsOpen reports whether t falls in an open interval.
func (c *Calendar) IsOpen(t time.Time) bool {
	if c.alwaysOpen() {
		return true
	}
	open := false
	c.walk(t, func(s, e time.Time) bool {
		open = !s.After(t)
		return false
	})
	return open
}

// NextOpen returns t if the calendar is open at t, else the instant it
// next opens; the zero Time if it never opens again.
func (c *Calendar) NextOpen(t time.Time) time.Time {
	if c.alwaysOpen() {
		return t
	}
	var next time.Time
	c.walk(t, func(s, e time.Time) bool {
		next = s.In(c.loc)
		return false
	})
	return next
}

// hours returns the open intervals of civil day n.
func (c *Calendar) hours(n int64) []span {
	if c.holidays[n] {
		return nil
	}
	if spans, ok := c.extra[n]; ok {
		return spans
	}
	return c.week.days[weekday(n)]
}

// walk calls yield with the open intervals [s, e) at or after from, clipped
// to start no earlier than from and to not overlap one another, in time
// order, until yield returns false or the calendar opens no more.
func (c *Calendar) walk(from time.Time, yield func(s, e time.Time) bool) {
	z := zoneCache{loc: c.loc}
	local := from.In(c.loc)
	y, m, d := local.Date()
	// Start two days early: an overnight interval of the day before can
	// still be open, and an offset change can shift a date by hours.
	day := floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay) - 2
	cursor := from
	weekClosed := c.week.IsZero()
	for ; ; day++ {
		if weekClosed && day > c.lastDay {
			return
		}
		midnight := day * secondsPerDay
		for _, sp := range c.hours(day) {
			e := time.Unix(z.resolve(midnight+int64(sp.end)), 0)
			if !e.After(cursor) {
				continue
			}
			s := time.Unix(z.resolve(midnight+int64(sp.start)), 0)
			if s.Before(cursor) {
				s = cursor
			}
			cursor = e
			if !yield(s, e) {
				return
			}
		}
	}
}

// weekday returns the day of the week of civil day n (day 0, 1970-01-01,
// was a Thursday).
func weekday(n int64) time.Weekday {
	return time.Weekday((n%7 + 7 + 4) % 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func satAdd(a, b time.Duration) time.Duration {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxInt64
}
