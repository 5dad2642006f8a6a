package report

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/roi"
)

// kpiFigures is what the tests check of a kpi.Summary, by hand.
type kpiFigures struct {
	Leads, Answered, Met, Breached, Pending int
	Median, P90, Rate                       kpi.NullFloat
	Status                                  kpi.Status
}

func figuresOf(s kpi.Summary) kpiFigures {
	round := func(v kpi.NullFloat) kpi.NullFloat {
		if v.Valid {
			v.Value = float64(int64(v.Value*1e6+0.5)) / 1e6
		}
		return v
	}
	return kpiFigures{Leads: s.Leads, Answered: s.Answered, Met: s.Met, Breached: s.Breached, Pending: s.Pending,
		Median: round(s.Median), P90: round(s.P90), Rate: round(s.Rate), Status: s.Status}
}

func TestDashboardHandChecked(t *testing.T) {
	events := fixtureEvents(t)
	d, err := NewDashboard(events, Period{From: mon, To: wed}, wed, fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		got  kpi.Summary
		want kpiFigures
	}{
		// Answered: 3, 5, 10, 40, 120, 300 s. Median (10+40)/2 = 25 s;
		// P90 rank 0.9·5 = 4.5: 120 + 0.5·(300−120) = 210 s. Met 4;
		// breached c2, c6 and c7 (no reply, deadline 20:01); c8 pending
		// (deadline 00:00:30 after the as-of midnight): 4 ÷ 7 = 57.14 %.
		{"total", d.Summary, kpiFigures{Leads: 8, Answered: 6, Met: 4, Breached: 3, Pending: 1,
			Median: kpi.Some(25), P90: kpi.Some(210), Rate: kpi.Some(57.142857), Status: kpi.Red}},
		// instagram: 3 and 10 s; P90 rank 0.9: 3 + 0.9·7 = 9.3 s.
		{"instagram", groupSummary(t, d.ByChannel, "instagram"), kpiFigures{Leads: 2, Answered: 2, Met: 2,
			Median: kpi.Some(6.5), P90: kpi.Some(9.3), Rate: kpi.Some(100), Status: kpi.Green}},
		// whatsapp: 5, 120, 300 s; P90 rank 1.8: 120 + 0.8·180 = 264 s.
		{"whatsapp", groupSummary(t, d.ByChannel, "whatsapp"), kpiFigures{Leads: 3, Answered: 3, Met: 1, Breached: 2,
			Median: kpi.Some(120), P90: kpi.Some(264), Rate: kpi.Some(33.333333), Status: kpi.Red}},
		// telegram: only the pending c8: the rate is undefined, not zero.
		{"telegram", groupSummary(t, d.ByChannel, "telegram"), kpiFigures{Leads: 1, Pending: 1}},
		// The hour 09 of Tuesday holds c4 and c5.
		{"hour 09", groupSummary(t, d.ByHour, "09"), kpiFigures{Leads: 2, Answered: 2, Met: 2,
			Median: kpi.Some(6.5), P90: kpi.Some(9.3), Rate: kpi.Some(100), Status: kpi.Green}},
		{"hour 03 (no leads)", groupSummary(t, d.ByHour, "03"), kpiFigures{}},
		// Monday: 5, 40, 120 s; P90 rank 1.8: 40 + 0.8·80 = 104 s; 2 of 3.
		{"day 03-02", groupSummary(t, d.ByDay, "2026-03-02"), kpiFigures{Leads: 3, Answered: 3, Met: 2, Breached: 1,
			Median: kpi.Some(40), P90: kpi.Some(104), Rate: kpi.Some(66.666667), Status: kpi.Red}},
	}
	for _, tc := range tests {
		if diff := cmp.Diff(tc.want, figuresOf(tc.got)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, diff)
		}
	}
	if len(d.ByHour) != 24 || len(d.ByDay) != 2 {
		t.Errorf("got %d hours and %d days, want 24 and 2", len(d.ByHour), len(d.ByDay))
	}
	// Bins (0,10] (10,30] (30,60] (60,180] (180,600] …: 3, 5, 10 | – | 40 | 120 | 300.
	var bins []int
	for _, b := range d.Distribution[:6] {
		bins = append(bins, b.Leads)
	}
	if diff := cmp.Diff([]int{3, 0, 1, 1, 1, 0}, bins); diff != "" {
		t.Errorf("distribution (-want +got):\n%s", diff)
	}
	if d.Alert == nil || d.Alert.Threshold != 70 {
		t.Errorf("alert = %+v, want one at 70 %% for a rate of 57.1 %%", d.Alert)
	}
}

