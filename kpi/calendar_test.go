package kpi

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("LoadLocation(%q): %v", name, err)
	}
	return loc
}

func mustCalendar(t testing.TB, loc *time.Location, week string, opts ...CalendarOption) *Calendar {
	t.Helper()
	s, err := ParseSchedule(week)
	if err != nil {
		t.Fatal(err)
	}
	c, err := NewCalendar(loc, s, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rfc(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// The wanted durations below are worked out by hand from the offsets of the
// zone on each side of its change, not by running the code.
func TestCalendarBetween(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	almaty := mustLoad(t, "Asia/Almaty")
	moscow := mustLoad(t, "Europe/Moscow")
	tests := []struct {
		reason   string
		loc      *time.Location
		week     string
		opts     []CalendarOption
		from, to string
		want     time.Duration
	}{
		{
			reason: "an ordinary working day in Moscow",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-05T00:00:00+03:00", to: "2026-10-06T00:00:00+03:00",
			want: 9 * time.Hour,
		},
		{
			reason: "part of a day: from inside the hours to after closing",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-05T17:15:00+03:00", to: "2026-10-05T23:00:00+03:00",
			want: 45 * time.Minute,
		},
		{
			reason: "a lunch break splits the day into two intervals",
			loc:    moscow, week: "mon-fri 09:00-13:00,14:00-18:00",
			from: "2026-10-05T12:30:00+03:00", to: "2026-10-05T14:30:00+03:00",
			want: time.Hour,
		},
		{
			reason: "to before from is no time",
			loc:    moscow, week: "daily 00:00-24:00",
			from: "2026-10-05T12:00:00+03:00", to: "2026-10-05T11:00:00+03:00",
			want: 0,
		},
		{
			reason: "Berlin, spring change (2026-03-29 02:00 CET → 03:00 CEST): 09:00–18:00 is still 9 h on Saturday and Sunday",
			loc:    berlin, week: "daily 09:00-18:00",
			from: "2026-03-28T00:00:00+01:00", to: "2026-03-30T00:00:00+02:00",
			want: 18 * time.Hour,
		},
		{
			reason: "Berlin, spring change: the whole Sunday 00:00–24:00 is 23 h",
			loc:    berlin, week: "sun 00:00-24:00",
			from: "2026-03-27T00:00:00+01:00", to: "2026-04-01T00:00:00+02:00",
			want: 23 * time.Hour,
		},
		{
			reason: "Berlin, autumn change (2026-10-25 03:00 CEST → 02:00 CET): the whole Sunday is 25 h",
			loc:    berlin, week: "sun 00:00-24:00",
			from: "2026-10-23T00:00:00+02:00", to: "2026-10-28T00:00:00+01:00",
			want: 25 * time.Hour,
		},
		{
			reason: "Berlin, autumn change: 09:00–18:00 is 9 h on Sunday",
			loc:    berlin, week: "sun 09:00-18:00",
			from: "2026-10-25T00:00:00+02:00", to: "2026-10-26T00:00:00+01:00",
			want: 9 * time.Hour,
		},
		{
			reason: "Berlin, spring: a night shift Sat 22:00 CET (21:00 UTC) – Sun 06:00 CEST (04:00 UTC) is 7 h",
			loc:    berlin, week: "sat 22:00-06:00",
			from: "2026-03-28T12:00:00+01:00", to: "2026-03-29T12:00:00+02:00",
			want: 7 * time.Hour,
		},
		{
			reason: "Berlin, autumn: a night shift Sat 22:00 CEST (20:00 UTC) – Sun 06:00 CET (05:00 UTC) is 9 h",
			loc:    berlin, week: "sat 22:00-06:00",
			from: "2026-10-24T12:00:00+02:00", to: "2026-10-25T12:00:00+01:00",
			want: 9 * time.Hour,
		},
		{
			reason: "Berlin, spring: 02:30 does not exist and moves later by the gap to 03:30 CEST; to 04:00 CEST is 30 min",
			loc:    berlin, week: "sun 02:30-04:00",
			from: "2026-03-29T00:00:00+01:00", to: "2026-03-30T00:00:00+02:00",
			want: 30 * time.Minute,
		},
		{
			reason: "Berlin, autumn: 02:30 happens twice and means the first (00:30 UTC); 03:00 CET is 02:00 UTC",
			loc:    berlin, week: "sun 02:30-03:00",
			from: "2026-10-25T00:00:00+02:00", to: "2026-10-26T00:00:00+01:00",
			want: 90 * time.Minute,
		},
		{
			reason: "Berlin, four weeks across the spring change: 4 × 45 h",
			loc:    berlin, week: "mon-fri 09:00-18:00",
			from: "2026-03-16T00:00:00+01:00", to: "2026-04-13T00:00:00+02:00",
			want: 180 * time.Hour,
		},
		{
			reason: "Almaty moved from UTC+6 to UTC+5 at 2024-03-01 00:00: 09:00–18:00 on Feb 29 and Mar 1 is 2 × 9 h",
			loc:    almaty, week: "daily 09:00-18:00",
			from: "2024-02-29T00:00:00+06:00", to: "2024-03-02T00:00:00+05:00",
			want: 18 * time.Hour,
		},
		{
			reason: "Almaty: Thursday 2024-02-29 00:00 +06 (Feb 28 18:00 UTC) to 24:00 = Mar 1 00:00 +05 (Feb 29 19:00 UTC) is 25 h",
			loc:    almaty, week: "thu 00:00-24:00",
			from: "2024-02-26T00:00:00+06:00", to: "2024-03-04T00:00:00+05:00",
			want: 25 * time.Hour,
		},
		{
			reason: "Almaty: a night shift Thu 20:00 +06 (14:00 UTC) – Fri 02:00 +05 (21:00 UTC) is 7 h",
			loc:    almaty, week: "thu 20:00-02:00",
			from: "2024-02-29T00:00:00+06:00", to: "2024-03-02T00:00:00+05:00",
			want: 7 * time.Hour,
		},
		{
			reason: "an overnight Friday shift counts from Friday 22:00 to Saturday 06:00",
			loc:    moscow, week: "mon-thu 09:00-18:00; fri 22:00-06:00",
			from: "2026-11-06T00:00:00+03:00", to: "2026-11-09T00:00:00+03:00",
			want: 8 * time.Hour,
		},
		{
			reason: "an overnight shift measured from inside it, across midnight",
			loc:    moscow, week: "fri 22:00-06:00",
			from: "2026-11-07T01:00:00+03:00", to: "2026-11-07T12:00:00+03:00",
			want: 5 * time.Hour,
		},
		{
			reason: "a holiday on Friday cancels the whole Friday night shift",
			loc:    moscow, week: "mon-thu 09:00-18:00; fri 22:00-06:00",
			opts: []CalendarOption{WithHolidays("2026-11-06")},
			from: "2026-11-06T00:00:00+03:00", to: "2026-11-09T00:00:00+03:00",
			want: 0,
		},
		{
			reason: "a holiday on Saturday leaves the Friday night shift that runs into it",
			loc:    moscow, week: "mon-thu 09:00-18:00; fri 22:00-06:00",
			opts: []CalendarOption{WithHolidays("2026-11-07")},
			from: "2026-11-06T00:00:00+03:00", to: "2026-11-09T00:00:00+03:00",
			want: 8 * time.Hour,
		},
		{
			reason: "an overnight shift and the next morning's hours overlap and count once",
			loc:    moscow, week: "fri 22:00-06:00; sat 05:00-07:00",
			from: "2026-11-06T00:00:00+03:00", to: "2026-11-09T00:00:00+03:00",
			want: 9 * time.Hour,
		},
		{
			reason: "a working Saturday with its own hours",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			opts: []CalendarOption{WithWorkingDays("10:00-14:00", "2026-11-07")},
			from: "2026-11-07T00:00:00+03:00", to: "2026-11-08T00:00:00+03:00",
			want: 4 * time.Hour,
		},
		{
			reason: "four weeks of mon-fri 09–18 and sat 10–16 in Moscow: 4 × (45 + 6) h",
			loc:    moscow, week: "mon-fri 09:00-18:00; sat 10:00-16:00",
			from: "2026-10-05T00:00:00+03:00", to: "2026-11-02T00:00:00+03:00",
			want: 204 * time.Hour,
		},
		{
			reason: "the week of Unity Day (Wednesday 2026-11-04): 51 − 9 h",
			loc:    moscow, week: "mon-fri 09:00-18:00; sat 10:00-16:00",
			opts: []CalendarOption{WithHolidays("2026-11-04")},
			from: "2026-11-02T00:00:00+03:00", to: "2026-11-09T00:00:00+03:00",
			want: 42 * time.Hour,
		},
		{
			reason: "New Year holidays 2026-01-01..08 with a working Saturday 2026-01-10 (09:00–18:00)",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			opts: []CalendarOption{
				WithHolidays("2026-01-01", "2026-01-02", "2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08"),
				WithWorkingDays("09:00-18:00", "2026-01-10"),
			},
			from: "2026-01-01T00:00:00+03:00", to: "2026-01-12T00:00:00+03:00",
			want: 18 * time.Hour, // Friday Jan 9 and Saturday Jan 10
		},
		{
			reason: "instants written with another offset are the same instants",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-05T06:00:00Z", to: "2026-10-05T07:30:00Z",
			want: 90 * time.Minute,
		},
	}
	for _, tt := range tests {
		c := mustCalendar(t, tt.loc, tt.week, tt.opts...)
		got := c.Between(rfc(t, tt.from), rfc(t, tt.to))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Between(%s, %s) (-want +got):\n%s", tt.reason, tt.from, tt.to, diff)
		}
	}
}

func TestCalendarAdd(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	almaty := mustLoad(t, "Asia/Almaty")
	moscow := mustLoad(t, "Europe/Moscow")
	tests := []struct {
		reason string
		loc    *time.Location
		week   string
		opts   []CalendarOption
		from   string
		d      time.Duration
		want   string
	}{
		{
			reason: "inside the day",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-05T10:00:00+03:00", d: time.Hour, want: "2026-10-05T11:00:00+03:00",
		},
		{
			reason: "over the weekend: Friday 17:30 plus 1 h is Monday 09:30",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-09T17:30:00+03:00", d: time.Hour, want: "2026-10-12T09:30:00+03:00",
		},
		{
			reason: "from a closed time: Saturday noon plus 30 min is Monday 09:30",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-10T12:00:00+03:00", d: 30 * time.Minute, want: "2026-10-12T09:30:00+03:00",
		},
		{
			reason: "the earliest instant: the deadline that uses up the day is 18:00, not 09:00 the next day",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-09T17:00:00+03:00", d: time.Hour, want: "2026-10-09T18:00:00+03:00",
		},
		{
			reason: "zero duration is from itself, even when closed",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			from: "2026-10-10T12:00:00+03:00", d: 0, want: "2026-10-10T12:00:00+03:00",
		},
		{
			reason: "a holiday is skipped",
			loc:    moscow, week: "mon-fri 09:00-18:00",
			opts: []CalendarOption{WithHolidays("2026-11-04")},
			from: "2026-11-03T17:00:00+03:00", d: 2 * time.Hour, want: "2026-11-05T10:00:00+03:00",
		},
		{
			reason: "Almaty: Feb 29 17:00 +06 plus 2 h is Mar 1 10:00 +05",
			loc:    almaty, week: "daily 09:00-18:00",
			from: "2024-02-29T17:00:00+06:00", d: 2 * time.Hour, want: "2024-03-01T10:00:00+05:00",
		},
		{
			reason: "Berlin: a night shift across the spring change ends at 06:00 CEST after 7 h",
			loc:    berlin, week: "sat 22:00-06:00",
			from: "2026-03-28T22:00:00+01:00", d: 7 * time.Hour, want: "2026-03-29T06:00:00+02:00",
		},
		{
			reason: "Berlin: a 10-hour SLA from Friday 12:00 before the autumn change ends Monday 13:00",
			loc:    berlin, week: "mon-fri 09:00-18:00",
			from: "2026-10-23T12:00:00+02:00", d: 10 * time.Hour, want: "2026-10-26T13:00:00+01:00",
		},
	}
	for _, tt := range tests {
		c := mustCalendar(t, tt.loc, tt.week, tt.opts...)
		from, want := rfc(t, tt.from), rfc(t, tt.want)
		got := c.Add(from, tt.d)
		if !got.Equal(want) {
			t.Errorf("%s: Add(%s, %v) = %s, want %s", tt.reason, tt.from, tt.d, got.Format(time.RFC3339), tt.want)
		}
		if tt.d > 0 && got.Location() != tt.loc {
			t.Errorf("%s: Add returned a time in %v, want the calendar's %v", tt.reason, got.Location(), tt.loc)
		}
		if back := c.Between(from, got); back != tt.d {
			t.Errorf("%s: Between(from, Add(from, %v)) = %v", tt.reason, tt.d, back)
		}
	}
}

func TestCalendarNeverOpen(t *testing.T) {
	closed := mustCalendar(t, time.UTC, "")
	from := rfc(t, "2026-10-05T10:00:00Z")
	if got := closed.Add(from, time.Second); !got.IsZero() {
		t.Errorf("closed calendar: Add = %v, want the zero Time", got)
	}
	if got := closed.Between(from, from.Add(1000*time.Hour)); got != 0 {
		t.Errorf("closed calendar: Between = %v, want 0", got)
	}
	if got := closed.NextOpen(from); !got.IsZero() {
		t.Errorf("closed calendar: NextOpen = %v, want the zero Time", got)
	}
	onlyExtra := mustCalendar(t, time.UTC, "", WithWorkingDays("10:00-12:00", "2026-10-07"))
	if got, want := onlyExtra.Add(from, time.Hour), rfc(t, "2026-10-07T11:00:00Z"); !got.Equal(want) {
		t.Errorf("one working day: Add = %v, want %v", got, want)
	}
	if got := onlyExtra.Add(from, 3*time.Hour); !got.IsZero() {
		t.Errorf("one working day of 2 h: Add 3 h = %v, want the zero Time", got)
	}
}

func TestCalendarAlwaysOpen(t *testing.T) {
	from := rfc(t, "2026-10-05T10:00:00Z")
	to := from.Add(49*time.Hour + time.Nanosecond)
	for _, c := range []*Calendar{nil, AlwaysOpen} {
		if got := c.Between(from, to); got != to.Sub(from) {
			t.Errorf("%v: Between = %v, want %v", c, got, to.Sub(from))
		}
		if got := c.Add(from, time.Hour); !got.Equal(from.Add(time.Hour)) {
			t.Errorf("%v: Add = %v", c, got)
		}
		if !c.IsOpen(from) || c.Location() != time.UTC {
			t.Errorf("%v: not open or not UTC", c)
		}
	}
}

func TestCalendarIsOpenNextOpen(t *testing.T) {
	c := mustCalendar(t, mustLoad(t, "Europe/Moscow"), "mon-fri 09:00-18:00")
	tests := []struct {
		reason string
		at     string
		open   bool
		next   string
	}{
		{"before opening", "2026-10-05T08:59:59+03:00", false, "2026-10-05T09:00:00+03:00"},
		{"at opening", "2026-10-05T09:00:00+03:00", true, "2026-10-05T09:00:00+03:00"},
		{"at closing the interval is over", "2026-10-05T18:00:00+03:00", false, "2026-10-06T09:00:00+03:00"},
		{"on Saturday", "2026-10-10T12:00:00+03:00", false, "2026-10-12T09:00:00+03:00"},
	}
	for _, tt := range tests {
		at := rfc(t, tt.at)
		if got := c.IsOpen(at); got != tt.open {
			t.Errorf("%s: IsOpen = %v, want %v", tt.reason, got, tt.open)
		}
		if got := c.NextOpen(at); !got.Equal(rfc(t, tt.next)) {
			t.Errorf("%s: NextOpen = %v, want %s", tt.reason, got, tt.next)
		}
	}
}

func TestNewCalendarErrors(t *testing.T) {
	week := MustParseSchedule("mon-fri 09:00-18:00")
	tests := []struct {
		reason string
		opts   []CalendarOption
	}{
		{"a date in another layout", []CalendarOption{WithHolidays("07.01.2026")}},
		{"a date that does not exist", []CalendarOption{WithHolidays("2026-02-30")}},
		{"bad working-day hours", []CalendarOption{WithWorkingDays("9-18", "2026-01-10")}},
		{"a bad working day", []CalendarOption{WithWorkingDays("09:00-18:00", "tomorrow")}},
		{"a date both holiday and working day", []CalendarOption{WithHolidays("2026-01-10"), WithWorkingDays("09:00-18:00", "2026-01-10")}},
	}
	for _, tt := range tests {
		c, err := NewCalendar(time.UTC, week, tt.opts...)
		if !errors.Is(err, ErrSchedule) || c != nil {
			t.Errorf("%s: NewCalendar = %v, %v; want nil and an error wrapping ErrSchedule", tt.reason, c, err)
		}
	}
}

// A Calendar is read-only after NewCalendar; -race checks that concurrent
// use shares no mutable state.
func TestCalendarConcurrentUse(t *testing.T) {
	c := mustCalendar(t, mustLoad(t, "Europe/Berlin"), "mon-fri 09:00-18:00", WithHolidays("2026-10-03"))
	from := rfc(t, "2026-10-01T10:00:00+02:00")
	want := c.Between(from, from.AddDate(0, 1, 0))
	done := make(chan time.Duration)
	for range 4 {
		go func() {
			var got time.Duration
			for range 50 {
				got = c.Between(from, from.AddDate(0, 1, 0))
				c.Add(from, 20*time.Hour)
			}
			done <- got
		}()
	}
	for range 4 {
		if got := <-done; got != want {
			t.Errorf("concurrent Between = %v, want %v", got, want)
		}
	}
}
