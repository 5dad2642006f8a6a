package report

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/roi"
)

// MarketingReport is the monthly marketing report: per marketing channel
// (the UTM source: instagram, yandex, vk, …) what was spent, how many leads
// came, what a lead cost, how much revenue the channel earned and the return
// on that spend, in exact money of one currency. A MarketingReport is a plain
// value.
//
//	CPL     = spend ÷ leads                       (money; undefined with no lead)
//	revenue = payments of the period, shared among the sources the payer
//	          touched within the lookback by the attribution model
//	ROI     = (revenue − spend) ÷ spend × 100     (percent; undefined with no spend)
//
// A lead's source is the lead event's own UTM source; spend is the cost
// events of the period by source. Touches and leads without a source are
// attribution.NotSet, payments without any touch attribution.Direct.
type MarketingReport struct {
	// Title names the business (Options.Title); empty for none.
	Title string `json:"title,omitempty"`
	// Period is the span reported on, in the report's zone, and AsOf the
	// time its outcomes were judged at; TimeZone names the zone.
	Period   Period    `json:"period"`
	AsOf     time.Time `json:"as_of"`
	TimeZone string    `json:"time_zone"`
	// Complete reports whether the period had ended by AsOf; Currency is
	// the ISO 4217 code of every amount.
	Complete bool   `json:"complete"`
	Currency string `json:"currency"`
	// Model is the attribution model that shared the revenue.
	Model attribution.Model `json:"model"`
	// Channels are ordered by revenue, most first, then by name.
	Channels []ChannelRow `json:"channels"`
	// Total is the row of all channels together.
	Total ChannelRow `json:"total"`
	// PreviousPeriod is the period before (the month before a whole
	// month, else the same number of days), and Previous its total.
	PreviousPeriod Period     `json:"previous_period"`
	Previous       ChannelRow `json:"previous"`
	// PreviousEvents counts the events of the period before (known at
	// AsOf); with none, no change is shown.
	PreviousEvents int `json:"previous_events"`
}

// ChannelRow is one channel's line of the marketing report, or the total.
type ChannelRow struct {
	// Channel is the UTM source, attribution.NotSet, attribution.Direct
	// or "total".
	Channel string `json:"channel"`
	// Spend is the sum of the period's cost events of the channel; zero
	// when none was recorded.
	Spend roi.Money `json:"spend"`
	// Leads counts the period's lead events of the channel.
	Leads int `json:"leads"`
	// CPL is Spend ÷ Leads rounded to the minor unit; nil (null) with no
	// lead.
	CPL *roi.Money `json:"cpl"`
	// Sales is the channel's share of the period's payments, a count,
	// fractional under shared models; Revenue is its share of their value.
	Sales   float64   `json:"sales"`
	Revenue roi.Money `json:"revenue"`
	// ROIPercent is (Revenue − Spend) ÷ Spend × 100, in percent rounded
	// to 4 places; nil (null) with no spend.
	ROIPercent *decimal.Decimal `json:"roi_percent"`
}

// NewMarketingReport builds the marketing report of p (normally a month:
// PeriodOf(Month, …)) from events as of asOf. events should have passed
// onemin.Prepare. Amounts in different currencies need opts.Rates; without
// them the error wraps roi.ErrCurrencyMix. The error wraps ErrPeriod when p
// is empty or asOf is before it.
func NewMarketingReport(events []onemin.Event, p Period, asOf time.Time, opts Options) (*MarketingReport, error) {
	if err := checkAsOf(p, asOf); err != nil {
		return nil, err
	}
	loc := opts.location()
	p = Period{From: p.From.In(loc), To: p.To.In(loc)}
	prev := PreviousRange(p)
	if isMonth(p) {
		prev = Previous(Month, p)
	}
	r := &MarketingReport{Title: opts.Title, Period: p, AsOf: asOf.In(loc), TimeZone: loc.String(),
		Complete: !asOf.Before(p.To), Model: opts.Model, PreviousPeriod: prev}
	rows, total, cur, err := marketingRows(events, p, asOf, &opts)
	if err != nil {
		return nil, err
	}
	r.Channels, r.Total, r.Currency = rows, total, cur
	r.PreviousEvents = countIn(events, prev)
	if _, r.Previous, _, err = marketingRows(events, prev, asOf, &opts); err != nil {
		return nil, err
	}
	return r, nil
}

// isMonth reports whether p is one whole calendar month.
func isMonth(p Period) bool {
	return p == PeriodOf(Month, p.From, p.From.Location())
}

