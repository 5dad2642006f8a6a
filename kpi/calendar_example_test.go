package kpi_test

import (
	"fmt"
	"time"

	"github.com/onemin/onemin/kpi"
)

// A salon open on weekdays and Saturday, closed on a public holiday: how
// much business time a lead waited, and when a 2-hour reply target falls due.
func ExampleCalendar() {
	moscow, _ := time.LoadLocation("Europe/Moscow")
	week, err := kpi.ParseSchedule("mon-fri 09:00-20:00; sat 10:00-18:00")
	if err != nil {
		panic(err)
	}
	cal, err := kpi.NewCalendar(moscow, week, kpi.WithHolidays("2026-11-04"))
	if err != nil {
		panic(err)
	}
	// A message on Tuesday evening, a reply on Thursday morning.
	asked := time.Date(2026, 11, 3, 19, 30, 0, 0, moscow)
	replied := time.Date(2026, 11, 5, 9, 45, 0, 0, moscow)
	fmt.Println("calendar time:", replied.Sub(asked))
	fmt.Println("business time:", cal.Between(asked, replied))
	fmt.Println("2 h target due:", cal.Add(asked, 2*time.Hour).Format("Mon 2006-01-02 15:04"))
	// Output:
	// calendar time: 38h15m0s
	// business time: 1h15m0s
	// 2 h target due: Thu 2026-11-05 10:30
}

// An overnight interval belongs to the day it starts on.
func ExampleParseSchedule() {
	week, err := kpi.ParseSchedule("mon-thu 09:00-18:00; fri 22:00-06:00; sat-sun closed")
	if err != nil {
		panic(err)
	}
	fmt.Println(week)
	fmt.Println("per week:", week.Weekly())
	// Output:
	// mon 09:00-18:00; tue 09:00-18:00; wed 09:00-18:00; thu 09:00-18:00; fri 22:00-06:00; sat closed; sun closed
	// per week: 44h0m0s
}

// Across a daylight-saving change the wall-clock hours stay the same, while a
// whole day is 23 or 25 hours long.
func ExampleCalendar_Between_daylightSaving() {
	berlin, _ := time.LoadLocation("Europe/Berlin")
	day := kpi.MustParseSchedule("sun 00:00-24:00")
	office := kpi.MustParseSchedule("sun 09:00-18:00")
	spring := time.Date(2026, 3, 29, 0, 0, 0, 0, berlin)
	autumn := time.Date(2026, 10, 25, 0, 0, 0, 0, berlin)
	for _, w := range []kpi.Schedule{day, office} {
		cal, _ := kpi.NewCalendar(berlin, w)
		fmt.Println(w.Weekly(), "a week:", cal.Between(spring, spring.AddDate(0, 0, 1)), "in spring,", cal.Between(autumn, autumn.AddDate(0, 0, 1)), "in autumn")
	}
	// Output:
	// 24h0m0s a week: 23h0m0s in spring, 25h0m0s in autumn
	// 9h0m0s a week: 9h0m0s in spring, 9h0m0s in autumn
}

// A working Saturday with its own hours.
func ExampleWithWorkingDays() {
	cal, _ := kpi.NewCalendar(time.UTC, kpi.MustParseSchedule("mon-fri 09:00-18:00"),
		kpi.WithWorkingDays("10:00-14:00", "2026-11-07"))
	sat := time.Date(2026, 11, 7, 0, 0, 0, 0, time.UTC)
	fmt.Println(cal.Between(sat, sat.AddDate(0, 0, 1)))
	// Output: 4h0m0s
}

// AlwaysOpen measures calendar time where a calendar is expected.
func ExampleAlwaysOpen() {
	from := time.Date(2026, 11, 7, 12, 0, 0, 0, time.UTC)
	fmt.Println(kpi.AlwaysOpen.Between(from, from.Add(90*time.Minute)))
	// Output: 1h30m0s
}

// IsOpen and NextOpen tell a live system whether a manager should be
// answering now, and from when the reply clock runs.
func ExampleCalendar_NextOpen() {
	moscow, _ := time.LoadLocation("Europe/Moscow")
	cal, _ := kpi.NewCalendar(moscow, kpi.MustParseSchedule("daily 09:00-21:00"))
	night := time.Date(2026, 10, 3, 23, 40, 0, 0, moscow)
	fmt.Println(cal.IsOpen(night), cal.NextOpen(night).Format(time.RFC3339))
	// Output: false 2026-10-04T09:00:00+03:00
}
