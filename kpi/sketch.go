package kpi

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/onemin/onemin"
)

// Default layout of a [Sketch]: the zero [SketchOptions] mean these.
const (
	// DefaultSketchAccuracy is the default relative accuracy α of a
	// [Sketch], as a ratio (0.01 = 1 %).
	DefaultSketchAccuracy = 0.01
	// DefaultSketchMin is the default smallest duration a [Sketch]
	// resolves within its accuracy.
	DefaultSketchMin = time.Millisecond
	// DefaultSketchMax is the default largest duration a [Sketch] resolves
	// within its accuracy: 30 days.
	DefaultSketchMax = 30 * 24 * time.Hour
)

// Limits on [SketchOptions].
const (
	// MinSketchAccuracy is the finest relative accuracy a [Sketch] accepts
	// (0.0001 = 0.01 %).
	MinSketchAccuracy = 0.0001
	// MaxSketchAccuracy is the coarsest relative accuracy a [Sketch]
	// accepts (0.5 = 50 %).
	MaxSketchAccuracy = 0.5
	// maxSketchBuckets bounds the bucket array, and so the memory a
	// decoder may be made to allocate: 2¹⁸ buckets of 4 bytes.
	maxSketchBuckets = 1 << 18
)

// ErrSketchIncompatible is returned by [Sketch.Merge] when the two sketches
// have different accuracy or range, and wrapped by [NewSketch] for options
// it cannot honour.
var ErrSketchIncompatible = errors.New("kpi: incompatible sketch layout")

// SketchOptions configure a [Sketch]. The zero value means the defaults:
// 1 % relative accuracy for durations from 1 ms to 30 days, 1 563 buckets
// (6.1 KiB when every one is held).
type SketchOptions struct {
	// RelativeAccuracy is the guaranteed relative error α of every
	// quantile, as a ratio in [MinSketchAccuracy, MaxSketchAccuracy];
	// zero means DefaultSketchAccuracy (0.01, that is 1 %).
	RelativeAccuracy float64
	// Min is the smallest duration resolved within α. Positive durations
	// below it are counted in the lowest bucket (see [Sketch.Clamped]).
	// Zero means DefaultSketchMin (1 ms). Min·α must be at least 1 ns.
	Min time.Duration
	// Max is the largest duration resolved within α. Durations above it
	// are counted in the highest bucket (see [Sketch.Clamped]). Zero means
	// DefaultSketchMax (30 days).
	Max time.Duration
}

// sketchLayout is the index mapping of a sketch: two sketches can be merged
// exactly when their layouts are equal.
//
// The mapping is log-linear on the bits of the duration in nanoseconds. A
// value v ≥ 1 has an octave e = ⌊log₂ v⌋ (the position of its top bit) and
// a fraction f = (v − 2ᵉ)/2ᵉ in [0, 1) (the bits below the top one). Each
// octave is cut into M equal sub-buckets, and v goes to
//
//	key(v) = e·M + ⌊f·M⌋,
//
// computed exactly with integers: f·2⁶⁴ is v shifted left so that its top
// bit falls off, and ⌊f·M⌋ is the high word of that times M. Bucket
// (e, j) holds [l, u) with l = 2ᵉ(1 + j/M), u = 2ᵉ(1 + (j+1)/M), so
//
//	u/l = (M+j+1)/(M+j) ≤ (M+1)/M.
//
// Its representative is the harmonic mean r = 2lu/(l+u), the point whose
// largest relative distance to the bucket is least: for every x in [l, u),
//
//	|r − x|/x ≤ max((r−l)/l, (u−r)/u) = (u−l)/(u+l) = 1/(2(M+j)+1) ≤ 1/(2M+1).
//
// Answers are rounded to whole nanoseconds, which adds at most 0.5 ns, a
// relative 0.5/x ≤ 0.5/Min. So M is the least integer with
//
//	1/(2M+1) ≤ α − 0.5 ns/Min,
//
// and every answer for a value in [Min, Max] is within α relative. With
// α = 1 % and Min = 1 ms that is M = 50 buckets per doubling.
type sketchLayout struct {
	alpha     float64
	min, max  time.Duration
	perOctave uint64 // M
	offset    int    // key(min): bucket 0
	n         int    // key(max) − key(min) + 1
	width     uint64 // max − min + 1: d is in range when d − min < width
}

var defaultSketchLayout = mustSketchLayout(SketchOptions{})

func mustSketchLayout(o SketchOptions) sketchLayout {
	l, err := newSketchLayout(o)
	if err != nil {
		panic(err)
	}
	return l
}

