package kpi

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/onemin/onemin/internal/quantile"
)

// ErrNoData is returned by [Percentile] and [Median] for empty input: a
// percentile of nothing is undefined, not zero.
var ErrNoData = errors.New("kpi: no data")

// ErrPercentRange is wrapped by the error [Percentile] returns when p is
// outside [0, 1] or NaN, and by the error for input that holds a NaN.
var ErrPercentRange = errors.New("kpi: percentile out of range")

// Method is how a percentile is estimated from a finite sample. The zero
// Method is [Linear], the default everywhere in this module.
type Method uint8

const (
	// Linear interpolates between the closest ranks (Hyndman–Fan type 7):
	// with the n values sorted x[0] ≤ … ≤ x[n−1] and rank h = (n−1)·p,
	// the p-quantile is x[⌊h⌋] + (h−⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋]). It is what
	// Google Sheets and Excel PERCENTILE / PERCENTILE.INC, NumPy's default
	// and PostgreSQL percentile_cont give; the median of an even count is
	// the mean of the two middle values.
	Linear Method = iota
	// NearestRank is the smallest value with at least a share p of the
	// data at or below it: x[⌈p·n⌉−1], and the minimum for p = 0. It
	// always returns one of the values (PostgreSQL percentile_disc).
	NearestRank
)

var methods = enum[Method]{"Method", "percentile method", []string{Linear: "linear", NearestRank: "nearest-rank"}}

// String returns "linear" or "nearest-rank".
func (m Method) String() string { return methods.String(m) }

// ParseMethod returns the method named s: "linear" (also "" and "type7")
// or "nearest-rank" (also "nearest").
func ParseMethod(s string) (Method, error) {
	switch s {
	case "", "type7":
		return Linear, nil
	case "nearest":
		return NearestRank, nil
	}
	return methods.parse(s, "linear or nearest-rank")
}

// MarshalText implements [encoding.TextMarshaler].
func (m Method) MarshalText() ([]byte, error) { return methods.marshal(m) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *Method) UnmarshalText(b []byte) (err error) {
	*m, err = ParseMethod(string(b))
	return err
}

// ofSorted returns the p-quantile of ascending data by m. The caller has
// checked that data is not empty and p is in [0, 1].
func (m Method) ofSorted(sorted []float64, p float64) float64 {
	if m == NearestRank {
		return quantile.NearestRank(sorted, p)
	}
	return quantile.Linear(sorted, p)
}

// Percentile returns the p-quantile of values by method m, p a share in
// [0, 1] (0.9 for P90). The values need not be sorted and are not changed
// (a sorted copy is made; to ask for several percentiles of one sample use
// [Percentiles], which sorts once).
//
// It returns [ErrNoData] for empty values, and an error wrapping
// [ErrPercentRange] for p outside [0, 1], a NaN p, or a NaN among values.
func Percentile(values []float64, p float64, m Method) (float64, error) {
	r, err := Percentiles(values, []float64{p}, m)
	if err != nil {
		return math.NaN(), err
	}
	return r[0], nil
}

// Median returns the 0.5-quantile of values by m: for [Linear] and an even
// count, the mean of the two middle values. Errors are as for [Percentile].
func Median(values []float64, m Method) (float64, error) {
	return Percentile(values, 0.5, m)
}

// Percentiles returns the quantiles of values at each share in ps (each in
// [0, 1]) by m, in the order of ps, sorting a copy of values once. Errors
// are as for [Percentile].
func Percentiles(values []float64, ps []float64, m Method) ([]float64, error) {
	if err := checkShares(ps); err != nil {
		return nil, err
	}
	if len(values) == 0 {
		return nil, ErrNoData
	}
	sorted := slices.Clone(values)
	for _, v := range sorted {
		if math.IsNaN(v) {
			return nil, fmt.Errorf("%w: values contain NaN", ErrPercentRange)
		}
	}
	slices.Sort(sorted)
	out := make([]float64, len(ps))
	for i, p := range ps {
		out[i] = m.ofSorted(sorted, p)
	}
	return out, nil
}

func checkShares(ps []float64) error {
	for _, p := range ps {
		if !(p >= 0 && p <= 1) {
			return fmt.Errorf("%w: p = %v is not in [0, 1]", ErrPercentRange, p)
		}
	}
	return nil
}
