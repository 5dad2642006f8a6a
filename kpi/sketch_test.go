package kpi

import (
	"errors"
	"math"
	"math/bits"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/quantile"
)

// sketchState is everything a Sketch knows, in comparable form.
type sketchState struct {
	Options                   SketchOptions
	Count, Zeros, Below, Abov uint64
	SumHi, SumLo              uint64
	Min, Max                  time.Duration
	Buckets                   map[int]uint64 // non-empty only
}

func stateOf(s *Sketch) sketchState {
	st := sketchState{
		Options: s.Options(), Count: s.count, Zeros: s.zeros, Below: s.below, Abov: s.above,
		SumHi: s.sumHi, SumLo: s.sumLo, Min: s.min, Max: s.max,
		Buckets: map[int]uint64{},
	}
	for j := range s.low {
		if c := s.bucket(s.base + j); c != 0 {
			st.Buckets[s.base+j] = c
		}
	}
	return st
}

func mustAdd(t interface{ Fatalf(string, ...any) }, s *Sketch, ds ...time.Duration) {
	for _, d := range ds {
		if err := s.Add(d); err != nil {
			t.Fatalf("Add(%v): %v", d, err)
		}
	}
}

func TestSketchLayout(t *testing.T) {
	tests := []struct {
		reason    string
		opts      SketchOptions
		perOctave uint64
		buckets   int
	}{
		{"defaults: 1 % from 1 ms to 30 days", SketchOptions{}, 50, 1563},
		{"explicit defaults", SketchOptions{RelativeAccuracy: 0.01, Min: time.Millisecond, Max: 720 * time.Hour}, 50, 1563},
		// 1/(2M+1) ≤ 0.02 − 5e−7 needs M ≥ 24.5.
		{"2 %", SketchOptions{RelativeAccuracy: 0.02}, 25, 782},
		// 1/(2M+1) ≤ 0.001 − 5e−7 needs M ≥ 499.75.
		{"0.1 %", SketchOptions{RelativeAccuracy: 0.001}, 500, 15623},
		// 1/(2M+1) ≤ 0.01 − 0.5/1000 needs M ≥ 52.13.
		// 1 µs = 2⁹·1.953 and 30 days = 2⁵¹·1.151: keys 9·53+50 … 51·53+8.
		{"1 µs floor costs rounding margin", SketchOptions{Min: time.Microsecond}, 53, 2185},
	}
	for _, tc := range tests {
		l, err := newSketchLayout(tc.opts)
		if err != nil {
			t.Fatalf("%s: %v", tc.reason, err)
		}
		got := [2]int{int(l.perOctave), l.n}
		if diff := cmp.Diff([2]int{int(tc.perOctave), tc.buckets}, got); diff != "" {
			t.Errorf("%s: layout (-want +got):\n%s", tc.reason, diff)
		}
	}
}

func TestSketchOptionsRejected(t *testing.T) {
	tests := []struct {
		reason string
		opts   SketchOptions
	}{
		{"accuracy too fine", SketchOptions{RelativeAccuracy: 0.00001}},
		{"accuracy too coarse", SketchOptions{RelativeAccuracy: 0.6}},
		{"accuracy NaN", SketchOptions{RelativeAccuracy: math.NaN()}},
		{"negative accuracy", SketchOptions{RelativeAccuracy: -0.01}},
		{"min below 1/α ns", SketchOptions{Min: 50}},
		{"negative min", SketchOptions{Min: -time.Second}},
		{"max not above min", SketchOptions{Min: time.Second, Max: time.Second}},
		{"too many buckets", SketchOptions{RelativeAccuracy: 0.0001, Min: 10 * time.Microsecond, Max: math.MaxInt64}},
	}
	for _, tc := range tests {
		if _, err := NewSketch(tc.opts); !errors.Is(err, ErrSketchIncompatible) {
			t.Errorf("%s: NewSketch(%+v) = %v, want ErrSketchIncompatible", tc.reason, tc.opts, err)
		}
	}
}

