package csvio

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// spreadsheetEpoch is day 0 of spreadsheet serial dates (Excel, Google
// Sheets, LibreOffice): 1899-12-30, so that serial 1 is 1899-12-31 and
// 45931 is 2025-10-01.
const (
	spreadsheetEpochYear  = 1899
	spreadsheetEpochMonth = time.December
	spreadsheetEpochDay   = 30
	// maxSerial is 9999-12-31, the last day spreadsheets represent.
	maxSerial = 2958465
)

// zoneCache keeps the *time.Location of the last few UTC offsets seen, so
// that parsing "…+03:00" on every row does not allocate a zone each time.
type zoneCache struct {
	offs  [4]int
	locs  [4]*time.Location
	n     int
	evict int
}

func (z *zoneCache) fixed(off int) *time.Location {
	if off == 0 {
		return time.UTC
	}
	for i := 0; i < z.n; i++ {
		if z.offs[i] == off {
			return z.locs[i]
		}
	}
	loc := time.FixedZone("", off)
	i := z.n
	if i == len(z.offs) {
		i = z.evict
		z.evict = (z.evict + 1) % len(z.offs)
	} else {
		z.n++
	}
	z.offs[i], z.locs[i] = off, loc
	return loc
}

// parseTime reads the time forms of the file layouts and returns the time
// or, when s is not one of them, a reason in words. The forms are:
//
//   - RFC 3339 with an offset: 2026-10-01T12:00:00+03:00, …Z, with an
//     optional fraction of a second, a space allowed instead of the T and
//     the offset also written +0300 or +03;
//   - the same without an offset, and the day-first form
//     02.01.2006 15:04[:05], read as wall clock in loc;
//   - a spreadsheet serial number (days since 1899-12-30, a dot or a comma
//     before the fraction), the fraction being the wall clock in loc,
//     rounded to the millisecond.
//
// With loc nil, the zone-less forms are rejected.
func parseTime(s string, loc *time.Location, zones *zoneCache) (time.Time, string) {
	if t, ok := parseRFC3339(s, zones); ok {
		return t, ""
	}
	if len(s) >= 10 && s[4] == '-' {
		return parseISO(s, loc, zones)
	}
	if len(s) >= 10 && s[2] == '.' && s[5] == '.' {
		return parseDayFirst(s, loc)
	}
	if s != "" && (s[0] >= '0' && s[0] <= '9') {
		return parseSerial(s, loc)
	}
	return time.Time{}, "not a time: want RFC 3339 (2026-10-01T12:00:00+03:00), a local time with a configured zone, or a spreadsheet serial number"
}

// parseRFC3339 reads the common shape of a time in a file,
// 2006-01-02T15:04:05Z or 2006-01-02T15:04:05+03:00 (a space or a t
// allowed for the T, a z for the Z), faster than the general parser: it
// checks the fixed positions and counts the seconds since 1970 itself. It
// reports false for anything else, valid or not, and the general parser
// then reads it or gives the reason; on what it takes, it gives what the
// general parser gives.
func parseRFC3339(s string, zones *zoneCache) (time.Time, bool) {
	off := 0
	switch {
	case len(s) == 20 && (s[19] == 'Z' || s[19] == 'z'):
	case len(s) == 25 && (s[19] == '+' || s[19] == '-') && s[22] == ':':
		oh, ok1 := two(s, 20)
		om, ok2 := two(s, 23)
		if !ok1 || !ok2 || oh > 23 || om > 59 {
			return time.Time{}, false
		}
		off = oh*3600 + om*60
		if s[19] == '-' {
			off = -off
		}
	default:
		return time.Time{}, false
	}
	if s[4] != '-' || s[7] != '-' || s[10] != 'T' && s[10] != ' ' && s[10] != 't' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, false
	}
	yh, ok1 := two(s, 0)
	yl, ok2 := two(s, 2)
	mo, ok3 := two(s, 5)
	d, ok4 := two(s, 8)
	h, ok5 := two(s, 11)
	mi, ok6 := two(s, 14)
	sec, ok7 := two(s, 17)
	y := yh*100 + yl
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) ||
		y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) || h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, false
	}
	unix := daysSinceEpoch(y, mo, d)*86400 + int64(h*3600+mi*60+sec-off)
	return time.Unix(unix, 0).In(zones.fixed(off)), true
}

