package kpi_test

import (
	"fmt"
	"time"

	"github.com/onemin/onemin/kpi"
)

// A Sketch answers percentiles of first-reply times within 1 % in a few
// kilobytes, however many replies it has seen.
func ExampleSketch() {
	var s kpi.Sketch // the zero Sketch: 1 % accuracy, 1 ms to 30 days
	for _, d := range []time.Duration{
		4 * time.Second, 12 * time.Second, 35 * time.Second, 50 * time.Second,
		2 * time.Minute, 9 * time.Minute, 0, // a reply in the same second
	} {
		if err := s.Add(d); err != nil {
			fmt.Println(err)
		}
	}
	// Exact: 35 s; and by a spreadsheet's PERCENTILE, 90 s + 0.4·(540 s − 120 s) = 4m48s.
	p50, _ := s.Quantile(0.5, kpi.Linear)
	p90, _ := s.Quantile(0.9, kpi.Linear)
	fmt.Println("P50", p50.Round(time.Second), "P90", p90.Round(time.Second))
	lo, _ := s.Min()
	hi, _ := s.Max()
	fmt.Println("min", lo, "max", hi, "count", s.Count())
	// Output:
	// P50 35s P90 4m48s
	// min 0s max 9m0s count 7
}

// Shards (tenants, machines, days) each keep a sketch; merging them gives
// exactly the sketch of all their values.
func ExampleSketch_Merge() {
	var monday, tuesday kpi.Sketch
	_ = monday.Add(20 * time.Second)
	_ = monday.Add(40 * time.Second)
	_ = tuesday.Add(3 * time.Minute)
	if err := monday.Merge(&tuesday); err != nil {
		fmt.Println(err)
	}
	median, _ := monday.Quantile(0.5, kpi.Linear)
	fmt.Println(monday.Count(), median.Round(time.Second))

	coarse, _ := kpi.NewSketch(kpi.SketchOptions{RelativeAccuracy: 0.02})
	fmt.Println(coarse.Merge(&monday))
	// Output:
	// 3 40s
	// kpi: incompatible sketch layout: α 0.02, 1ms to 720h0m0s, against α 0.01, 1ms to 720h0m0s
}

// The binary form travels between processes; the receiver rejects corrupt
// bytes with an error.
func ExampleSketch_MarshalBinary() {
	var s kpi.Sketch
	for _, d := range []time.Duration{time.Second, 2 * time.Second, time.Hour} {
		_ = s.Add(d)
	}
	b, _ := s.MarshalBinary()

	var r kpi.Sketch
	if err := r.UnmarshalBinary(b); err != nil {
		fmt.Println(err)
	}
	p100, _ := r.Quantile(1, kpi.NearestRank)
	fmt.Println(len(b), "bytes;", r.Count(), "values; max", p100)
	fmt.Println(r.UnmarshalBinary(b[:20]))
	// Output:
	// 56 bytes; 3 values; max 1h0m0s
	// kpi: corrupt sketch encoding: truncated at max
}
