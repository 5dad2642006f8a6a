package onebeam

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/onemin/onemin/kpi"
)

// KPIReport rolls the cells of a [KPI] run up into the [kpi.Report] that
// [kpi.Summarize] gives for the same events with the same options and
// GroupBy groupBy: the total summary and one breakdown per dimension of
// groupBy, each of which must be tenant, day or one of opts.By. Cells merge
// exactly, so the counts and percentiles are those of Summarize. The
// report has no per-lead results.
func KPIReport(cells []Cell, stats KPIStats, opts KPIOptions, groupBy []kpi.Dimension) (kpi.Report, error) {
	rep := kpi.Report{Step: opts.Step, Policy: opts.Policy, Method: opts.Method, Events: stats.Events,
		AfterAsOf: stats.AfterAsOf, OutOfRange: stats.OutOfRange, Unlinked: stats.Unlinked, Greetings: stats.Greetings}
	cfg, err := newKPIConfig(&opts)
	if err != nil {
		return rep, err
	}
	o, err := cfg.options()
	if err != nil {
		return rep, err
	}
	if stats.HasAsOf {
		rep.AsOf = time.Unix(0, stats.AsOfUnixNano).In(o.Location)
	}
	label := make([]func(*Cell) string, len(groupBy))
	for g, d := range groupBy {
		switch i := slices.Index(opts.By, d); {
		case d == kpi.ByTenant:
			label[g] = func(c *Cell) string { return c.Tenant }
		case d == kpi.ByDay:
			label[g] = func(c *Cell) string { return c.Day }
		case i >= 0:
			label[g] = func(c *Cell) string { return c.Values[i] }
		default:
			return rep, fmt.Errorf("onebeam: cells have no %s: add it to KPIOptions.By", d)
		}
	}
	var total kpi.Accumulator
	groups := make([]map[string]*kpi.Accumulator, len(groupBy))
	for g := range groups {
		groups[g] = map[string]*kpi.Accumulator{}
	}
	for i := range cells {
		c := &cells[i]
		if len(c.Values) != len(opts.By) {
			return rep, fmt.Errorf("onebeam: a cell has %d values for %d dimensions", len(c.Values), len(opts.By))
		}
		var a kpi.Accumulator
		if err := a.UnmarshalBinary(c.Accumulator); err != nil {
			return rep, err
		}
		total.Merge(&a)
		for g := range groupBy {
			k := label[g](c)
			m := groups[g][k]
			if m == nil {
				m = new(kpi.Accumulator)
				groups[g][k] = m
			}
			m.Merge(&a)
		}
	}
	rep.Summary = total.Summary(opts.Method, opts.Thresholds)
	for g, d := range groupBy {
		b := kpi.Breakdown{Dimension: d, Groups: make([]kpi.Group, 0, len(groups[g]))}
		for k, a := range groups[g] {
			b.Groups = append(b.Groups, kpi.Group{Key: k, Summary: a.Summary(opts.Method, opts.Thresholds)})
		}
		order := func(k string) string { return k }
		if d == kpi.ByWeekday {
			order = weekdayOrder
		}
		slices.SortFunc(b.Groups, func(x, y kpi.Group) int { return cmp.Compare(order(x.Key), order(y.Key)) })
		rep.Groups = append(rep.Groups, b)
	}
	return rep, nil
}

// weekdayOrder sorts weekday names Monday first, as kpi's breakdowns are.
func weekdayOrder(name string) string {
	for d := time.Monday; d <= time.Saturday+1; d++ {
		if (d % 7).String() == name {
			return string(rune('0' + d))
		}
	}
	return "9" + name
}
