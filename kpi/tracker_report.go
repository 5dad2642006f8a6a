package kpi

import (
	"slices"
	"time"
)

// asOf returns the tracker's horizon: its time (the latest of AdvanceTo's
// times and of the events' times) less the lateness; noInstant when it
// has seen no time.
func (t *Tracker) asOf() int64 {
	h := t.now.Load()
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		h = max(h, sh.latest)
		sh.mu.Unlock()
	}
	if h == noInstant {
		return noInstant
	}
	return t.behind(h)
}

// Report returns the summary of every lead the tracker holds, open or
// closed out, as of its horizon, with the breakdowns of
// [TrackerOptions.GroupBy]: the same [Report] as [Summarize] gives for the
// same events, except that percentiles come from sketches (the summaries
// say so) and Leads is empty. Open conversations are judged anew on each
// call, so it costs time in proportion to them; shards are read one after
// another, each under its own lock.
func (t *Tracker) Report() Report { return t.report(nil) }

// DayReport is [Tracker.Report] for the leads whose step started on the
// date of day in the tracker's time zone.
func (t *Tracker) DayReport(day time.Time) Report {
	d := dayNumber(day.In(t.loc))
	return t.report(&d)
}

// Days returns the dates (in the tracker's time zone, as midnights) on
// which some lead the tracker holds started, in ascending order.
func (t *Tracker) Days() []time.Time {
	seen := map[int32]bool{}
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for k := range sh.finals {
			seen[k.day] = true
		}
		sh.eachLead(t, time.Time{}, func(r *Result, _ string) { seen[dayNumber(r.Start)] = true })
		sh.mu.Unlock()
	}
	days := make([]time.Time, 0, len(seen))
	for d := range seen {
		days = append(days, time.Date(1970, 1, 1+int(d), 0, 0, 0, 0, t.loc))
	}
	slices.SortFunc(days, time.Time.Compare)
	return days
}

// Forget drops the summaries of closed-out leads that started before the
// date of before (in the tracker's time zone), so that the memory of a
// long-running tracker stays bounded: keep the reports of those days
// first ([Tracker.DayReport]). Open conversations are not touched. It
// returns the number of days dropped.
func (t *Tracker) Forget(before time.Time) int {
	day := dayNumber(before.In(t.loc))
	dropped := map[int32]bool{}
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		for k := range sh.finals {
			if k.day < day {
				delete(sh.finals, k)
				dropped[k.day] = true
			}
		}
		sh.mu.Unlock()
	}
	return len(dropped)
}

// eachLead calls f with the result, as of asOf, and the tenant of every
// open conversation whose step has started; f must not keep the pointer.
func (sh *trackerShard) eachLead(t *Tracker, asOf time.Time, f func(r *Result, tenant string)) {
	var r Result // one for all, as f may keep no pointer to it
	for p := range sh.convs.pages {
		page := sh.convs.pages[p]
		for i := range page {
			c := &page[i]
			if c.keyLen == 0 {
				continue
			}
			st := c.expand(&sh.labels)
			var ok bool
			if r, ok = leadResult(&st, t.opts.Step, t.opts.SLA, t.opts.Clock, t.loc, asOf); !ok {
				continue
			}
			f(&r, sh.tenantOf(c))
		}
	}
}

func (t *Tracker) report(day *int32) Report {
	o := &t.opts
	rep := Report{Step: o.Step, Policy: o.Policy, Method: o.Method}
	horizon := t.asOf()
	if horizon != noInstant {
		rep.AsOf = time.Unix(0, horizon).In(t.loc)
	}
	total := t.newAccumulator()
	groups := make([]map[string]*Accumulator, len(o.GroupBy))
	for i := range groups {
		groups[i] = make(map[string]*Accumulator)
	}
	group := func(g int, label string) *Accumulator {
		a := groups[g][label]
		if a == nil {
			a = t.newAccumulator()
			groups[g][label] = a
		}
		return a
	}
	labels := dayLabels{}
	for i := range t.shards {
		sh := &t.shards[i]
		sh.mu.Lock()
		if horizon != noInstant {
			sh.release(t, horizon)
		}
		rep.Events += int(sh.stats.events)
		rep.AfterAsOf += sh.held.len()
		rep.Greetings += int(sh.stats.greetings)
		for k, a := range sh.finals {
			if day != nil && k.day != *day {
				continue
			}
			// The tracker's accumulators share their sketch options, so
			// they merge without error.
			if k.dim == 0 {
				_ = total.Merge(a)
				continue
			}
			for g, dim := range o.GroupBy {
				if dim == k.dim {
					_ = group(g, k.label).Merge(a)
				}
			}
		}
		for p := range sh.convs.pages {
			for _, c := range sh.convs.pages[p] {
				if c.keyLen > 0 {
					rep.Greetings += int(c.greetings)
				}
			}
		}
		sh.eachLead(t, rep.AsOf, func(r *Result, tenant string) {
			if day != nil && dayNumber(r.Start) != *day {
				return
			}
			total.Add(r)
			for g, dim := range o.GroupBy {
				group(g, groupLabel(dim, r, tenant, labels)).Add(r)
			}
		})
		sh.mu.Unlock()
	}
	rep.Events += int(t.ignored.Load() + t.outOfRange.Load() + t.unlinked.Load())
	rep.OutOfRange = int(t.outOfRange.Load())
	rep.Unlinked = int(t.unlinked.Load())
	rep.Summary = total.Summary(o.Method, o.Thresholds)
	rep.Groups = breakdowns(o.GroupBy, groups, o.Method, o.Thresholds)
	return rep
}
