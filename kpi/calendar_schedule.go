package kpi

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ErrSchedule is wrapped by every error of [ParseSchedule] and
// [NewCalendar] about the text of a schedule, an interval or a date.
var ErrSchedule = errors.New("kpi: bad schedule")

// span is one open interval of a day, in seconds after the day's wall-clock
// midnight: [start, end). start is in [0, 24h); end is in (start, start+24h],
// so an overnight interval has end > 24h and runs into the next day.
type span struct{ start, end int32 }

const secondsPerDay = 24 * 60 * 60

// Schedule is a weekly pattern of opening hours: for each day of the week,
// zero or more wall-clock intervals. The zero Schedule is closed every day.
// A Schedule is a value; it is safe to copy and for concurrent use.
//
// Build one with [ParseSchedule]. Intervals of a day are kept sorted and
// merged where they overlap or touch.
type Schedule struct {
	days [7][]span // indexed by time.Weekday
}

// MustParseSchedule is like [ParseSchedule] but panics on an error. It is
// meant for package-level variables and tests with constant text.
func MustParseSchedule(text string) Schedule {
	s, err := ParseSchedule(text)
	if err != nil {
		panic(err)
	}
	return s
}

// ParseSchedule reads a weekly schedule such as
//
//	mon-fri 09:00-18:00; sat 10:00-16:00
//	mon-thu 09:00-13:00,14:00-18:00; fri 09:00-13:00, 22:00-06:00; sun closed
//	daily 00:00-24:00
//
// The grammar: rules separated by ";" or new lines; each rule is a set of
// days followed by their hours.
//
//   - Days: mon tue wed thu fri sat sun (or full English names, any case),
//     ranges "mon-fri" (a range may wrap: "sat-mon" is sat, sun, mon), comma
//     lists "mon,wed,fri", mixes "mon-wed,fri", and "daily" for all seven.
//   - Hours: "closed", or a comma list of intervals HH:MM-HH:MM in the
//     calendar's wall clock. 24:00 is allowed as an end ("00:00-24:00" is the
//     whole day). An interval whose end is not after its start is overnight:
//     "22:00-06:00" opens at 22:00 and closes at 06:00 the next morning; it
//     belongs to the day it starts on (see [Calendar]). An interval may not
//     be empty ("09:00-09:00" is an error).
//
// A later rule replaces the hours of the days it names, so
// "mon-fri 09:00-18:00; fri 09:00-16:00" closes Friday at 16:00. Days that no
// rule names are closed. An empty text is the closed schedule. Errors wrap
// [ErrSchedule] and quote the rule at fault.
func ParseSchedule(text string) (Schedule, error) {
	var s Schedule
	for _, rule := range strings.FieldsFunc(text, func(r rune) bool { return r == ';' || r == '\n' }) {
		rule = strings.TrimSpace(rule)
		if rule == "" {
			continue
		}
		cut := strings.IndexFunc(rule, func(r rune) bool { return r >= '0' && r <= '9' })
		if low := strings.ToLower(rule); strings.HasSuffix(low, "closed") && (cut < 0 || cut > len(rule)-len("closed")) {
			cut = len(rule) - len("closed")
		}
		if cut < 0 {
			return Schedule{}, fmt.Errorf("%w: rule %q has no hours (want e.g. \"mon-fri 09:00-18:00\" or \"sun closed\")", ErrSchedule, rule)
		}
		days, err := parseDays(rule[:cut])
		if err != nil {
			return Schedule{}, fmt.Errorf("%w: rule %q: %v", ErrSchedule, rule, err)
		}
		spans, err := parseSpans(rule[cut:])
		if err != nil {
			return Schedule{}, fmt.Errorf("%w: rule %q: %v", ErrSchedule, rule, err)
		}
		for d := range 7 {
			if days&(1<<d) != 0 {
				s.days[d] = slices.Clone(spans)
			}
		}
	}
	return s, nil
}

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "sunday": time.Sunday,
	"mon": time.Monday, "monday": time.Monday,
	"tue": time.Tuesday, "tuesday": time.Tuesday,
	"wed": time.Wednesday, "wednesday": time.Wednesday,
	"thu": time.Thursday, "thursday": time.Thursday,
	"fri": time.Friday, "friday": time.Friday,
	"sat": time.Saturday, "saturday": time.Saturday,
}

// parseDays returns the named days as a bit set indexed by time.Weekday.
func parseDays(text string) (uint8, error) {
	text = strings.ToLower(strings.Join(strings.Fields(text), ""))
	if text == "" {
		return 0, errors.New("no days (want e.g. \"mon-fri\" or \"daily\")")
	}
	if text == "daily" {
		return 0x7f, nil
	}
	var set uint8
	for _, item := range strings.Split(text, ",") {
		first, last, isRange := strings.Cut(item, "-")
		from, ok := dayNames[first]
		if !ok {
			return 0, fmt.Errorf("unknown day %q", first)
		}
		to := from
		if isRange {
			if to, ok = dayNames[last]; !ok {
				return 0, fmt.Errorf("unknown day %q", last)
			}
		}
		for d := from; ; d = (d + 1) % 7 {
			set |= 1 << d
			if d == to {
				break
			}
		}
	}
	return set, nil
}

