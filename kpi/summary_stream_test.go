package kpi

import (
	"encoding/json"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// answered returns the result of a lead answered in d, against 60 s.
func answered(d time.Duration) *Result {
	start := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	r := &Result{Start: start, Stop: start.Add(d), Calendar: d, Business: d, Target: time.Minute, Outcome: Met}
	if d > time.Minute {
		r.Outcome = Breached
	}
	return r
}

func streaming(t interface{ Fatal(...any) }) *Accumulator {
	a, err := NewStreamingAccumulator(SketchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestStreamingSummary: the salon's three answered leads (12 s, 45 s,
// 2 min 30 s) and one unanswered one. Exact: median 45 s, P90 129 s (45 +
// 0.8·105), mean 69 s. The streaming summary has the same counts, rate
// and mean, and percentiles within 1 % of the exact ones, and says so.
func TestStreamingSummary(t *testing.T) {
	exact, live := new(Accumulator), streaming(t)
	for _, a := range []*Accumulator{exact, live} {
		for _, d := range []time.Duration{12 * time.Second, 45 * time.Second, 150 * time.Second} {
			a.Add(answered(d))
		}
		a.Add(&Result{Target: time.Minute, Outcome: Breached})
	}
	e, s := exact.Summary(Linear, Thresholds{}), live.Summary(Linear, Thresholds{})
	if diff := cmp.Diff(Summary{Counts: Counts{Leads: 4, Answered: 3, Unanswered: 1, Met: 2, Breached: 2},
		Median: Some(45), P90: Some(129), P99: Some(147.9), Mean: Some(69), Target: time.Minute, Rate: Some(50),
		Status: Red}, e); diff != "" {
		t.Errorf("exact summary (-want +got):\n%s", diff)
	}
	if s.Estimate != EstimateSketch || s.RelativeError != 0.01 || live.RelativeError() != 0.01 || exact.RelativeError() != 0 {
		t.Errorf("streaming summary says estimate %q, relative error %v", s.Estimate, s.RelativeError)
	}
	agree(t, "streaming", e, s, 0.01)
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var keys map[string]any
	if err := json.Unmarshal(b, &keys); err != nil {
		t.Fatal(err)
	}
	if keys["estimate"] != "sketch" || keys["relative_error"] != 0.01 {
		t.Errorf("JSON %s lacks \"estimate\": \"sketch\", \"relative_error\": 0.01", b)
	}
	var back Summary
	if err := json.Unmarshal(b, &back); err != nil || back != s {
		t.Errorf("JSON round trip: %+v, %v; want %+v", back, err, s)
	}
	exactJSON, _ := json.Marshal(e)
	keys = nil
	_ = json.Unmarshal(exactJSON, &keys)
	if _, ok := keys["estimate"]; ok {
		t.Errorf("exact summary JSON %s has an estimate", exactJSON)
	}
	for _, bad := range []string{`{"estimate":"guess","relative_error":0.01}`, `{"estimate":"sketch"}`,
		`{"relative_error":0.01}`, `{"estimate":"sketch","relative_error":1.5}`} {
		if err := json.Unmarshal([]byte(bad), &back); err == nil {
			t.Errorf("Summary.UnmarshalJSON(%s) accepted it", bad)
		}
	}
}

// genDurations draws answered durations: zero, or from 1 ms to 30 days
// (the range of the default sketch's guarantee), many of them the whole
// seconds an owner sees.
func genDurations(t *rapid.T, label string) []time.Duration {
	return rapid.SliceOfN(rapid.Custom(func(t *rapid.T) time.Duration {
		if rapid.Bool().Draw(t, "seconds") {
			return time.Duration(rapid.IntRange(0, 600).Draw(t, "s")) * time.Second
		}
		return time.Duration(rapid.Int64Range(int64(time.Millisecond), int64(30*24*time.Hour)).Draw(t, "ns"))
	}), 0, 80).Draw(t, label)
}

// TestStreamingMergeIsUnion: shards merged in any mix of exact and
// streaming accumulators give exactly the summary of one streaming
// accumulator over all leads, whose percentiles are within 1 % of the
// exact ones.
func TestStreamingMergeIsUnion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.SampledFrom([]Method{Linear, NearestRank}).Draw(t, "method")
		whole, exact := streaming(t), new(Accumulator)
		merged := new(Accumulator)
		if rapid.Bool().Draw(t, "streaming start") {
			merged = streaming(t)
		}
		for i := range rapid.IntRange(0, 4).Draw(t, "shards") {
			shard := new(Accumulator)
			if rapid.Bool().Draw(t, "streaming shard") {
				shard = streaming(t)
			}
			for _, d := range genDurations(t, "durations") {
				for _, a := range []*Accumulator{whole, exact, shard} {
					a.Add(answered(d))
				}
			}
			for range rapid.IntRange(0, 3).Draw(t, "unanswered") {
				for _, a := range []*Accumulator{whole, exact, shard} {
					a.Add(&Result{Target: time.Minute, Outcome: Pending})
				}
			}
			if err := merged.Merge(shard); err != nil {
				t.Fatalf("shard %d: %v", i, err)
			}
		}
		want := whole.Summary(m, Thresholds{})
		got := merged.Summary(m, Thresholds{})
		if merged.RelativeError() == 0 {
			want.Estimate, want.RelativeError = "", 0 // every shard was exact
			want.Median, want.P90, want.P99 = got.Median, got.P90, got.P99
			agree(t, "exact merge", exact.Summary(m, Thresholds{}), got, 0)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("merged shards (-union +merged):\n%s", diff)
		}
		agree(t, "union", exact.Summary(m, Thresholds{}), want, 0.01)
	})
}

