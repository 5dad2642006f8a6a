package bench

import (
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestDatasetsDeterministicAndBounded(t *testing.T) {
	for _, ds := range Datasets {
		a, b := ds.Generate(2000, 7), ds.Generate(2000, 7)
		if diff := cmp.Diff(a, b); diff != "" {
			t.Errorf("%s: same seed, different data (-first +second):\n%s", ds.Name, diff)
		}
		if lo, hi := slices.Min(a), slices.Max(a); lo < Floor || hi > Month {
			t.Errorf("%s: values from %v to %v, outside [%v, %v]", ds.Name, lo, hi, Floor, Month)
		}
	}
}

// TestResponseTimesShape checks the mixture against its definition: 65 %
// bot replies with median 2 s, so the 32.5th percentile is 2 s give or
// take the other components' small share below it.
func TestResponseTimesShape(t *testing.T) {
	v := ResponseTimes(20000, 1)
	slices.Sort(v)
	within := func(got, lo, hi time.Duration) bool { return got >= lo && got <= hi }
	if p := v[len(v)*325/1000]; !within(p, 1500*time.Millisecond, 2500*time.Millisecond) {
		t.Errorf("32.5th percentile %v, want about 2s", p)
	}
	if slices.Max(v) > Week {
		t.Errorf("maximum %v beyond a week", slices.Max(v))
	}
}

// TestCompareSketchWithinAccuracy runs the table's comparison on small
// data: the exact estimator is exact, and kpi.Sketch is within its 1 %.
func TestCompareSketchWithinAccuracy(t *testing.T) {
	for _, ds := range Datasets {
		rows := Compare(ds, 3000, []uint64{1, 2}, Peers)
		for _, r := range rows {
			for i, e := range r.WorstError {
				switch {
				case r.Peer == "exact" && e != 0:
					t.Errorf("%s: exact estimator off by %v at p%v", ds.Name, e, TablePercentiles[i])
				case r.Peer == "kpi.Sketch" && e > 0.01:
					t.Errorf("%s: kpi.Sketch off by %.4f at p%v, beyond 1 %%", ds.Name, e, TablePercentiles[i])
				}
			}
			if r.EncodedBytes == 0 {
				t.Errorf("%s: %s encodes to nothing", ds.Name, r.Peer)
			}
		}
	}
}

// TestSketchMemoryNotAboveDDSketch checks the memory target where it
// holds from: from 1e4 values on, kpi.Sketch holds no more heap than the
// default DDSketch after the same values, on both datasets (the README's
// table checks it up to 1e7 values). On a few thousand values or fewer,
// the DDSketch's default store, which buffers bucket indices and then
// pages in 32 bins at a time, can hold less. Each figure is the median of three
// builds, as the first build of a run can be measured off by a few
// hundred bytes.
func TestSketchMemoryNotAboveDDSketch(t *testing.T) {
	peers := Peers[:2]
	if peers[0].Name != "kpi.Sketch" || peers[1].Name != "ddsketch" {
		t.Fatalf("peers %q and %q, want kpi.Sketch and ddsketch", peers[0].Name, peers[1].Name)
	}
	for _, ds := range Datasets {
		for _, n := range []int{1e4, 1e5} {
			data := ds.Generate(n, 1)
			var heap [2]uint64
			for i, p := range peers {
				var runs []uint64
				for range 3 {
					_, h := build(p, data)
					runs = append(runs, h)
				}
				slices.Sort(runs)
				heap[i] = runs[1]
			}
			if heap[0] == 0 || heap[0] > heap[1] {
				t.Errorf("%s, %d values: kpi.Sketch holds %d bytes, ddsketch %d", ds.Name, n, heap[0], heap[1])
			}
		}
	}
}