func newSketchLayout(o SketchOptions) (sketchLayout, error) {
	alpha, lo, hi := o.RelativeAccuracy, o.Min, o.Max
	if alpha == 0 {
		alpha = DefaultSketchAccuracy
	}
	if lo == 0 {
		lo = DefaultSketchMin
	}
	if hi == 0 {
		hi = DefaultSketchMax
	}
	switch {
	case !(alpha >= MinSketchAccuracy && alpha <= MaxSketchAccuracy):
		return sketchLayout{}, fmt.Errorf("%w: relative accuracy %v outside [%v, %v]",
			ErrSketchIncompatible, alpha, MinSketchAccuracy, MaxSketchAccuracy)
	case lo < 0 || alpha*float64(lo) < 1:
		return sketchLayout{}, fmt.Errorf("%w: min %v: min·α must be at least 1ns",
			ErrSketchIncompatible, lo)
	case hi <= lo:
		return sketchLayout{}, fmt.Errorf("%w: max %v not above min %v",
			ErrSketchIncompatible, hi, lo)
	}
	target := alpha - 0.5/float64(lo) // at least α/2, as α·Min ≥ 1 ns
	m := uint64(math.Ceil((1/target - 1) / 2))
	for m > 1 && 1/float64(2*m-1) <= target {
		m--
	}
	for 1/float64(2*m+1) > target {
		m++
	}
	l := sketchLayout{alpha: alpha, min: lo, max: hi, perOctave: m, width: uint64(hi-lo) + 1}
	l.offset = sketchKey(uint64(lo), m)
	l.n = sketchKey(uint64(hi), m) - l.offset + 1
	if l.n > maxSketchBuckets {
		return sketchLayout{}, fmt.Errorf("%w: α %v from %v to %v needs %d buckets, more than %d",
			ErrSketchIncompatible, alpha, lo, hi, l.n, maxSketchBuckets)
	}
	return l, nil
}

// sketchKey returns e·m + ⌊f·m⌋ for v = 2ᵉ(1+f), v ≥ 1.
func sketchKey(v, m uint64) int {
	e := bits.Len64(v) - 1
	sub, _ := bits.Mul64(v<<(64-e), m) // v<<64 is 0 for e = 0
	return e*int(m) + int(sub)
}

// index returns the bucket of a positive duration and whether it was
// clamped below Min (−1) or above Max (+1).
func (l *sketchLayout) index(d time.Duration) (int, int) {
	switch {
	case d < l.min:
		return 0, -1
	case d > l.max:
		return l.n - 1, 1
	}
	return sketchKey(uint64(d), l.perOctave) - l.offset, 0
}

// representative returns the harmonic mean of the bounds of bucket i, in
// nanoseconds.
func (l *sketchLayout) representative(i int) float64 {
	k := uint64(i + l.offset)
	m := l.perOctave
	e, j := k/m, k%m
	a, b := float64(m+j), float64(m+j+1)
	return math.Ldexp(2*a*b/(float64(m)*(a+b)), int(e))
}

// bounds returns the lower and upper bound of bucket i in nanoseconds.
func (l *sketchLayout) bounds(i int) (lower, upper float64) {
	k := uint64(i + l.offset)
	m := l.perOctave
	e, j := k/m, k%m
	return math.Ldexp(float64(m+j)/float64(m), int(e)), math.Ldexp(float64(m+j+1)/float64(m), int(e))
}

