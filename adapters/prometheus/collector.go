package promkpi

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// Source is what a [Collector] reads at every scrape: a [kpi.Report].
// A *[kpi.Tracker] is a Source; [ReportFunc] makes one of a function, such
// as a [kpi.Summarize] over the events of a file. Report must be safe for
// concurrent use, as scrapes may overlap.
type Source interface {
	Report() kpi.Report
}

// ReportFunc adapts a function to a [Source].
type ReportFunc func() kpi.Report

// Report calls f.
func (f ReportFunc) Report() kpi.Report { return f() }

// trackerSource is what a *kpi.Tracker has beyond a Source: its options
// (the step it measures) and its ingestion counts.
type trackerSource interface {
	Options() kpi.TrackerOptions
	Stats() kpi.TrackerStats
}

// DefaultBuckets are the upper bounds, in seconds, of the classic
// histogram buckets when [Options.Buckets] is nil: 1 s, 3 s, 10 s, 30 s,
// 1 min, 3 min, 15 min, 1 h, 4 h and 24 h. They put a bound on each common
// SLA target (60 s for the One-Minute KPI, 3 min for a messenger, 15 min
// for e-mail, 24 h for closing), and a bucket's count is of durations at
// or below its bound, just as a lead is met at or below its target.
var DefaultBuckets = []float64{1, 3, 10, 30, 60, 180, 900, 3600, 14400, 86400}

// Defaults of the native histogram.
const (
	// DefaultNativeBucketFactor is the growth factor between adjacent
	// native buckets: each is at most 10 % wider than the one before
	// (schema 3, a factor of 2^(1/8) ≈ 1.09).
	DefaultNativeBucketFactor = 1.1
	// DefaultNativeMaxBuckets is the most native buckets one histogram
	// keeps; past it the resolution is halved until it fits.
	DefaultNativeMaxBuckets = 160
)

// Options configure a [Collector]. The zero Options give classic buckets
// of [DefaultBuckets], native buckets of [DefaultNativeBucketFactor], at
// most 16 channels, 64 agents and 100 tenants under their own names, and
// no constant labels.
type Options struct {
	// ConstLabels are added to every metric, such as the tenant of a
	// tracker that serves one business (the collector then exposes no
	// breakdown by tenant). They may not be named step, channel, agent,
	// percentile, outcome, state, le or quantile.
	ConstLabels prometheus.Labels
	// Buckets are the upper bounds of the classic histogram buckets, in
	// seconds, positive and increasing; nil means [DefaultBuckets].
	Buckets []float64
	// NativeBucketFactor is the growth factor between adjacent buckets of
	// the native histogram, greater than 1; zero means
	// [DefaultNativeBucketFactor] and a negative value exposes classic
	// buckets only.
	NativeBucketFactor float64
	// NativeMaxBuckets is the most native buckets a histogram keeps; zero
	// means [DefaultNativeMaxBuckets].
	NativeMaxBuckets uint32
	// Channels, Agents and Tenants bound the values of the channel,
	// agent and tenant labels (see [Limit] for why); the zero Limit keeps
	// the first [DefaultMaxChannels] channels, [DefaultMaxAgents] agents
	// and [DefaultMaxTenants] tenants.
	Channels, Agents, Tenants Limit
}

// Collector is a [prometheus.Collector] of the One-Minute KPI: at every
// scrape it reads a [kpi.Report] from its [Source] and exposes its leads
// by SLA outcome, the SLA rate and target, and the percentiles, mean and
// (when the report keeps its leads) histogram of the step's durations, by
// channel, by agent and by tenant, with the step as a constant label.
// When the Source is a *[kpi.Tracker] it also exposes the tracker's
// ingestion counts; the tracker's histogram comes from an [Observer]
// registered beside it. The metrics are listed in the package
// documentation.
//
// The caller registers it ([prometheus.Registerer.Register]). A Collector
// is safe for concurrent use.
type Collector struct {
	src     Source
	tracker trackerSource // nil when src is no tracker
	step    kpi.Step

	channel breakdownFamilies   // also the total, when the report has no channels
	others  []breakdownFamilies // by agent and by tenant
	hist    *histogramFamily    // nil for a tracker
	stats   *trackerFamilies
}

// reservedLabels are the label names the collector sets itself.
var reservedLabels = []string{"step", "channel", "agent", "percentile", "outcome", "state", "le", "quantile"}

