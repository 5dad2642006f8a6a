package roi

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin/internal/money"
)

// Amortize spreads total over months equal monthly parts (straight-line
// amortization), exact in minor units: the parts sum to total, differ by
// at most one minor unit, and the earlier months carry the extra units.
// months must be positive.
func Amortize(total Money, months int) ([]Money, error) {
	if months <= 0 {
		return nil, fmt.Errorf("roi: amortization over %d months", months)
	}
	parts, err := money.SplitEven(total.Amount, total.Digits(), months)
	if err != nil {
		return nil, err
	}
	out := make([]Money, months)
	for i, p := range parts {
		out[i] = Money{p, total.Currency}
	}
	return out, nil
}

// Costs are what the bot costs, and what marketing spent, over a period.
// Zero fields cost nothing. All amounts must be in one currency unless
// [Compute] is given rates. Costs is a plain value, safe to copy.
type Costs struct {
	// Development is the one-off cost of building the bot, amortized
	// straight-line over LifetimeMonths (see [Amortize]).
	Development Money
	// LifetimeMonths is how long the bot is expected to serve; zero
	// means 12.
	LifetimeMonths int
	// FirstMonth is the 0-based month of the bot's lifetime that the
	// period starts in, so that a period takes its own parts of the
	// amortization schedule; zero for the first month. Months past the
	// lifetime carry no development cost.
	FirstMonth int
	// PlatformMonthly is the platform's fee for one month.
	PlatformMonthly Money
	// LLMTokens is the number of LLM tokens used in the period, and
	// LLMPricePer1K the price of a thousand tokens: the cost is
	// tokens ÷ 1000 × price, rounded to the minor unit.
	LLMTokens     int64
	LLMPricePer1K Money
	// SupportHours is the time spent on support and development in the
	// period, in hours, and SupportRate the price of an hour.
	SupportHours decimal.Decimal
	SupportRate  Money
	// Integrations is what integrations (CRM, payments, telephony) cost
	// in the period.
	Integrations Money
	// Marketing is the advertising spend of the period. It is not a cost
	// of the bot: it enters ROMI, ROAS, CPL, CPA and CAC, not ROI.
	Marketing Money
}

// CostBreakdown is the cost of a period, item by item, in one currency. It
// is a plain value.
type CostBreakdown struct {
	Development  Money `json:"development"`
	Platform     Money `json:"platform"`
	LLM          Money `json:"llm"`
	Support      Money `json:"support"`
	Integrations Money `json:"integrations"`
	// Bot is the sum of the items above: the bot's cost of the period.
	Bot Money `json:"bot"`
	// Marketing is the advertising spend, apart from the bot's cost.
	Marketing Money `json:"marketing"`
}

// DefaultLifetimeMonths is the amortization period when
// [Costs.LifetimeMonths] is zero.
const DefaultLifetimeMonths = 12

// For returns the costs of a period of months (zero means 1), converted
// into one currency with rates when the items differ (nil rates make a
// mix an error, [ErrCurrencyMix]).
func (c Costs) For(months int, rates *Rates) (CostBreakdown, error) {
	if months <= 0 {
		months = 1
	}
	if c.LLMTokens < 0 || c.SupportHours.IsNegative() || c.FirstMonth < 0 || c.LifetimeMonths < 0 {
		return CostBreakdown{}, fmt.Errorf("roi: negative tokens, hours or months in the costs")
	}
	var b CostBreakdown
	life := c.LifetimeMonths
	if life == 0 {
		life = DefaultLifetimeMonths
	}
	if !c.Development.IsZero() {
		parts, err := Amortize(c.Development, life)
		if err != nil {
			return CostBreakdown{}, err
		}
		b.Development = Money{decimal.Zero, c.Development.Currency}
		for m := c.FirstMonth; m < c.FirstMonth+months && m < life; m++ {
			b.Development.Amount = b.Development.Amount.Add(parts[m].Amount)
		}
	}
	b.Platform = c.PlatformMonthly.Mul(decimal.NewFromInt(int64(months)))
	b.LLM = c.LLMPricePer1K.Mul(decimal.New(c.LLMTokens, -3)).Round()
	b.Support = c.SupportRate.Mul(c.SupportHours).Round()
	b.Integrations = c.Integrations
	b.Marketing = c.Marketing
	items := []*Money{&b.Development, &b.Platform, &b.LLM, &b.Support, &b.Integrations, &b.Marketing}
	total, err := Sum(rates, b.Development, b.Platform, b.LLM, b.Support, b.Integrations, b.Marketing)
	if err != nil {
		return CostBreakdown{}, fmt.Errorf("roi: costs: %w", err)
	}
	// One currency for every item: convert those in another.
	for _, it := range items {
		switch {
		case it.Currency == "":
			*it = Money{decimal.Zero, total.Currency}
		case it.Currency != total.Currency:
			conv, err := rates.Convert(*it) // rates is not nil: Sum converted
			if err != nil {
				return CostBreakdown{}, err
			}
			*it = conv
		}
	}
	if b.Bot, err = Sum(nil, b.Development, b.Platform, b.LLM, b.Support, b.Integrations); err != nil {
		return CostBreakdown{}, err
	}
	b.Bot.Currency = total.Currency
	return b, nil
}