// TestSketchBucketBounds checks the proof in sketchLayout on every bucket of
// several layouts: the bucket's bounds map to it, and its representative is
// within α of both bounds after rounding to the nanosecond.
func TestSketchBucketBounds(t *testing.T) {
	for _, opts := range []SketchOptions{
		{}, {RelativeAccuracy: 0.02}, {RelativeAccuracy: 0.005, Min: time.Microsecond},
		{RelativeAccuracy: 0.5, Min: 2, Max: time.Hour},
	} {
		l := mustSketchLayout(opts)
		for i := 0; i < l.n; i++ {
			lower, upper := l.bounds(i)
			r := l.representative(i)
			if !(lower <= r && r <= upper) {
				t.Fatalf("%+v bucket %d: representative %v outside [%v, %v)", opts, i, r, lower, upper)
			}
			// The smallest and largest integer in the bucket, within [Min, Max].
			first, end := integerBounds(l, i)
			first = max(first, uint64(l.min))
			last := min(end-1, uint64(l.max))
			for _, x := range []uint64{first, last} {
				if x < first || x > last {
					continue // no integer in the bucket
				}
				est := math.Round(r)
				if e := math.Abs(est-float64(x)) / float64(x); e > l.alpha {
					t.Fatalf("%+v bucket %d: x %v → %v, error %v > α %v", opts, i, x, est, e, l.alpha)
				}
				if got, _ := l.index(time.Duration(x)); got != i {
					t.Fatalf("%+v: %v maps to bucket %d, want %d", opts, x, got, i)
				}
			}
		}
	}
}

// integerBounds returns ⌈l⌉ and ⌈u⌉ for bucket i = [l, u) of l, computed
// exactly: l = 2ᵉ(M+j)/M and u = 2ᵉ(M+j+1)/M.
func integerBounds(l sketchLayout, i int) (uint64, uint64) {
	k := uint64(i + l.offset)
	m := l.perOctave
	e, j := k/m, k%m
	ceil := func(num uint64) uint64 {
		hi, lo := bits.Mul64(1<<e, num)
		q, r := bits.Div64(hi, lo, m)
		if r != 0 {
			q++
		}
		return q
	}
	return ceil(m + j), ceil(m + j + 1)
}

// TestSketchKeyMonotone checks that keys never decrease with the value and
// step by at most one between neighbouring integers where buckets are at
// least a nanosecond wide.
func TestSketchKeyMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.Uint64Range(1, 5000).Draw(t, "m")
		v := rapid.Uint64Range(1, math.MaxInt64-1).Draw(t, "v")
		a, b := sketchKey(v, m), sketchKey(v+1, m)
		// Once a bucket is at least 1 wide (2ᵉ ≥ M) keys step by one at most.
		if b < a || 1<<(bits.Len64(v)-1) >= m && b > a+1 {
			t.Fatalf("key(%d)=%d, key(%d)=%d with m=%d", v, a, v+1, b, m)
		}
	})
}

func TestSketchHandComputed(t *testing.T) {
	sec := time.Second
	tests := []struct {
		reason string
		values []time.Duration
		p      float64
		method Method
		want   time.Duration // exact, computed by hand
	}{
		// PERCENTILE({10,20,30,40}, 0.9): h = 3·0.9 = 2.7 → 30 + 0.7·10.
		{"type 7 interpolates", []time.Duration{10 * sec, 20 * sec, 30 * sec, 40 * sec}, 0.9, Linear, 37 * sec},
		// Median of an even count is the mean of the two middle values.
		{"even median", []time.Duration{40 * sec, 10 * sec, 30 * sec, 20 * sec}, 0.5, Linear, 25 * sec},
		// ⌈0.9·4⌉ = 4th value.
		{"nearest rank", []time.Duration{10 * sec, 20 * sec, 30 * sec, 40 * sec}, 0.9, NearestRank, 40 * sec},
		{"nearest rank p=0 is the minimum", []time.Duration{10 * sec, 20 * sec}, 0, NearestRank, 10 * sec},
		{"p=1 is the maximum", []time.Duration{3 * sec, 7 * sec}, 1, Linear, 7 * sec},
		{"single value", []time.Duration{90 * sec}, 0.5, Linear, 90 * sec},
		{"zeros come back as zero", []time.Duration{0, 0, 0, 5 * sec}, 0.5, Linear, 0},
		// h = 3·0.8 = 2.4 → 0 + 0.4·5 s.
		{"interpolation from a zero", []time.Duration{0, 0, 0, 5 * sec}, 0.8, Linear, 2 * sec},
	}
	for _, tc := range tests {
		var s Sketch
		mustAdd(t, &s, tc.values...)
		got, ok := s.Quantile(tc.p, tc.method)
		if !ok {
			t.Fatalf("%s: no quantile", tc.reason)
		}
		if e := math.Abs(float64(got-tc.want)) / float64(tc.want); got != tc.want && e > 0.01 {
			t.Errorf("%s: Quantile(%v, %v) = %v, want %v within 1 %% (error %.4f)", tc.reason, tc.p, tc.method, got, tc.want, e)
		}
	}
}

