package kpi

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/montanaflynn/stats"
	"pgregory.net/rapid"
)

var approx = cmpopts.EquateApprox(0, 1e-12)

// The expected values are computed by hand from the definitions and agree
// with Google Sheets / Excel PERCENTILE (PERCENTILE.INC), PostgreSQL
// percentile_cont (Linear) and percentile_disc (NearestRank).
func TestPercentileReference(t *testing.T) {
	tests := []struct {
		reason string
		values []float64
		p      float64
		m      Method
		want   float64
	}{
		{"type 7: rank (4−1)·0.3 = 0.9, 1 + 0.9·(2−1)", []float64{1, 2, 3, 4}, 0.3, Linear, 1.9},
		{"unsorted input gives the same", []float64{4, 1, 3, 2}, 0.3, Linear, 1.9},
		{"median of an even count is the mean of the middle two", []float64{10, 40, 20, 30}, 0.5, Linear, 25},
		{"median of an odd count is the middle value", []float64{3, 1, 2}, 0.5, Linear, 2},
		{"PERCENTILE({15,20,35,40,50}, 0.4) = 29", []float64{15, 20, 35, 40, 50}, 0.4, Linear, 29},
		{"percentile_cont(0.9) over 1..10 = 9.1", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, Linear, 9.1},
		{"p = 0 is the minimum", []float64{5, 3, 9}, 0, Linear, 3},
		{"p = 1 is the maximum", []float64{5, 3, 9}, 1, Linear, 9},
		{"one value is every percentile", []float64{7}, 0.37, Linear, 7},
		{"ties", []float64{2, 2, 2, 8}, 0.5, Linear, 2},
		{"nearest rank 5th of {15,20,35,40,50} = 15", []float64{15, 20, 35, 40, 50}, 0.05, NearestRank, 15},
		{"nearest rank 30th = 20", []float64{15, 20, 35, 40, 50}, 0.3, NearestRank, 20},
		{"nearest rank 40th = 20", []float64{15, 20, 35, 40, 50}, 0.4, NearestRank, 20},
		{"nearest rank 50th = 35", []float64{15, 20, 35, 40, 50}, 0.5, NearestRank, 35},
		{"nearest rank 100th = 50", []float64{15, 20, 35, 40, 50}, 1, NearestRank, 50},
		{"nearest rank p = 0 is the minimum", []float64{15, 20, 35}, 0, NearestRank, 15},
		{"nearest-rank median of an even count is the lower middle", []float64{1, 2, 3, 4}, 0.5, NearestRank, 2},
	}
	for _, tt := range tests {
		got, err := Percentile(tt.values, tt.p, tt.m)
		if err != nil {
			t.Errorf("%s: unexpected error %v", tt.reason, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, approx); diff != "" {
			t.Errorf("%s: Percentile(%v, %v, %v) (-want +got):\n%s", tt.reason, tt.values, tt.p, tt.m, diff)
		}
	}
}

func TestPercentileDoesNotChangeInput(t *testing.T) {
	in := []float64{3, 1, 2}
	if _, err := Median(in, Linear); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]float64{3, 1, 2}, in); diff != "" {
		t.Errorf("input changed (-want +got):\n%s", diff)
	}
}

func TestPercentileErrors(t *testing.T) {
	tests := []struct {
		reason string
		values []float64
		p      float64
		want   error
	}{
		{"empty input has no percentile", nil, 0.5, ErrNoData},
		{"p above 1", []float64{1}, 1.5, ErrPercentRange},
		{"p below 0", []float64{1}, -0.1, ErrPercentRange},
		{"p is NaN", []float64{1}, math.NaN(), ErrPercentRange},
		{"p in percent by mistake", []float64{1, 2}, 90, ErrPercentRange},
		{"a NaN among the values", []float64{1, math.NaN()}, 0.5, ErrPercentRange},
	}
	for _, tt := range tests {
		_, err := Percentile(tt.values, tt.p, Linear)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: error %v, want %v", tt.reason, err, tt.want)
		}
	}
}

func TestParseMethod(t *testing.T) {
	tests := []struct {
		in      string
		want    Method
		wantErr bool
	}{
		{"linear", Linear, false},
		{"", Linear, false},
		{"nearest-rank", NearestRank, false},
		{"nearest", NearestRank, false},
		{"median", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseMethod(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseMethod(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
		if err == nil {
			var back Method
			text, _ := got.MarshalText()
			if err := back.UnmarshalText(text); err != nil || back != got {
				t.Errorf("round trip of %v gave %v, %v", got, back, err)
			}
		}
	}
}

// finiteValues draws a non-empty sample of response times in seconds.
func finiteValues(t *rapid.T) []float64 {
	return rapid.SliceOfN(rapid.Float64Range(-1e6, 1e6), 1, 200).Draw(t, "values")
}

func TestPercentileProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		values := finiteValues(t)
		m := Method(rapid.IntRange(0, 1).Draw(t, "method"))
		p1 := rapid.Float64Range(0, 1).Draw(t, "p1")
		p2 := rapid.Float64Range(p1, 1).Draw(t, "p2")
		q, err := Percentiles(values, []float64{p1, p2}, m)
		if err != nil {
			t.Fatal(err)
		}
		lo, hi := slices.Min(values), slices.Max(values)
		if q[0] > q[1] {
			t.Fatalf("not monotone: P(%v) = %v > P(%v) = %v", p1, q[0], p2, q[1])
		}
		for _, v := range q {
			if v < lo || v > hi {
				t.Fatalf("percentile %v outside [%v, %v]", v, lo, hi)
			}
		}
		if m == NearestRank && !slices.Contains(values, q[0]) {
			t.Fatalf("nearest rank %v is not one of the values", q[0])
		}
	})
}

// montanaflynn/stats' Percentile is type 7 over percent in (0, 100]: an
// independent implementation of the same definition.
func TestPercentileAgreesWithStats(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		values := finiteValues(t)
		p := rapid.Float64Range(0.001, 1).Draw(t, "p")
		got, err := Percentile(values, p, Linear)
		if err != nil {
			t.Fatal(err)
		}
		want, err := stats.Percentile(values, p*100)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(got-want) > 1e-9*(1+math.Abs(want)) {
			t.Fatalf("Percentile = %v, stats.Percentile = %v", got, want)
		}
		med, _ := Median(values, Linear)
		smed, _ := stats.Median(values)
		if math.Abs(med-smed) > 1e-9*(1+math.Abs(smed)) {
			t.Fatalf("Median = %v, stats.Median = %v", med, smed)
		}
	})
}
