package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/cohort"
	"github.com/onemin/onemin/funnel"
	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/roi"
)

// BotDashboard is the director's view of a sales bot for a period, in the
// order a director reads it: revenue first (against the period before and
// the plan), then the funnel, the quality of service, the savings, and the
// trends. A BotDashboard is a plain value.
//
// Revenue is what the contacts who started with the bot paid in the period
// (the first reply in their first conversation was the bot's; package roi):
// first purchases, upsell and repeat purchases, less refunds. Whether a
// contact started with the bot is judged on all events up to the period's
// end, and each payment is classified by the contact's purchases before it,
// so the revenue of consecutive periods adds up to that of their union.
//
//	plan completion = revenue ÷ plan × 100            (percent; undefined without a plan)
//	escalation rate = bot dialogs handed to a human ÷ dialogs the bot answered   (ratio 0–1)
//	savings         = dialogs the bot closed alone × cost of a human contact
//	ROI             = (revenue + savings − bot costs) ÷ bot costs × 100   (percent)
type BotDashboard struct {
	// Title names the business (Options.Title); empty for none.
	Title string `json:"title,omitempty"`
	// Period is the span reported on, in the report's zone, and AsOf the
	// time its outcomes were judged at; TimeZone names the zone.
	Period   Period    `json:"period"`
	AsOf     time.Time `json:"as_of"`
	TimeZone string    `json:"time_zone"`
	// Complete reports whether the period had ended by AsOf.
	Complete bool `json:"complete"`
	// BusinessHours is true when reply times were measured in business
	// hours only ([Options.Clock]); the text forms say so under the as-of
	// line.
	BusinessHours bool `json:"business_hours,omitempty"`
	// Current is the period's figures; Previous those of the period
	// before (the month before a whole month, else the same number of
	// days), charged the same costs, and zero when it has no events.
	Current        BotFigures `json:"current"`
	PreviousPeriod Period     `json:"previous_period"`
	Previous       BotFigures `json:"previous"`
	// PreviousEvents counts the events of the period before; with none,
	// there is nothing to compare with and no change is shown.
	PreviousEvents int `json:"previous_events"`
	// Plan is the revenue plan of the period, nil when none was given;
	// PlanPercent is Current's total revenue ÷ Plan × 100, nil when
	// undefined.
	Plan        *roi.Money       `json:"plan"`
	PlanPercent *decimal.Decimal `json:"plan_percent"`
	// RevenueByChannel shares every payment of the period (from any
	// contact, not only the bot's) among the channels the payer touched,
	// by the attribution model: the bot's channels beside the others.
	// Under the Markov model, which needs the paths that did not convert
	// over the whole history, it is shared linearly instead.
	RevenueByChannel attribution.Result `json:"revenue_by_channel"`
	// Retention is the weekly retention of contacts by the ISO week of
	// their first contact, as of AsOf (cells not yet complete are marked).
	Retention cohort.RetentionTable `json:"retention"`
}

// BotFigures are a bot's figures for one period.
type BotFigures struct {
	// Period is the span of these figures.
	Period Period `json:"period"`
	// ROI holds the revenue, the savings (BotClosed × the cost of a human
	// contact), the costs and the ratios of the period.
	ROI roi.Report `json:"roi"`
	// Funnel is the director's funnel dialog → conversion action (lead
	// or booking) → deal won → paid, per contact, over the events of the
	// period; support dialogs are left out. The steps count in any order,
	// since a CRM often marks a deal won after its payment: a contact is
	// at step k when steps 1 to k have all happened.
	Funnel []funnel.StepResult `json:"funnel"`
	// CSAT is the mean satisfaction score (1–5) of the period, nil
	// without responses; CSATResponses counts them.
	CSAT          *float64 `json:"csat"`
	CSATResponses int      `json:"csat_responses"`
	// BotDialogs counts the conversations that began in the period and
	// that the bot replied in; Escalated those of them handed over to a
	// human; Escalation is Escalated ÷ BotDialogs, a ratio 0–1.
	BotDialogs int          `json:"bot_dialogs"`
	Escalated  int          `json:"escalated"`
	Escalation onemin.Ratio `json:"escalation"`
	// FirstReply is the One-Minute KPI of the period's leads.
	FirstReply kpi.Summary `json:"first_reply"`
}

