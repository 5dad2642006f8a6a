package kpi

import (
	"encoding/binary"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestSketchRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		alpha := rapid.SampledFrom([]float64{0.01, 0.02, 0.001}).Draw(t, "alpha")
		s, err := NewSketch(SketchOptions{RelativeAccuracy: alpha})
		if err != nil {
			t.Fatal(err)
		}
		if rapid.Bool().Draw(t, "filled") {
			mustAdd(t, s, durationsGen().Draw(t, "durations")...)
		}
		b, err := s.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var got Sketch
		if err := got.UnmarshalBinary(b); err != nil {
			t.Fatalf("UnmarshalBinary(MarshalBinary()) = %v", err)
		}
		if diff := cmp.Diff(stateOf(s), stateOf(&got)); diff != "" {
			t.Fatalf("round trip (-want +got):\n%s", diff)
		}
		prefix := []byte("prefix")
		appended, _ := s.AppendBinary(prefix)
		if diff := cmp.Diff(append([]byte("prefix"), b...), appended); diff != "" {
			t.Fatalf("AppendBinary differs from MarshalBinary (-want +got):\n%s", diff)
		}
	})
}

func TestSketchEncodingSize(t *testing.T) {
	var empty Sketch
	b, _ := empty.MarshalBinary()
	// 2 header + 8 α + 3 min + 8 max + 1 M + 4 counts + 2 sum + 1 bucket count.
	if len(b) != 29 {
		t.Errorf("empty sketch encodes in %d bytes, want 29", len(b))
	}
	var s Sketch
	mustAdd(t, &s, time.Second, time.Second, time.Second)
	b, _ = s.MarshalBinary()
	// + 5 minimum + 5 maximum (1e9 ns) + 4 more for the sum (3e9 ns) + 2
	// for the run's index (498) + 1 for its length + 1 for its count.
	if want := 29 + 5 + 5 + 4 + 2 + 1 + 1; len(b) != want {
		t.Errorf("three equal values encode in %d bytes, want %d", len(b), want)
	}
}

func TestSketchUnmarshalRejects(t *testing.T) {
	var s Sketch
	mustAdd(t, &s, 0, time.Millisecond/2, time.Second, 2*time.Second, 1000*time.Hour)
	good, _ := s.MarshalBinary()
	// Offsets in good: 0 magic, 1 version, 2–9 α, 10–12 min, 13–20 max,
	// 21 M, 22 count, 23 zeros, 24 below, 25 above, 26.. sum.
	edit := func(f func(b []byte) []byte) []byte {
		return f(append([]byte(nil), good...))
	}
	uv := func(v uint64) []byte { return binary.AppendUvarint(nil, v) }
	splice := func(at, n int, with []byte) []byte {
		return edit(func(b []byte) []byte {
			return append(append(b[:at:at], with...), good[at+n:]...)
		})
	}
	tests := []struct {
		reason string
		data   []byte
	}{
		{"empty", nil},
		{"wrong magic", edit(func(b []byte) []byte { b[0] = 'x'; return b })},
		{"wrong version", edit(func(b []byte) []byte { b[1] = 2; return b })},
		{"α mismatch with M", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint64(b[2:], math.Float64bits(0.02))
			return b
		})},
		{"α out of bounds", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint64(b[2:], math.Float64bits(2))
			return b
		})},
		{"α NaN", edit(func(b []byte) []byte {
			binary.LittleEndian.PutUint64(b[2:], math.Float64bits(math.NaN()))
			return b
		})},
		{"M changed", splice(21, 1, uv(51))},
		{"count one too many", splice(22, 1, uv(6))},
		{"count one too few", splice(22, 1, uv(4))},
		{"zeros above count", splice(23, 1, uv(9))},
		{"below without a value below", splice(24, 1, uv(2))},
		{"overflowing varint", splice(22, 1, []byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01})},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
	}
	for n := range len(good) {
		tests = append(tests, struct {
			reason string
			data   []byte
		}{"truncated", good[:n]})
	}
	for _, tc := range tests {
		var got Sketch
		mustAdd(t, &got, time.Minute)
		before := stateOf(&got)
		err := got.UnmarshalBinary(tc.data)
		if !errors.Is(err, ErrSketchCorrupt) {
			t.Errorf("%s (%d bytes): UnmarshalBinary = %v, want ErrSketchCorrupt", tc.reason, len(tc.data), err)
		}
		if diff := cmp.Diff(before, stateOf(&got)); diff != "" {
			t.Errorf("%s: failed UnmarshalBinary changed the sketch (-before +after):\n%s", tc.reason, diff)
		}
	}
}

