package kpi

import (
	"testing"
	"time"
)

// BenchmarkCalendarBetween measures Between over one day and over 30 days in
// Berlin (the 30 days cross the autumn change), next to the minute-by-minute
// reference of the tests as a peer.
func BenchmarkCalendarBetween(b *testing.B) {
	c := mustCalendar(b, mustLoad(b, "Europe/Berlin"), "mon-fri 09:00-13:00,14:00-19:00; sat 10:00-16:00; fri 22:00-02:00",
		WithHolidays("2026-10-03"))
	from := time.Date(2026, 10, 5, 8, 30, 0, 0, c.Location())
	for _, bc := range []struct {
		name string
		to   time.Time
	}{
		{"1d", from.Add(24 * time.Hour)},
		{"30d", from.AddDate(0, 0, 30)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.Between(from, bc.to)
			}
		})
		b.Run(bc.name+"/minute-by-minute", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				betweenByMinute(c, from, bc.to)
			}
		})
	}
}

func BenchmarkCalendarAdd(b *testing.B) {
	c := mustCalendar(b, mustLoad(b, "Europe/Moscow"), "mon-fri 09:00-18:00")
	from := time.Date(2026, 10, 9, 17, 30, 0, 0, c.Location())
	b.ReportAllocs()
	for b.Loop() {
		c.Add(from, 8*time.Hour)
	}
}
