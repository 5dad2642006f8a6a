package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin/roi"
)

func init() {
	register("roi", "the bot's ROI in exact money: revenue, savings, costs, ROI, ROMI, ROAS, CPL, CAC, LTV, payback", runROI)
}

// roiFlags are the flags of "onemin roi". Amounts are kept as text until
// the currency is known.
type roiFlags struct {
	costs, currency, format, rates  string
	development, platform, llmPrice string
	supportRate, integrations       string
	marketing, humanContact         string
	supportHours                    string
	lifetime, months, firstMonth    int
	llmTokens                       int64
}

func (f *roiFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.costs, "costs", "", "read costs from a CSV `FILE` with columns item,amount,currency,quantity (see above); flags override its items")
	fs.StringVar(&f.currency, "currency", "", "currency of the amounts given by flags and of the report (default: that of the costs file or the payments, else RUB)")
	fs.StringVar(&f.development, "development", "", "one-off development cost, amortized over --lifetime")
	fs.IntVar(&f.lifetime, "lifetime", 0, "months the development cost is spread over (default 12)")
	fs.IntVar(&f.firstMonth, "first-month", 0, "0-based month of the bot's lifetime the period starts in (picks the amortization parts)")
	fs.StringVar(&f.platform, "platform", "", "platform fee per month")
	fs.Int64Var(&f.llmTokens, "llm-tokens", 0, "LLM tokens used in the period")
	fs.StringVar(&f.llmPrice, "llm-price", "", "price of 1000 LLM tokens")
	fs.StringVar(&f.supportHours, "support-hours", "", "hours of support and development in the period")
	fs.StringVar(&f.supportRate, "support-rate", "", "price of an hour of support")
	fs.StringVar(&f.integrations, "integrations", "", "cost of integrations in the period")
	fs.StringVar(&f.marketing, "marketing", "", "advertising spend in the period (for ROMI, ROAS, CPL, CPA, CAC)")
	fs.StringVar(&f.humanContact, "human-contact", "", "cost of one contact handled by a human (savings = bot-closed conversations × this)")
	fs.IntVar(&f.months, "months", 1, "length of the period in months")
	fs.StringVar(&f.rates, "rates", "", "exchange rates into --currency: `CODE=rate,...` (USD=92.5,KZT=0.19)")
	fs.StringVar(&f.format, "format", "text", "output: text or json")
}

// roiUsage is the usage of "onemin roi", before its flags.
const roiUsage = `usage: onemin roi [flags] [FILE...]

The bot's return on investment for a period, in exact money:

  revenue  = first purchases + upsell + repeat purchases - refunds of the
             contacts whose first conversation the bot answered
  savings  = conversations the bot closed without a human x --human-contact
  costs    = development / lifetime + platform x months + tokens / 1000 x
             llm price + support hours x rate + integrations
  ROI      = (revenue + savings - costs) / costs x 100 %
  ROMI     = (revenue - marketing) / marketing x 100 %
  ROAS     = revenue / marketing x 100 %
  CPL, CPA = marketing / leads, / won deals;  CAC = (marketing + costs) / customers
  average check = revenue / payments;  LTV = revenue / customers
  payback  = development / (monthly revenue + savings - running costs)

A ratio with nothing to divide by is undefined (null in JSON), not zero.
Costs come from flags or from --costs, a CSV file:

  item,amount,currency,quantity
  development,120000,RUB,12       total; quantity: lifetime in months
  platform,15000,RUB,             fee per month
  llm,2.50,RUB,2000000            price per 1000 tokens; quantity: tokens
  support,2500,RUB,20             rate per hour; quantity: hours
  integrations,20000,RUB,
  marketing,60000,RUB,            ad spend
  human_contact,100,RUB,          cost of a contact handled by a human

` + eventFilesUsage