func groupSummary(t *testing.T, groups []kpi.Group, key string) kpi.Summary {
	t.Helper()
	for _, g := range groups {
		if g.Key == key {
			return g.Summary
		}
	}
	t.Fatalf("no group %q", key)
	return kpi.Summary{}
}

func TestDailyDigestHandChecked(t *testing.T) {
	events := fixtureEvents(t)
	d, err := NewDailyDigest(events, PeriodOf(Day, tue, nil), wed, fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	type counts struct {
		Incoming, Answered, Unanswered, Messages, Replies, Leads, Bookings, Sales, Payments int
		Revenue                                                                             string
	}
	get := func(f DayFigures) counts {
		rev := ""
		for _, m := range f.Revenue {
			rev += m.String()
		}
		return counts{f.Incoming, f.Answered, f.Unanswered, f.Messages, f.Replies, f.Leads, f.Bookings, f.Sales, f.Payments, rev}
	}
	// Tuesday: c4…c8 wrote (5 leads, 6 messages); bot replies to c4 and
	// c5 and a human to c6 (3 replies); leads and bookings of c4 and c5;
	// p4's deal and payment of 3500 ₽.
	if diff := cmp.Diff(counts{5, 3, 2, 6, 3, 2, 2, 1, 1, "3500.00 RUB"}, get(d.Day)); diff != "" {
		t.Errorf("Tuesday (-want +got):\n%s", diff)
	}
	// Monday: c1…c3 (3 leads, 3 answered); the automation's reply to c3
	// is not a reply.
	if diff := cmp.Diff(counts{3, 3, 0, 3, 3, 1, 1, 0, 0, ""}, get(d.Before)); diff != "" {
		t.Errorf("Monday (-want +got):\n%s", diff)
	}
	// Tuesday's first replies: 3, 10, 300 s; median 10 s; P90 rank 1.8:
	// 10 + 0.8·290 = 242 s; met 2 of 4 decided (c8 pending): 50 %.
	want := kpiFigures{Leads: 5, Answered: 3, Met: 2, Breached: 2, Pending: 1,
		Median: kpi.Some(10), P90: kpi.Some(242), Rate: kpi.Some(50), Status: kpi.Red}
	if diff := cmp.Diff(want, figuresOf(d.Day.KPI)); diff != "" {
		t.Errorf("Tuesday KPI (-want +got):\n%s", diff)
	}
	if d.Alert == nil || d.Alert.Rate != 50 {
		t.Errorf("alert = %+v, want one for 50 %%", d.Alert)
	}
	if !d.Day.Complete || !d.Before.Complete {
		t.Error("both days ended by the as-of midnight")
	}
}

func TestNoShowReportHandChecked(t *testing.T) {
	events := fixtureEvents(t)
	r, err := NewNoShowReport(events, PeriodOf(Week, tue, nil), weeklyAsOf, fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Key                                             string
		Bookings, Confirmed, Attended, NoShow, Canceled int
		Confirmation, NoShowRate                        string
		Status                                          kpi.Status
	}
	var got []row
	for _, a := range append(r.ByAgent, AgentNoShow{AppointmentRow: r.Total, Status: r.Status}) {
		got = append(got, row{a.Key, a.Bookings, a.Confirmed, a.Attended, a.NoShow, a.Cancelled,
			a.ConfirmationRate.String(), a.NoShowRate.String(), a.Status})
	}
	// Alina booked p4 (confirmed, no-show) and p5 (cancelled): no-show
	// rate 1 ÷ (0 + 1). The bot booked p1 (confirmed by Alina, attended):
	// the booking's agent owns it.
	want := []row{
		{"Alina", 2, 1, 0, 1, 1, "50.0%", "100.0%", kpi.Red},
		{"bot", 1, 1, 1, 0, 0, "100.0%", "0.0%", kpi.Green},
		{"total", 3, 2, 1, 1, 1, "66.7%", "50.0%", kpi.Red},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if r.Previous.Bookings != 0 || r.Previous.NoShowRate.Defined() {
		t.Errorf("previous week = %+v, want no bookings and an undefined rate", r.Previous)
	}
}

func TestMarketingReportHandChecked(t *testing.T) {
	events := fixtureEvents(t)
	r, err := NewMarketingReport(events, march, monthAsOf, fixtureOptions())
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Channel, Spend, CPL, Revenue, ROI string
		Leads                             int
		Sales                             float64
	}
	conv := func(c ChannelRow) row {
		cpl, roiP := "-", "-"
		if c.CPL != nil {
			cpl = c.CPL.String()
		}
		if c.ROIPercent != nil {
			roiP = c.ROIPercent.String()
		}
		return row{c.Channel, c.Spend.String(), cpl, c.Revenue.String(), roiP, c.Leads, c.Sales}
	}
	var got []row
	for _, c := range append(r.Channels, r.Total) {
		got = append(got, conv(c))
	}
	// p4 touched vk, then wrote on instagram (source instagram) and paid
	// 3500 ₽: last touch gives it to instagram. ROI instagram
	// (3500 − 6000) ÷ 6000 = −41.6667 %; yandex −100 %; total
	// (3500 − 9000) ÷ 9000 = −61.1111 %. CPL 6000 ÷ 2 and 3000 ÷ 1.
	want := []row{
		{"instagram", "6000.00 RUB", "3000.00 RUB", "3500.00 RUB", "-41.6667", 2, 1},
		{"vk", "0.00 RUB", "-", "0.00 RUB", "-", 0, 0},
		{"yandex", "3000.00 RUB", "3000.00 RUB", "0.00 RUB", "-100", 1, 0},
		{"total", "9000.00 RUB", "3000.00 RUB", "3500.00 RUB", "-61.1111", 3, 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if r.Currency != "RUB" || r.PreviousPeriod.From != time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("currency %q, previous %v", r.Currency, r.PreviousPeriod)
	}
}

func TestBotDashboardHandChecked(t *testing.T) {
	events := fixtureEvents(t)
	d, err := NewBotDashboard(events, march, monthAsOf, fixtureOptions(), fixtureCosts())
	if err != nil {
		t.Fatal(err)
	}
	c := d.Current
	type figures struct {
		Revenue, Savings, Costs, ROI, Plan string
		BotClosed, Customers               int64
		BotDialogs, Escalated              int
		CSAT                               float64
		Funnel                             []int
	}
	got := figures{Revenue: c.ROI.TotalRevenue.String(), Savings: c.ROI.Savings.String(), Costs: c.ROI.Costs.Bot.String(),
		BotClosed: c.ROI.BotClosed, Customers: c.ROI.Customers, BotDialogs: c.BotDialogs, Escalated: c.Escalated}
	if c.ROI.ROIPercent != nil {
		got.ROI = c.ROI.ROIPercent.String()
	}
	if d.PlanPercent != nil {
		got.Plan = d.PlanPercent.String()
	}
	if c.CSAT != nil {
		got.CSAT = *c.CSAT
	}
	for _, s := range c.Funnel {
		got.Funnel = append(got.Funnel, s.Count)
	}
	// The bot answered c1, c4, c5 first; of them p4 paid 3500 ₽. c1 and
	// c5 closed without a human: 2 × 100 ₽ saved. ROI
	// (3500 + 200 − 1000) ÷ 1000 = 270 %; plan 3500 ÷ 7000 = 50 %.
	// c4 was handed over: 1 of 3. CSAT (5 + 4) ÷ 2.
	// Funnel: 8 wrote; p1, p4 and p5 left a lead; p4 won a deal and paid.
	want := figures{Revenue: "3500.00 RUB", Savings: "200.00 RUB", Costs: "1000.00 RUB", ROI: "270", Plan: "50",
		BotClosed: 2, Customers: 1, BotDialogs: 3, Escalated: 1, CSAT: 4.5, Funnel: []int{8, 3, 1, 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("bot dashboard (-want +got):\n%s", diff)
	}
	if d.RevenueByChannel.TotalValue.String() != "3500" {
		t.Errorf("revenue by channel totals %s, want 3500", d.RevenueByChannel.TotalValue)
	}
}

// TestBotRevenueAddsUp checks that the revenue of two halves of a period
// sums to the revenue of the whole, part by part: the classification of a
// payment (first, upsell, repeat) looks at all history, not the period.
func TestBotRevenueAddsUp(t *testing.T) {
	var raw []onemin.Event
	id := 0
	add := func(e onemin.Event) {
		id++
		e.ID = "x" + string(rune('a'+id))
		raw = append(raw, e)
	}
	d0 := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	add(onemin.Event{Kind: onemin.MessageIn, At: d0, ConversationID: "k", ContactID: "q", Actor: onemin.Customer})
	add(onemin.Event{Kind: onemin.MessageOut, At: d0.Add(time.Second), ConversationID: "k", ContactID: "q", Actor: onemin.Bot})
	pay := func(day int, amount, product string) {
		add(onemin.Event{Kind: onemin.Payment, At: d0.AddDate(0, 0, day), ContactID: "q", Product: product,
			Amount: decimal.RequireFromString(amount), Currency: "RUB"})
	}
	pay(1, "1000", "a") // first purchase, May
	pay(20, "300", "b") // upsell, May
	pay(40, "500", "a") // repeat, June
	pay(45, "200", "c") // upsell, June
	events, _, errs := onemin.Prepare(raw)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	may := PeriodOf(Month, d0, time.UTC)
	june := PeriodOf(Month, d0.AddDate(0, 1, 0), time.UTC)
	asOf := june.To
	revenue := func(p Period) roi.Revenue {
		d, err := NewBotDashboard(events, p, asOf, Options{}, BotCosts{})
		if err != nil {
			t.Fatal(err)
		}
		return d.Current.ROI.Revenue
	}
	str := func(r roi.Revenue) [3]string {
		return [3]string{r.Direct.String(), r.Upsell.String(), r.Repeat.String()}
	}
	if diff := cmp.Diff([3]string{"1000.00 RUB", "300.00 RUB", "0.00 RUB"}, str(revenue(may))); diff != "" {
		t.Errorf("May (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([3]string{"0.00 RUB", "200.00 RUB", "500.00 RUB"}, str(revenue(june))); diff != "" {
		t.Errorf("June: the repeat of a is not a first purchase (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([3]string{"1000.00 RUB", "500.00 RUB", "500.00 RUB"}, str(revenue(Period{From: may.From, To: june.To}))); diff != "" {
		t.Errorf("May and June (-want +got):\n%s", diff)
	}
}

func TestBadPeriods(t *testing.T) {
	events := fixtureEvents(t)
	tests := []struct {
		reason string
		p      Period
		asOf   time.Time
	}{
		{"empty period", Period{From: mon, To: mon}, wed},
		{"inverted period", Period{From: wed, To: mon}, wed},
		{"zero period", Period{}, wed},
		{"as of before the period", Period{From: tue, To: wed}, mon},
	}
	for _, tc := range tests {
		builders := map[string]func() error{
			"daily":     func() error { _, err := NewDailyDigest(events, tc.p, tc.asOf, Options{}); return err },
			"weekly":    func() error { _, err := NewNoShowReport(events, tc.p, tc.asOf, Options{}); return err },
			"monthly":   func() error { _, err := NewMarketingReport(events, tc.p, tc.asOf, Options{}); return err },
			"dashboard": func() error { _, err := NewDashboard(events, tc.p, tc.asOf, Options{}); return err },
			"bot":       func() error { _, err := NewBotDashboard(events, tc.p, tc.asOf, Options{}, BotCosts{}); return err },
		}
		for name, build := range builders {
			if err := build(); !errors.Is(err, ErrPeriod) {
				t.Errorf("%s, %s: err = %v, want ErrPeriod", tc.reason, name, err)
			}
		}
	}
}

func TestCurrencyMixIsAnError(t *testing.T) {
	events := fixtureEvents(t)
	events = append(events, onemin.Event{ID: "usd", Kind: onemin.Cost, At: at(mon, "08:00:00"), Source: "google",
		Amount: decimal.RequireFromString("10"), Currency: "USD"})
	onemin.SortByTime(events)
	if _, err := NewMarketingReport(events, march, monthAsOf, Options{}); !errors.Is(err, roi.ErrCurrencyMix) {
		t.Fatalf("err = %v, want roi.ErrCurrencyMix", err)
	}
	rates := &roi.Rates{Into: "RUB", Per: map[string]decimal.Decimal{"USD": decimal.RequireFromString("90")}}
	r, err := NewMarketingReport(events, march, monthAsOf, Options{Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	if got := r.Total.Spend.String(); got != "9900.00 RUB" {
		t.Errorf("total spend with 10 USD at 90 = %s, want 9900.00 RUB", got)
	}
}
