package bench

import (
	"math"
	"runtime"
	"time"
)

// TablePercentiles are the percentiles the accuracy table reports.
var TablePercentiles = []float64{0.5, 0.9, 0.99, 0.999}

// Row is one line of the comparison: an estimator on a dataset of N
// values.
type Row struct {
	Peer, Dataset string
	N             int
	Seeds         int
	// WorstError holds, for each of TablePercentiles, the largest relative
	// error |estimate − exact| / exact (a ratio, 0.01 = 1 %) over the
	// seeds, against the exact type-7 percentile.
	WorstError []float64
	// HeapBytes is the live heap held by the estimator after the last
	// seed's values were added, measured with runtime.ReadMemStats around
	// a garbage collection.
	HeapBytes uint64
	// EncodedBytes is the size of the library's serialized form.
	EncodedBytes int
}

// Compare builds every peer over the dataset for each seed and returns
// one row per peer. Memory and size are those of the last seed.
func Compare(ds Dataset, n int, seeds []uint64, peers []Peer) []Row {
	rows := make([]Row, len(peers))
	for i, p := range peers {
		rows[i] = Row{Peer: p.Name, Dataset: ds.Name, N: n, Seeds: len(seeds),
			WorstError: make([]float64, len(TablePercentiles))}
	}
	for _, seed := range seeds {
		data := ds.Generate(n, seed)
		exact := &Exact{}
		for _, d := range data {
			exact.Add(d)
		}
		want := make([]float64, len(TablePercentiles))
		for j, p := range TablePercentiles {
			want[j] = exact.Quantile(p)
		}
		exact = nil
		for i, p := range peers {
			est, heap := build(p, data)
			for j, q := range TablePercentiles {
				e := math.Abs(est.Quantile(q)-want[j]) / want[j]
				rows[i].WorstError[j] = max(rows[i].WorstError[j], e)
			}
			rows[i].HeapBytes = heap
			rows[i].EncodedBytes = len(est.Encode())
		}
	}
	return rows
}

// build returns a new estimator of data and the heap it holds.
func build(p Peer, data []time.Duration) (Estimator, uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	est := p.New()
	for _, d := range data {
		est.Add(d)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	var heap uint64
	if after.HeapAlloc > before.HeapAlloc {
		heap = after.HeapAlloc - before.HeapAlloc
	}
	return est, heap
}
