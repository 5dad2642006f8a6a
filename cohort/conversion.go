package cohort

import (
	"time"

	"github.com/onemin/onemin"
)

// WindowRow is one cohort's share of contacts that did something within a
// window of their entry.
type WindowRow struct {
	Key string `json:"key"`
	// Contacts is the cohort's size; Mature counts the contacts whose
	// window has closed at asOf (entry + window ≤ asOf): only they are
	// judged. Immature contacts are left out, not counted as failures.
	Contacts int `json:"contacts"`
	Mature   int `json:"mature"`
	// Hits counts the mature contacts that did it within the window.
	Hits int `json:"hits"`
	// Rate is Hits ÷ Mature, a ratio 0–1; undefined (null) when no
	// contact is mature yet.
	Rate onemin.Ratio `json:"rate"`
}

// ConversionWithin returns, per cohort, the share of mature contacts whose
// first conversion ([Config.Converted]: a won deal or a payment by default)
// came at most window after their entry: the conversion of long B2B cycles,
// judged only once each contact has had the whole window (180 days, say).
func (c *Cohorts) ConversionWithin(window time.Duration) []WindowRow {
	return c.within(window, func(m *member) time.Time { return m.converted })
}

// ReturnedWithin returns, per cohort, the share of mature contacts active
// again ([Config.Active]) on a later calendar day than their entry's, at
// most window after the entry: seed 001's retention at 30 and 90 days is
// ReturnedWithin(30·24h) and ReturnedWithin(90·24h).
func (c *Cohorts) ReturnedWithin(window time.Duration) []WindowRow {
	return c.within(window, func(m *member) time.Time { return m.returned })
}

func (c *Cohorts) within(window time.Duration, when func(*member) time.Time) []WindowRow {
	out := make([]WindowRow, len(c.groups))
	for gi := range c.groups {
		g := &c.groups[gi]
		r := WindowRow{Key: g.key, Contacts: len(g.contacts)}
		for mi := range g.contacts {
			m := &g.contacts[mi]
			deadline := m.entry.Add(window)
			if deadline.After(c.asOf) {
				continue
			}
			r.Mature++
			if t := when(m); !t.IsZero() && !t.After(deadline) {
				r.Hits++
			}
		}
		r.Rate = onemin.Ratio{Num: r.Hits, Den: r.Mature}
		out[gi] = r
	}
	return out
}