// two returns the value of the two digits s[i:i+2].
func two(s string, i int) (int, bool) {
	a, b := s[i]-'0', s[i+1]-'0'
	return int(a)*10 + int(b), a <= 9 && b <= 9
}

// daysSinceEpoch returns the days from 1970-01-01 to the given date of
// the proleptic Gregorian calendar, counting years from March so that the
// leap day ends a year (the days_from_civil algorithm of Howard Hinnant).
// It wants y >= 0.
func daysSinceEpoch(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400
	yoe := y - era*400                     // [0, 399]
	mp := (m + 9) % 12                     // March is 0
	doy := (153*mp+2)/5 + d - 1            // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy // [0, 146096]
	return int64(era)*146097 + int64(doe) - 719468
}

// digits returns the value of s[i:i+n] if it is all ASCII digits.
func digits(s string, i, n int) (int, bool) {
	if i+n > len(s) {
		return 0, false
	}
	v := 0
	for j := i; j < i+n; j++ {
		c := s[j]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

const badISO = "not a time: want 2006-01-02T15:04:05 with an offset such as +03:00 or Z"

func parseISO(s string, loc *time.Location, zones *zoneCache) (time.Time, string) {
	y, ok1 := digits(s, 0, 4)
	mo, ok2 := digits(s, 5, 2)
	d, ok3 := digits(s, 8, 2)
	if !ok1 || !ok2 || !ok3 || s[7] != '-' {
		return time.Time{}, badISO
	}
	if len(s) == 10 {
		return time.Time{}, "a date without a time of day"
	}
	if s[10] != 'T' && s[10] != ' ' && s[10] != 't' {
		return time.Time{}, badISO
	}
	h, mi, sec, ns, rest, ok := clock(s[11:])
	if !ok {
		return time.Time{}, badISO
	}
	return finish(y, mo, d, h, mi, sec, ns, rest, loc, zones)
}

func parseDayFirst(s string, loc *time.Location) (time.Time, string) {
	const bad = "not a time: want 02.01.2006 15:04:05"
	d, ok1 := digits(s, 0, 2)
	mo, ok2 := digits(s, 3, 2)
	y, ok3 := digits(s, 6, 4)
	if !ok1 || !ok2 || !ok3 {
		return time.Time{}, bad
	}
	if len(s) == 10 {
		return time.Time{}, "a date without a time of day"
	}
	if s[10] != ' ' {
		return time.Time{}, bad
	}
	h, mi, sec, ns, rest, ok := clock(s[11:])
	if !ok || rest != "" {
		return time.Time{}, bad
	}
	return finish(y, mo, d, h, mi, sec, ns, "", loc, nil)
}

// clock reads HH:MM[:SS[.fraction]] and returns what follows.
func clock(s string) (h, mi, sec, ns int, rest string, ok bool) {
	var ok1, ok2 bool
	h, ok1 = digits(s, 0, 2)
	mi, ok2 = digits(s, 3, 2)
	if !ok1 || !ok2 || s[2] != ':' {
		return 0, 0, 0, 0, "", false
	}
	s = s[5:]
	if len(s) > 0 && s[0] == ':' {
		if sec, ok1 = digits(s, 1, 2); !ok1 {
			return 0, 0, 0, 0, "", false
		}
		s = s[3:]
		if len(s) > 0 && (s[0] == '.' || s[0] == ',') {
			i := 1
			scale := 100000000
			for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
				ns += int(s[i]-'0') * scale
				scale /= 10
			}
			if i == 1 || i > 10 {
				return 0, 0, 0, 0, "", false
			}
			s = s[i:]
		}
	}
	return h, mi, sec, ns, s, true
}

// finish checks the ranges and applies the zone: the offset in zone, or loc
// when zone is empty.
func finish(y, mo, d, h, mi, sec, ns int, zone string, loc *time.Location, zones *zoneCache) (time.Time, string) {
	if y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysIn(time.Month(mo), y) {
		return time.Time{}, "no such date"
	}
	if h > 23 || mi > 59 || sec > 59 {
		return time.Time{}, "no such time of day"
	}
	if zone == "" {
		if loc == nil {
			return time.Time{}, "a time without an offset needs a configured time zone"
		}
		return time.Date(y, time.Month(mo), d, h, mi, sec, ns, loc), ""
	}
	if zone == "Z" || zone == "z" {
		return time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC), ""
	}
	if zone[0] != '+' && zone[0] != '-' {
		return time.Time{}, badISO
	}
	oh, ok := digits(zone, 1, 2)
	if !ok {
		return time.Time{}, badISO
	}
	om := 0
	switch len(zone) {
	case 3:
	case 5:
		om, ok = digits(zone, 3, 2)
	case 6:
		om, ok = digits(zone, 4, 2)
		ok = ok && zone[3] == ':'
	default:
		ok = false
	}
	if !ok || oh > 23 || om > 59 {
		return time.Time{}, badISO
	}
	off := oh*3600 + om*60
	if zone[0] == '-' {
		off = -off
	}
	// Build the instant in UTC (no zone lookup) and then show it in the
	// fixed zone, as time.Parse does.
	t := time.Date(y, time.Month(mo), d, h, mi, sec, ns, time.UTC).Add(-time.Duration(off) * time.Second)
	return t.In(zones.fixed(off)), ""
}

