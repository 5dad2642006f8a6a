package kpi

import "time"

// Clock measures durations for SLA purposes: calendar time or business
// hours. Between returns the counted time between two instants (zero or
// more when from is not after to); Add returns the instant at which d of
// counted time has passed after from, which is an SLA deadline.
//
// A nil Clock means calendar time: Between is to.Sub(from) and Add is
// from.Add(d). A business-hours *Calendar satisfies Clock. A Clock used by
// this package from several goroutines must be safe for concurrent use.
type Clock interface {
	Between(from, to time.Time) time.Duration
	Add(from time.Time, d time.Duration) time.Time
}

// between measures from → to on c, or in calendar time when c is nil.
func measureOn(c Clock, from, to time.Time) time.Duration {
	if c == nil {
		return to.Sub(from)
	}
	return c.Between(from, to)
}

// deadline is the instant d of counted time after from on c.
func deadlineOn(c Clock, from time.Time, d time.Duration) time.Time {
	if c == nil {
		return from.Add(d)
	}
	return c.Add(from, d)
}

// clockLocation returns the time zone of c when it has one (a business
// calendar does), and nil otherwise.
func clockLocation(c Clock) *time.Location {
	if l, ok := c.(interface{ Location() *time.Location }); ok {
		return l.Location()
	}
	return nil
}
