package roi

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func rub(s string) Money           { return New(dec(s), "RUB") }

// optString renders an optional number for a table: "undefined" for nil.
func optString(d *decimal.Decimal) string {
	if d == nil {
		return "undefined"
	}
	return d.String()
}

func optMoney(m *Money) string {
	if m == nil {
		return "undefined"
	}
	return m.String()
}

func TestFormulas(t *testing.T) {
	tests := []struct {
		reason string
		got    func() (decimal.Decimal, bool)
		want   string
	}{
		{"ROI: revenue 300 000, savings 50 000, costs 100 000 → 250 %", func() (decimal.Decimal, bool) { return ROI(dec("300000"), dec("50000"), dec("100000")) }, "250"},
		{"ROI: a bot that loses half its cost → −50 %", func() (decimal.Decimal, bool) { return ROI(dec("40000"), dec("10000"), dec("100000")) }, "-50"},
		{"ROI: break-even is 0 %", func() (decimal.Decimal, bool) { return ROI(dec("70000"), dec("30000"), dec("100000")) }, "0"},
		{"ROI: a third, to 4 places", func() (decimal.Decimal, bool) { return ROI(dec("4"), dec("0"), dec("3")) }, "33.3333"},
		{"ROI: no costs is undefined", func() (decimal.Decimal, bool) { return ROI(dec("1"), dec("1"), dec("0")) }, "undefined"},
		{"ROMI: 500 000 revenue on 200 000 spend → 150 %", func() (decimal.Decimal, bool) { return ROMI(dec("500000"), dec("200000")) }, "150"},
		{"ROAS: 500 000 on 200 000 → 250 %", func() (decimal.Decimal, bool) { return ROAS(dec("500000"), dec("200000")) }, "250"},
		{"ROAS: no spend is undefined", func() (decimal.Decimal, bool) { return ROAS(dec("1"), dec("0")) }, "undefined"},
		{"payback: 120 000 at 40 000 a month → 3 months", func() (decimal.Decimal, bool) { return PaybackMonths(dec("120000"), dec("40000")) }, "3"},
		{"payback: 100 000 at 30 000 a month → 3.33", func() (decimal.Decimal, bool) { return PaybackMonths(dec("100000"), dec("30000")) }, "3.33"},
		{"payback: no gain never pays back", func() (decimal.Decimal, bool) { return PaybackMonths(dec("100000"), dec("0")) }, "undefined"},
		{"payback: a loss never pays back", func() (decimal.Decimal, bool) { return PaybackMonths(dec("100000"), dec("-5")) }, "undefined"},
	}
	for _, tt := range tests {
		v, ok := tt.got()
		got := "undefined"
		if ok {
			got = v.String()
		}
		if got != tt.want {
			t.Errorf("%s: got %s, want %s", tt.reason, got, tt.want)
		}
	}
}

func TestMoney(t *testing.T) {
	tests := []struct {
		reason string
		got    string
		want   string
	}{
		{"human rubles", rub("12345.67").Format(), "12 345,67 ₽"},
		{"human tenge, a million", New(dec("1000000"), "KZT").Format(), "1 000 000,00 ₸"},
		{"human, rounded to kopecks", rub("0.005").Format(), "0,01 ₽"},
		{"human, negative", New(dec("-500"), "USD").Format(), "−500,00 $"},
		{"human yen have no minor unit", New(dec("1200.4"), "JPY").Format(), "1 200 JPY"},
		{"human, three digits", rub("999").Format(), "999,00 ₽"},
		{"machine", rub("12345.6").Plain(), "12345.60"},
		{"machine with code", New(dec("7"), "kzt").String(), "7.00 KZT"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.reason, tt.got, tt.want)
		}
	}
}