// Sketch is a mergeable streaming quantile sketch of durations with a
// guaranteed relative error: every quantile it returns is within α (1 % by
// default) of the exact value, relative to that value, for durations in
// its range (1 ms to 30 days by default).
//
// Memory follows the range of the durations seen, never their number. A
// Sketch holds a window of 4-byte bucket counters over the buckets in use,
// with room to grow (an eighth more and a quarter of a doubling, rounded
// up to the allocator's size class), and a struct of 192 bytes. At 1 %
// there are 50 buckets per doubling, about 200 bytes per doubling of the
// range: replies from 1 s to 1 min take about 1.4 KiB, from 1 s to 30 days
// about 5 KiB, and no sketch with the default options holds more than
// 6.6 KiB (6.1 KiB of counters for every bucket from 1 ms to 30 days). A
// bucket count that reaches 2³² spills into a second window of high
// halves, made on the first such carry.
//
// A duration of exactly zero is counted in a zero bucket of its own and
// comes back as exactly zero. A positive duration below Min is counted in
// the lowest bucket and one above Max in the highest: never lost, counted
// by [Sketch.Clamped], but outside the guarantee (the answer is clamped to
// the exact minimum and maximum, so it stays within the data). Negative
// durations are rejected.
//
// Count, sum, mean, minimum and maximum are exact. Two sketches with the
// same options merge exactly: the merge has the very bucket counts of a
// sketch of the union, in any order.
//
// The zero Sketch is empty, has the default options and is ready to use.
// Add and Merge allocate only when the buckets in use, with the new ones,
// outgrow the window (the first positive duration makes it). Each new
// window is wider than the last by an eighth and a quarter of a doubling
// at least, and windows never shrink, so a sketch with the default
// options allocates at most 19 times in its life, mostly among its first
// values; once the window covers the range of the data, Add never
// allocates (until 2³² values land in one bucket). [Sketch.Reset] keeps
// the window for the next values. A Sketch is not safe for concurrent
// use: give each goroutine its own and [Sketch.Merge] them, or guard it
// with a mutex.
type Sketch struct {
	layout sketchLayout // zero means defaultSketchLayout, until low is made

	// low is the window of buckets in memory: bucket i of the layout
	// (0 ≤ i < layout.n) holds uint64(high[i−base])<<32 | uint64(low[i−base])
	// values when base ≤ i < base+len(low), and none otherwise. low is nil
	// until the first positive duration, and layout is not zero once it is
	// made; high is nil until a low half first wraps, then as long as low.
	// first..last is the range of buckets that may be non-empty, within
	// the window (first > last when none is).
	//
	// Counters are 32 bits wide because memory is the point: at 1 % the
	// log-linear buckets are 1.45 times as many as logarithmic ones, and
	// 4-byte counters more than make up for it. Four billion values in one
	// 1 % bucket are rare enough for the carry to cost one untaken branch.
	low, high   []uint32
	base        int
	first, last int

	count        uint64
	zeros        uint64 // values equal to 0
	below, above uint64 // values clamped into the extreme buckets
	sumHi, sumLo uint64 // exact sum in nanoseconds, 128 bits
	min, max     time.Duration
}

// NewSketch returns an empty sketch with the given options, or an error
// wrapping [ErrSketchIncompatible] when they are out of bounds.
func NewSketch(opts SketchOptions) (*Sketch, error) {
	l, err := newSketchLayout(opts)
	if err != nil {
		return nil, err
	}
	return &Sketch{layout: l}, nil
}

// ensureLayout gives a zero Sketch the default layout.
func (s *Sketch) ensureLayout() {
	if s.layout.perOctave == 0 {
		s.layout = defaultSketchLayout
	}
}

// effectiveLayout is the layout of s without changing s.
func (s *Sketch) effectiveLayout() *sketchLayout {
	if s.layout.perOctave == 0 {
		return &defaultSketchLayout
	}
	return &s.layout
}

// Growth of the window of buckets.
const (
	// sketchWindowOctaves is the least width of a window, in doublings.
	sketchWindowOctaves = 2
	// sketchGrowShift sets the room a new window leaves to grow:
	// 1/2^sketchGrowShift of the buckets it must hold, plus a quarter of a
	// doubling.
	sketchGrowShift = 3
)

// cover makes the window hold buckets lo..hi (0 ≤ lo ≤ hi < layout.n).
//
// The window must then hold the buckets first..last already in use and
// lo..hi. When it is wide enough for them, the counts move within it;
// otherwise they move to a new window as wide as they need, plus room to
// grow of an eighth and a quarter of a doubling (at least two doublings
// in all), plus what the allocator's size class adds, and never more than
// layout.n buckets. The room goes to the side that grew, or is split when
// both did (or none: a first window). A new window is thus wider than the
// old by an eighth and a quarter of a doubling at least, so a sketch
// allocates a logarithmic number of times, and never holds much more than
// the range of its buckets in use.
func (s *Sketch) cover(lo, hi int) {
	if s.low != nil && lo >= s.base && hi < s.base+len(s.low) {
		return
	}
	s.ensureLayout()
	n, m := s.layout.n, int(s.layout.perOctave)
	first, last := s.span()
	empty := first > last
	a, b := lo, hi
	if !empty {
		a, b = min(first, lo), max(last, hi)
	}
	need := b - a + 1
	low, high := s.low, s.high
	if need > len(low) {
		size := max(need+need>>sketchGrowShift+m/4, sketchWindowOctaves*m)
		low = slices.Grow([]uint32(nil), min(size, n)) // rounded up to a size class
		low = low[:min(cap(low), n)]
		if high != nil && !empty {
			high = make([]uint32, len(low))
		}
	}
	room := len(low) - need
	below := room / 2
	switch {
	case empty:
	case lo >= first: // grew upwards only
		below = 0
	case hi <= last: // grew downwards only
		below = room
	}
	base := min(max(a-below, 0), n-len(low))
	if empty {
		// Nothing to move: the window is new, or all zeros after Reset.
		high = nil
		s.first, s.last = n, -1
	} else {
		moveCounts(low, s.low, base, s.base, first, last)
		if high != nil {
			moveCounts(high, s.high, base, s.base, first, last)
		}
	}
	s.low, s.high, s.base = low, high, base
}

