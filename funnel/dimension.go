package funnel

import (
	"fmt"
	"strconv"
	"time"

	"github.com/onemin/onemin"
)

// NoValue is the group key of attempts whose dimension is empty.
const NoValue = "(none)"

// Dimension is what a funnel is broken down by. A field dimension takes the
// value of the attempt's entry event; when that is empty, the first
// non-empty value among the entity's events from the entry on; failing
// that, the first among its earlier events. [ByHour] takes the hour of the
// entry event in a time zone. The zero Dimension means no breakdown.
// Dimensions are plain values, safe for concurrent use.
type Dimension struct {
	// Name labels the dimension ("source", "hour").
	Name  string
	field func(*onemin.Event) string
	loc   *time.Location
	hour  bool
}

// IsZero reports whether d is the zero Dimension (no breakdown).
func (d Dimension) IsZero() bool { return d.field == nil && !d.hour }

// ByField returns a dimension named name over the field get returns.
func ByField(name string, get func(*onemin.Event) string) Dimension {
	return Dimension{Name: name, field: get}
}

// Ready-made dimensions over the event's fields.
var (
	BySource   = ByField("source", func(e *onemin.Event) string { return e.Source })
	ByMedium   = ByField("medium", func(e *onemin.Event) string { return e.Medium })
	ByCampaign = ByField("campaign", func(e *onemin.Event) string { return e.Campaign })
	ByChannel  = ByField("channel", func(e *onemin.Event) string { return e.Channel })
	ByScenario = ByField("scenario", func(e *onemin.Event) string { return e.Scenario })
	ByProduct  = ByField("product", func(e *onemin.Event) string { return e.Product })
	ByAgent    = ByField("agent", func(e *onemin.Event) string { return e.Agent })
	ByTenant   = ByField("tenant", func(e *onemin.Event) string { return e.Tenant })
)

// ByHour returns the dimension "hour": the hour of day (00 to 23, two
// digits so that keys sort in order) of the attempt's entry in loc; nil
// means UTC.
func ByHour(loc *time.Location) Dimension {
	if loc == nil {
		loc = time.UTC
	}
	return Dimension{Name: "hour", loc: loc, hour: true}
}

// ParseDimension returns the dimension named source, medium, campaign,
// channel, scenario, product, agent, tenant or hour (in loc).
func ParseDimension(name string, loc *time.Location) (Dimension, error) {
	for _, d := range []Dimension{BySource, ByMedium, ByCampaign, ByChannel, ByScenario, ByProduct, ByAgent, ByTenant} {
		if d.Name == name {
			return d, nil
		}
	}
	if name == "hour" {
		return ByHour(loc), nil
	}
	return Dimension{}, fmt.Errorf("funnel: unknown dimension %q", name)
}

// key returns the group key of an attempt whose entry is ent[entry].
func (d Dimension) key(events []onemin.Event, ent []int32, entry int) string {
	if d.hour {
		h := events[ent[entry]].At.In(d.loc).Hour()
		if h < 10 {
			return "0" + strconv.Itoa(h)
		}
		return strconv.Itoa(h)
	}
	for i := entry; i < len(ent); i++ {
		if v := d.field(&events[ent[i]]); v != "" {
			return v
		}
	}
	for i := 0; i < entry; i++ {
		if v := d.field(&events[ent[i]]); v != "" {
			return v
		}
	}
	return NoValue
}