func TestMoneyArithmetic(t *testing.T) {
	if _, err := rub("1").Add(New(dec("1"), "KZT")); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("RUB + KZT: got %v, want ErrCurrencyMix", err)
	}
	if got, err := (Money{}).Add(rub("5")); err != nil || !got.Amount.Equal(dec("5")) || got.Currency != "RUB" {
		t.Errorf("zero Money + 5 RUB = %v, %v; want 5 RUB", got, err)
	}
	if _, err := (Money{Amount: dec("1")}).Add(rub("5")); err == nil {
		t.Error("an amount without a currency added silently")
	}
	rates := &Rates{Into: "RUB", Per: map[string]decimal.Decimal{"USD": dec("92.5"), "KZT": dec("0.1912")}}
	got, err := Sum(rates, rub("100"), New(dec("10"), "USD"), New(dec("1000"), "KZT"))
	if err != nil {
		t.Fatal(err)
	}
	// 100 + 925 + 191.20
	if diff := cmp.Diff("1216.20 RUB", got.String()); diff != "" {
		t.Errorf("sum with rates (-want +got)\n%s", diff)
	}
	if _, err := Sum(rates, rub("1"), New(dec("1"), "EUR")); !errors.Is(err, ErrNoRate) {
		t.Errorf("no EUR rate: got %v, want ErrNoRate", err)
	}
	if _, err := Sum(nil, rub("1"), New(dec("1"), "EUR")); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("no rates: got %v, want ErrCurrencyMix", err)
	}
	if _, ok := rub("1").Div(0); ok {
		t.Error("division by zero is defined")
	}
	if q, _ := rub("100").Div(3); q.String() != "33.33 RUB" {
		t.Errorf("100 / 3 = %s, want 33.33 RUB", q)
	}
	b, _ := json.Marshal(rub("12345.67"))
	if diff := cmp.Diff(`{"amount":"12345.67","currency":"RUB"}`, string(b)); diff != "" {
		t.Errorf("JSON (-want +got)\n%s", diff)
	}
	var back Money
	if err := json.Unmarshal(b, &back); err != nil || !back.Amount.Equal(dec("12345.67")) || back.Currency != "RUB" {
		t.Errorf("JSON round trip: %v, %v", back, err)
	}
	for _, in := range []string{"12 345,67", "12345.67", "12\u00a0345.67"} {
		if m, err := Parse(in, "rub"); err != nil || !m.Amount.Equal(dec("12345.67")) || m.Currency != "RUB" {
			t.Errorf("Parse(%q) = %v, %v", in, m, err)
		}
	}
	for _, in := range []string{"", "12,345.67", "1e3", "abc"} {
		if _, err := Parse(in, "RUB"); err == nil {
			t.Errorf("Parse(%q): got no error", in)
		}
	}
}