// BotCosts are what the bot cost in the period and the figures the owner
// sets: the cost of a contact handled by a human (for the savings) and the
// revenue plan.
type BotCosts struct {
	// Costs are the bot's costs and the marketing spend of the period.
	Costs roi.Costs
	// Months is the period's length in months for the costs; zero means 1.
	Months int
	// HumanContactCost is what one contact costs when a human handles it.
	HumanContactCost roi.Money
	// Plan is the revenue plan of the period; the zero Money means none.
	Plan roi.Money
}

// NewBotDashboard builds the bot dashboard of p from events as of asOf, with
// the costs and plan the owner gives. events should have passed
// onemin.Prepare. The error wraps ErrPeriod for an empty period or an asOf
// before it, and roi.ErrCurrencyMix for amounts in several currencies
// without opts.Rates.
func NewBotDashboard(events []onemin.Event, p Period, asOf time.Time, opts Options, costs BotCosts) (*BotDashboard, error) {
	if err := checkAsOf(p, asOf); err != nil {
		return nil, err
	}
	loc := opts.location()
	p = Period{From: p.From.In(loc), To: p.To.In(loc)}
	prev := PreviousRange(p)
	if isMonth(p) {
		prev = Previous(Month, p)
	}
	known := upTo(events, asOf.Add(1))
	m := measure(known, &opts, asOf)
	d := &BotDashboard{Title: opts.Title, Period: p, AsOf: asOf.In(loc), TimeZone: loc.String(),
		Complete: !asOf.Before(p.To), BusinessHours: opts.Clock != nil, PreviousPeriod: prev}
	var err error
	if d.Current, err = botFigures(known, p, &m, &opts, &costs); err != nil {
		return nil, err
	}
	// Without data before, there is nothing to compare with: the figures
	// of the period before stay zero and are not computed.
	d.Previous = BotFigures{Period: prev}
	if d.PreviousEvents = countIn(known, prev); d.PreviousEvents > 0 {
		if d.Previous, err = botFigures(known, prev, &m, &opts, &costs); err != nil {
			return nil, err
		}
	}
	if !costs.Plan.IsZero() {
		plan, err := convert(opts.Rates, costs.Plan, d.Current.ROI.Currency)
		if err != nil {
			return nil, fmt.Errorf("plan: %w", err)
		}
		d.Plan = &plan
		if v, ok := roi.ROAS(d.Current.ROI.TotalRevenue.Amount, plan.Amount); ok {
			d.PlanPercent = &v
		}
	}
	inP := upTo(known, p.To)
	paths, err := attribution.BuildPaths(inP, attribution.PathOptions{Lookback: opts.lookback()})
	if err != nil {
		return nil, err
	}
	var conv []attribution.Path
	for _, ph := range paths.Paths {
		if ph.Conversions > 0 && in(p, ph.ConvertedAt) {
			conv = append(conv, ph)
		}
	}
	model := opts.Model
	if model == attribution.Markov {
		model = attribution.Linear // Markov needs the null paths of the whole history
	}
	if d.RevenueByChannel, err = attribution.Attribute(conv, model, attribution.Options{Currency: paths.Currency}); err != nil {
		return nil, err
	}
	c, err := cohort.Build(known, cohort.Config{By: cohort.ByWeek, Period: cohort.Week, Location: loc}, asOf)
	if err != nil {
		return nil, err
	}
	d.Retention = c.Retention(cohort.On)
	return d, nil
}

// upTo returns the events before end, in time order: a prefix of events
// when they are sorted (as onemin.Prepare returns them), else a sorted
// copy. The result is shared with events and must not be changed.
func upTo(events []onemin.Event, end time.Time) []onemin.Event {
	if slices.IsSortedFunc(events, func(a, b onemin.Event) int { return a.At.Compare(b.At) }) {
		n, _ := slices.BinarySearchFunc(events, end, func(e onemin.Event, t time.Time) int {
			if e.At.Before(t) {
				return -1
			}
			return 1
		})
		return events[:n:n]
	}
	out := make([]onemin.Event, 0, len(events))
	for i := range events {
		if events[i].At.Before(end) {
			out = append(out, events[i])
		}
	}
	onemin.SortByTime(out)
	return out
}