// marketingRows computes the rows of p and their total.
func marketingRows(events []onemin.Event, p Period, asOf time.Time, opts *Options) ([]ChannelRow, ChannelRow, string, error) {
	end := p.To
	if asOf.Before(end) {
		end = asOf.Add(1) // events at asOf are known
	}
	known := upTo(events, end)

	spend := map[string][]roi.Money{}
	leads := map[string]int{}
	for i := range known {
		e := &known[i]
		if !in(p, e.At) {
			continue
		}
		switch e.Kind {
		case onemin.Cost:
			s := orNotSet(e.Source)
			spend[s] = append(spend[s], roi.New(e.Amount, e.Currency))
		case onemin.Lead:
			leads[orNotSet(e.Source)]++
		}
	}
	paths, err := attribution.BuildPaths(known, attribution.PathOptions{
		Level: attribution.LevelSource, Lookback: opts.lookback(), Conversion: onemin.Payment,
	})
	if err != nil {
		return nil, ChannelRow{}, "", err
	}
	var inPeriod []attribution.Path
	for _, ph := range paths.Paths {
		if ph.Conversions > 0 && in(p, ph.ConvertedAt) {
			inPeriod = append(inPeriod, ph)
		} else if ph.Conversions == 0 && opts.Model == attribution.Markov && len(ph.At) > 0 && in(p, ph.At[len(ph.At)-1]) {
			inPeriod = append(inPeriod, ph)
		}
	}
	res, err := attribution.Attribute(inPeriod, opts.Model, attribution.Options{Currency: paths.Currency})
	if err != nil {
		return nil, ChannelRow{}, "", err
	}

	cur, err := reportCurrency(opts.Rates, paths.Currency, spend)
	if err != nil {
		return nil, ChannelRow{}, "", err
	}
	names := map[string]bool{}
	for k := range spend {
		names[k] = true
	}
	for k := range leads {
		names[k] = true
	}
	for _, c := range res.Channels {
		names[c.Channel] = true
	}
	rows := make([]ChannelRow, 0, len(names))
	total := ChannelRow{Channel: "total", Spend: roi.New(decimal.Zero, cur), Revenue: roi.New(decimal.Zero, cur)}
	for name := range names {
		row := ChannelRow{Channel: name, Leads: leads[name]}
		if row.Spend, err = roi.Sum(opts.Rates, append([]roi.Money{roi.New(decimal.Zero, cur)}, spend[name]...)...); err != nil {
			return nil, ChannelRow{}, "", fmt.Errorf("spend of %s: %w", name, err)
		}
		row.Revenue = roi.New(decimal.Zero, cur)
		if c, ok := res.Get(name); ok {
			row.Sales = c.Conversions
			if row.Revenue, err = convert(opts.Rates, roi.New(c.Value, paths.Currency), cur); err != nil {
				return nil, ChannelRow{}, "", err
			}
		}
		row.fill()
		rows = append(rows, row)
		total.Leads += row.Leads
		total.Sales += row.Sales
		total.Spend, _ = total.Spend.Add(row.Spend)
		total.Revenue, _ = total.Revenue.Add(row.Revenue)
	}
	total.Sales = res.TotalConversions
	total.fill()
	slices.SortFunc(rows, func(a, b ChannelRow) int {
		if c := b.Revenue.Amount.Cmp(a.Revenue.Amount); c != 0 {
			return c
		}
		return cmp.Compare(a.Channel, b.Channel)
	})
	return rows, total, cur, nil
}

// fill computes the row's CPL and ROI from its spend, leads and revenue.
func (r *ChannelRow) fill() {
	if cpl, ok := roi.PerUnit(r.Spend, int64(r.Leads)); ok {
		r.CPL = &cpl
	}
	if v, ok := roi.ROMI(r.Revenue.Amount, r.Spend.Amount); ok {
		r.ROIPercent = &v
	}
}

func orNotSet(s string) string {
	if s == "" {
		return attribution.NotSet
	}
	return s
}

// reportCurrency picks the one currency of the report: the rates' target,
// else the only currency among revenue and spend. A second currency without
// rates is an error wrapping roi.ErrCurrencyMix.
func reportCurrency(rates *roi.Rates, revenue string, spend map[string][]roi.Money) (string, error) {
	if rates != nil && rates.Into != "" {
		return rates.Into, nil
	}
	cur := revenue
	for _, ms := range spend {
		for _, m := range ms {
			switch {
			case cur == "":
				cur = m.Currency
			case m.Currency != cur:
				return "", fmt.Errorf("report: spend in %s and %s: %w", cur, m.Currency, roi.ErrCurrencyMix)
			}
		}
	}
	return cur, nil
}

// convert returns m in currency cur, with rates when it is in another.
func convert(rates *roi.Rates, m roi.Money, cur string) (roi.Money, error) {
	if m.Currency == cur || m.IsZero() {
		return roi.New(m.Amount, cur), nil
	}
	if rates == nil {
		return roi.Money{}, fmt.Errorf("report: %s and %s: %w", m.Currency, cur, roi.ErrCurrencyMix)
	}
	return rates.Convert(m)
}