func TestAmortize(t *testing.T) {
	parts, err := Amortize(rub("100000"), 12)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range parts {
		got = append(got, p.Plain())
	}
	// 100 000 / 12 = 8 333.333…: four months carry the extra kopeck.
	want := []string{"8333.34", "8333.34", "8333.34", "8333.34", "8333.33", "8333.33", "8333.33", "8333.33", "8333.33", "8333.33", "8333.33", "8333.33"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if _, err := Amortize(rub("1"), 0); err == nil {
		t.Error("zero months: got no error")
	}
}

func TestCompute(t *testing.T) {
	in := Inputs{
		Months: 1,
		Revenue: Revenue{
			Direct: rub("250000"), Upsell: rub("30000"), Repeat: rub("25000"), Refunds: rub("5000"),
		},
		BotClosed: 500, HumanContactCost: rub("100"),
		Leads: 200, Conversions: 50, Customers: 40, Orders: 60,
		Costs: Costs{
			Development: rub("120000"), LifetimeMonths: 12, // 10 000 a month
			PlatformMonthly: rub("15000"),
			LLMTokens:       2_000_000, LLMPricePer1K: rub("2.5"), // 5 000
			SupportHours: dec("20"), SupportRate: rub("2500"), // 50 000
			Integrations: rub("20000"),
			Marketing:    rub("60000"),
		},
	}
	r, err := Compute(in, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Revenue 300 000, savings 50 000, bot costs 10 000 + 15 000 + 5 000
	// + 50 000 + 20 000 = 100 000: ROI 250 %. Marketing 60 000: ROMI
	// 400 %, ROAS 500 %, CPL 300, CPA 1 200, CAC 160 000 / 40 = 4 000,
	// average check 5 000, LTV 7 500. Payback: 120 000 / (300 000 +
	// 50 000 − 90 000) = 0.46 months.
	got := map[string]string{
		"revenue": r.TotalRevenue.String(), "savings": r.Savings.String(), "bot costs": r.Costs.Bot.String(),
		"llm": r.Costs.LLM.String(), "net": r.Net.String(),
		"roi": optString(r.ROIPercent), "romi": optString(r.ROMIPercent), "roas": optString(r.ROASPercent),
		"cpl": optMoney(r.CPL), "cpa": optMoney(r.CPA), "cac": optMoney(r.CAC),
		"check": optMoney(r.AverageCheck), "ltv": optMoney(r.LTV), "payback": optString(r.PaybackMonths),
	}
	want := map[string]string{
		"revenue": "300000.00 RUB", "savings": "50000.00 RUB", "bot costs": "100000.00 RUB",
		"llm": "5000.00 RUB", "net": "250000.00 RUB",
		"roi": "250", "romi": "400", "roas": "500",
		"cpl": "300.00 RUB", "cpa": "1200.00 RUB", "cac": "4000.00 RUB",
		"check": "5000.00 RUB", "ltv": "7500.00 RUB", "payback": "0.46",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}

	// Nothing to divide by: every ratio is undefined, and null in JSON.
	empty, err := Compute(Inputs{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(empty)
	for _, k := range []string{"roi_percent", "romi_percent", "roas_percent", "cpl", "cpa", "cac", "average_check", "ltv"} {
		if !strings.Contains(string(b), `"`+k+`":null`) {
			t.Errorf("empty report: %s is not null in %s", k, b)
		}
	}

	mixed := in
	mixed.Costs.Marketing = New(dec("100"), "USD")
	if _, err := Compute(mixed, nil); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("USD marketing, no rates: got %v, want ErrCurrencyMix", err)
	}
	r, err = Compute(mixed, &Rates{Into: "RUB", Per: map[string]decimal.Decimal{"USD": dec("90")}})
	if err != nil {
		t.Fatal(err)
	}
	if r.Costs.Marketing.String() != "9000.00 RUB" {
		t.Errorf("converted marketing = %s, want 9000.00 RUB", r.Costs.Marketing)
	}
}

func TestCostsPeriod(t *testing.T) {
	c := Costs{Development: rub("100"), LifetimeMonths: 3, FirstMonth: 2, PlatformMonthly: rub("10")}
	b, err := c.For(2, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Schedule 33.34, 33.33, 33.33: the period holds month 3 only (month
	// 4 is past the lifetime); the platform is paid for two months.
	if diff := cmp.Diff([]string{"33.33 RUB", "20.00 RUB", "53.33 RUB"}, []string{b.Development.String(), b.Platform.String(), b.Bot.String()}); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
}

func TestReadCosts(t *testing.T) {
	in := `item,amount,currency,quantity
development,120000,RUB,12
platform,"15 000,00",RUB,
llm,2.5,RUB,2000000
support,2500,RUB,20
integrations,20000,RUB
marketing,60000,RUB
human_contact,100,RUB
coffee,100,RUB
platform,abc,RUB
platform,100,
llm,2.5,RUB,
support,2500,RUB,-1
marketing,100,USD`
	sheet, bad, err := ReadCosts(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := Costs{
		Development: rub("120000"), LifetimeMonths: 12, PlatformMonthly: rub("15000"),
		LLMTokens: 2_000_000, LLMPricePer1K: rub("2.5"), SupportHours: dec("20"), SupportRate: rub("2500"),
		Integrations: rub("20000"), Marketing: rub("60000"),
	}
	if diff := cmp.Diff(want, sheet.Costs, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
		t.Errorf("costs (-want +got)\n%s", diff)
	}
	if !sheet.HumanContactCost.Amount.Equal(dec("100")) {
		t.Errorf("human contact = %s, want 100 RUB", sheet.HumanContactCost)
	}
	type where struct {
		Line  int
		Field string
	}
	var got []where
	for _, b := range bad {
		got = append(got, where{b.Line, b.Field})
		if !errors.Is(b, onemin.ErrInvalid) && !errors.Is(b, onemin.ErrMissing) {
			t.Errorf("%v wraps neither ErrInvalid nor ErrMissing", b)
		}
	}
	wantBad := []where{{9, "item"}, {10, "amount"}, {11, "currency"}, {12, "quantity"}, {13, "quantity"}, {14, "currency"}}
	if diff := cmp.Diff(wantBad, got); diff != "" {
		t.Errorf("bad lines (-want +got)\n%s", diff)
	}
}