func runROI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newInvocation("roi", roiUsage, stdin, stderr)
	c.inputFlags()
	var f roiFlags
	f.register(c.flags)
	if code, ok := c.parse(args); !ok {
		return code
	}
	render, err := roiOutputs.pick(f.format)
	if err != nil {
		return c.fail(err)
	}
	if f.months <= 0 || f.lifetime < 0 || f.firstMonth < 0 || f.llmTokens < 0 {
		return c.fail(errors.New("--months must be positive; --lifetime, --first-month and --llm-tokens not negative"))
	}
	status := 0
	var sheet roi.CostSheet
	if f.costs != "" {
		if sheet, status, err = readCostsFile(f.costs, stderr, c.allowRejects); err != nil {
			return c.fail(err)
		}
	}
	loc, err := c.location()
	if err != nil {
		return c.fail(err)
	}
	in, inStatus, err := c.load(loc)
	if err != nil {
		return c.fail(err)
	}
	status = max(status, inStatus)
	cur := strings.ToUpper(f.currency)
	rates, err := parseRates(f.rates, cur)
	if err != nil {
		return c.fail(err)
	}
	inputs, err := roi.FromEvents(in.Events, rates)
	if err != nil {
		return c.fail(err)
	}
	if cur == "" {
		cur = firstCurrency(sheet.Costs.Development, sheet.Costs.PlatformMonthly, sheet.Costs.Marketing,
			sheet.HumanContactCost, sheet.Costs.SupportRate, sheet.Costs.LLMPricePer1K, sheet.Costs.Integrations, inputs.Revenue.Direct)
	}
	if cur == "" {
		cur = "RUB"
	}
	if err := f.apply(&sheet, cur); err != nil {
		return c.fail(err)
	}
	inputs.Months = f.months
	inputs.Costs = sheet.Costs
	inputs.HumanContactCost = sheet.HumanContactCost
	rep, err := roi.Compute(inputs, rates)
	if err != nil {
		return c.fail(err)
	}
	if err := render(stdout, &roiResult{Source: c.source(&in), Report: rep}); err != nil {
		return c.fail(err)
	}
	return status
}

// roiResult is the output of "onemin roi": the report and where its
// events came from (the files, or "sample").
type roiResult struct {
	Source string `json:"source"`
	roi.Report
}

var roiOutputs = outputs[*roiResult]{
	{"text", renderROIText},
	{"json", renderHTMLSafeJSON[*roiResult]},
}

// apply lets the amount flags override the items of the costs file.
func (f *roiFlags) apply(s *roi.CostSheet, cur string) error {
	c := &s.Costs
	for _, it := range []struct {
		flag, value string
		to          *roi.Money
	}{
		{"--development", f.development, &c.Development},
		{"--platform", f.platform, &c.PlatformMonthly},
		{"--llm-price", f.llmPrice, &c.LLMPricePer1K},
		{"--support-rate", f.supportRate, &c.SupportRate},
		{"--integrations", f.integrations, &c.Integrations},
		{"--marketing", f.marketing, &c.Marketing},
		{"--human-contact", f.humanContact, &s.HumanContactCost},
	} {
		if it.value == "" {
			continue
		}
		m, err := roi.Parse(it.value, cur)
		if err != nil {
			return fmt.Errorf("%s: %w", it.flag, err)
		}
		if m.Amount.IsNegative() {
			return fmt.Errorf("%s: %s is negative", it.flag, it.value)
		}
		*it.to = m
	}
	if f.supportHours != "" {
		h, err := decimal.NewFromString(strings.ReplaceAll(f.supportHours, ",", "."))
		if err != nil || h.IsNegative() {
			return fmt.Errorf("--support-hours: %q is not a number of hours", f.supportHours)
		}
		c.SupportHours = h
	}
	if f.llmTokens > 0 {
		c.LLMTokens = f.llmTokens
	}
	if f.lifetime > 0 {
		c.LifetimeMonths = f.lifetime
	}
	if f.firstMonth > 0 {
		c.FirstMonth = f.firstMonth
	}
	return nil
}

// readCostsFile reads --costs, listing bad lines on stderr; the status is
// 1 when a line was rejected and rejects are not allowed.
func readCostsFile(name string, stderr io.Writer, allowRejects bool) (roi.CostSheet, int, error) {
	fh, err := os.Open(name)
	if err != nil {
		return roi.CostSheet{}, 0, err
	}
	defer fh.Close()
	sheet, bad, err := roi.ReadCosts(fh)
	if err != nil {
		return roi.CostSheet{}, 0, fmt.Errorf("%s: %w", name, err)
	}
	return sheet, listBadLines(stderr, name, "cost lines", bad, allowRejects), nil
}