// moveCounts moves the counts of buckets first..last from src, a window
// starting at bucket srcBase, to dst, a window starting at dstBase that
// holds them, and clears the rest of dst. dst and src may be the same.
func moveCounts(dst, src []uint32, dstBase, srcBase, first, last int) {
	copy(dst[first-dstBase:], src[first-srcBase:last-srcBase+1])
	clear(dst[:first-dstBase])
	clear(dst[last-dstBase+1:])
}

// Options returns the options of s with every default filled in.
func (s *Sketch) Options() SketchOptions {
	l := s.effectiveLayout()
	return SketchOptions{RelativeAccuracy: l.alpha, Min: l.min, Max: l.max}
}

// Add counts one duration. It returns an error wrapping [onemin.ErrInvalid]
// for a negative duration, which it does not count.
func (s *Sketch) Add(d time.Duration) error {
	l := &s.layout
	// The common case: a duration within [Min, Max] added to a sketch
	// that has a layout (width is 0 until then), is not empty, and whose
	// window holds the duration's bucket. (The key of a duration out of
	// range is a number that goes unused.)
	i := sketchKey(uint64(d), l.perOctave) - l.offset
	if uint64(d-l.min) >= l.width || s.count == 0 || uint(i-s.base) >= uint(len(s.low)) {
		return s.addSlow(d)
	}
	s.increment(i)
	if d < s.min {
		s.min = d
	}
	if d > s.max {
		s.max = d
	}
	s.tally(d)
	return nil
}

// addSlow is Add for every case: zeros, negative, clamped durations, the
// first value, and a sketch without buckets yet.
func (s *Sketch) addSlow(d time.Duration) error {
	if d <= 0 {
		if d < 0 {
			return fmt.Errorf("kpi: sketch: negative duration %v: %w", d, onemin.ErrInvalid)
		}
		s.zeros++
	} else {
		s.ensureLayout()
		i, clamped := s.layout.index(d)
		if clamped != 0 {
			if clamped < 0 {
				s.below++
			} else {
				s.above++
			}
		}
		s.cover(i, i)
		s.increment(i)
	}
	if s.count == 0 || d < s.min {
		s.min = d
	}
	if s.count == 0 || d > s.max {
		s.max = d
	}
	s.tally(d)
	return nil
}

// increment adds one to bucket i, which the window holds.
func (s *Sketch) increment(i int) {
	s.low[i-s.base]++
	if s.low[i-s.base] == 0 {
		s.carry(i, 1)
	}
	s.first = min(s.first, i)
	s.last = max(s.last, i)
}

// tally adds d to the count and the 128-bit sum.
func (s *Sketch) tally(d time.Duration) {
	s.count++
	var c uint64
	s.sumLo, c = bits.Add64(s.sumLo, uint64(d), 0)
	s.sumHi += c
}

// carry adds c to the high half of bucket i, which the window holds.
func (s *Sketch) carry(i int, c uint64) {
	if s.high == nil {
		s.high = make([]uint32, len(s.low))
	}
	s.high[i-s.base] += uint32(c)
}

// span returns the range of buckets that may be non-empty; first > last
// when none is.
func (s *Sketch) span() (first, last int) {
	if s.low == nil {
		return 0, -1
	}
	return s.first, s.last
}

// bucket returns the count of bucket i: zero outside the window.
func (s *Sketch) bucket(i int) uint64 {
	j := i - s.base
	if uint(j) >= uint(len(s.low)) {
		return 0
	}
	c := uint64(s.low[j])
	if s.high != nil {
		c |= uint64(s.high[j]) << 32
	}
	return c
}

// counts returns the low and high halves of buckets first..last, which
// the window holds; high is nil when no count has reached 2³².
func (s *Sketch) counts(first, last int) (low, high []uint32) {
	low = s.low[first-s.base : last-s.base+1]
	if s.high != nil {
		high = s.high[first-s.base : last-s.base+1]
	}
	return low, high
}

