package kpi

import (
	"cmp"
	"slices"
	"time"
)

// leadResult returns the result of a conversation's step as of asOf, and
// false when the step has not started.
func leadResult(st *convState, step Step, sla SLA, clock Clock, loc *time.Location, asOf time.Time) (Result, bool) {
	start, stop := st.step(step)
	if start == noInstant {
		return Result{}, false
	}
	r := Result{Channel: st.channel, Source: st.source, Agent: st.handler()}
	r.Start = time.Unix(0, start).In(loc)
	if stop != noInstant {
		r.Stop = time.Unix(0, stop).In(loc)
	}
	r.Target = sla.Target(step, r.Channel)
	r.Outcome, r.Calendar, r.Business, r.Deadline = judge(clock, r.Start, r.Stop, r.Target, asOf)
	return r, true
}

// groupLabel returns the group of a lead in dimension dim.
func groupLabel(dim Dimension, r *Result, tenant string, labels dayLabels) string {
	switch dim {
	case ByChannel:
		return r.Channel
	case ByAgent:
		return r.Agent
	case BySource:
		return r.Source
	case ByTenant:
		return tenant
	case ByHour:
		return hourLabels[r.Start.Hour()]
	case ByWeekday:
		return r.Start.Weekday().String()
	case ByDay:
		return labels.of(r.Start)
	}
	return ""
}

// breakdowns turns the accumulators of each dimension into breakdowns,
// groups in key order (weekdays from Monday).
func breakdowns(dims []Dimension, groups []map[string]*Accumulator, m Method, th Thresholds) []Breakdown {
	var out []Breakdown
	for g, dim := range dims {
		b := Breakdown{Dimension: dim, Groups: make([]Group, 0, len(groups[g]))}
		for label, a := range groups[g] {
			b.Groups = append(b.Groups, Group{Key: label, Summary: a.Summary(m, th)})
		}
		if dim == ByWeekday {
			slices.SortFunc(b.Groups, func(x, y Group) int { return cmp.Compare(isoWeekday(x.Key), isoWeekday(y.Key)) })
		} else {
			slices.SortFunc(b.Groups, func(x, y Group) int { return cmp.Compare(x.Key, y.Key) })
		}
		out = append(out, b)
	}
	return out
}
