package cohort

import "github.com/onemin/onemin"

// Mode says what retention in period k means. The zero Mode is [On].
type Mode uint8

const (
	// On: the contact was active in period k.
	On Mode = iota
	// OnOrAfter: the contact was active in period k or any later period
	// up to asOf ("unbounded" retention).
	OnOrAfter
)

// String returns "on" or "on_or_after".
func (m Mode) String() string {
	if m == OnOrAfter {
		return "on_or_after"
	}
	return "on"
}

// Cell is one period of a retention row.
type Cell struct {
	// Period is k: 0 is the period of the contact's first event, 1 the
	// next, and so on, in calendar periods of the time zone.
	Period int `json:"period"`
	// Active counts the cohort's contacts retained in period k (by the
	// table's Mode); Contacts is the cohort's size (in the average row,
	// the summed size of the complete cohorts).
	Active   int `json:"active"`
	Contacts int `json:"contacts"`
	// Rate is Active ÷ Contacts, a ratio 0–1; undefined (null) when
	// Contacts is 0.
	Rate onemin.Ratio `json:"rate"`
	// Complete reports whether period k has fully elapsed at asOf for
	// every contact of the cohort. An incomplete cell is shown, but it
	// is not final and is left out of the average row.
	Complete bool `json:"complete"`
}

// RetentionRow is one cohort's retention.
type RetentionRow struct {
	Key      string `json:"key"`
	Contacts int    `json:"contacts"`
	Cells    []Cell `json:"cells"`
}

// RetentionTable is a retention matrix: one row per cohort and the
// average row.
type RetentionTable struct {
	Period  Period         `json:"period"`
	Mode    Mode           `json:"mode"`
	Cohorts []RetentionRow `json:"cohorts"`
	// Average has, for each period k, the cohorts' retention weighted by
	// cohort size over the complete cells only: Σ Active ÷ Σ Contacts over
	// the cohorts whose cell k is complete. Its Complete is true when at
	// least one cohort contributed; otherwise the cell is undefined.
	Average []Cell `json:"average"`
}

// Retention returns the retention matrix in the given mode.
func (c *Cohorts) Retention(mode Mode) RetentionTable {
	t := RetentionTable{Period: c.cfg.Period, Mode: mode}
	var avg []Cell
	for gi := range c.groups {
		g := &c.groups[gi]
		n := c.periods(g)
		active := make([]int, n)
		if mode == On {
			copy(active, g.on)
		} else {
			// Active in k or later: the last active offset is k or more.
			later := 0
			for k := len(g.last) - 1; k >= 0; k-- {
				later += g.last[k]
				if k < n {
					active[k] = later
				}
			}
		}
		row := RetentionRow{Key: g.key, Contacts: len(g.contacts), Cells: make([]Cell, n)}
		for k := range n {
			cell := Cell{Period: k, Active: active[k], Contacts: len(g.contacts),
				Rate: onemin.Ratio{Num: active[k], Den: len(g.contacts)}, Complete: c.complete(g, k)}
			row.Cells[k] = cell
			for len(avg) <= k {
				avg = append(avg, Cell{Period: len(avg)})
			}
			if cell.Complete {
				avg[k].Active += cell.Active
				avg[k].Contacts += cell.Contacts
				avg[k].Complete = true
			}
		}
		t.Cohorts = append(t.Cohorts, row)
	}
	for k := range avg {
		avg[k].Rate = onemin.Ratio{Num: avg[k].Active, Den: avg[k].Contacts}
	}
	t.Average = avg
	return t
}