func TestSketchExactStatistics(t *testing.T) {
	var s Sketch
	if _, ok := s.Quantile(0.5, Linear); ok {
		t.Error("empty sketch has a median")
	}
	if _, ok := s.Mean(); ok {
		t.Error("empty sketch has a mean")
	}
	mustAdd(t, &s, 0, 3*time.Second, time.Second, 2*time.Second+1)
	got := struct {
		Count, Zeros  uint64
		Min, Max, Sum time.Duration
		Mean          time.Duration
	}{Count: s.Count(), Zeros: s.Zeros()}
	got.Min, _ = s.Min()
	got.Max, _ = s.Max()
	got.Sum, _ = s.Sum()
	got.Mean, _ = s.Mean()
	want := got
	want.Count, want.Zeros = 4, 1
	want.Min, want.Max, want.Sum = 0, 3*time.Second, 6*time.Second+1
	want.Mean = 1500 * time.Millisecond // 6 000 000 001 / 4 rounds down
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("statistics (-want +got):\n%s", diff)
	}
	for _, p := range []float64{-0.1, 1.1, math.NaN()} {
		if _, ok := s.Quantile(p, Linear); ok {
			t.Errorf("Quantile(%v) ok", p)
		}
	}
	if _, ok := s.Quantile(0.5, Method(9)); ok {
		t.Error("Quantile by an unknown method ok")
	}
}

func TestSketchSumBeyondDuration(t *testing.T) {
	var s Sketch
	// 2⁴⁰ values of 30 days would be needed to fill the sum; fake the count
	// through merging a sketch into itself.
	mustAdd(t, &s, 720*time.Hour)
	for range 20 {
		if err := s.Merge(&s); err != nil {
			t.Fatal(err)
		}
	}
	// 2²⁰ · 30 days ≈ 86 000 years: beyond a Duration.
	if _, ok := s.Sum(); ok {
		t.Error("Sum reports a value beyond time.Duration")
	}
	if got, ok := s.Mean(); !ok || got != 720*time.Hour {
		t.Errorf("Mean = %v, %v; want 720h", got, ok)
	}
	if s.Count() != 1<<20 {
		t.Errorf("Count = %d, want %d", s.Count(), 1<<20)
	}
}

func TestSketchRejectsNegative(t *testing.T) {
	var s Sketch
	err := s.Add(-time.Second)
	if !errors.Is(err, onemin.ErrInvalid) {
		t.Errorf("Add(-1s) = %v, want ErrInvalid", err)
	}
	if s.Count() != 0 {
		t.Errorf("negative duration counted: %d", s.Count())
	}
}

func TestSketchClamped(t *testing.T) {
	var s Sketch
	mustAdd(t, &s, time.Microsecond, time.Second, 1000*time.Hour, 2000*time.Hour)
	below, above := s.Clamped()
	if diff := cmp.Diff([2]uint64{1, 2}, [2]uint64{below, above}); diff != "" {
		t.Errorf("Clamped (-want +got):\n%s", diff)
	}
	// The extremes are exact; p=0.5 interpolates between 1 s and 1000 h
	// and p = 2/3 lands on the clamped 1000 h, answered inside the data.
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{0, time.Microsecond}, {1, 2000 * time.Hour}} {
		if got, _ := s.Quantile(tc.p, Linear); got != tc.want {
			t.Errorf("Quantile(%v) = %v, want %v", tc.p, got, tc.want)
		}
	}
	got, _ := s.Quantile(2.0/3, Linear)
	if got < time.Microsecond || got > 2000*time.Hour {
		t.Errorf("clamped quantile %v outside the data", got)
	}
}

func TestSketchCarry(t *testing.T) {
	var s Sketch
	mustAdd(t, &s, time.Second)
	i, _ := s.layout.index(time.Second)
	// Pretend 2³²−1 values of one second are already there.
	s.low[i-s.base] = math.MaxUint32
	s.count = math.MaxUint32
	s.sumLo = uint64(math.MaxUint32) * uint64(time.Second)
	mustAdd(t, &s, time.Second)
	if got := s.bucket(i); got != 1<<32 {
		t.Fatalf("bucket after wrap = %d, want 2³²", got)
	}
	c := s.Copy()
	if err := c.Merge(&s); err != nil {
		t.Fatal(err)
	}
	if got := c.bucket(i); got != 1<<33 {
		t.Errorf("merged bucket = %d, want 2³³", got)
	}
	var d Sketch
	b, _ := c.MarshalBinary()
	if err := d.UnmarshalBinary(b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stateOf(c), stateOf(&d)); diff != "" {
		t.Errorf("round trip of a wrapped bucket (-want +got):\n%s", diff)
	}
	if got, _ := d.Quantile(0.5, Linear); got != time.Second {
		t.Errorf("median = %v, want 1s", got)
	}
}

