package csvio

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Skipf("time zone %s not available: %v", name, err)
	}
	return loc
}

func TestParseTime(t *testing.T) {
	samara := mustZone(t, "Europe/Samara") // UTC+4, no DST
	ny := mustZone(t, "America/New_York")
	plus3 := time.FixedZone("", 3*3600)
	tests := []struct {
		reason string
		in     string
		loc    *time.Location
		want   time.Time // zero when an error is expected
	}{
		{"RFC 3339 in UTC", "2026-10-01T12:00:00Z", nil, time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)},
		{"RFC 3339 with an offset", "2026-10-01T12:00:00+03:00", nil, time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)},
		{"negative offset", "2026-10-01T12:00:00-05:30", nil, time.Date(2026, 10, 1, 17, 30, 0, 0, time.UTC)},
		{"offset without a colon", "2026-10-01T12:00:00+0300", nil, time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)},
		{"hours-only offset, as PostgreSQL prints", "2026-10-01 12:00:00+03", nil, time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)},
		{"fraction of a second", "2026-10-01T12:00:00.250+03:00", nil, time.Date(2026, 10, 1, 9, 0, 0, 250e6, time.UTC)},
		{"nanoseconds", "2026-10-01T12:00:00.123456789Z", nil, time.Date(2026, 10, 1, 12, 0, 0, 123456789, time.UTC)},
		{"offset wins over the configured zone", "2026-10-01T12:00:00+03:00", samara, time.Date(2026, 10, 1, 12, 0, 0, 0, plus3)},
		{"local time in the configured zone", "2026-10-01 12:00:00", samara, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)},
		{"local time with a T", "2026-10-01T12:00:00", samara, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)},
		{"local time without seconds", "2026-10-01 12:00", samara, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)},
		{"day-first local time", "01.10.2026 12:00:05", samara, time.Date(2026, 10, 1, 8, 0, 5, 0, time.UTC)},
		{"day-first without seconds", "01.10.2026 12:00", samara, time.Date(2026, 10, 1, 8, 0, 0, 0, time.UTC)},
		{"local time needs a zone", "2026-10-01 12:00:00", nil, time.Time{}},
		{"serial noon", "45931.5", samara, time.Date(2025, 10, 1, 8, 0, 0, 0, time.UTC)},
		{"serial with a decimal comma", "45931,5", samara, time.Date(2025, 10, 1, 8, 0, 0, 0, time.UTC)},
		{"serial midnight: DATE(2025,1,1) is 45658", "45658", time.UTC, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"serial 1 is 1899-12-31", "1", time.UTC, time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC)},
		{"serial one second past noon rounds to the millisecond", "45931.50001157407", time.UTC, time.Date(2025, 10, 1, 12, 0, 1, 0, time.UTC)},
		{"serial wall clock across a DST change: 2025-03-09 12:00 EDT", "45725.5", ny, time.Date(2025, 3, 9, 16, 0, 0, 0, time.UTC)},
		{"serial needs a zone", "45931.5", nil, time.Time{}},
		{"serial zero is before the epoch", "0", time.UTC, time.Time{}},
		{"negative serial", "-5", time.UTC, time.Time{}},
		{"serial with an exponent", "4.5e4", time.UTC, time.Time{}},
		{"serial beyond 9999", "3000000", time.UTC, time.Time{}},
		{"no 30 February", "2026-02-30T12:00:00Z", nil, time.Time{}},
		{"29 February of a leap year", "2028-02-29T12:00:00Z", nil, time.Date(2028, 2, 29, 12, 0, 0, 0, time.UTC)},
		{"29 February of 2100 is not", "2100-02-29T12:00:00Z", nil, time.Time{}},
		{"hour 24", "2026-10-01T24:00:00Z", nil, time.Time{}},
		{"date without time", "2026-10-01", time.UTC, time.Time{}},
		{"bad offset", "2026-10-01T12:00:00+3", nil, time.Time{}},
		{"trailing text", "2026-10-01T12:00:00Zulu", nil, time.Time{}},
		{"words", "yesterday", time.UTC, time.Time{}},
		{"US order is not guessed", "10/01/2026 12:00", time.UTC, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			var zones zoneCache
			got, why := parseTime(tt.in, tt.loc, &zones)
			if tt.want.IsZero() {
				if why == "" {
					t.Fatalf("parseTime(%q) = %v, want an error", tt.in, got)
				}
				return
			}
			if why != "" {
				t.Fatalf("parseTime(%q): %s", tt.in, why)
			}
			if !got.Equal(tt.want) {
				t.Errorf("parseTime(%q) = %v, want %v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseTimeKeepsOffset(t *testing.T) {
	var zones zoneCache
	got, why := parseTime("2026-10-01T12:00:00+03:00", nil, &zones)
	if why != "" {
		t.Fatal(why)
	}
	_, off := got.Zone()
	if diff := cmp.Diff([]int{12, 3 * 3600}, []int{got.Hour(), off}); diff != "" {
		t.Errorf("wall clock and offset (-want +got):\n%s", diff)
	}
}

func TestZoneCacheEvicts(t *testing.T) {
	var z zoneCache
	for h := 1; h <= 10; h++ {
		for range 2 {
			loc := z.fixed(h * 3600)
			if _, off := time.Date(2026, 1, 1, 0, 0, 0, 0, loc).Zone(); off != h*3600 {
				t.Fatalf("offset %d: got zone with offset %d", h*3600, off)
			}
		}
	}
}

// TestSerialProperty builds a serial number the way a spreadsheet does —
// whole days from 1899-12-30 plus the time of day as a fraction of 86 400
// seconds — and checks that it reads back as that wall clock, to the
// millisecond.
func TestSerialProperty(t *testing.T) {
	zones := []*time.Location{time.UTC, mustZone(t, "Europe/Samara"), mustZone(t, "America/New_York")}
	epoch := time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.IntRange(1900, 2200).Draw(t, "year")
		mo := time.Month(rapid.IntRange(1, 12).Draw(t, "month"))
		d := rapid.IntRange(1, daysIn(mo, y)).Draw(t, "day")
		h := rapid.IntRange(0, 23).Draw(t, "hour")
		mi := rapid.IntRange(0, 59).Draw(t, "minute")
		s := rapid.IntRange(0, 59).Draw(t, "second")
		ms := rapid.IntRange(0, 999).Draw(t, "ms")
		loc := rapid.SampledFrom(zones).Draw(t, "zone")
		days := int((time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Unix() - epoch.Unix()) / 86400)
		frac := (float64(h*3600+mi*60+s) + float64(ms)/1000) / 86400
		serial := strconv.FormatFloat(float64(days)+frac, 'f', -1, 64)
		var z zoneCache
		got, why := parseTime(serial, loc, &z)
		if why != "" {
			t.Fatalf("%s: %s", serial, why)
		}
		want := time.Date(y, mo, d, h, mi, s, ms*1e6, loc)
		if !got.Equal(want) {
			t.Fatalf("serial %s in %s = %v, want %v", serial, loc, got, want)
		}
	})
}
