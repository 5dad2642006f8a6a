package cohort

import (
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/money"
	"github.com/shopspring/decimal"
)

// PerContactPlaces is the number of decimal places of per-contact money
// (LTV per contact, average check), rounded half away from zero. Sums are
// exact.
const PerContactPlaces = 4

// LTVCell is one period of a cohort's LTV curve.
type LTVCell struct {
	// Period is k, as in [Cell].
	Period int `json:"period"`
	// Revenue is the cohort's payments minus refunds from its entry
	// through period k, exact, in the table's currency.
	Revenue decimal.Decimal `json:"revenue"`
	// Contacts is the cohort's size (in the average row, the summed size
	// of the complete cohorts).
	Contacts int `json:"contacts"`
	// PerContact is Revenue ÷ Contacts, rounded to [PerContactPlaces];
	// null when Contacts is 0.
	PerContact decimal.NullDecimal `json:"per_contact"`
	// Complete reports whether period k has fully elapsed at asOf for
	// every contact of the cohort (the cell is mature).
	Complete bool `json:"complete"`
}

// LTVRow is one cohort's cumulative revenue curve.
type LTVRow struct {
	Key      string    `json:"key"`
	Contacts int       `json:"contacts"`
	Cells    []LTVCell `json:"cells"`
}

// LTVTable is cumulative revenue per contact by cohort and period.
type LTVTable struct {
	Period Period `json:"period"`
	// Currency is the ISO 4217 code of every amount; empty when there was
	// no payment or refund.
	Currency string   `json:"currency"`
	Cohorts  []LTVRow `json:"cohorts"`
	// Average is, for each period k, Σ Revenue ÷ Σ Contacts over the
	// cohorts whose cell k is complete: weighted by cohort size.
	Average []LTVCell `json:"average"`
}

func perContact(sum decimal.Decimal, n int) decimal.NullDecimal {
	if n == 0 {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(sum.DivRound(decimal.NewFromInt(int64(n)), PerContactPlaces))
}

// LTV returns the cumulative revenue (payments − refunds) per contact by
// cohort and period: the LTV curve, with the maturity of each cell. The
// error wraps [ErrCurrencyMix] when the payments and refunds are in more
// than one currency.
func (c *Cohorts) LTV() (LTVTable, error) {
	if c.moneyErr != nil {
		return LTVTable{}, c.moneyErr
	}
	t := LTVTable{Period: c.cfg.Period, Currency: c.currency}
	var avg []LTVCell
	for gi := range c.groups {
		g := &c.groups[gi]
		n := c.periods(g)
		size := len(g.contacts)
		row := LTVRow{Key: g.key, Contacts: size, Cells: make([]LTVCell, n)}
		var sum money.Sum
		for k := range n {
			if k < len(g.revenue) {
				sum.AddSum(g.revenue[k], c.digits)
			}
			cum := sum.Decimal(c.digits)
			cell := LTVCell{Period: k, Revenue: cum, Contacts: size, PerContact: perContact(cum, size), Complete: c.complete(g, k)}
			row.Cells[k] = cell
			for len(avg) <= k {
				avg = append(avg, LTVCell{Period: len(avg)})
			}
			if cell.Complete {
				avg[k].Revenue = avg[k].Revenue.Add(cum)
				avg[k].Contacts += size
				avg[k].Complete = true
			}
		}
		t.Cohorts = append(t.Cohorts, row)
	}
	for k := range avg {
		avg[k].PerContact = perContact(avg[k].Revenue, avg[k].Contacts)
	}
	t.Average = avg
	return t, nil
}

// CheckRow is the average check of one cohort next to all the others.
type CheckRow struct {
	Key string `json:"key"`
	// Payments counts payment events; Revenue is their sum, exact.
	// Refunds are not subtracted: a check is what was paid.
	Payments int             `json:"payments"`
	Revenue  decimal.Decimal `json:"revenue"`
	// Average is Revenue ÷ Payments rounded to [PerContactPlaces]; null
	// without payments.
	Average decimal.NullDecimal `json:"average"`
	// OthersAverage is the same over every other cohort together: the
	// comparison of a source with the other channels.
	OthersAverage decimal.NullDecimal `json:"others_average"`
}

// AverageCheck returns the average check per cohort (by source, channel, …)
// next to the average of all other cohorts, with Currency the ISO 4217 code
// of every amount. The error wraps [ErrCurrencyMix] on a mix of currencies.
func (c *Cohorts) AverageCheck() (rows []CheckRow, currency string, err error) {
	if c.moneyErr != nil {
		return nil, "", c.moneyErr
	}
	var (
		total decimal.Decimal
		count int
	)
	rows = make([]CheckRow, len(c.groups))
	for gi := range c.groups {
		g := &c.groups[gi]
		r := CheckRow{Key: g.key}
		r.Payments, r.Revenue = g.payments, g.paid.Decimal(c.digits)
		r.Average = perContact(r.Revenue, r.Payments)
		total, count = total.Add(r.Revenue), count+r.Payments
		rows[gi] = r
	}
	for i := range rows {
		rows[i].OthersAverage = perContact(total.Sub(rows[i].Revenue), count-rows[i].Payments)
	}
	return rows, c.currency, nil
}

// RepeatRow is the repeat-purchase rate of one cohort.
type RepeatRow struct {
	Key string `json:"key"`
	// Buyers counts the contacts with at least one payment; Repeat those
	// with two or more.
	Buyers int `json:"buyers"`
	Repeat int `json:"repeat"`
	// Rate is Repeat ÷ Buyers, a ratio 0–1; undefined (null) without
	// buyers.
	Rate onemin.Ratio `json:"rate"`
}

// RepeatPurchase returns each cohort's repeat-purchase rate as of asOf.
func (c *Cohorts) RepeatPurchase() []RepeatRow {
	out := make([]RepeatRow, len(c.groups))
	for gi := range c.groups {
		g := &c.groups[gi]
		r := RepeatRow{Key: g.key, Buyers: g.buyers, Repeat: g.repeat}
		r.Rate = onemin.Ratio{Num: r.Repeat, Den: r.Buyers}
		out[gi] = r
	}
	return out
}
