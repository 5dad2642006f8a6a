package roi

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func genMoney(t *rapid.T, label string, currency string) Money {
	return New(decimal.New(rapid.Int64Range(0, 1e12).Draw(t, label), -2), currency)
}

func TestAmortizationSumsToWhole(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom([]string{"RUB", "KZT", "JPY", "KWD"}).Draw(t, "currency")
		total := New(decimal.New(rapid.Int64Range(0, 1e13).Draw(t, "units"), -MinorDigits(cur)), cur)
		months := rapid.IntRange(1, 120).Draw(t, "months")
		parts, err := Amortize(total, months)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := Sum(nil, parts...)
		if err != nil {
			t.Fatal(err)
		}
		if !sum.Amount.Equal(total.Amount) {
			t.Fatalf("parts sum to %s, want %s", sum, total)
		}
		unit := decimal.New(1, -MinorDigits(cur))
		for _, p := range parts {
			if d := p.Amount.Sub(parts[months-1].Amount); d.IsNegative() || d.GreaterThan(unit) {
				t.Fatalf("part %s is not within a minor unit of the last, %s", p, parts[months-1])
			}
		}
		// A period's parts, month by month, add up to the whole lifetime.
		var acc decimal.Decimal
		for m := 0; m < months; m++ {
			b, err := Costs{Development: total, LifetimeMonths: months, FirstMonth: m}.For(1, nil)
			if err != nil {
				t.Fatal(err)
			}
			acc = acc.Add(b.Development.Amount)
		}
		if !acc.Equal(total.Amount) {
			t.Fatalf("monthly periods sum to %s, want %s", acc, total)
		}
	})
}

func TestROIProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rev := genMoney(t, "revenue", "RUB")
		sav := genMoney(t, "savings", "RUB")
		cost := genMoney(t, "costs", "RUB")
		v, ok := ROI(rev.Amount, sav.Amount, cost.Amount)
		if ok != !cost.IsZero() {
			t.Fatalf("defined = %v with costs %s", ok, cost)
		}
		if !ok {
			return
		}
		// The sign of ROI is the sign of the net gain, and ROI ≥ −100 %.
		net := rev.Amount.Add(sav.Amount).Sub(cost.Amount)
		if net.Sign() != v.Sign() && !(v.IsZero() && net.Abs().LessThan(cost.Amount.Div(decimal.NewFromInt(1e6)))) {
			t.Fatalf("ROI %s has not the sign of the net %s", v, net)
		}
		if v.LessThan(decimal.NewFromInt(-100)) {
			t.Fatalf("ROI %s below −100 %%", v)
		}
		// ROI = ROMI when savings are zero and costs are the spend.
		if r1, _ := ROI(rev.Amount, decimal.Zero, cost.Amount); func() bool { r2, _ := ROMI(rev.Amount, cost.Amount); return !r1.Equal(r2) }() {
			t.Fatal("ROI without savings differs from ROMI on the same spend")
		}
	})
}

func TestFormatParsesBack(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := rapid.SampledFrom([]string{"RUB", "KZT", "JPY", "XYZ"}).Draw(t, "currency")
		m := New(decimal.New(rapid.Int64Range(0, 1e15).Draw(t, "units"), -MinorDigits(cur)), cur)
		human := m.Format()
		num, _, _ := strings.Cut(human, " "+symbolOrCode(cur))
		back, err := Parse(num, cur)
		if err != nil {
			t.Fatalf("Parse(%q): %v", num, err)
		}
		if !back.Amount.Equal(m.Amount) {
			t.Fatalf("%s formats as %q, which parses back as %s", m, human, back)
		}
	})
}

func symbolOrCode(cur string) string {
	if s, ok := symbols[cur]; ok {
		return s
	}
	return cur
}

// FuzzReadCosts checks that no input makes the costs reader panic, that
// every rejected line is named, and that what it accepts computes.
func FuzzReadCosts(f *testing.F) {
	f.Add(CostsHeader + "\ndevelopment,120000,RUB,12\nplatform,15000,RUB,\nllm,2.5,RUB,2000000\n")
	f.Add("support,2500,RUB,20\nmarketing,\"1 000,50\",rub\nhuman_contact,100,RUB\n")
	f.Add("coffee,1,RUB\n\"unterminated,1\ndevelopment,1,RUB,0\nllm,1,RUB,1.5\n")
	f.Add("platform,1,RUB\nplatform,1,KZT\nintegrations,-1,RUB\n")
	f.Fuzz(func(t *testing.T, in string) {
		sheet, bad, err := ReadCosts(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			if b.Line < 1 || b.Reason == "" {
				t.Fatalf("error without a line or a reason: %+v", b)
			}
		}
		if _, err := sheet.Costs.For(1, nil); err != nil && !strings.Contains(err.Error(), "currenc") {
			t.Fatalf("accepted costs do not compute: %v", err)
		}
	})
}