// Count returns the number of durations added, zeros and clamped ones
// included.
func (s *Sketch) Count() uint64 { return s.count }

// Zeros returns how many of the durations were exactly zero.
func (s *Sketch) Zeros() uint64 { return s.zeros }

// Clamped returns how many positive durations fell below Min (counted in
// the lowest bucket) and above Max (counted in the highest). Quantiles
// whose rank falls on them are outside the accuracy guarantee.
func (s *Sketch) Clamped() (below, above uint64) { return s.below, s.above }

// Min returns the exact smallest duration added, and false when the
// sketch is empty.
func (s *Sketch) Min() (time.Duration, bool) { return s.min, s.count > 0 }

// Max returns the exact largest duration added, and false when the sketch
// is empty.
func (s *Sketch) Max() (time.Duration, bool) { return s.max, s.count > 0 }

// Sum returns the exact sum of the durations added, and false when it
// does not fit in a time.Duration (about 292 years). An empty sketch sums
// to zero.
func (s *Sketch) Sum() (time.Duration, bool) {
	if s.sumHi != 0 || s.sumLo > math.MaxInt64 {
		return 0, false
	}
	return time.Duration(s.sumLo), true
}

// Mean returns the mean duration, rounded to the nearest nanosecond (half
// up), computed exactly from the 128-bit sum; false when the sketch is
// empty.
func (s *Sketch) Mean() (time.Duration, bool) {
	if s.count == 0 {
		return 0, false
	}
	// The mean is at most the maximum, so the quotient fits.
	q, r := bits.Div64(s.sumHi, s.sumLo, s.count)
	if r >= s.count-r {
		q++
	}
	return time.Duration(q), true
}

// Quantile returns the p-quantile (p in [0, 1]) by method m, and false
// when the sketch is empty, p is outside [0, 1] or m is not a known
// [Method].
//
// [Linear] takes rank h = (n−1)·p and interpolates between the values of
// ranks ⌊h⌋ and ⌊h⌋+1 (Hyndman–Fan type 7, like a spreadsheet's
// PERCENTILE); [NearestRank] takes the value of rank ⌈p·n⌉−1. The value of
// a rank is the representative of the bucket that holds it; ranks 0 and
// n−1 are the exact minimum and maximum, zeros are exactly zero. As each
// representative is within α of the value it stands for, relative to it,
// and interpolation weights are non-negative, the answer is within α of
// the exact quantile by the same method, relative to it, whenever the
// ranks used hold zeros or durations in [Min, Max]. (The rounding to a
// whole nanosecond is part of that bound when the exact quantile is at
// least Min; below Min, which only interpolation from a zero reaches, add
// 0.5 ns.) The answer always lies within the exact minimum and maximum.
func (s *Sketch) Quantile(p float64, m Method) (time.Duration, bool) {
	n := s.count
	if n == 0 || !(p >= 0 && p <= 1) || m != Linear && m != NearestRank {
		return 0, false
	}
	if m == NearestRank {
		r := uint64(math.Ceil(p * float64(n)))
		r = max(r, 1)
		r = min(r, n)
		v, _ := s.valuesAt(r - 1)
		return s.round(v), true
	}
	h := float64(n-1) * p
	k := uint64(h)
	if k >= n-1 {
		return s.max, true
	}
	f := h - float64(k)
	lo, hi := s.valuesAt(k)
	if f == 0 || lo == hi {
		return s.round(lo), true
	}
	return s.round(lo + f*(hi-lo)), true
}

// valuesAt returns the values of ranks k and k+1 (0-based; rank n and
// beyond are the maximum) in nanoseconds, in one pass over the buckets:
// rank 0 is the exact minimum, rank n−1 the exact maximum, the zeros come
// first, then each positive rank takes the representative of its bucket.
func (s *Sketch) valuesAt(k uint64) (float64, float64) {
	first, last := s.span()
	var low, high []uint32
	if first <= last {
		low, high = s.counts(first, last)
	}
	i, seen := 0, uint64(0) // buckets first..first+i−1 hold seen positive values
	var out [2]float64
	for j, rank := range [2]uint64{k, k + 1} {
		switch {
		case rank == 0:
			out[j] = float64(s.min)
		case rank >= s.count-1:
			out[j] = float64(s.max)
		case rank < s.zeros:
			out[j] = 0
		default:
			i, seen = findRank(low, high, i, seen, rank-s.zeros)
			out[j] = s.layout.representative(first + i)
		}
	}
	return out[0], out[1]
}

