package cohort

import "time"

// clock turns instants into civil day numbers of one time zone without a
// time.Time conversion per event: it keeps the zone offset in effect over
// an interval (for a fixed zone, all time) and looks it up again only when
// an instant falls outside, at a daylight-saving change say. A clock is
// not safe for concurrent use.
type clock struct {
	loc    *time.Location
	lo, hi int64 // the offset holds for Unix seconds in [lo, hi)
	off    int64 // seconds east of UTC
}

// Instants further than this from 1970 take the slow path, so that the
// arithmetic below cannot overflow (about 35 million years).
const farSeconds = 1 << 50

func newClock(loc *time.Location) *clock {
	return &clock{loc: loc, lo: 1, hi: 0} // an empty interval: the first call looks up
}

// day returns the civil day of t in the clock's zone (0 is 1970-01-01), as
// daysSinceEpoch(t.In(loc)) does.
func (c *clock) day(t time.Time) int {
	s := t.Unix()
	if s < -farSeconds || s > farSeconds {
		return daysSinceEpoch(t.In(c.loc))
	}
	if s < c.lo || s >= c.hi {
		lt := t.In(c.loc)
		_, off := lt.Zone()
		c.off = int64(off)
		// Zero bounds mean the zone holds since or until the end of time.
		c.lo, c.hi = -farSeconds-1, farSeconds+1
		start, end := lt.ZoneBounds()
		if !start.IsZero() {
			c.lo = start.Unix()
		}
		if !end.IsZero() {
			c.hi = end.Unix()
		}
	}
	return int(floorDiv64(s+c.off, 86400))
}

// index returns the number of period p that contains t, as p.index(t, loc)
// does.
func (c *clock) index(p Period, t time.Time) int {
	return periodOfDay(p, c.day(t))
}

// periodOfDay returns the number of period p that contains civil day d.
func periodOfDay(p Period, d int) int {
	switch p {
	case Month:
		y, m := civil(int64(d))
		return int(y)*12 + m - 1
	case Week:
		return floorDiv(d+3, 7)
	default:
		return d
	}
}

// civil returns the year and month (1–12) of civil day z (0 is
// 1970-01-01) in the proleptic Gregorian calendar, by Howard Hinnant's
// civil_from_days.
func civil(z int64) (year int64, month int) {
	z += 719468
	era := floorDiv64(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11], March first
	year = yoe + era*400
	if mp < 10 {
		month = int(mp) + 3
	} else {
		month = int(mp) - 9
		year++
	}
	return year, month
}

func floorDiv64(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}
