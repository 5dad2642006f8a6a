package cohort

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }

func in(c string, at time.Time) onemin.Event {
	return onemin.Event{ContactID: c, ConversationID: c, Kind: onemin.MessageIn, At: at}
}

func pay(c string, at time.Time, amount, cur string) onemin.Event {
	return onemin.Event{ContactID: c, Kind: onemin.Payment, At: at, Amount: decimal.RequireFromString(amount), Currency: cur}
}

// cohortOf makes size contacts who first write on first, of whom active
// write again on again.
func cohortOf(name string, size, active int, first, again time.Time) []onemin.Event {
	var out []onemin.Event
	for i := range size {
		c := fmt.Sprintf("%s-%d", name, i)
		out = append(out, in(c, first))
		if i < active {
			out = append(out, in(c, again))
		}
	}
	return out
}

func TestWeightedAverageOverCompleteCohorts(t *testing.T) {
	// Period 1 of three monthly cohorts: 1000 contacts with 500 back, 500
	// with 400 back, and 700 with 10 back so far in a month not over yet.
	// The average is (500 + 400) ÷ (1000 + 500) = 60 %, not the 65 % of
	// the plain mean of 50 % and 80 %, and not pulled down by the 700.
	var events []onemin.Event
	events = append(events, cohortOf("jan", 1000, 500, day(2025, 1, 10), day(2025, 2, 10))...)
	events = append(events, cohortOf("feb", 500, 400, day(2025, 2, 10), day(2025, 3, 10))...)
	events = append(events, cohortOf("mar", 700, 10, day(2025, 3, 10), day(2025, 4, 5))...)
	c, err := Build(events, Config{By: ByMonth}, day(2025, 4, 15))
	if err != nil {
		t.Fatal(err)
	}
	tab := c.Retention(On)
	got := tab.Average[1]
	want := Cell{Period: 1, Active: 900, Contacts: 1500, Rate: onemin.Ratio{Num: 900, Den: 1500}, Complete: true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("average of period 1 (-want +got):\n%s", diff)
	}
	if v, _ := got.Rate.Value(); v != 0.6 {
		t.Errorf("average = %v, want 0.6", v)
	}
	mar := tab.Cohorts[2]
	if mar.Key != "2025-03" || mar.Cells[1].Complete || mar.Cells[1].Active != 10 {
		t.Errorf("March's period 1 = %+v (key %s), want incomplete with 10 active", mar.Cells[1], mar.Key)
	}
}

