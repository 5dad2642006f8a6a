// Package roi answers the owner's question "how much did the bot earn?" in
// exact money: revenue from the contacts who started with the bot, what it
// saved on human contacts, what it cost, and the ratios built on them.
//
// # Money
//
// [Money] is a decimal amount with an ISO 4217 currency. Amounts of
// different currencies are never added silently: [Money.Add] fails with
// [ErrCurrencyMix], and [Sum] converts with the exchange [Rates] the caller
// gives. Each currency has a minor unit ([MinorDigits]): 2 decimal places
// for RUB, KZT, USD and EUR, 0 for JPY, 3 for KWD, and 2 for a code the
// table does not know. [Money.Format] writes "12 345,67 ₽" for people;
// [Money.Plain] writes "12345.67" for machines.
//
// # Definitions
//
//	revenue  = direct (first purchases) + upsell + repeat − refunds,
//	           from contacts whose first conversation was answered by the bot
//	savings  = conversations closed by the bot without a human × cost of a human contact
//	costs    = development ÷ lifetime (straight-line, exact in minor units)
//	         + platform fee × months + tokens ÷ 1000 × price per 1000 tokens
//	         + support hours × rate + integrations
//	ROI      = (revenue + savings − costs) ÷ costs × 100 %
//	ROMI     = (revenue − marketing) ÷ marketing × 100 %
//	ROAS     = revenue ÷ marketing × 100 %
//	CPL      = marketing ÷ leads          CPA = marketing ÷ won deals
//	CAC      = (marketing + costs) ÷ paying customers
//	average check = revenue ÷ payments    LTV = revenue ÷ paying customers
//	payback  = development ÷ (monthly revenue + savings − running costs), in months
//
// A ratio whose denominator is zero is undefined, not zero: the functions
// return (v, false) and the [Report] holds nil (null in JSON). A payback
// with no positive monthly gain is undefined too: the bot never pays back.
// Percentages are rounded to 4 decimal places, money quotients to the
// minor unit (half away from zero).
//
// # Costs file
//
// [ReadCosts] reads costs from CSV with the columns item, amount, currency,
// quantity:
//
//	item,amount,currency,quantity
//	development,120000,RUB,12      total, and the lifetime in months
//	platform,15000,RUB,            monthly fee
//	llm,2.50,RUB,2000000           price per 1000 tokens, and the tokens
//	support,2500,RUB,20            hourly rate, and the hours
//	integrations,20000,RUB,
//	marketing,60000,RUB,           ad spend (enters ROMI, ROAS, CPL, CPA, CAC; not ROI)
//	human_contact,100,RUB,         cost of one contact handled by a human
//
// # Example
//
//	in, _ := roi.FromEvents(events, nil)
//	in.Months = 1
//	in.HumanContactCost = roi.New(decimal.NewFromInt(100), "RUB")
//	in.Costs = sheet.Costs
//	rep, _ := roi.Compute(in, nil)
//	if rep.ROIPercent != nil {
//		fmt.Println("ROI", rep.ROIPercent.String(), "%")
//	}
package roi
