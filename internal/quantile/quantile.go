// Package quantile holds the exact percentile estimators that every metric
// package shares, so that a median means the same everywhere.
//
// Both functions take data sorted in ascending order and p in [0, 1]; the
// caller sorts once and asks for several percentiles.
package quantile

import "math"

// Linear returns the p-quantile of sorted by linear interpolation between
// closest ranks (Hyndman–Fan type 7): rank h = (n−1)·p, result
// x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). It equals spreadsheet PERCENTILE
// and PERCENTILE.INC, NumPy's default and PostgreSQL percentile_cont.
// It returns NaN for empty data or p outside [0, 1].
func Linear(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	h := float64(n-1) * p
	k := int(h)
	if k >= n-1 {
		return sorted[n-1]
	}
	f := h - float64(k)
	lo, hi := sorted[k], sorted[k+1]
	if f == 0 || lo == hi {
		return lo
	}
	return lo + f*(hi-lo)
}

// NearestRank returns the p-quantile of sorted by the nearest-rank method:
// the smallest value such that at least a share p of the data is at or
// below it, x[⌈p·n⌉−1], and the minimum for p = 0. It returns NaN for empty
// data or p outside [0, 1].
func NearestRank(sorted []float64, p float64) float64 {
	n := len(sorted)
	if n == 0 || !(p >= 0 && p <= 1) {
		return math.NaN()
	}
	r := int(math.Ceil(p * float64(n)))
	if r < 1 {
		r = 1
	}
	if r > n {
		r = n
	}
	return sorted[r-1]
}