// TestSketchUnmarshalInconsistent builds encodings field by field whose
// counts, extremes or sum disagree.
func TestSketchUnmarshalInconsistent(t *testing.T) {
	l := defaultSketchLayout
	sec, _ := l.index(time.Second)
	type enc struct {
		count, zeros, below, above, sumHi, sumLo uint64
		min, max                                 uint64
		buckets                                  [][2]uint64 // gap, count: runs of one bucket
		runs                                     [][]uint64  // gap, length, counts…: written as is
	}
	build := func(e enc) []byte {
		b := []byte{sketchMagic, sketchVersion}
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(l.alpha))
		for _, v := range []uint64{uint64(l.min), uint64(l.max), l.perOctave,
			e.count, e.zeros, e.below, e.above, e.sumHi, e.sumLo} {
			b = binary.AppendUvarint(b, v)
		}
		if e.count > 0 {
			b = binary.AppendUvarint(b, e.min)
			b = binary.AppendUvarint(b, e.max)
		}
		b = binary.AppendUvarint(b, uint64(len(e.buckets)+len(e.runs)))
		for _, g := range e.buckets {
			b = binary.AppendUvarint(b, g[0])
			b = binary.AppendUvarint(b, 1)
			b = binary.AppendUvarint(b, g[1])
		}
		for _, run := range e.runs {
			for _, v := range run {
				b = binary.AppendUvarint(b, v)
			}
		}
		return b
	}
	s1 := uint64(time.Second)
	one := [][2]uint64{{uint64(sec), 2}}
	valid := enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, buckets: one}
	var ok Sketch
	if err := ok.UnmarshalBinary(build(valid)); err != nil {
		t.Fatalf("hand-built valid encoding rejected: %v", err)
	}
	tests := []struct {
		reason string
		e      enc
	}{
		{"sum below count × minimum", enc{count: 2, sumLo: s1, min: s1, max: s1, buckets: one}},
		{"sum above count × maximum", enc{count: 2, sumLo: 3 * s1, min: s1, max: s1, buckets: one}},
		{"sum high word set", enc{count: 2, sumHi: 1, sumLo: 2 * s1, min: s1, max: s1, buckets: one}},
		{"minimum above maximum", enc{count: 2, sumLo: 2 * s1, min: s1 + 1, max: s1, buckets: one}},
		{"maximum not in the top bucket", enc{count: 2, sumLo: 2 * s1, min: s1, max: 2 * s1, buckets: one}},
		{"minimum not in the bottom bucket", enc{count: 2, sumLo: s1 + s1/2, min: s1 / 2, max: s1, buckets: one}},
		{"zero minimum without zeros", enc{count: 2, sumLo: s1, min: 0, max: s1, buckets: one}},
		{"empty bucket listed", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, buckets: [][2]uint64{{uint64(sec), 2}, {0, 0}}}},
		{"bucket beyond the layout", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, buckets: [][2]uint64{{uint64(l.n), 2}}}},
		{"more buckets than the layout", enc{count: 2, buckets: make([][2]uint64, l.n+1)}},
		{"bucket counts overflow", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, buckets: [][2]uint64{{uint64(sec), math.MaxUint64}, {0, 3}}}},
		{"empty sketch with a sum", enc{sumLo: 1}},
		{"run of no bucket", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, runs: [][]uint64{{uint64(sec), 0}}}},
		{"run ending in an empty bucket", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, runs: [][]uint64{{uint64(sec), 2, 2, 0}}}},
		{"run past the last bucket", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, runs: [][]uint64{{uint64(l.n - 1), 2, 1, 1}}}},
		{"run with a missing count", enc{count: 2, sumLo: 2 * s1, min: s1, max: s1, runs: [][]uint64{{uint64(sec), 2, 2}}}},
		{"clamped counts above the bucket", enc{count: 2, below: 3, sumLo: 2, min: 1, max: 1, buckets: [][2]uint64{{0, 2}}}},
		{"minimum beyond a duration", enc{count: 1, sumLo: 1, min: math.MaxUint64, max: 1, buckets: [][2]uint64{{0, 1}}}},
	}
	for _, tc := range tests {
		var got Sketch
		if err := got.UnmarshalBinary(build(tc.e)); !errors.Is(err, ErrSketchCorrupt) {
			t.Errorf("%s: UnmarshalBinary = %v, want ErrSketchCorrupt", tc.reason, err)
		}
	}
}

// FuzzSketchUnmarshal: no input panics; what is accepted behaves like a
// sketch and encodes back to bytes that decode to the same sketch.
func FuzzSketchUnmarshal(f *testing.F) {
	var s Sketch
	b, _ := s.MarshalBinary()
	f.Add(b)
	mustAdd(f, &s, 0, time.Microsecond, time.Second, time.Second, 90*time.Minute, 2000*time.Hour)
	b, _ = s.MarshalBinary()
	f.Add(b)
	c, _ := NewSketch(SketchOptions{RelativeAccuracy: 0.05, Min: time.Second, Max: time.Hour})
	mustAdd(f, c, time.Minute, 2*time.Minute)
	b, _ = c.MarshalBinary()
	f.Add(b)
	// A bucket past 2³², which decodes into high halves.
	var w Sketch
	mustAdd(f, &w, time.Millisecond, time.Second)
	i, _ := w.layout.index(time.Second)
	w.low[i-w.base], w.count = math.MaxUint32, 1<<32
	w.sumLo = uint64(math.MaxUint32)*uint64(time.Second) + uint64(time.Millisecond)
	mustAdd(f, &w, time.Second, time.Hour)
	b, _ = w.MarshalBinary()
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		var s Sketch
		if err := s.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrSketchCorrupt) {
				t.Fatalf("error %v does not wrap ErrSketchCorrupt", err)
			}
			return
		}
		checkWindow(t, &s)
		for _, p := range sketchPs {
			v, ok := s.Quantile(p, Linear)
			lo, _ := s.Min()
			hi, _ := s.Max()
			if ok && (v < lo || v > hi) {
				t.Fatalf("quantile %v = %v outside [%v, %v]", p, v, lo, hi)
			}
		}
		s.Mean()
		s.Sum()
		again, _ := s.MarshalBinary()
		var back Sketch
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
		if diff := cmp.Diff(stateOf(&s), stateOf(&back)); diff != "" {
			t.Fatalf("re-encoding differs (-first +second):\n%s", diff)
		}
		if err := back.Merge(&s); err != nil {
			t.Fatalf("merge with itself: %v", err)
		}
	})
}