// TestSketchMergeWraps merges low halves whose sum passes 2³².
func TestSketchMergeWraps(t *testing.T) {
	var a, b Sketch
	mustAdd(t, &a, time.Second, time.Minute)
	mustAdd(t, &b, time.Second, time.Hour)
	i, _ := a.layout.index(time.Second)
	// Pretend there are 2³²−16 and 32 values of one second.
	a.low[i-a.base], a.count, a.sumLo = 1<<32-16, 1<<32-15, (1<<32-16)*uint64(time.Second)+uint64(time.Minute)
	b.low[i-b.base], b.count, b.sumLo = 32, 33, 32*uint64(time.Second)+uint64(time.Hour)
	if err := a.Merge(&b); err != nil {
		t.Fatal(err)
	}
	j, _ := a.layout.index(time.Minute)
	k, _ := a.layout.index(time.Hour)
	got := map[int]uint64{i: a.bucket(i), j: a.bucket(j), k: a.bucket(k)}
	if diff := cmp.Diff(map[int]uint64{i: 1<<32 + 16, j: 1, k: 1}, got); diff != "" {
		t.Errorf("merged buckets (-want +got):\n%s", diff)
	}
}

func TestSketchMergeIncompatible(t *testing.T) {
	a, _ := NewSketch(SketchOptions{RelativeAccuracy: 0.02})
	var b Sketch
	mustAdd(t, &b, time.Second)
	if err := a.Merge(&b); !errors.Is(err, ErrSketchIncompatible) {
		t.Errorf("Merge of 2 %% and 1 %% sketches = %v, want ErrSketchIncompatible", err)
	}
	if a.Count() != 0 {
		t.Errorf("failed merge changed the sketch: count %d", a.Count())
	}
	if err := b.Merge(nil); err != nil || b.Count() != 1 {
		t.Errorf("Merge(nil) = %v, count %d", err, b.Count())
	}
}

func TestSketchOnlyZeros(t *testing.T) {
	var zeros, other Sketch
	mustAdd(t, &zeros, 0, 0)
	mustAdd(t, &other, time.Second)
	if err := other.Merge(&zeros); err != nil {
		t.Fatal(err)
	}
	if err := zeros.Merge(&zeros); err != nil {
		t.Fatal(err)
	}
	got := [4]time.Duration{}
	got[0], _ = other.Quantile(0, Linear)
	got[1], _ = other.Quantile(1, Linear)
	got[2], _ = zeros.Quantile(0.5, Linear)
	got[3] = time.Duration(zeros.Count())
	if diff := cmp.Diff([4]time.Duration{0, time.Second, 0, 4}, got); diff != "" {
		t.Errorf("sketches of zeros (-want +got):\n%s", diff)
	}
	zeros.Reset()
	if zeros.Count() != 0 {
		t.Errorf("Reset left %d values", zeros.Count())
	}
}

func TestSketchCopyReset(t *testing.T) {
	var s Sketch
	mustAdd(t, &s, time.Second, time.Minute, 0)
	c := s.Copy()
	mustAdd(t, c, time.Hour)
	if s.Count() != 3 || c.Count() != 4 {
		t.Fatalf("copy shares state: counts %d and %d", s.Count(), c.Count())
	}
	c.Reset()
	var empty Sketch
	if diff := cmp.Diff(stateOf(&empty), stateOf(c)); diff != "" {
		t.Errorf("Reset (-want +got):\n%s", diff)
	}
	mustAdd(t, c, time.Second, time.Minute, 0)
	if diff := cmp.Diff(stateOf(&s), stateOf(c)); diff != "" {
		t.Errorf("reuse after Reset (-want +got):\n%s", diff)
	}
}

// sketchPs are the percentiles the properties check.
var sketchPs = []float64{0, .01, .1, .25, .5, .75, .9, .99, .999, 1}

