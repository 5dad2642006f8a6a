package cohort

import (
	"fmt"

	"github.com/onemin/onemin"
)

// NoValue is the cohort of contacts whose key field is empty in every event.
const NoValue = "(none)"

// Key is what puts a contact into a cohort: a field's first non-empty value
// over the contact's events in time order (the first-touch source, the
// first scenario), or the period of the contact's first event (its first
// contact month, week or day). The zero Key puts every contact into one
// cohort, "all". Keys are plain values, safe for concurrent use.
type Key struct {
	// Name labels the key ("source", "month").
	Name   string
	field  func(*onemin.Event) string
	period Period
	byTime bool
}

// ByField returns a key named name over the field get returns.
func ByField(name string, get func(*onemin.Event) string) Key {
	return Key{Name: name, field: get}
}

// ByFirstContact returns the key of the period (in the configured time
// zone) of the contact's first event: "2025-03" for a month, the Monday
// "2025-03-03" for a week, the date for a day.
func ByFirstContact(p Period) Key {
	return Key{Name: p.String(), period: p, byTime: true}
}

// Ready-made keys.
var (
	BySource   = ByField("source", func(e *onemin.Event) string { return e.Source })
	ByCampaign = ByField("campaign", func(e *onemin.Event) string { return e.Campaign })
	ByChannel  = ByField("channel", func(e *onemin.Event) string { return e.Channel })
	ByScenario = ByField("scenario", func(e *onemin.Event) string { return e.Scenario })
	ByProduct  = ByField("product", func(e *onemin.Event) string { return e.Product })
	ByMonth    = ByFirstContact(Month)
	ByWeek     = ByFirstContact(Week)
	ByDay      = ByFirstContact(Day)
)

// ParseKey returns the key named source, campaign, channel, scenario,
// product, month, week or day.
func ParseKey(name string) (Key, error) {
	for _, k := range []Key{BySource, ByCampaign, ByChannel, ByScenario, ByProduct, ByMonth, ByWeek, ByDay} {
		if k.Name == name {
			return k, nil
		}
	}
	return Key{}, fmt.Errorf("cohort: unknown cohort key %q", name)
}
