package kpi

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"
)

var propertyZones = []string{
	"UTC", "Europe/Moscow", "Europe/Berlin", "Asia/Almaty", "America/New_York",
	"Australia/Lord_Howe", // a 30-minute daylight-saving shift
	"Asia/Kathmandu",      // a +05:45 offset
}

// genScheduleText draws a schedule in the ParseSchedule grammar with up to
// three intervals on random days, overnight ones included.
func genScheduleText(t *rapid.T) string {
	days := []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
	var rules []string
	for i := range rapid.IntRange(0, 5).Draw(t, "rules") {
		day := rapid.SampledFrom(days).Draw(t, fmt.Sprint("day", i))
		if rapid.Bool().Draw(t, fmt.Sprint("range", i)) {
			day += "-" + rapid.SampledFrom(days).Draw(t, fmt.Sprint("to", i))
		}
		var spans []string
		for j := range rapid.IntRange(1, 3).Draw(t, fmt.Sprint("spans", i)) {
			start := rapid.IntRange(0, 24*4-1).Draw(t, fmt.Sprint("start", i, j)) * 15
			length := rapid.IntRange(1, 24*4).Draw(t, fmt.Sprint("len", i, j)) * 15
			end := (start + length) % (24 * 60)
			endText := fmt.Sprintf("%02d:%02d", end/60, end%60)
			if start+length == 24*60 {
				endText = "24:00"
			}
			if end == start && endText != "24:00" {
				continue
			}
			spans = append(spans, fmt.Sprintf("%02d:%02d-%s", start/60, start%60, endText))
		}
		if len(spans) > 0 {
			rules = append(rules, day+" "+strings.Join(spans, ","))
		}
	}
	return strings.Join(rules, "; ")
}

func genCalendar(t *rapid.T, zones []string) *Calendar {
	loc, err := time.LoadLocation(rapid.SampledFrom(zones).Draw(t, "zone"))
	if err != nil {
		t.Fatal(err)
	}
	week, err := ParseSchedule(genScheduleText(t))
	if err != nil {
		t.Fatal(err)
	}
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	var holidays, working []string
	for i := range rapid.IntRange(0, 6).Draw(t, "holidays") {
		d := base.AddDate(0, 0, rapid.IntRange(0, 3*365).Draw(t, fmt.Sprint("holiday", i)))
		holidays = append(holidays, d.Format(DateLayout))
	}
	for i := range rapid.IntRange(0, 3).Draw(t, "working") {
		d := base.AddDate(0, 0, rapid.IntRange(0, 3*365).Draw(t, fmt.Sprint("working", i)))
		if !contains(holidays, d.Format(DateLayout)) {
			working = append(working, d.Format(DateLayout))
		}
	}
	c, err := NewCalendar(loc, week, WithHolidays(holidays...), WithWorkingDays("10:00-14:00", working...))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// genInstant draws an instant in 2024–2026, at nanosecond resolution.
func genInstant(t *rapid.T, label string) time.Time {
	base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	return base.Add(time.Duration(rapid.Int64Range(0, int64(3*365*24*time.Hour)).Draw(t, label)))
}

func TestCalendarProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := genCalendar(t, propertyZones)
		a := genInstant(t, "a")
		b := a.Add(time.Duration(rapid.Int64Range(0, int64(20*24*time.Hour)).Draw(t, "ab")))
		cc := b.Add(time.Duration(rapid.Int64Range(0, int64(20*24*time.Hour)).Draw(t, "bc")))

		ab, bc, ac := c.Between(a, b), c.Between(b, cc), c.Between(a, cc)
		if ab < 0 || ab > b.Sub(a) {
			t.Fatalf("Between(a, b) = %v outside [0, %v]", ab, b.Sub(a))
		}
		if ac != ab+bc {
			t.Fatalf("not additive: Between(a, c) = %v, Between(a, b) + Between(b, c) = %v + %v", ac, ab, bc)
		}
		if ac < ab {
			t.Fatalf("not monotone: Between(a, c) = %v < Between(a, b) = %v", ac, ab)
		}
		if got := c.Between(b, a); b.After(a) && got != 0 {
			t.Fatalf("Between(b, a) = %v for b after a, want 0", got)
		}

		d := time.Duration(rapid.Int64Range(1, int64(30*24*time.Hour)).Draw(t, "d"))
		due := c.Add(a, d)
		if due.IsZero() {
			if !c.week.IsZero() {
				t.Fatalf("Add(a, %v) = zero Time with an open week", d)
			}
			return
		}
		if got := c.Between(a, due); got != d {
			t.Fatalf("Between(a, Add(a, %v)) = %v", d, got)
		}
		if got := c.Between(a, due.Add(-time.Nanosecond)); got >= d {
			t.Fatalf("Add(a, %v) = %v is not the earliest: a nanosecond before, %v has passed", d, due, got)
		}
		if due.Before(a.Add(d)) {
			t.Fatalf("Add(a, %v) = %v is earlier than a + d", d, due)
		}
	})
}

// openAt is an independent reference: it converts the instant to the wall
// clock (which is never ambiguous) and looks the time of day up in the hours
// of that date and of the day before.
func openAt(c *Calendar, u time.Time) bool {
	local := u.In(c.loc)
	y, m, d := local.Date()
	tod := int32(local.Hour()*3600 + local.Minute()*60 + local.Second())
	today := floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), secondsPerDay)
	for _, sp := range c.hours(today) {
		if tod >= sp.start && tod < sp.end {
			return true
		}
	}
	for _, sp := range c.hours(today - 1) {
		if tod+secondsPerDay >= sp.start && tod+secondsPerDay < sp.end {
			return true
		}
	}
	return false
}

// betweenByMinute counts open minutes one by one with openAt. from must be
// on a minute and the calendar's hours on quarter hours.
func betweenByMinute(c *Calendar, from, to time.Time) time.Duration {
	var total time.Duration
	for u := from; u.Before(to); u = u.Add(time.Minute) {
		if openAt(c, u) {
			total += time.Minute
		}
	}
	return total
}

// In zones without a change of offset (where no wall time is skipped or
// repeated) the calendar agrees minute by minute with the reference.
func TestCalendarMatchesMinuteByMinute(t *testing.T) {
	zones := []string{"UTC", "Europe/Moscow", "Asia/Kathmandu", "Asia/Kolkata"}
	rapid.Check(t, func(t *rapid.T) {
		c := genCalendar(t, zones)
		from := genInstant(t, "from").Truncate(time.Minute)
		to := from.Add(time.Duration(rapid.IntRange(0, 4*24*60).Draw(t, "minutes")) * time.Minute)
		if got, want := c.Between(from, to), betweenByMinute(c, from, to); got != want {
			t.Fatalf("schedule %q: Between(%v, %v) = %v, minute by minute %v", c.week, from, to, got, want)
		}
		if got, want := c.IsOpen(from), openAt(c, from); got != want {
			t.Fatalf("schedule %q: IsOpen(%v) = %v, reference %v", c.week, from, got, want)
		}
	})
}
