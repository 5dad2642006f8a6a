package promkpi

import (
	"fmt"
	"math"

	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// The name and help of the step duration histogram, the same for a
// [Collector] and an [Observer].
const (
	histogramName = "onemin_step_duration_seconds"
	histogramHelp = "Step durations of the answered leads in seconds (business time on a calendar), by channel."
)

// histogramOptions checks the histogram options and fills in defaults.
func histogramOptions(o Options) (prometheus.HistogramOpts, error) {
	h := prometheus.HistogramOpts{
		Name:                            histogramName,
		Help:                            histogramHelp,
		Buckets:                         o.Buckets,
		NativeHistogramBucketFactor:     o.NativeBucketFactor,
		NativeHistogramMaxBucketNumber:  o.NativeMaxBuckets,
		NativeHistogramMinResetDuration: 0,
	}
	if h.Buckets == nil {
		h.Buckets = DefaultBuckets
	}
	for i, b := range h.Buckets {
		if !(b > 0) || math.IsInf(b, 0) || i > 0 && b <= h.Buckets[i-1] {
			return h, fmt.Errorf("promkpi: buckets %v are not positive, finite and increasing", h.Buckets)
		}
	}
	switch f := h.NativeHistogramBucketFactor; {
	case f == 0:
		h.NativeHistogramBucketFactor = DefaultNativeBucketFactor
	case f < 0:
		h.NativeHistogramBucketFactor = 0 // classic buckets only
	case !(f > 1) || math.IsInf(f, 0):
		return h, fmt.Errorf("promkpi: native bucket factor %v is not greater than 1", f)
	}
	if h.NativeHistogramMaxBucketNumber == 0 {
		h.NativeHistogramMaxBucketNumber = DefaultNativeMaxBuckets
	}
	return h, nil
}

// histogramFamily exposes the durations of a report's leads as a
// histogram with classic and native buckets.
type histogramFamily struct {
	opts prometheus.HistogramOpts
	desc *prometheus.Desc
}

func newHistogramFamily(opts prometheus.HistogramOpts, constLabels prometheus.Labels) *histogramFamily {
	opts.ConstLabels = constLabels
	return &histogramFamily{
		opts: opts,
		desc: prometheus.NewDesc(opts.Name, opts.Help, []string{"channel"}, constLabels),
	}
}

func (h *histogramFamily) describe(ch chan<- *prometheus.Desc) { ch <- h.desc }

// collect sends one histogram per channel of the answered leads. The
// histograms are built afresh from the leads at every scrape, with
// client_golang's own bucketing, so classic and native buckets are those
// any instrumented program would expose for the same durations.
func (h *histogramFamily) collect(ch chan<- prometheus.Metric, leads []kpi.Result, channelOf func(string) string) {
	vec := prometheus.NewHistogramVec(h.opts, []string{"channel"})
	for i := range leads {
		r := &leads[i]
		if !r.Answered() {
			continue
		}
		vec.WithLabelValues(channelOf(r.Channel)).Observe(r.Business.Seconds())
	}
	vec.Collect(ch)
}
