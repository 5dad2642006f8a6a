package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

// streamDelivery is how many events "onemin kpi --stream" hands the
// tracker at a time; after each delivery it advances the tracker's time,
// which closes idle conversations out.
const streamDelivery = 4096

// runKPIStream is "onemin kpi --stream": the input is read once, row by
// row, into a kpi.Tracker, so memory holds the open conversations (and the
// ids seen, for de-duplication), not the events; percentiles come from the
// tracker's sketches and the output says so.
func runKPIStream(c *invocation, f *kpiFlags, stdout io.Writer,
	opts kpi.Options, loc *time.Location, render func(io.Writer, *kpiResult) error) int {
	tr, err := kpi.NewTracker(kpi.TrackerOptions{Step: opts.Step, Policy: opts.Policy, SLA: opts.SLA,
		Clock: opts.Clock, Location: loc, Method: opts.Method, Thresholds: opts.Thresholds, GroupBy: opts.GroupBy,
		Lateness: f.lateness, IdleAfter: f.idle, Notices: -1})
	if err != nil {
		return c.fail(err)
	}
	var (
		in        input
		tooLate   []error
		afterAsOf int
		latest    time.Time
		batch     = make([]onemin.Event, 0, streamDelivery)
	)
	deliver := func() {
		err := tr.Add(context.Background(), batch...)
		if err != nil {
			// The reader validated every event, so only events too late
			// to place can be refused.
			tooLate = append(tooLate, err)
		}
		batch = batch[:0]
		tr.AdvanceTo(latest)
	}
	each := func(e onemin.Event) {
		if !opts.AsOf.IsZero() && e.At.After(opts.AsOf) {
			afterAsOf++
			return
		}
		if e.At.After(latest) {
			latest = e.At
		}
		batch = append(batch, e)
		if len(batch) == cap(batch) {
			deliver()
		}
	}
	if err := streamInput(c.files, c.stdin, loc, &in, each); err != nil {
		return c.fail(err)
	}
	deliver()
	end := opts.AsOf
	if end.IsZero() {
		end = latest
	}
	if !end.IsZero() {
		tr.AdvanceTo(end.Add(f.lateness)) // every held event is applied; the report is as of end
	}
	status := in.reportRejected(c.stderr, c.allowRejects)
	stats := tr.Stats()
	for _, err := range tooLate {
		fmt.Fprintf(c.stderr, "onemin kpi: %v\n", err)
	}
	if stats.TooLate > 0 && !c.allowRejects {
		fmt.Fprintf(c.stderr, "%d events came more than --lateness %s after later events of their conversation and were left out; raise --lateness, or pass --allow-rejects\n",
			stats.TooLate, f.lateness)
		status = 1
	}
	rep := tr.Report()
	rep.AfterAsOf += afterAsOf
	res := newKPIResult(&in, &rep, &opts)
	res.Estimate, res.RelativeError = kpi.EstimateSketch, kpi.DefaultSketchAccuracy
	if stats.TooLate > 0 {
		res.notes = append(res.notes, fmt.Sprintf("%d events too late to place (beyond --lateness %s) left out", stats.TooLate, f.lateness))
	}
	if stats.ClosedUnanswered > 0 {
		res.notes = append(res.notes, fmt.Sprintf("%d unanswered conversations closed out after --idle %s without events, judged as of then",
			stats.ClosedUnanswered, f.idle))
	}
	if err := render(stdout, res); err != nil {
		return c.fail(err)
	}
	return status
}