// durationsGen draws response-time-like durations from 1 ms to 30 days:
// log-uniform, from a handful of repeated values, or exact zeros.
func durationsGen() *rapid.Generator[[]time.Duration] {
	logUniform := rapid.Custom(func(t *rapid.T) time.Duration {
		x := rapid.Float64Range(math.Log(1e6), math.Log(float64(DefaultSketchMax))).Draw(t, "log")
		return min(max(time.Duration(math.Exp(x)), DefaultSketchMin), DefaultSketchMax)
	})
	return rapid.Custom(func(t *rapid.T) []time.Duration {
		switch rapid.IntRange(0, 3).Draw(t, "shape") {
		case 0: // spread
			return rapid.SliceOfN(logUniform, 1, 400).Draw(t, "values")
		case 1: // many duplicates
			pool := rapid.SliceOfN(logUniform, 1, 4).Draw(t, "pool")
			idx := rapid.SliceOfN(rapid.IntRange(0, len(pool)-1), 1, 400).Draw(t, "picks")
			out := make([]time.Duration, len(idx))
			for i, j := range idx {
				out[i] = pool[j]
			}
			return out
		case 2: // a single value
			return []time.Duration{logUniform.Draw(t, "value")}
		default: // with zeros
			vs := rapid.SliceOfN(logUniform, 1, 200).Draw(t, "values")
			zeros := rapid.IntRange(1, 50).Draw(t, "zeros")
			return append(vs, make([]time.Duration, zeros)...)
		}
	})
}

// TestSketchRelativeError: every quantile is within α of the exact value
// by the same method (internal/quantile on the sorted data), relative to
// it.
func TestSketchRelativeError(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alpha := rapid.SampledFrom([]float64{0.01, 0.02, 0.005}).Draw(t, "alpha")
		values := durationsGen().Draw(t, "durations")
		s, err := NewSketch(SketchOptions{RelativeAccuracy: alpha})
		if err != nil {
			t.Fatal(err)
		}
		sorted := make([]float64, len(values))
		for i, d := range values {
			mustAdd(t, s, d)
			sorted[i] = float64(d)
		}
		slices.Sort(sorted)
		for _, p := range sketchPs {
			for _, m := range []Method{Linear, NearestRank} {
				exact := quantile.Linear(sorted, p)
				if m == NearestRank {
					exact = quantile.NearestRank(sorted, p)
				}
				got, ok := s.Quantile(p, m)
				if !ok {
					t.Fatalf("no %v quantile %v", m, p)
				}
				// Interpolating from a zero may give an exact value below
				// Min, where rounding to the nanosecond is all we promise.
				slack := 0.0
				if exact < float64(DefaultSketchMin) {
					slack = 0.5
				}
				if err := math.Abs(float64(got) - exact); err > alpha*exact+slack {
					t.Fatalf("%v p=%v: got %v, exact %v: relative error %v > α %v",
						m, p, got, time.Duration(exact), err/exact, alpha)
				}
			}
		}
	})
}

func TestSketchQuantileMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var s Sketch
		mustAdd(t, &s, durationsGen().Draw(t, "durations")...)
		for _, m := range []Method{Linear, NearestRank} {
			prev := time.Duration(-1)
			for _, p := range sketchPs {
				got, _ := s.Quantile(p, m)
				if got < prev {
					t.Fatalf("%v: quantile %v = %v below the previous %v", m, p, got, prev)
				}
				prev = got
			}
		}
	})
}

// TestSketchMergeIsUnion: merging sketches of parts gives the sketch of
// the whole, bucket for bucket.
func TestSketchMergeIsUnion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := durationsGen().Draw(t, "a")
		b := durationsGen().Draw(t, "b")
		var sa, sb, whole Sketch
		mustAdd(t, &sa, a...)
		mustAdd(t, &sb, b...)
		mustAdd(t, &whole, append(slices.Clone(a), b...)...)
		if err := sa.Merge(&sb); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(stateOf(&whole), stateOf(&sa)); diff != "" {
			t.Fatalf("merge differs from the union (-union +merge):\n%s", diff)
		}
		var empty Sketch
		if err := empty.Merge(&whole); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(stateOf(&whole), stateOf(&empty)); diff != "" {
			t.Fatalf("merge into an empty sketch (-want +got):\n%s", diff)
		}
	})
}

func TestSketchOrderIndependent(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		values := durationsGen().Draw(t, "durations")
		seed := rapid.Uint64().Draw(t, "seed")
		shuffled := slices.Clone(values)
		rand.New(rand.NewPCG(seed, 1)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		var a, b Sketch
		mustAdd(t, &a, values...)
		mustAdd(t, &b, shuffled...)
		if diff := cmp.Diff(stateOf(&a), stateOf(&b)); diff != "" {
			t.Fatalf("order changed the sketch (-in order +shuffled):\n%s", diff)
		}
	})
}
