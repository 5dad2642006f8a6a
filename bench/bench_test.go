package bench

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"
)

var (
	dataMu    sync.Mutex
	dataCache = map[string][]time.Duration{}
)

// data returns the cached values of a dataset (seed 1).
func data(ds Dataset, n int) []time.Duration {
	dataMu.Lock()
	defer dataMu.Unlock()
	key := fmt.Sprint(ds.Name, n)
	if v, ok := dataCache[key]; ok {
		return v
	}
	v := ds.Generate(n, 1)
	dataCache[key] = v
	return v
}

// cpuMeter reports CPU time per operation (cpu-ns/op) or per value
// (cpu-ns/value), next to the wall time of ns/op. Start it after the
// set-up, just before the loop.
type cpuMeter struct{ start time.Duration }

// startCPU collects the set-up's garbage (generated data, the previous
// peer's estimators) before it reads the clock: the CPU time is the
// process's, so a collection running during the loop would be charged to
// whichever peer happens to be measured.
func startCPU() cpuMeter {
	runtime.GC()
	t, _ := cpuTime()
	return cpuMeter{t}
}

func (m cpuMeter) report(b *testing.B, perOp int, unit string) {
	if end, ok := cpuTime(); ok && b.N > 0 {
		b.ReportMetric(float64(end-m.start)/float64(b.N)/float64(perOp), unit)
	}
}

// BenchmarkAdd measures one insertion into an estimator that already
// holds values (the steady state), cycling through 1e6 response times.
func BenchmarkAdd(b *testing.B) {
	values := data(Datasets[0], 1e6)
	for _, p := range Peers {
		b.Run(p.Name, func(b *testing.B) {
			est := p.New()
			for _, d := range values[:1e4] {
				est.Add(d)
			}
			b.ReportAllocs()
			i := 0
			cpu := startCPU()
			for b.Loop() {
				est.Add(values[i])
				if i++; i == len(values) {
					i = 0
				}
			}
			cpu.report(b, 1, "cpu-ns/op")
		})
	}
}

// BenchmarkBuild measures building an estimator of n values from empty,
// allocation of the estimator included; ns/value is the time per value.
// Run the 1e7 sizes with -benchtime=1x.
func BenchmarkBuild(b *testing.B) {
	for _, ds := range Datasets {
		for _, size := range []struct {
			name string
			n    int
		}{{"1e4", 1e4}, {"1e6", 1e6}, {"1e7", 1e7}} {
			n := size.n
			for _, p := range Peers {
				b.Run(fmt.Sprintf("%s/n=%s/%s", ds.Name, size.name, p.Name), func(b *testing.B) {
					values := data(ds, n)
					b.ReportAllocs()
					cpu := startCPU()
					for b.Loop() {
						est := p.New()
						for _, d := range values {
							est.Add(d)
						}
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/value")
					cpu.report(b, n, "cpu-ns/value")
				})
			}
		}
	}
}

// BenchmarkMerge measures merging an estimator of 1e6 response times into
// another of 1e6. The target accumulates, and is put back to its first
// 1e6 values every 1000 merges (timer stopped), so that its counts stay
// those of a few billion values at most; the exact target is cut back to
// its own 1e6 values before each merge (without allocating), so that
// every merge appends 1e6 values.
func BenchmarkMerge(b *testing.B) {
	const n = 1e6
	values := data(Datasets[0], 2*n)
	for _, p := range Peers {
		b.Run(p.Name, func(b *testing.B) {
			x, y := p.New(), p.New()
			for _, d := range values[:n] {
				x.Add(d)
			}
			for _, d := range values[n:] {
				y.Add(d)
			}
			first := x.Copy()
			x.Merge(y) // grow the exact target's capacity once
			b.ReportAllocs()
			cpu := startCPU()
			i := 0
			for b.Loop() {
				if e, ok := x.(*Exact); ok {
					e.values = e.values[:n]
				} else if i++; i%1000 == 0 {
					b.StopTimer()
					x = first.Copy()
					b.StartTimer()
				}
				x.Merge(y)
			}
			cpu.report(b, 1, "cpu-ns/op")
		})
	}
}

// BenchmarkQuantile measures one P99 query on an estimator of 1e6
// response times (the exact one is sorted once, before timing).
func BenchmarkQuantile(b *testing.B) {
	values := data(Datasets[0], 1e6)
	for _, p := range Peers {
		b.Run(p.Name, func(b *testing.B) {
			est := p.New()
			for _, d := range values {
				est.Add(d)
			}
			est.Quantile(0.5)
			b.ReportAllocs()
			cpu := startCPU()
			for b.Loop() {
				est.Quantile(0.99)
			}
			cpu.report(b, 1, "cpu-ns/op")
		})
	}
}

// BenchmarkEncode measures serializing an estimator of 1e6 response times.
func BenchmarkEncode(b *testing.B) {
	values := data(Datasets[0], 1e6)
	for _, p := range Peers {
		if p.Name == "exact" {
			continue
		}
		b.Run(p.Name, func(b *testing.B) {
			est := p.New()
			for _, d := range values {
				est.Add(d)
			}
			b.ReportAllocs()
			for b.Loop() {
				est.Encode()
			}
		})
	}
}
