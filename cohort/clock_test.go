package cohort

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// TestPropertyClockIsTheTimePackage checks the clock's day and period
// numbers against the time package's own conversion, the reference, in
// fixed zones and in zones with daylight-saving changes, over instants in
// any order (so the clock moves back and forth across changes).
func TestPropertyClockIsTheTimePackage(t *testing.T) {
	locs := []*time.Location{time.UTC, time.FixedZone("UTC+3", 3*3600), time.FixedZone("UTC-9:30", -(9*3600 + 1800))}
	for _, name := range []string{"Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Almaty", "America/Sao_Paulo"} {
		if loc, err := time.LoadLocation(name); err == nil {
			locs = append(locs, loc)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		loc := rapid.SampledFrom(locs).Draw(t, "loc")
		clk := newClock(loc)
		for range rapid.IntRange(1, 30).Draw(t, "n") {
			var at time.Time
			if rapid.Bool().Draw(t, "far") {
				at = time.Unix(rapid.Int64Range(-1<<52, 1<<52).Draw(t, "sec"), 0)
			} else {
				// 1900 to 2100, to the nanosecond, near the changes too.
				at = time.Unix(rapid.Int64Range(-2208988800, 4102444800).Draw(t, "sec"), rapid.Int64Range(0, 999_999_999).Draw(t, "nsec"))
			}
			// Then a neighbour, in the cached month and zone or just out.
			near := at.Add(time.Duration(rapid.Int64Range(-40*24*3600, 40*24*3600).Draw(t, "near")) * time.Second)
			for _, at := range []time.Time{at, near} {
				if got, want := clk.day(at), daysSinceEpoch(at.In(loc)); got != want {
					t.Fatalf("day of %v in %v = %d, want %d", at, loc, got, want)
				}
				for _, p := range []Period{Month, Week, Day} {
					if got, want := clk.index(p, at), p.index(at, loc); got != want {
						t.Fatalf("%v of %v in %v = %d, want %d", p, at, loc, got, want)
					}
				}
			}
		}
	})
}

func TestClockAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	tests := []struct {
		reason string
		at     time.Time
		want   string
	}{
		{"before the spring change", time.Date(2025, 3, 30, 0, 59, 59, 0, time.UTC), "2025-03-30"},
		{"after the spring change", time.Date(2025, 3, 30, 1, 0, 0, 0, time.UTC), "2025-03-30"},
		{"22:30 UTC is 00:30 the next day in summer", time.Date(2025, 7, 1, 22, 30, 0, 0, time.UTC), "2025-07-02"},
		{"22:30 UTC is 23:30 the same day in winter", time.Date(2025, 12, 1, 22, 30, 0, 0, time.UTC), "2025-12-01"},
		{"back in summer", time.Date(2025, 7, 1, 21, 59, 0, 0, time.UTC), "2025-07-01"},
	}
	clk := newClock(berlin)
	for _, tt := range tests {
		got := time.Unix(int64(clk.day(tt.at))*86400, 0).UTC().Format(time.DateOnly)
		if got != tt.want {
			t.Errorf("%s: day of %v = %s, want %s", tt.reason, tt.at, got, tt.want)
		}
	}
}
