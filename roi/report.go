package roi

import (
	"fmt"

	"github.com/shopspring/decimal"
)

// Revenue is the money from contacts who started with the bot, by kind.
// It is a plain value; zero fields mean no money of that kind.
type Revenue struct {
	// Direct is each customer's first purchase.
	Direct Money `json:"direct"`
	// Upsell is later purchases of a product the customer had not bought
	// before (upsell and cross-sell).
	Upsell Money `json:"upsell"`
	// Repeat is later purchases of a product bought before (or without a
	// product).
	Repeat Money `json:"repeat"`
	// Refunds is money returned to those customers; it is subtracted.
	Refunds Money `json:"refunds"`
}

// Total returns Direct + Upsell + Repeat − Refunds.
func (r Revenue) Total(rates *Rates) (Money, error) {
	gross, err := Sum(rates, r.Direct, r.Upsell, r.Repeat)
	if err != nil {
		return Money{}, err
	}
	refunds := r.Refunds
	if refunds.Currency != gross.Currency && !refunds.neutral() && rates != nil {
		if refunds, err = rates.Convert(refunds); err != nil {
			return Money{}, err
		}
	}
	return gross.Sub(refunds)
}

// Inputs is everything [Compute] needs for a period: what the bot brought,
// what it saved, and what it cost. [FromEvents] fills the activity from
// events; the costs come from the owner. Inputs is a plain value.
type Inputs struct {
	// Months is the length of the period in months; zero means 1. It
	// scales the platform fee, picks the amortization parts and turns
	// the period into monthly figures for the payback.
	Months int
	// Revenue is the money from contacts who started with the bot.
	Revenue Revenue
	// BotClosed is the number of conversations the bot closed without a
	// human, and HumanContactCost what one such contact costs when a
	// human handles it: savings = BotClosed × HumanContactCost.
	BotClosed        int64
	HumanContactCost Money
	// Leads, Conversions (won deals), Customers (contacts who paid) and
	// Orders (payments) are the counts the unit costs divide by.
	Leads, Conversions, Customers, Orders int64
	// Costs are the bot's costs and the marketing spend of the period.
	Costs Costs
}

// Report is the ROI report of a period. Ratios whose denominator is zero
// are nil (null in JSON): undefined, not zero. Every amount is in
// Currency. Report is a plain value, safe to share once built.
type Report struct {
	Currency string `json:"currency"`
	Months   int    `json:"months"`

	Revenue      Revenue       `json:"revenue"`
	TotalRevenue Money         `json:"total_revenue"`
	BotClosed    int64         `json:"bot_closed"`
	Savings      Money         `json:"savings"`
	Costs        CostBreakdown `json:"costs"`
	// Net is TotalRevenue + Savings − Costs.Bot.
	Net Money `json:"net"`

	Leads       int64 `json:"leads"`
	Conversions int64 `json:"conversions"`
	Customers   int64 `json:"customers"`
	Orders      int64 `json:"orders"`

	// ROIPercent is (revenue + savings − bot costs) ÷ bot costs × 100.
	ROIPercent *decimal.Decimal `json:"roi_percent"`
	// ROMIPercent is (revenue − marketing) ÷ marketing × 100.
	ROMIPercent *decimal.Decimal `json:"romi_percent"`
	// ROASPercent is revenue ÷ marketing × 100.
	ROASPercent *decimal.Decimal `json:"roas_percent"`
	// CPL is marketing ÷ leads; CPA marketing ÷ conversions; CAC
	// (marketing + bot costs) ÷ customers.
	CPL *Money `json:"cpl"`
	CPA *Money `json:"cpa"`
	CAC *Money `json:"cac"`
	// AverageCheck is total revenue ÷ orders; LTV total revenue ÷
	// customers (revenue per customer over the purchases seen so far).
	AverageCheck *Money `json:"average_check"`
	LTV          *Money `json:"ltv"`
	// PaybackMonths is development cost ÷ monthly net gain before
	// development (monthly revenue + savings − running costs).
	PaybackMonths *decimal.Decimal `json:"payback_months"`
}

// Compute builds the ROI report of in. Amounts in different currencies
// are converted with rates; with nil rates a mix is [ErrCurrencyMix].
func Compute(in Inputs, rates *Rates) (Report, error) {
	months := in.Months
	if months <= 0 {
		months = 1
	}
	for _, n := range []int64{in.BotClosed, in.Leads, in.Conversions, in.Customers, in.Orders} {
		if n < 0 {
			return Report{}, fmt.Errorf("roi: negative count %d", n)
		}
	}
	costs, err := in.Costs.For(months, rates)
	if err != nil {
		return Report{}, err
	}
	revenue, err := in.Revenue.Total(rates)
	if err != nil {
		return Report{}, fmt.Errorf("roi: revenue: %w", err)
	}
	savings := in.HumanContactCost.Mul(decimal.NewFromInt(in.BotClosed))
	// One currency for the report: that of the costs, else of revenue.
	cur := costs.Bot.Currency
	for _, m := range []Money{costs.Marketing, revenue, savings} {
		if cur == "" {
			cur = m.Currency
		}
	}
	into := func(m Money) (Money, error) {
		if m.Currency == "" {
			return Money{m.Amount, cur}, nil
		}
		if m.Currency == cur {
			return m, nil
		}
		if rates == nil {
			return Money{}, fmt.Errorf("%w: %s and %s", ErrCurrencyMix, m.Currency, cur)
		}
		if rates.Into != cur {
			return Money{}, fmt.Errorf("%w: rates convert into %s, the report is in %s", ErrNoRate, rates.Into, cur)
		}
		return rates.Convert(m)
	}
	if revenue, err = into(revenue); err != nil {
		return Report{}, err
	}
	if savings, err = into(savings); err != nil {
		return Report{}, err
	}
	r := Report{
		Currency: cur, Months: months,
		Revenue: in.Revenue, TotalRevenue: revenue, BotClosed: in.BotClosed, Savings: savings, Costs: costs,
		Leads: in.Leads, Conversions: in.Conversions, Customers: in.Customers, Orders: in.Orders,
	}
	r.Net = Money{revenue.Amount.Add(savings.Amount).Sub(costs.Bot.Amount), cur}

	opt := func(v decimal.Decimal, ok bool) *decimal.Decimal {
		if !ok {
			return nil
		}
		return &v
	}
	optMoney := func(v Money, ok bool) *Money {
		if !ok {
			return nil
		}
		return &v
	}
	rev, mkt := revenue.Amount, costs.Marketing.Amount
	r.ROIPercent = opt(ROI(rev, savings.Amount, costs.Bot.Amount))
	r.ROMIPercent = opt(ROMI(rev, mkt))
	r.ROASPercent = opt(ROAS(rev, mkt))
	r.CPL = optMoney(PerUnit(costs.Marketing, in.Leads))
	r.CPA = optMoney(PerUnit(costs.Marketing, in.Conversions))
	r.CAC = optMoney(PerUnit(Money{mkt.Add(costs.Bot.Amount), cur}, in.Customers))
	r.AverageCheck = optMoney(PerUnit(revenue, in.Orders))
	r.LTV = optMoney(PerUnit(revenue, in.Customers))
	running := costs.Bot.Amount.Sub(costs.Development.Amount)
	monthlyGain := rev.Add(savings.Amount).Sub(running).Div(decimal.NewFromInt(int64(months)))
	dev := in.Costs.Development
	if dev, err = into(dev); err != nil {
		return Report{}, err
	}
	r.PaybackMonths = opt(PaybackMonths(dev.Amount, monthlyGain))
	return r, nil
}
