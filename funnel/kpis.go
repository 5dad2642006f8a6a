package funnel

import (
	"time"

	"github.com/onemin/onemin"
)

// Conversion is the conversion from one step to the next within one group.
type Conversion struct {
	// Key is the group's value, [NoValue], or "total".
	Key string `json:"key"`
	// From counts the contacts that reached the first step; To those of
	// them that reached the second after it.
	From int `json:"from"`
	To   int `json:"to"`
	// Rate is To ÷ From, a ratio 0–1; undefined (null) when From is 0.
	Rate onemin.Ratio `json:"rate"`
}

// Conversions runs the two-step funnel from → to (this order, uniques, per
// contact, within window; zero means no limit) and returns the total row
// followed by one row per value of by (none for the zero Dimension).
func Conversions(events []onemin.Event, from, to Step, window time.Duration, by Dimension, filter func(*onemin.Event) bool) ([]Conversion, error) {
	f := Funnel{Steps: []Step{from, to}, Window: window, By: by, Filter: filter}
	r, err := f.Compute(events)
	if err != nil {
		return nil, err
	}
	row := func(key string, s []StepResult) Conversion {
		return Conversion{Key: key, From: s[0].Count, To: s[1].Count, Rate: s[1].ConversionFromPrevious}
	}
	out := []Conversion{row("total", r.Steps)}
	for _, g := range r.Groups {
		out = append(out, row(g.Key, g.Steps))
	}
	return out, nil
}

// LeadToBooking is seed 001's lead → booking conversion per channel (of
// the contact's lead, else the first channel the contact used).
func LeadToBooking(events []onemin.Event) ([]Conversion, error) {
	return Conversions(events, KindStep(onemin.Lead), KindStep(onemin.Booking), 0, ByChannel, nil)
}

// Sale is a step reached by a won deal or a payment.
var Sale = AnyKindStep("sale", onemin.DealWon, onemin.Payment)

// SalesKPI is seed 002's pair of conversions of a sales bot, per contact:
// dialog → lead, then lead → sale.
type SalesKPI struct {
	// Dialogs counts contacts who wrote; Leads those of them who then
	// left a lead; Sales those of the leads who then bought (a won deal
	// or a payment).
	Dialogs int `json:"dialogs"`
	Leads   int `json:"leads"`
	Sales   int `json:"sales"`
	// DialogToLead is Leads ÷ Dialogs and LeadToSale is Sales ÷ Leads,
	// ratios 0–1, undefined (null) when the denominator is 0.
	DialogToLead onemin.Ratio `json:"dialog_to_lead"`
	LeadToSale   onemin.Ratio `json:"lead_to_sale"`
}

// Sales computes [SalesKPI] over the events that filter keeps (nil keeps
// all; [ExceptScenarios] of [Support] keeps support out).
func Sales(events []onemin.Event, filter func(*onemin.Event) bool) SalesKPI {
	f := Funnel{Steps: []Step{DialogStart, KindStep(onemin.Lead), Sale}, Filter: filter}
	r, err := f.Compute(events)
	if err != nil {
		panic(err) // the funnel above is valid
	}
	return SalesKPI{
		Dialogs: r.Steps[0].Count, Leads: r.Steps[1].Count, Sales: r.Steps[2].Count,
		DialogToLead: r.Steps[1].ConversionFromPrevious, LeadToSale: r.Steps[2].ConversionFromPrevious,
	}
}