// botFigures computes the figures of p from the events known at the
// dashboard's as-of time.
func botFigures(known []onemin.Event, p Period, m *measured, opts *Options, costs *BotCosts) (BotFigures, error) {
	f := BotFigures{Period: p, FirstReply: m.summary(p, nil)}
	through := upTo(known, p.To)
	during := through[len(upTo(through, p.From)):]

	// Revenue of the period: the activity up to the end, less the same
	// with the money and conversions of the period taken out. Both runs
	// judge "started with the bot" on the same history.
	all, err := roi.FromEvents(through, opts.Rates)
	if err != nil {
		return f, err
	}
	before := make([]onemin.Event, 0, len(through))
	for i := range through {
		e := &through[i]
		switch e.Kind {
		case onemin.Payment, onemin.Refund, onemin.DealWon, onemin.Lead:
			if !e.At.Before(p.From) {
				continue
			}
		}
		before = append(before, *e)
	}
	prior, err := roi.FromEvents(before, opts.Rates)
	if err != nil {
		return f, err
	}
	inputs := roi.Inputs{
		Months:           costs.Months,
		HumanContactCost: costs.HumanContactCost,
		Costs:            costs.Costs,
		Leads:            all.Leads - prior.Leads,
		Conversions:      all.Conversions - prior.Conversions,
		Customers:        all.Customers - prior.Customers,
		Orders:           all.Orders - prior.Orders,
	}
	for _, part := range []struct{ to, a, b *roi.Money }{
		{&inputs.Revenue.Direct, &all.Revenue.Direct, &prior.Revenue.Direct},
		{&inputs.Revenue.Upsell, &all.Revenue.Upsell, &prior.Revenue.Upsell},
		{&inputs.Revenue.Repeat, &all.Revenue.Repeat, &prior.Revenue.Repeat},
		{&inputs.Revenue.Refunds, &all.Revenue.Refunds, &prior.Revenue.Refunds},
	} {
		if *part.to, err = part.a.Sub(*part.b); err != nil {
			return f, err
		}
	}

	// Dialogs that began in the period (their first event is in it, and
	// through is in time order): escalation and savings.
	type dialog struct{ inPeriod, bot, handoff bool }
	dialogs := map[onemin.ConversationKey]*dialog{}
	for i := range through {
		e := &through[i]
		if e.ConversationID == "" {
			continue
		}
		k := onemin.ConversationKey{Tenant: e.Tenant, ID: e.ConversationID}
		d := dialogs[k]
		if d == nil {
			d = &dialog{inPeriod: in(p, e.At)}
			dialogs[k] = d
		}
		switch {
		case e.Kind == onemin.MessageOut && e.Actor == onemin.Bot:
			d.bot = true
		case e.Kind == onemin.Handoff:
			d.handoff = true
		}
	}
	started := map[onemin.ConversationKey]bool{}
	for k, d := range dialogs {
		if !d.inPeriod {
			continue
		}
		started[k] = true
		if d.bot {
			f.BotDialogs++
			if d.handoff {
				f.Escalated++
			}
		}
	}
	f.Escalation = onemin.Ratio{Num: f.Escalated, Den: f.BotDialogs}
	contained := funnel.BotContainment(through, func(e *onemin.Event) bool {
		return started[onemin.ConversationKey{Tenant: e.Tenant, ID: e.ConversationID}]
	})
	inputs.BotClosed = int64(contained.Contained)
	if f.ROI, err = roi.Compute(inputs, opts.Rates); err != nil {
		return f, err
	}

	fn := directorFunnel()
	res, err := fn.Compute(during)
	if err != nil {
		return f, err
	}
	f.Funnel = res.Steps
	if rows := funnel.Scores(during, funnel.Dimension{}); len(rows) > 0 {
		f.CSAT, f.CSATResponses = rows[0].CSATAverage, rows[0].CSATResponses
	}
	return f, nil
}

// directorFunnel is seed 002's dashboard funnel: dialogs → leads → deals →
// payments, in any order (see BotFigures.Funnel), support left out. The
// bot's engagement and handoffs are on the dashboard as quality figures.
func directorFunnel() funnel.Funnel {
	f := funnel.Chatbot()
	f.Steps = []funnel.Step{funnel.DialogStart, funnel.ConversionAction, funnel.DealClosed, funnel.Paid}
	f.Order = funnel.AnyOrder
	return f
}