// parseRates reads --rates ("USD=92.5,KZT=0.19") into rates into cur; nil
// when the flag is empty.
func parseRates(s, cur string) (*roi.Rates, error) {
	if s == "" {
		return nil, nil
	}
	if cur == "" {
		return nil, errors.New("--rates needs --currency, the currency they convert into")
	}
	r := &roi.Rates{Into: cur, Per: map[string]decimal.Decimal{}}
	for _, kv := range strings.Split(s, ",") {
		code, rate, ok := strings.Cut(strings.TrimSpace(kv), "=")
		d, err := decimal.NewFromString(strings.TrimSpace(rate))
		if !ok || err != nil || !d.IsPositive() || len(strings.TrimSpace(code)) != 3 {
			return nil, fmt.Errorf("--rates: %q is not CODE=rate with a positive rate", kv)
		}
		r.Per[strings.ToUpper(strings.TrimSpace(code))] = d
	}
	return r, nil
}

func firstCurrency(ms ...roi.Money) string {
	for _, m := range ms {
		if m.Currency != "" {
			return m.Currency
		}
	}
	return ""
}

func renderROIText(w io.Writer, res *roiResult) error {
	r := &res.Report
	na := func(reason string) string { return "undefined (" + reason + ")" }
	human := func(d decimal.Decimal, places int32) string {
		s := strings.Replace(d.StringFixed(places), ".", ",", 1)
		return strings.Replace(s, "-", "−", 1)
	}
	pct := func(v *decimal.Decimal, reason string) string {
		if v == nil {
			return na(reason)
		}
		return human(*v, 1) + " %"
	}
	amt := func(m *roi.Money, reason string) string {
		if m == nil {
			return na(reason)
		}
		return m.Format()
	}
	refunds := r.Revenue.Refunds.Format()
	if !r.Revenue.Refunds.IsZero() {
		refunds = "−" + refunds
	}
	payback := na("no monthly gain")
	if r.PaybackMonths != nil {
		payback = human(*r.PaybackMonths, 2) + " months"
	}
	rows := [][2]string{
		{"Revenue from the bot's contacts", r.TotalRevenue.Format()},
		{"  first purchases", r.Revenue.Direct.Format()},
		{"  upsell", r.Revenue.Upsell.Format()},
		{"  repeat purchases", r.Revenue.Repeat.Format()},
		{"  refunds", refunds},
		{fmt.Sprintf("Savings (%d closed by the bot)", r.BotClosed), r.Savings.Format()},
		{"Costs of the bot", r.Costs.Bot.Format()},
		{"  development (amortized)", r.Costs.Development.Format()},
		{"  platform", r.Costs.Platform.Format()},
		{"  LLM tokens", r.Costs.LLM.Format()},
		{"  support", r.Costs.Support.Format()},
		{"  integrations", r.Costs.Integrations.Format()},
		{"Net (revenue + savings − costs)", r.Net.Format()},
		{"Marketing spend", r.Costs.Marketing.Format()},
		{},
		{"ROI", pct(r.ROIPercent, "no costs")},
		{"ROMI", pct(r.ROMIPercent, "no marketing spend")},
		{"ROAS", pct(r.ROASPercent, "no marketing spend")},
		{fmt.Sprintf("CPL (%d leads)", r.Leads), amt(r.CPL, "no leads")},
		{fmt.Sprintf("CPA (%d won deals)", r.Conversions), amt(r.CPA, "no won deals")},
		{fmt.Sprintf("CAC (%d customers)", r.Customers), amt(r.CAC, "no customers")},
		{fmt.Sprintf("Average check (%d payments)", r.Orders), amt(r.AverageCheck, "no payments")},
		{"LTV (revenue per customer)", amt(r.LTV, "no customers")},
		{"Payback", payback},
	}
	lw, vw := 0, 0
	for _, row := range rows {
		lw = max(lw, utf8.RuneCountInString(row[0]))
		vw = max(vw, utf8.RuneCountInString(row[1]))
	}
	if _, err := fmt.Fprintf(w, "Bot ROI: %s, %d month(s), in %s\n\n", res.Source, r.Months, r.Currency); err != nil {
		return err
	}
	for _, row := range rows {
		if row[0] == "" {
			fmt.Fprintln(w)
			continue
		}
		pad := lw - utf8.RuneCountInString(row[0]) + 2 + vw - utf8.RuneCountInString(row[1])
		if _, err := fmt.Fprintf(w, "%s%s%s\n", row[0], strings.Repeat(" ", pad), row[1]); err != nil {
			return err
		}
	}
	return nil
}
