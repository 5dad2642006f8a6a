package promkpi

import (
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// trackerFamilies are the descriptors of a tracker's ingestion metrics.
type trackerFamilies struct {
	events, held, open, closed, closedUnanswered, notices, dropped *prometheus.Desc
}

func newTrackerFamilies(constLabels prometheus.Labels) *trackerFamilies {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc("onemin_tracker_"+name, help, labels, constLabels)
	}
	return &trackerFamilies{
		events: d("events_total", "Events given to the tracker, by what became of them: applied to a conversation's clock, "+
			"rejected as invalid, ignored (a kind the tracker does not use), out_of_range (a time outside 1678–2262), "+
			"unlinked (a booking naming no conversation or contact), too_late (out of order beyond the lateness).", "state"),
		held:             d("events_held", "Events held back until the lateness has passed."),
		open:             d("conversations_open", "Conversations held in memory."),
		closed:           d("conversations_closed_total", "Conversations closed out after the idle age."),
		closedUnanswered: d("conversations_closed_unanswered_total", "Conversations closed out after the idle age with no reply."),
		notices:          d("notices_total", "At-risk and breach notices sent."),
		dropped:          d("notices_dropped_total", "Notices dropped because the channel was full."),
	}
}

func (f *trackerFamilies) describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{f.events, f.held, f.open, f.closed, f.closedUnanswered, f.notices, f.dropped} {
		ch <- d
	}
}

func (f *trackerFamilies) collect(ch chan<- prometheus.Metric, s kpi.TrackerStats) {
	counter := func(d *prometheus.Desc, v int64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v), labels...)
	}
	for _, e := range []struct {
		state string
		n     int64
	}{
		{"applied", s.Applied}, {"rejected", s.Rejected}, {"ignored", s.Ignored},
		{"out_of_range", s.OutOfRange}, {"unlinked", s.Unlinked}, {"too_late", s.TooLate},
	} {
		counter(f.events, e.n, e.state)
	}
	ch <- prometheus.MustNewConstMetric(f.held, prometheus.GaugeValue, float64(s.Held))
	ch <- prometheus.MustNewConstMetric(f.open, prometheus.GaugeValue, float64(s.Open))
	counter(f.closed, s.Closed)
	counter(f.closedUnanswered, s.ClosedUnanswered)
	counter(f.notices, s.Notices)
	counter(f.dropped, s.NoticesDropped)
}