func daysIn(m time.Month, y int) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// parseSerial reads a spreadsheet serial date-time.
func parseSerial(s string, loc *time.Location) (time.Time, string) {
	num := s
	if strings.IndexByte(s, ',') >= 0 {
		num = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(num, 64)
	if err != nil || strings.ContainsAny(num, "eExXpP_+-") || math.IsInf(f, 0) || math.IsNaN(f) {
		return time.Time{}, "not a time: want RFC 3339 (2026-10-01T12:00:00+03:00), a local time with a configured zone, or a spreadsheet serial number"
	}
	if f < 1 || f >= maxSerial+1 {
		return time.Time{}, "spreadsheet serial number " + s + " is outside 1 (1899-12-31) to 2958465 (9999-12-31)"
	}
	if loc == nil {
		return time.Time{}, "a spreadsheet serial number needs a configured time zone"
	}
	ms := int64(math.Round(f * 86400e3))
	days, rem := ms/86400e3, ms%86400e3
	return time.Date(spreadsheetEpochYear, spreadsheetEpochMonth, spreadsheetEpochDay+int(days),
		0, 0, 0, int(rem)*int(time.Millisecond), loc), ""
}

// ParseTime reads a time in any of the forms a [Reader] accepts in a file:
// RFC 3339 with an offset (a space may replace the T; the offset may be
// written Z, +03:00, +0300 or +03); the same without an offset, or
// day-first as 02.01.2006 15:04:05, read as wall clock in loc; or a
// spreadsheet serial number (days since 1899-12-30, with a dot or a comma
// before the fraction), its fraction being the wall clock in loc, rounded
// to the millisecond. With loc nil the zone-less forms are an error.
//
// Serial numbers follow the 1899-12-30 epoch of Google Sheets and
// LibreOffice, which agrees with Excel from 1900-03-01 (serial 61) on;
// Excel counts a 29 February 1900 that never was.
func ParseTime(s string, loc *time.Location) (time.Time, error) {
	var z zoneCache
	t, why := parseTime(strings.TrimSpace(s), loc, &z)
	if why != "" {
		return time.Time{}, &TimeError{Value: s, Reason: why}
	}
	return t, nil
}

// TimeError is the error of [ParseTime]: the value and why it is not a time.
type TimeError struct {
	Value  string
	Reason string
}

// Error returns `"value": reason`.
func (e *TimeError) Error() string { return strconv.Quote(e.Value) + ": " + e.Reason }
