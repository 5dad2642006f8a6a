package kpi

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// checkWindow fails unless the window of s is well formed: within the
// layout, high halves as long as the low ones, and every non-empty bucket
// within first..last, which the window holds.
func checkWindow(t interface{ Fatalf(string, ...any) }, s *Sketch) {
	if s.low == nil {
		if s.high != nil {
			t.Fatalf("high halves without a window")
		}
		return
	}
	n := s.layout.n
	if s.base < 0 || s.base+len(s.low) > n {
		t.Fatalf("window %d+%d outside the %d buckets", s.base, len(s.low), n)
	}
	if s.high != nil && len(s.high) != len(s.low) {
		t.Fatalf("%d high halves for %d buckets", len(s.high), len(s.low))
	}
	if s.first <= s.last && (s.first < s.base || s.last >= s.base+len(s.low)) {
		t.Fatalf("buckets in use %d..%d outside the window %d+%d", s.first, s.last, s.base, len(s.low))
	}
	for j := range s.low {
		if i := s.base + j; s.bucket(i) != 0 && (i < s.first || i > s.last) {
			t.Fatalf("bucket %d holds %d, outside %d..%d", i, s.bucket(i), s.first, s.last)
		}
	}
}

// TestSketchWindowModel runs random sequences of Add, Merge, Reset, Copy
// and a round trip through the binary form, and checks the bucket counts
// against a model that places each positive duration with
// sketchLayout.index alone, knowing nothing of windows.
func TestSketchWindowModel(t *testing.T) {
	// Durations from 1 ns to 100 days, so that both ends clamp, and zeros.
	dur := rapid.OneOf(
		rapid.Custom(func(t *rapid.T) time.Duration {
			x := rapid.Float64Range(0, math.Log(100*24*float64(time.Hour))).Draw(t, "log")
			return time.Duration(math.Exp(x))
		}),
		rapid.Just(time.Duration(0)),
	)
	batch := rapid.SliceOfN(dur, 0, 40)
	rapid.Check(t, func(t *rapid.T) {
		var s Sketch
		model := map[int]uint64{}
		var count uint64
		add := func(m map[int]uint64, ds []time.Duration) {
			for _, d := range ds {
				if d > 0 {
					i, _ := defaultSketchLayout.index(d)
					m[i]++
				}
			}
		}
		for step := range rapid.IntRange(1, 12).Draw(t, "steps") {
			switch op := rapid.IntRange(0, 4).Draw(t, fmt.Sprint("op", step)); op {
			case 0: // Add
				ds := batch.Draw(t, "add")
				mustAdd(t, &s, ds...)
				add(model, ds)
				count += uint64(len(ds))
			case 1: // Merge a sketch of other durations
				ds := batch.Draw(t, "merge")
				var o Sketch
				mustAdd(t, &o, ds...)
				if err := s.Merge(&o); err != nil {
					t.Fatal(err)
				}
				add(model, ds)
				count += uint64(len(ds))
			case 2: // Reset
				s.Reset()
				model, count = map[int]uint64{}, 0
			case 3: // go on with a copy
				s = *s.Copy()
			case 4: // go on with the decoded binary form
				b, err := s.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				s = Sketch{}
				if err := s.UnmarshalBinary(b); err != nil {
					t.Fatal(err)
				}
			}
			checkWindow(t, &s)
			if diff := cmp.Diff(model, stateOf(&s).Buckets); diff != "" {
				t.Fatalf("step %d: buckets (-model +sketch):\n%s", step, diff)
			}
			if s.Count() != count {
				t.Fatalf("step %d: count %d, want %d", step, s.Count(), count)
			}
		}
	})
}