func TestRetentionModes(t *testing.T) {
	// a: active in periods 0 and 2; b: 0 and 1; c: 0 only. Weekly, as of
	// well after period 2.
	mon := time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
	events := []onemin.Event{
		in("a", mon), in("a", mon.AddDate(0, 0, 14)),
		in("b", mon.AddDate(0, 0, 1)), in("b", mon.AddDate(0, 0, 8)),
		in("c", mon.AddDate(0, 0, 6)),
	}
	c, err := Build(events, Config{Period: Week}, mon.AddDate(0, 0, 30))
	if err != nil {
		t.Fatal(err)
	}
	rate := func(tab RetentionTable) []string {
		var out []string
		for _, cell := range tab.Cohorts[0].Cells {
			out = append(out, cell.Rate.String())
		}
		return out
	}
	if diff := cmp.Diff([]string{"100.0%", "33.3%", "33.3%", "0.0%", "0.0%"}, rate(c.Retention(On))); diff != "" {
		t.Errorf("on (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"100.0%", "66.7%", "33.3%", "0.0%", "0.0%"}, rate(c.Retention(OnOrAfter))); diff != "" {
		t.Errorf("on or after (-want +got):\n%s", diff)
	}
}

func TestTimeZone(t *testing.T) {
	// 31 January 22:00 UTC is 1 February 01:00 in Moscow (UTC+3).
	msk := time.FixedZone("MSK", 3*3600)
	at := time.Date(2025, 1, 31, 22, 0, 0, 0, time.UTC)
	tests := []struct {
		reason string
		loc    *time.Location
		by     Key
		want   string
	}{
		{"month in UTC", nil, ByMonth, "2025-01"},
		{"month in Moscow", msk, ByMonth, "2025-02"},
		{"week in UTC starts on Monday 27 January", nil, ByWeek, "2025-01-27"},
		{"day in Moscow", msk, ByDay, "2025-02-01"},
	}
	for _, tt := range tests {
		c, err := Build([]onemin.Event{in("a", at)}, Config{By: tt.by, Location: tt.loc}, at.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got := c.Sizes()[0].Key; got != tt.want {
			t.Errorf("%s: key %q, want %q", tt.reason, got, tt.want)
		}
	}
}

func TestFirstTouchSource(t *testing.T) {
	touch := onemin.Event{ContactID: "a", Kind: onemin.Touch, Source: "instagram", At: day(2025, 1, 1)}
	later := in("a", day(2025, 1, 2))
	later.Source = "google"
	other := in("b", day(2025, 1, 3))
	onlyTouched := onemin.Event{ContactID: "t", Kind: onemin.Touch, Source: "vk", At: day(2025, 1, 1)}
	c, err := Build([]onemin.Event{later, other, touch, onlyTouched}, Config{By: BySource}, day(2025, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	want := []Size{{Key: NoValue, Contacts: 1}, {Key: "instagram", Contacts: 1}}
	if diff := cmp.Diff(want, c.Sizes()); diff != "" {
		t.Errorf("sizes (-want +got):\n%s", diff)
	}
	if c.NotEntered != 1 {
		t.Errorf("NotEntered = %d, want 1 (a contact with a touch only)", c.NotEntered)
	}
	// a enters on 2 January, its first message, not at the touch: period 0
	// of a daily table is 2 January.
	c, _ = Build([]onemin.Event{later, touch}, Config{By: ByDay}, day(2025, 2, 1))
	if got := c.Sizes()[0].Key; got != "2025-01-02" {
		t.Errorf("entry day %s, want 2025-01-02", got)
	}
}

func TestLTV(t *testing.T) {
	events := []onemin.Event{
		in("a", day(2025, 1, 5)), pay("a", day(2025, 1, 6), "100.10", "RUB"), pay("a", day(2025, 2, 6), "50", "RUB"),
		in("b", day(2025, 1, 20)),
		in("c", day(2025, 2, 1)), pay("c", day(2025, 2, 2), "30", "RUB"),
		{ContactID: "c", Kind: onemin.Refund, At: day(2025, 2, 3), Amount: decimal.RequireFromString("10"), Currency: "RUB"},
	}
	c, err := Build(events, Config{By: ByMonth}, day(2025, 3, 10))
	if err != nil {
		t.Fatal(err)
	}
	tab, err := c.LTV()
	if err != nil {
		t.Fatal(err)
	}
	d := decimal.RequireFromString
	nd := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(d(s)) }
	want := LTVTable{Period: Month, Currency: "RUB",
		Cohorts: []LTVRow{
			{Key: "2025-01", Contacts: 2, Cells: []LTVCell{
				{Period: 0, Revenue: d("100.10"), Contacts: 2, PerContact: nd("50.05"), Complete: true},
				{Period: 1, Revenue: d("150.10"), Contacts: 2, PerContact: nd("75.05"), Complete: true},
				{Period: 2, Revenue: d("150.10"), Contacts: 2, PerContact: nd("75.05"), Complete: false},
			}},
			{Key: "2025-02", Contacts: 1, Cells: []LTVCell{
				{Period: 0, Revenue: d("20"), Contacts: 1, PerContact: nd("20"), Complete: true},
				{Period: 1, Revenue: d("20"), Contacts: 1, PerContact: nd("20"), Complete: false},
			}},
		},
		Average: []LTVCell{
			// (100.10 + 20) ÷ 3 = 40.0333…
			{Period: 0, Revenue: d("120.10"), Contacts: 3, PerContact: nd("40.0333"), Complete: true},
			{Period: 1, Revenue: d("150.10"), Contacts: 2, PerContact: nd("75.05"), Complete: true},
			{Period: 2, Revenue: d("0"), Contacts: 0, Complete: false},
		},
	}
	if diff := cmp.Diff(want, tab, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("LTV (-want +got):\n%s", diff)
	}
	rep := c.RepeatPurchase()
	if diff := cmp.Diff([]RepeatRow{{Key: "2025-01", Buyers: 1, Repeat: 1, Rate: onemin.Ratio{Num: 1, Den: 1}},
		{Key: "2025-02", Buyers: 1, Rate: onemin.Ratio{Num: 0, Den: 1}}}, rep); diff != "" {
		t.Errorf("repeat (-want +got):\n%s", diff)
	}
}

func TestCurrencyMixIsAnError(t *testing.T) {
	events := []onemin.Event{pay("a", day(2025, 1, 1), "1", "RUB"), pay("b", day(2025, 1, 1), "1", "KZT")}
	c, err := Build(events, Config{}, day(2025, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.LTV(); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("LTV err = %v, want ErrCurrencyMix", err)
	}
	if _, _, err := c.AverageCheck(); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("AverageCheck err = %v, want ErrCurrencyMix", err)
	}
}

func TestAverageCheck(t *testing.T) {
	src := func(e onemin.Event, s string) onemin.Event { e.Source = s; return e }
	events := []onemin.Event{
		src(pay("a", day(2025, 1, 1), "100", "KZT"), "bot"), pay("a", day(2025, 1, 9), "50", "KZT"),
		src(pay("b", day(2025, 1, 1), "300", "KZT"), "site"),
		src(pay("c", day(2025, 1, 1), "500", "KZT"), "phone"),
	}
	c, err := Build(events, Config{By: BySource}, day(2025, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	rows, cur, err := c.AverageCheck()
	if err != nil {
		t.Fatal(err)
	}
	nd := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	want := []CheckRow{
		{Key: "bot", Payments: 2, Revenue: decimal.RequireFromString("150"), Average: nd("75"), OthersAverage: nd("400")},
		{Key: "phone", Payments: 1, Revenue: decimal.RequireFromString("500"), Average: nd("500"), OthersAverage: nd("150")},
		{Key: "site", Payments: 1, Revenue: decimal.RequireFromString("300"), Average: nd("300"), OthersAverage: nd("216.6667")},
	}
	if diff := cmp.Diff(want, rows, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" || cur != "KZT" {
		t.Errorf("average check in %s (-want +got):\n%s", cur, diff)
	}
}

func TestWithinWindow(t *testing.T) {
	// 180-day B2B cycle as of 1 July 2025: a (entered 1 Jan) converted on
	// day 170, b (1 Jan) on day 200, c (1 Jan) never; d entered in May and
	// is not mature, though it converted.
	jan := day(2025, 1, 1)
	won := func(c string, at time.Time) onemin.Event {
		return onemin.Event{ContactID: c, Kind: onemin.DealWon, At: at}
	}
	events := []onemin.Event{
		in("a", jan), won("a", jan.AddDate(0, 0, 170)),
		in("b", jan), won("b", jan.AddDate(0, 0, 181)),
		in("c", jan),
		in("d", day(2025, 5, 1)), won("d", day(2025, 5, 2)),
	}
	c, err := Build(events, Config{}, jan.AddDate(0, 0, 190))
	if err != nil {
		t.Fatal(err)
	}
	got := c.ConversionWithin(180 * 24 * time.Hour)
	want := []WindowRow{{Key: "all", Contacts: 4, Mature: 3, Hits: 1, Rate: onemin.Ratio{Num: 1, Den: 3}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("conversion within 180 days (-want +got):\n%s", diff)
	}
	// Returning: a writes again 20 days on; b the same day only.
	events = []onemin.Event{in("a", jan), in("a", jan.AddDate(0, 0, 20)), in("b", jan), in("b", jan.Add(time.Hour))}
	c, _ = Build(events, Config{}, jan.AddDate(0, 0, 100))
	want = []WindowRow{{Key: "all", Contacts: 2, Mature: 2, Hits: 1, Rate: onemin.Ratio{Num: 1, Den: 2}}}
	if diff := cmp.Diff(want, c.ReturnedWithin(30*24*time.Hour)); diff != "" {
		t.Errorf("retention at 30 days (-want +got):\n%s", diff)
	}
}

func TestEventsAfterAsOfAreIgnored(t *testing.T) {
	c, err := Build([]onemin.Event{in("a", day(2025, 1, 1)), in("b", day(2025, 3, 1))}, Config{}, day(2025, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Size{{Key: "all", Contacts: 1}}, c.Sizes()); diff != "" || c.Skipped != 1 {
		t.Errorf("sizes (-want +got):\n%s; skipped %d", diff, c.Skipped)
	}
}
