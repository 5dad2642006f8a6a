package roi

import "github.com/shopspring/decimal"

// PercentPlaces is the number of decimal places percentages are rounded
// to (half away from zero): 250 %, 33.3333 %.
const PercentPlaces = 4

var hundred = decimal.NewFromInt(100)

// percentOf returns num ÷ den × 100 rounded to PercentPlaces, and false when
// den is zero.
func percentOf(num, den decimal.Decimal) (decimal.Decimal, bool) {
	if den.IsZero() {
		return decimal.Decimal{}, false
	}
	return num.Mul(hundred).DivRound(den, PercentPlaces), true
}

// ROI returns the return on investment of the bot, in percent:
// (revenue + savings − costs) ÷ costs × 100. It is undefined (false) when
// costs are zero. All three amounts are in one currency.
func ROI(revenue, savings, costs decimal.Decimal) (percent decimal.Decimal, ok bool) {
	return percentOf(revenue.Add(savings).Sub(costs), costs)
}

// ROMI returns the return on marketing investment, in percent:
// (revenue − marketing) ÷ marketing × 100; undefined (false) when the
// marketing spend is zero.
func ROMI(revenue, marketing decimal.Decimal) (decimal.Decimal, bool) {
	return percentOf(revenue.Sub(marketing), marketing)
}

// ROAS returns the return on ad spend, in percent: revenue ÷ ad spend ×
// 100 (400 means 4 of revenue per 1 spent); undefined (false) when the
// spend is zero.
func ROAS(revenue, adSpend decimal.Decimal) (decimal.Decimal, bool) {
	return percentOf(revenue, adSpend)
}

// PerUnit returns cost ÷ n rounded to the minor unit, and false when n is
// zero: the cost per lead (CPL, n = leads), per acquisition (CPA, n =
// conversions), per customer (CAC, n = new customers), the average check
// (revenue ÷ orders) or the LTV (revenue ÷ customers).
func PerUnit(cost Money, n int64) (Money, bool) { return cost.Div(n) }

// PaybackMonths returns how many months of net monthly gain repay the
// investment: investment ÷ (monthly revenue + monthly savings − monthly
// running costs), rounded to 2 decimal places. It is undefined (false)
// when the monthly net gain is zero or negative: the bot never pays back.
// A zero investment pays back at once (0, true).
func PaybackMonths(investment, monthlyGain decimal.Decimal) (decimal.Decimal, bool) {
	if !monthlyGain.IsPositive() {
		return decimal.Decimal{}, false
	}
	return investment.DivRound(monthlyGain, 2), true
}
