package kpi

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// benchDurations returns n log-uniform durations from 1 ms to 7 days.
func benchDurations(n int) []time.Duration {
	r := rand.New(rand.NewPCG(1, 2))
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(math.Exp(math.Log(1e6) + r.Float64()*math.Log(604800e3)))
	}
	return out
}

func BenchmarkSketchAdd(b *testing.B) {
	values := benchDurations(1 << 16)
	var s Sketch
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		_ = s.Add(values[i&(1<<16-1)])
		i++
	}
}

func BenchmarkSketchMerge(b *testing.B) {
	values := benchDurations(1 << 16)
	var x, y Sketch
	for i, d := range values {
		_ = x.Add(d)
		_ = y.Add(values[len(values)-1-i])
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = x.Merge(&y)
	}
}

func BenchmarkSketchQuantile(b *testing.B) {
	var s Sketch
	for _, d := range benchDurations(1 << 16) {
		_ = s.Add(d)
	}
	b.ReportAllocs()
	for b.Loop() {
		s.Quantile(0.99, Linear)
	}
}

func BenchmarkSketchMarshal(b *testing.B) {
	var s Sketch
	for _, d := range benchDurations(1 << 16) {
		_ = s.Add(d)
	}
	buf := make([]byte, 0, 8<<10)
	b.ReportAllocs()
	for b.Loop() {
		buf, _ = s.AppendBinary(buf[:0])
	}
}