// withStep returns the constant labels and the step, or an error if a
// label is one the collector sets itself, or its name or value is not
// valid (so that no metric can fail to build at collection).
func withStep(labels prometheus.Labels, step kpi.Step) (prometheus.Labels, error) {
	out := prometheus.Labels{"step": step.String()}
	for k, v := range labels {
		switch {
		case slices.Contains(reservedLabels, k):
			return nil, fmt.Errorf("promkpi: constant label %q is set by the collector", k)
		case !validLabelName(k):
			return nil, fmt.Errorf("promkpi: constant label name %q is not [a-zA-Z_][a-zA-Z0-9_]*", k)
		case !utf8.ValidString(v):
			return nil, fmt.Errorf("promkpi: constant label %s=%q is not UTF-8", k, v)
		}
		out[k] = v
	}
	return out, nil
}

// validLabelName reports whether name is a label name any Prometheus
// accepts: [a-zA-Z_][a-zA-Z0-9_]*, not starting with "__" (reserved).
func validLabelName(name string) bool {
	if name == "" || strings.HasPrefix(name, "__") {
		return false
	}
	for i, r := range name {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || i > 0 && '0' <= r && r <= '9') {
			return false
		}
	}
	return true
}

// New returns a collector of src, or an error when an option is out of
// range: buckets that are not positive and increasing, a native bucket
// factor between 0 and 1, or a constant label that is not valid or that
// the collector sets itself.
//
// The step (first reply, closing, …) becomes the constant label step, so
// that collectors of trackers of different steps register side by side.
// It is read from the tracker's options, or else from one call of
// src.Report; a later report of another step is a collection error.
func New(src Source, opts Options) (*Collector, error) {
	if src == nil {
		return nil, errors.New("promkpi: nil source")
	}
	hopts, err := histogramOptions(opts)
	if err != nil {
		return nil, err
	}
	c := &Collector{src: src}
	if t, ok := src.(trackerSource); ok {
		c.tracker = t
		c.step = t.Options().Step
	} else {
		c.step = src.Report().Step
	}
	constLabels, err := withStep(opts.ConstLabels, c.step)
	if err != nil {
		return nil, err
	}
	c.channel = breakdownFamilies{kpi.ByChannel, newFamilies("channel", constLabels), newFolder(opts.Channels, DefaultMaxChannels)}
	c.others = []breakdownFamilies{
		{kpi.ByAgent, newFamilies("agent", constLabels), newFolder(opts.Agents, DefaultMaxAgents)},
	}
	if _, ok := constLabels["tenant"]; !ok {
		c.others = append(c.others,
			breakdownFamilies{kpi.ByTenant, newFamilies("tenant", constLabels), newFolder(opts.Tenants, DefaultMaxTenants)})
	}
	if c.tracker != nil {
		// A tracker's report keeps no leads; an Observer registered
		// beside the collector gives its histogram.
		c.stats = newTrackerFamilies(constLabels)
	} else {
		c.hist = newHistogramFamily(hopts, constLabels)
	}
	return c, nil
}

// Describe implements [prometheus.Collector]: it sends the descriptor of
// every metric the collector may expose.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	c.channel.describe(ch)
	for i := range c.others {
		c.others[i].describe(ch)
	}
	if c.hist != nil {
		c.hist.describe(ch)
	}
	if c.stats != nil {
		c.stats.describe(ch)
	}
}

// Collect implements [prometheus.Collector]: it reads one report from the
// source and sends its metrics. Series whose value is undefined (the SLA
// ratio with no decided lead, a target when leads had different ones,
// percentiles and mean with nothing answered) are left out rather than
// sent as zero.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	rep := c.src.Report()
	if rep.Step != c.step {
		err := fmt.Errorf("promkpi: source reports step %v, collector was made for %v", rep.Step, c.step)
		ch <- prometheus.NewInvalidMetric(c.channel.leads, err)
		return
	}
	channelOf := func(string) string { return "" }
	if b := breakdown(rep, kpi.ByChannel); b != nil {
		channelOf = c.channel.collectBreakdown(ch, b)
	} else {
		var total foldedGroup // label "": the series has no channel
		total.add(&rep.Summary)
		c.channel.collect(ch, &total)
	}
	for i := range c.others {
		if b := breakdown(rep, c.others[i].dim); b != nil {
			c.others[i].collectBreakdown(ch, b)
		}
	}
	if c.hist != nil && len(rep.Leads) > 0 {
		c.hist.collect(ch, rep.Leads, channelOf)
	}
	if c.stats != nil {
		c.stats.collect(ch, c.tracker.Stats())
	}
}

// breakdown returns the breakdown of rep by dim, or nil.
func breakdown(rep kpi.Report, dim kpi.Dimension) *kpi.Breakdown {
	for i := range rep.Groups {
		if rep.Groups[i].Dimension == dim {
			return &rep.Groups[i]
		}
	}
	return nil
}
