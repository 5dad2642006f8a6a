package money

import (
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestUnits(t *testing.T) {
	tests := []struct {
		reason string
		amount decimal.Decimal
		digits int32
		units  int64
		ok     bool
	}{
		{"kopecks", dec("2500.05"), 2, 250005, true},
		{"an integer amount is scaled up", dec("2500"), 2, 250000, true},
		{"trailing zeros beyond the scale are not places", dec("2500.000"), 2, 250000, true},
		{"a third place is not a kopeck", dec("0.005"), 2, 0, false},
		{"negative", dec("-10.5"), 2, -1050, true},
		{"zero", decimal.Decimal{}, 2, 0, true},
		{"yen have no minor unit", dec("1200"), 0, 1200, true},
		{"yen with a fraction", dec("1200.5"), 0, 0, false},
		{"dinars have three places", dec("1.234"), 3, 1234, true},
		{"the largest kopecks that fit", decimal.New(math.MaxInt64/100, 0), 2, math.MaxInt64 / 100 * 100, true},
		{"too many kopecks for int64", dec("100000000000000000"), 2, 0, false},
		{"a coefficient beyond int64", dec("123456789012345678901234567890"), 0, 0, false},
		{"a huge exponent", decimal.New(1, 1_000_000), 2, 0, false},
		{"a tiny exponent", decimal.New(1, -1_000_000), 2, 0, false},
	}
	for _, tt := range tests {
		u, ok := Units(tt.amount, tt.digits)
		if diff := cmp.Diff([2]any{tt.units, tt.ok}, [2]any{u, ok}); diff != "" {
			t.Errorf("%s: Units(%s, %d) (-want +got):\n%s", tt.reason, tt.amount, tt.digits, diff)
		}
	}
}

func TestSumOverflowsIntoDecimal(t *testing.T) {
	var s Sum
	big := decimal.New(math.MaxInt64/2, -2) // fits in kopecks
	for range 5 {
		s.Add(big, 2)
	}
	s.Add(dec("0.001"), 2)
	s.Sub(dec("0.5"), 2)
	want := big.Mul(decimal.NewFromInt(5)).Add(dec("0.001")).Sub(dec("0.5"))
	if got := s.Decimal(2); !got.Equal(want) {
		t.Errorf("sum = %s, want %s", got, want)
	}
}

// TestPropertySumIsDecimalSum checks the int64 path against decimal
// addition, the reference, on amounts of every size and scale.
func TestPropertySumIsDecimalSum(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.Int32Range(0, 3).Draw(t, "digits")
		n := rapid.IntRange(0, 50).Draw(t, "n")
		var s, parts Sum
		var want, all decimal.Decimal
		for i := range n {
			var coef int64
			if rapid.Bool().Draw(t, "large") {
				coef = rapid.Int64().Draw(t, "coef")
			} else {
				coef = rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "coef")
			}
			d := decimal.New(coef, rapid.Int32Range(-6, 4).Draw(t, "exp"))
			if rapid.Bool().Draw(t, "sub") {
				s.Sub(d, digits)
				want = want.Sub(d)
			} else {
				s.Add(d, digits)
				want = want.Add(d)
			}
			all = all.Add(d)
			if i%2 == 0 {
				var one Sum
				one.Add(d, digits)
				parts.AddSum(one, digits)
			} else {
				parts.Sub(d.Neg(), digits)
			}
		}
		if got := s.Decimal(digits); !got.Equal(want) {
			t.Fatalf("Sum = %s, decimal addition = %s", got, want)
		}
		if got := parts.Decimal(digits); !got.Equal(all) {
			t.Fatalf("AddSum and Sub of negatives = %s, decimal addition = %s", got, all)
		}
	})
}
