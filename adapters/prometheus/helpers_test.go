package promkpi

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// sample is one gathered series: its labels and its value (a counter's,
// a gauge's, or a summary's or histogram's count).
type sample struct {
	labels map[string]string
	value  float64
	metric *dto.Metric
}

// gather registers c on a pedantic registry (which checks descriptors and
// label consistency) and returns its series by metric name.
func gather(t interface{ Fatal(...any) }, c prometheus.Collector) map[string][]sample {
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(c); err != nil {
		t.Fatal(err)
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]sample{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			s := sample{labels: map[string]string{}, metric: m}
			for _, lp := range m.GetLabel() {
				s.labels[lp.GetName()] = lp.GetValue()
			}
			switch {
			case m.Counter != nil:
				s.value = m.GetCounter().GetValue()
			case m.Gauge != nil:
				s.value = m.GetGauge().GetValue()
			case m.Summary != nil:
				s.value = float64(m.GetSummary().GetSampleCount())
			case m.Histogram != nil:
				s.value = float64(m.GetHistogram().GetSampleCount())
			}
			out[mf.GetName()] = append(out[mf.GetName()], s)
		}
	}
	return out
}

// sumByLabel returns the values of the series of name by the value of label.
func sumByLabel(series map[string][]sample, name, label string) map[string]float64 {
	out := map[string]float64{}
	for _, s := range series[name] {
		out[s.labels[label]] += s.value
	}
	return out
}

// values gathers c and returns the value of every counter and gauge
// series of the named families as `name{label=value,…}`, labels in order
// and the constant step left out.
func values(t interface{ Fatal(...any) }, c prometheus.Collector, names ...string) map[string]float64 {
	out := map[string]float64{}
	for name, series := range gather(t, c) {
		if !slices.Contains(names, name) {
			continue
		}
		for _, s := range series {
			var labels []string
			for k, v := range s.labels {
				if k != "step" {
					labels = append(labels, k+"="+v)
				}
			}
			slices.Sort(labels)
			out[name+"{"+strings.Join(labels, ",")+"}"] = s.value
		}
	}
	return out
}
