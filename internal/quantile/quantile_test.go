package quantile

import (
	"math"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"
)

// The expected values are computed by hand from the definitions; Linear
// agrees with spreadsheet PERCENTILE.INC and PostgreSQL percentile_cont,
// NearestRank with percentile_disc.
func TestReference(t *testing.T) {
	tests := []struct {
		reason string
		sorted []float64
		p      float64
		linear float64
		near   float64
	}{
		{"{1,2,3,4} at 0.3: rank 0.9 → 1.9; ⌈1.2⌉ = 2nd", []float64{1, 2, 3, 4}, 0.3, 1.9, 2},
		{"even median: mean of the middle two; lower middle", []float64{1, 2, 3, 4}, 0.5, 2.5, 2},
		{"{15,20,35,40,50} at 0.4: 29 and 20", []float64{15, 20, 35, 40, 50}, 0.4, 29, 20},
		{"1..10 at 0.9: 9.1 and 9", []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.9, 9.1, 9},
		{"p = 0 is the minimum", []float64{3, 5, 9}, 0, 3, 3},
		{"p = 1 is the maximum", []float64{3, 5, 9}, 1, 9, 9},
		{"one value", []float64{7}, 0.42, 7, 7},
	}
	approx := cmpopts.EquateApprox(0, 1e-12)
	for _, tt := range tests {
		got := []float64{Linear(tt.sorted, tt.p), NearestRank(tt.sorted, tt.p)}
		if diff := cmp.Diff([]float64{tt.linear, tt.near}, got, approx); diff != "" {
			t.Errorf("%s: [Linear, NearestRank] (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestUndefined(t *testing.T) {
	for _, tt := range []struct {
		reason string
		sorted []float64
		p      float64
	}{
		{"no data", nil, 0.5},
		{"p below 0", []float64{1}, -0.01},
		{"p above 1", []float64{1}, 1.01},
		{"p NaN", []float64{1}, math.NaN()},
	} {
		if v := Linear(tt.sorted, tt.p); !math.IsNaN(v) {
			t.Errorf("%s: Linear = %v, want NaN", tt.reason, v)
		}
		if v := NearestRank(tt.sorted, tt.p); !math.IsNaN(v) {
			t.Errorf("%s: NearestRank = %v, want NaN", tt.reason, v)
		}
	}
}

func TestProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		x := rapid.SliceOfN(rapid.Float64Range(-1e9, 1e9), 1, 100).Draw(t, "x")
		slices.Sort(x)
		p := rapid.Float64Range(0, 1).Draw(t, "p")
		q := rapid.Float64Range(p, 1).Draw(t, "q")
		for name, f := range map[string]func([]float64, float64) float64{"Linear": Linear, "NearestRank": NearestRank} {
			a, b := f(x, p), f(x, q)
			if a > b {
				t.Fatalf("%s not monotone: %v at %v > %v at %v", name, a, p, b, q)
			}
			if a < x[0] || b > x[len(x)-1] {
				t.Fatalf("%s outside [min, max]: %v, %v", name, a, b)
			}
		}
		if v := NearestRank(x, p); !slices.Contains(x, v) {
			t.Fatalf("NearestRank %v is not a value", v)
		}
	})
}
