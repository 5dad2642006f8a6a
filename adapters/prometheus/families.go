package promkpi

import (
	"math"

	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// families are the descriptors of the metrics of one breakdown, by
// channel, agent or tenant.
//
// They are all gauges: a report is the state of the leads its source
// holds as of a time, and every number in it can fall. Pending falls as
// leads are decided; a reply that arrives late, stamped before the
// deadline, turns a breached lead into a met one; a lead counts under the
// first agent named until it is answered, then under the agent who
// replied; and a tracker that forgets old days drops their leads.
type families struct {
	leads, unanswered, ratio, target, percentiles, mean *prometheus.Desc
}

// breakdownFamilies expose one breakdown of a report.
type breakdownFamilies struct {
	dim kpi.Dimension
	families
	folder *folder
}

// newFamilies returns the descriptors of the metrics by label: "channel"
// (prefix onemin_, with the target), "agent" or "tenant" (prefix
// onemin_agent_ or onemin_tenant_).
func newFamilies(label string, constLabels prometheus.Labels) families {
	prefix := "onemin_" + label + "_"
	if label == "channel" {
		prefix = "onemin_"
	}
	d := func(name, help string, extra ...string) *prometheus.Desc {
		return prometheus.NewDesc(prefix+name, help+", by "+label+".", append([]string{label}, extra...), constLabels)
	}
	f := families{
		leads: d("leads", "Leads by SLA outcome as of the report's time: met (step stopped within the target, duration ≤ target), "+
			"breached (stopped later, or not stopped and past its deadline), pending (not stopped, deadline not passed)", "outcome"),
		unanswered: d("leads_unanswered", "Leads whose step has not stopped (for the first reply: no reply yet), pending or breached"),
		ratio:      d("sla_ratio", "SLA rate as a ratio 0–1: met ÷ (met + breached); absent while no lead is decided"),
		percentiles: d("step_duration_percentile_seconds", "Percentiles 50, 90 and 99 of the answered leads' step durations in seconds "+
			"(business time on a calendar) by the report's method; absent for other and while nothing is answered", "percentile"),
		mean: d("step_duration_mean_seconds", "Mean of the answered leads' step durations in seconds; absent while nothing is answered"),
	}
	if label == "channel" {
		f.target = d("sla_target_seconds", "SLA target in seconds; absent when the leads were held to different targets")
	}
	return f
}

func (f *families) describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{f.leads, f.unanswered, f.ratio, f.target, f.percentiles, f.mean} {
		if d != nil {
			ch <- d
		}
	}
}

// collect sends the metrics of one folded group.
func (f *families) collect(ch chan<- prometheus.Metric, g *foldedGroup) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, append([]string{g.label}, labels...)...)
	}
	n := g.counts
	gauge(f.leads, float64(n.Met), "met")
	gauge(f.leads, float64(n.Breached), "breached")
	gauge(f.leads, float64(n.Pending), "pending")
	gauge(f.unanswered, float64(n.Unanswered))
	if d := n.Decided(); d > 0 {
		gauge(f.ratio, float64(n.Met)/float64(d))
	}
	if f.target != nil && !g.mixed {
		gauge(f.target, g.target.Seconds())
	}
	if n.Answered <= 0 {
		return
	}
	if g.groups > 1 || g.label == Other {
		// Percentiles do not add, so other never has them (not even when
		// it holds one group, lest they come and go); means do add,
		// weighted by the answered leads.
		gauge(f.mean, g.sum/float64(n.Answered))
		return
	}
	s := &g.summary
	for _, p := range []struct {
		label string
		v     kpi.NullFloat
	}{{"50", s.Median}, {"90", s.P90}, {"99", s.P99}} {
		if v, ok := p.v.Get(); ok {
			gauge(f.percentiles, v, p.label)
		}
	}
	if v, ok := s.Mean.Get(); ok {
		gauge(f.mean, v)
	}
}

// collectBreakdown sends the metrics of b's groups, folded, and returns
// the label of each key.
func (f *breakdownFamilies) collectBreakdown(ch chan<- prometheus.Metric, b *kpi.Breakdown) func(string) string {
	groups, labelOf := f.folder.fold(b.Groups)
	for i := range groups {
		f.collect(ch, &groups[i])
	}
	return labelOf
}

// durationSum returns the sum of the answered durations of a summary, in
// seconds: its mean times its answered leads.
func durationSum(s *kpi.Summary) float64 {
	m, ok := s.Mean.Get()
	if !ok || s.Answered <= 0 || math.IsNaN(m) {
		return 0
	}
	return m * float64(s.Answered)
}
