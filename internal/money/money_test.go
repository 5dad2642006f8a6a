package money

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

func strs(ds []decimal.Decimal, digits int32) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.StringFixed(digits)
	}
	return out
}

func TestSplit(t *testing.T) {
	tests := []struct {
		reason  string
		total   string
		digits  int32
		weights []decimal.Decimal
		names   []string
		want    []string
	}{
		{"a hundred in three: the extra kopeck goes to the first name", "100", 2, decs("1", "1", "1"), []string{"a", "b", "c"}, []string{"33.34", "33.33", "33.33"}},
		{"the tie-break is by name, not position", "100", 2, decs("1", "1", "1"), []string{"c", "b", "a"}, []string{"33.33", "33.33", "33.34"}},
		{"largest remainder wins before names", "10", 2, decs("1", "2"), []string{"a", "b"}, []string{"3.33", "6.67"}},
		{"yen have no minor unit", "1000", 0, decs("1", "1", "1"), nil, []string{"334", "333", "333"}},
		{"a total finer than the currency is split in its own unit", "0.005", 2, decs("1", "1"), nil, []string{"0.003", "0.002"}},
		{"negative totals are split by absolute value", "-1", 2, decs("1", "1", "1"), nil, []string{"-0.34", "-0.33", "-0.33"}},
		{"zero total", "0", 2, decs("0", "0"), nil, []string{"0.00", "0.00"}},
		{"a zero weight gets nothing", "50", 2, decs("0", "3", "1"), nil, []string{"0.00", "37.50", "12.50"}},
		{"Hamilton: 7 seats for 4000/3000/2000/1000 votes", "7", 0, decs("4000", "3000", "2000", "1000"), nil, []string{"3", "2", "1", "1"}},
	}
	for _, tt := range tests {
		got, err := Split(dec(tt.total), tt.digits, tt.weights, tt.names)
		if err != nil {
			t.Errorf("%s: %v", tt.reason, err)
			continue
		}
		d := tt.digits
		if p := Places(dec(tt.total)); p > d {
			d = p
		}
		if diff := cmp.Diff(tt.want, strs(got, d)); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tt.reason, diff)
		}
	}
}

func TestSplitErrors(t *testing.T) {
	if _, err := Split(dec("1"), 2, decs("0", "0"), nil); err != ErrNoWeight {
		t.Errorf("zero weights: got %v, want ErrNoWeight", err)
	}
	if _, err := Split(dec("1"), 2, nil, nil); err != ErrNoWeight {
		t.Errorf("no weights: got %v, want ErrNoWeight", err)
	}
	if _, err := Split(dec("1"), 2, decs("1", "-1"), nil); err == nil {
		t.Error("negative weight: got no error")
	}
	if _, err := SplitEven(dec("1"), 2, 0); err == nil {
		t.Error("zero parts: got no error")
	}
}

func TestDigits(t *testing.T) {
	got := map[string]int32{}
	for _, c := range []string{"RUB", "kzt", "USD", "EUR", "JPY", "KWD", "XXY", ""} {
		got[c] = Digits(c)
	}
	want := map[string]int32{"RUB": 2, "kzt": 2, "USD": 2, "EUR": 2, "JPY": 0, "KWD": 3, "XXY": 2, "": 2}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestSplitProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		digits := rapid.Int32Range(0, 3).Draw(t, "digits")
		total := decimal.New(rapid.Int64Range(-1e12, 1e12).Draw(t, "units"), -rapid.Int32Range(0, 6).Draw(t, "places"))
		n := rapid.IntRange(1, 12).Draw(t, "n")
		weights := make([]decimal.Decimal, n)
		for i := range weights {
			weights[i] = decimal.New(rapid.Int64Range(0, 1e6).Draw(t, "w"), -rapid.Int32Range(0, 4).Draw(t, "wp"))
		}
		weights[0] = weights[0].Add(decimal.NewFromInt(1)) // some weight
		parts, err := Split(total, digits, weights, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		wsum := decimal.Zero
		for _, w := range weights {
			wsum = wsum.Add(w)
		}
		unit := decimal.New(1, -max(digits, Places(total)))
		for i, p := range parts {
			sum = sum.Add(p)
			quota := total.Mul(weights[i]).DivRound(wsum, 30)
			if p.Sub(quota).Abs().GreaterThanOrEqual(unit) {
				t.Fatalf("part %d = %s is a unit or more from its quota %s", i, p, quota)
			}
			if !p.Mod(unit).IsZero() {
				t.Fatalf("part %d = %s is not a multiple of %s", i, p, unit)
			}
		}
		if !sum.Equal(total) {
			t.Fatalf("parts sum to %s, want %s", sum, total)
		}
		even, err := SplitEven(total, digits, n)
		if err != nil {
			t.Fatal(err)
		}
		ones := make([]decimal.Decimal, n)
		for i := range ones {
			ones[i] = decimal.NewFromInt(1)
		}
		byWeights, err := Split(total, digits, ones, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i := range even {
			if !even[i].Equal(byWeights[i]) {
				t.Fatalf("SplitEven part %d = %s, Split with equal weights gives %s", i, even[i], byWeights[i])
			}
		}
		sum = decimal.Zero
		for i, p := range even {
			sum = sum.Add(p)
			if i > 0 && p.Abs().GreaterThan(even[i-1].Abs()) {
				t.Fatalf("straight line: part %d = %s exceeds the one before, %s", i, p, even[i-1])
			}
		}
		if !sum.Equal(total) {
			t.Fatalf("even parts sum to %s, want %s", sum, total)
		}
	})
}