// findRank returns the bucket that holds the positive value of rank r
// (0-based), counting on from bucket i of low and high, before which lie
// seen values, and the number of values before it. The last bucket is
// returned when r is beyond it.
func findRank(low, high []uint32, i int, seen, r uint64) (int, uint64) {
	if high == nil {
		for ; i < len(low)-1; i++ {
			next := seen + uint64(low[i])
			if r < next {
				break
			}
			seen = next
		}
		return i, seen
	}
	high = high[:len(low)]
	for ; i < len(low)-1; i++ {
		next := seen + (uint64(high[i])<<32 | uint64(low[i]))
		if r < next {
			break
		}
		seen = next
	}
	return i, seen
}

// round rounds v to a Duration within the exact minimum and maximum.
func (s *Sketch) round(v float64) time.Duration {
	d := time.Duration(math.Round(v))
	return min(max(d, s.min), s.max)
}

// Merge adds the durations counted by o to s, exactly: afterwards s has the
// bucket counts, count, sum, minimum and maximum of a sketch of both sets
// of durations. It returns an error wrapping [ErrSketchIncompatible], and
// changes nothing, when o has other options. Merging a sketch into itself
// doubles it. A nil o is empty.
func (s *Sketch) Merge(o *Sketch) error {
	if o == nil {
		return nil
	}
	ls, lo := s.effectiveLayout(), o.effectiveLayout()
	if *ls != *lo {
		return fmt.Errorf("%w: α %v, %v to %v, against α %v, %v to %v", ErrSketchIncompatible,
			ls.alpha, ls.min, ls.max, lo.alpha, lo.min, lo.max)
	}
	if o.count == 0 {
		return nil
	}
	if first, last := o.span(); first <= last {
		if o == s {
			o = s.Copy()
		}
		s.cover(first, last)
		dst, _ := s.counts(first, last)
		src, srcHigh := o.counts(first, last)
		if s.count-s.zeros < 1<<32-(o.count-o.zeros) {
			// No bucket can reach 2³² when the positive values of both
			// together are fewer.
			addCounts(dst, src)
		} else if addWrapped(dst, src) {
			for j, v := range src {
				if dst[j] < v { // the sum wrapped
					s.carry(first+j, 1)
				}
			}
		}
		for j, h := range srcHigh { // nil unless a count of o passed 2³²
			if h != 0 {
				s.carry(first+j, uint64(h))
			}
		}
		s.first = min(s.first, first)
		s.last = max(s.last, last)
	}
	if s.count == 0 || o.min < s.min {
		s.min = o.min
	}
	if s.count == 0 || o.max > s.max {
		s.max = o.max
	}
	s.count += o.count
	s.zeros += o.zeros
	s.below += o.below
	s.above += o.above
	var c uint64
	s.sumLo, c = bits.Add64(s.sumLo, o.sumLo, 0)
	s.sumHi += o.sumHi + c
	return nil
}

// addCounts adds src to dst element by element; no sum may wrap.
func addCounts(dst, src []uint32) {
	src = src[:len(dst)]
	for j, v := range src {
		dst[j] += v
	}
}

// addWrapped adds src to dst element by element, modulo 2³², and reports
// whether any sum wrapped. The carry out of x + y is the top bit of
// (x AND y) OR ((x OR y) AND NOT (x + y)).
func addWrapped(dst, src []uint32) bool {
	src = src[:len(dst)]
	var carry uint32
	for j, v := range src {
		x := dst[j]
		sum := x + v
		carry |= x&v | (x|v)&^sum
		dst[j] = sum
	}
	return carry>>31 != 0
}

// Copy returns an independent copy of s, with a window of the same size.
func (s *Sketch) Copy() *Sketch {
	c := *s
	if s.low != nil {
		c.low = append([]uint32(nil), s.low...)
	}
	if s.high != nil {
		c.high = append([]uint32(nil), s.high...)
	}
	return &c
}

// Reset empties s and keeps its options and its window of buckets, which
// moves to the first bucket used next.
func (s *Sketch) Reset() {
	if first, last := s.span(); first <= last {
		low, _ := s.counts(first, last)
		clear(low)
	}
	s.first, s.last = s.layout.n, -1
	s.high = nil
	s.count, s.zeros, s.below, s.above = 0, 0, 0, 0
	s.sumHi, s.sumLo = 0, 0
	s.min, s.max = 0, 0
}