// TestSketchWindowGrowth checks how often a default sketch allocates and
// how wide its window ends up, for orders of arrival from the kindest to
// the worst.
//
// A sketch allocates only when the buckets in use, with the new one, are
// more than its window holds; the new window is then wider by an eighth
// and 12 buckets (a quarter of a doubling) at least, starting from 100
// buckets (two doublings). Widths w₀ = 100, wₖ₊₁ = (wₖ+1) + ⌊(wₖ+1)/8⌋ + 12
// reach the 1 563 buckets of the layout at w₁₈, so no sketch allocates
// more than 19 times. (Each growth is one allocation; two under the race
// detector.)
func TestSketchWindowGrowth(t *testing.T) {
	l := defaultSketchLayout
	lower := func(i int) time.Duration { // the smallest duration of bucket i
		lo, _ := integerBounds(l, i)
		return time.Duration(max(lo, uint64(l.min)))
	}
	r := rand.New(rand.NewPCG(3, 4))
	logUniform := func(lo, hi time.Duration, n int) []time.Duration {
		out := make([]time.Duration, n)
		for k := range out {
			out[k] = time.Duration(math.Exp(math.Log(float64(lo)) + r.Float64()*math.Log(float64(hi)/float64(lo))))
		}
		return out
	}
	var upward, downward, outward []time.Duration
	for i := range l.n {
		upward = append(upward, lower(i))
		downward = append(downward, lower(l.n-1-i))
		// l.n/2, l.n/2−1, l.n/2+1, l.n/2−2, …: one bucket further out each time
		if j := l.n/2 + (i+1)/2*(1-2*(i%2)); j >= 0 && j < l.n {
			outward = append(outward, lower(j))
		}
	}
	tests := []struct {
		reason    string
		values    []time.Duration
		maxAllocs float64
	}{
		{"one bucket: the first window only", []time.Duration{time.Second, time.Second, time.Second}, 1},
		{"every bucket upwards", upward, 19},
		{"every bucket downwards", downward, 19},
		{"every bucket outwards from the middle, alternating sides", outward, 19},
		{"1e4 random replies from 1 s to 1 min", logUniform(time.Second, time.Minute, 1e4), 19},
		{"1e4 random replies from 1 ms to 7 days", logUniform(time.Millisecond, 7*24*time.Hour, 1e4), 19},
	}
	for _, tc := range tests {
		var s Sketch
		// Five runs, so that a stray allocation elsewhere in the process
		// does not count as one of the sketch's.
		allocs := testing.AllocsPerRun(5, func() {
			s = Sketch{}
			mustAdd(t, &s, tc.values...)
		})
		if allocs > tc.maxAllocs*sketchGrowAllocs {
			t.Errorf("%s: %v allocations, want at most %v", tc.reason, allocs, tc.maxAllocs)
		}
		checkWindow(t, &s)
		// The window holds the buckets in use, an eighth and a quarter of
		// a doubling more, and a size class's rounding (under an eighth
		// here): at most a quarter and half a doubling more, and no less
		// than two doublings unless the layout is narrower.
		need := s.last - s.first + 1
		limit := min(max(need+need/4+int(l.perOctave)/2, 2*int(l.perOctave)+8), l.n)
		if w := len(s.low); w < need || w > limit {
			t.Errorf("%s: window of %d buckets for %d in use, want at most %d", tc.reason, w, need, limit)
		}
	}
}

// TestSketchWindowSteady: once the window covers the data, Add allocates
// nothing, and after Reset the window is reused wherever the next data
// falls, as long as its range fits.
func TestSketchWindowSteady(t *testing.T) {
	var s Sketch
	mustAdd(t, &s, time.Second, time.Minute, time.Hour)
	window := len(s.low)
	tests := []struct {
		reason string
		run    func()
	}{
		{"adding within the range seen", func() { mustAdd(t, &s, 2*time.Second, 30*time.Minute, 0) }},
		{"reset, then data of a narrower range elsewhere", func() {
			s.Reset()
			mustAdd(t, &s, 2*time.Millisecond, 20*time.Millisecond, 200*time.Millisecond)
		}},
		{"reset, then data at the top of the range", func() {
			s.Reset()
			mustAdd(t, &s, 20*24*time.Hour, 30*24*time.Hour, 100*24*time.Hour)
		}},
	}
	for _, tc := range tests {
		if allocs := testing.AllocsPerRun(10, tc.run); allocs != 0 {
			t.Errorf("%s: %v allocations, want none", tc.reason, allocs)
		}
		checkWindow(t, &s)
		if len(s.low) != window {
			t.Errorf("%s: window of %d buckets, was %d", tc.reason, len(s.low), window)
		}
	}
}
