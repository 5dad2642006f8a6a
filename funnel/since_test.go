package funnel

import (
	"testing"
	"time"

	"pgregory.net/rapid"
)

// since is t.Sub(u) by the walker's clock.
func since(t, u time.Time) time.Duration {
	var w walker
	w.begin(u)
	return w.since(t)
}

// TestPropertySinceIsSub checks the shortcut against time.Time.Sub, the
// reference, near and far, with monotonic readings and zones.
func TestPropertySinceIsSub(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		at := func(label string) time.Time {
			sec := rapid.OneOf(rapid.Int64Range(1_600_000_000, 1_900_000_000), rapid.Int64Range(-1<<40, 1<<40)).Draw(t, label+" sec")
			tm := time.Unix(sec, rapid.Int64Range(0, 999_999_999).Draw(t, label+" nsec"))
			if rapid.Bool().Draw(t, label+" zone") {
				tm = tm.In(time.FixedZone("UTC+5", 5*3600))
			}
			return tm
		}
		a, b := at("a"), at("b")
		if got, want := since(a, b), a.Sub(b); got != want {
			t.Fatalf("since(%v, %v) = %v, want %v", a, b, got, want)
		}
	})
	// Sub reads the monotonic clock when both carry it, so must since.
	now := time.Now()
	skewed := now.Add(1500 * time.Millisecond)
	wall := skewed.Round(0).Add(time.Hour) // the wall clock jumped an hour
	if got, want := since(wall, now.Round(0)), time.Hour+1500*time.Millisecond; got != want {
		t.Errorf("by the wall clock: since = %v, want %v", got, want)
	}
	if got, want := since(skewed, now), 1500*time.Millisecond; got != want {
		t.Errorf("with monotonic readings: since = %v, want %v", got, want)
	}
	if got, want := since(skewed, now.Round(0)), skewed.Sub(now.Round(0)); got != want {
		t.Errorf("from a start without a monotonic reading: since = %v, want %v", got, want)
	}
}