func TestStreamingMergeIncompatible(t *testing.T) {
	a := streaming(t)
	b, err := NewStreamingAccumulator(SketchOptions{RelativeAccuracy: 0.02})
	if err != nil {
		t.Fatal(err)
	}
	b.Add(answered(time.Second))
	if err := a.Merge(b); !errors.Is(err, ErrSketchIncompatible) {
		t.Errorf("Merge of sketches with other options = %v, want ErrSketchIncompatible", err)
	}
	if a.Counts() != (Counts{}) {
		t.Errorf("a failed Merge changed the counts: %+v", a.Counts())
	}
}

// TestAccumulatorBinaryRoundTrip: what AppendBinary writes reads back to
// an accumulator with the same summary and the same encoding.
func TestAccumulatorBinaryRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := new(Accumulator)
		if rapid.Bool().Draw(t, "streaming") {
			a = streaming(t)
		}
		for _, d := range genDurations(t, "durations") {
			r := answered(d)
			r.Target = rapid.SampledFrom([]time.Duration{time.Minute, 3 * time.Minute}).Draw(t, "target")
			a.Add(r)
		}
		b, err := a.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		var back Accumulator
		if err := back.UnmarshalBinary(b); err != nil {
			t.Fatalf("UnmarshalBinary: %v", err)
		}
		again, _ := back.MarshalBinary()
		if string(again) != string(b) {
			t.Fatalf("encoding changed on a round trip")
		}
		if diff := cmp.Diff(a.Summary(Linear, Thresholds{}), back.Summary(Linear, Thresholds{})); diff != "" {
			t.Fatalf("summary after a round trip (-before +after):\n%s", diff)
		}
	})
}

func TestAccumulatorBinaryRejects(t *testing.T) {
	a := streaming(t)
	a.Add(answered(3 * time.Second))
	a.Add(&Result{Target: time.Minute, Outcome: Pending})
	good, _ := a.MarshalBinary()
	e := new(Accumulator)
	e.Add(answered(5 * time.Second))
	exact, _ := e.MarshalBinary()
	corrupt := func(i int, v byte) []byte {
		b := append([]byte(nil), good...)
		b[i] = v
		return b
	}
	tests := []struct {
		reason string
		data   []byte
	}{
		{"empty", nil},
		{"wrong magic", corrupt(0, 0)},
		{"unknown version", corrupt(1, 2)},
		{"unknown flag", corrupt(2, 0x80)},
		{"leads that do not add up", corrupt(3, 9)},
		{"a sketch of other durations", corrupt(4, 2)}, // two answered, one in the sketch
		{"truncated", good[:len(good)-1]},
		{"trailing byte", append(append([]byte(nil), good...), 0)},
		{"exact samples missing", exact[:len(exact)-8]},
		{"a negative sample", append(exact[:len(exact)-8], 0, 0, 0, 0, 0, 0, 0xf0, 0xbf)},
	}
	for _, tt := range tests {
		var got Accumulator
		if err := got.UnmarshalBinary(tt.data); !errors.Is(err, ErrAccumulatorCorrupt) {
			t.Errorf("%s: UnmarshalBinary = %v, want ErrAccumulatorCorrupt", tt.reason, err)
		}
	}
}

func FuzzAccumulatorBinary(f *testing.F) {
	a := streaming(f)
	e := new(Accumulator)
	for _, d := range []time.Duration{0, 12 * time.Second, 45 * time.Second, 150 * time.Second} {
		a.Add(answered(d))
		e.Add(answered(d))
	}
	for _, acc := range []*Accumulator{a, e, new(Accumulator), streaming(f)} {
		b, _ := acc.MarshalBinary()
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var got Accumulator
		if err := got.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrAccumulatorCorrupt) {
				t.Fatalf("error %v does not wrap ErrAccumulatorCorrupt", err)
			}
			return
		}
		s := got.Summary(Linear, Thresholds{})
		if s.Answered+s.Unanswered != s.Leads || s.Met+s.Breached+s.Pending != s.Leads {
			t.Fatalf("decoded counts do not add up: %+v", s.Counts)
		}
		if m, ok := s.Mean.Get(); ok && (math.IsNaN(m) || m < 0) {
			t.Fatalf("mean %v", m)
		}
		again, _ := got.MarshalBinary()
		var back Accumulator
		if err := back.UnmarshalBinary(again); err != nil {
			t.Fatalf("re-encoded accumulator does not decode: %v", err)
		}
	})
}