// parseSpans reads "closed" or a comma list of HH:MM-HH:MM intervals and
// returns them sorted and merged.
func parseSpans(text string) ([]span, error) {
	text = strings.Join(strings.Fields(text), "")
	if strings.EqualFold(text, "closed") {
		return nil, nil
	}
	var out []span
	for _, item := range strings.Split(text, ",") {
		a, b, ok := strings.Cut(item, "-")
		if !ok {
			return nil, fmt.Errorf("interval %q is not HH:MM-HH:MM", item)
		}
		start, err := parseClock(a)
		if err != nil {
			return nil, err
		}
		end, err := parseClock(b)
		if err != nil {
			return nil, err
		}
		switch {
		case start == secondsPerDay:
			return nil, fmt.Errorf("interval %q starts at 24:00 (write 00:00 of the next day)", item)
		case end == start:
			return nil, fmt.Errorf("interval %q is empty", item)
		case end < start:
			end += secondsPerDay // overnight
		}
		out = append(out, span{start, end})
	}
	return mergeSpans(out), nil
}

// parseClock reads HH:MM, 00:00 to 24:00, as seconds after midnight.
func parseClock(s string) (int32, error) {
	if len(s) != 5 || s[2] != ':' || !isDigits(s[:2]) || !isDigits(s[3:]) {
		return 0, fmt.Errorf("time %q is not HH:MM", s)
	}
	h := int32(s[0]-'0')*10 + int32(s[1]-'0')
	m := int32(s[3]-'0')*10 + int32(s[4]-'0')
	if m > 59 || h > 24 || (h == 24 && m != 0) {
		return 0, fmt.Errorf("time %q is out of range 00:00–24:00", s)
	}
	return h*3600 + m*60, nil
}

func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// mergeSpans sorts spans by start and merges those that overlap or touch.
func mergeSpans(spans []span) []span {
	slices.SortFunc(spans, func(a, b span) int { return int(a.start - b.start) })
	out := spans[:0]
	for _, s := range spans {
		if n := len(out); n > 0 && s.start <= out[n-1].end {
			out[n-1].end = max(out[n-1].end, s.end)
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Weekly returns the nominal open time of one week: the sum of every
// interval's length, ignoring time-zone changes, holidays and the overlap
// of an overnight interval with the next day's hours.
func (s Schedule) Weekly() time.Duration {
	var total int64
	for _, day := range s.days {
		for _, sp := range day {
			total += int64(sp.end - sp.start)
		}
	}
	return time.Duration(total) * time.Second
}

// IsZero reports whether s is closed on every day.
func (s Schedule) IsZero() bool {
	for _, day := range s.days {
		if len(day) > 0 {
			return false
		}
	}
	return true
}

// String returns s in the grammar of [ParseSchedule], one rule per day from
// Monday to Sunday, with "closed" for closed days; ParseSchedule of the result
// gives s back.
func (s Schedule) String() string {
	var b strings.Builder
	for i := range 7 {
		d := time.Weekday((i + 1) % 7)
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(strings.ToLower(d.String()[:3]))
		b.WriteByte(' ')
		b.WriteString(formatSpans(s.days[d]))
	}
	return b.String()
}

func formatSpans(spans []span) string {
	if len(spans) == 0 {
		return "closed"
	}
	var parts []string
	for _, sp := range spans {
		if sp.end > secondsPerDay && sp.end-secondsPerDay >= sp.start {
			// Merged intervals can last 24 hours or more, which one
			// HH:MM-HH:MM cannot say: write two that merge back.
			x := max(sp.start, sp.end-secondsPerDay) + 60
			parts = append(parts, formatSpan(span{sp.start, x}), formatSpan(span{x, sp.end}))
			continue
		}
		parts = append(parts, formatSpan(sp))
	}
	return strings.Join(parts, ",")
}

func formatSpan(sp span) string {
	end := sp.end
	if end > secondsPerDay {
		end -= secondsPerDay
	}
	return fmt.Sprintf("%02d:%02d-%02d:%02d", sp.start/3600, sp.start%3600/60, end/3600, end%3600/60)
}

// MarshalText implements [encoding.TextMarshaler] with the text of
// [Schedule.String], so a Schedule can sit in a JSON or YAML configuration.
func (s Schedule) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseSchedule].
func (s *Schedule) UnmarshalText(text []byte) error {
	v, err := ParseSchedule(string(text))
	if err != nil {
		return err
	}
	*s = v
	return nil
}
