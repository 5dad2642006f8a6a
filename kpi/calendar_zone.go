package kpi

import (
	"math"
	"time"
)

// zoneCache turns wall-clock times of a location into instants. It remembers
// the zone period (a stretch of time with one UTC offset) it saw last, so
// that resolving the many wall times of a long span costs a subtraction per
// time and a zone lookup only near an offset change. It is not safe for
// concurrent use; each call of a Calendar method makes its own.
type zoneCache struct {
	loc        *time.Location
	start, end int64 // the cached period, in Unix seconds: [start, end)
	offset     int64 // its UTC offset, in seconds
	ok         bool
}

// maxOffset bounds the size of any UTC offset (the largest in use is +14:00).
const maxOffset = 26 * 3600

// period returns the zone period that holds the instant u (Unix seconds).
func (z *zoneCache) period(u int64) (start, end, offset int64) {
	if z.ok && u >= z.start && u < z.end {
		return z.start, z.end, z.offset
	}
	t := time.Unix(u, 0).In(z.loc)
	_, off := t.Zone()
	s, e := t.ZoneBounds()
	z.start, z.end, z.offset, z.ok = math.MinInt64, math.MaxInt64, int64(off), true
	if !s.IsZero() {
		z.start = s.Unix()
	}
	if !e.IsZero() {
		z.end = e.Unix()
	}
	return z.start, z.end, z.offset
}

// resolve returns the instant (Unix seconds) at which the location's wall
// clock shows w, where w is the wall time written as seconds since
// 1970-01-01 00:00 on that clock.
//
// A wall time that happens twice (clocks set back) resolves to the earlier
// instant. A wall time that never happens (clocks set forward) resolves as if
// the offset before the change still held, that is, later by the length of
// the gap: 02:30 on the night Berlin moves from 02:00 to 03:00 is 03:30. This
// is the rule of java.time and of most calendar software.
func (z *zoneCache) resolve(w int64) int64 {
	// Fast path: the candidate instant lies in the cached period, far enough
	// from its edges that no other period can also claim the wall time.
	if z.ok {
		c := w - z.offset
		if c-maxOffset >= z.start && c+maxOffset < z.end {
			return c
		}
	}
	// Every instant c with c + offset(c) == w lies within maxOffset of w.
	// Walk the periods over that window, earliest first.
	var gapFallback int64
	gap := false
	for u := w - maxOffset; u <= w+maxOffset; {
		start, end, off := z.period(u)
		c := w - off
		switch {
		case c >= start && c < end:
			return c
		case c >= end:
			// The wall time comes after this period ends on its own
			// clock; if no later period claims it, it is in a gap.
			gapFallback, gap = c, true
		}
		if end == math.MaxInt64 {
			break
		}
		u = end
	}
	if gap {
		return gapFallback
	}
	// Not reachable for a real time zone; fall back to the cached offset.
	_, _, off := z.period(w)
	return w - off
}
