package promkpi_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/onemin/onemin"
	promkpi "github.com/onemin/onemin/adapters/prometheus"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"
)

// printFamilies writes the named families of g in the text exposition
// format, as a scrape would see them.
func printFamilies(g prometheus.Gatherer, names ...string) {
	mfs, err := g.Gather()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, mf := range mfs {
		for _, n := range names {
			if mf.GetName() == n {
				mf.Help = nil // keep the output short
				expfmt.MetricFamilyToText(os.Stdout, mf)
			}
		}
	}
}

// A tracker fed by a webhook (here, by hand) is the collector's source:
// each scrape reads its report as of the tracker's time.
func Example_tracker() {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tracker, _ := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel}})
	tracker.Add(context.Background(),
		onemin.Event{ID: "1", Kind: onemin.MessageIn, At: t0, ConversationID: "a", Channel: "whatsapp", Actor: onemin.Customer},
		onemin.Event{ID: "2", Kind: onemin.MessageOut, At: t0.Add(20 * time.Second), ConversationID: "a", Channel: "whatsapp", Actor: onemin.Bot},
		onemin.Event{ID: "3", Kind: onemin.MessageIn, At: t0, ConversationID: "b", Channel: "telegram", Actor: onemin.Customer},
	)
	tracker.AdvanceTo(t0.Add(90 * time.Second)) // telegram's lead is past its 60 s deadline

	c, _ := promkpi.New(tracker, promkpi.Options{})
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	printFamilies(reg, "onemin_leads", "onemin_sla_ratio")
	// Output:
	// # TYPE onemin_leads gauge
	// onemin_leads{channel="telegram",outcome="breached",step="first_reply"} 1
	// onemin_leads{channel="telegram",outcome="met",step="first_reply"} 0
	// onemin_leads{channel="telegram",outcome="pending",step="first_reply"} 0
	// onemin_leads{channel="whatsapp",outcome="breached",step="first_reply"} 0
	// onemin_leads{channel="whatsapp",outcome="met",step="first_reply"} 1
	// onemin_leads{channel="whatsapp",outcome="pending",step="first_reply"} 0
	// # TYPE onemin_sla_ratio gauge
	// onemin_sla_ratio{channel="telegram",step="first_reply"} 0
	// onemin_sla_ratio{channel="whatsapp",step="first_reply"} 1
}

// A report that keeps its leads, such as Summarize over a day's export,
// also gives the histogram of the durations.
func ExampleReportFunc() {
	events := []onemin.Event{}
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for i, d := range []time.Duration{2 * time.Second, 40 * time.Second, 5 * time.Minute} {
		conv := fmt.Sprint("c", i)
		events = append(events,
			onemin.Event{ID: conv + "in", Kind: onemin.MessageIn, At: t0, ConversationID: conv, Channel: "web", Actor: onemin.Customer},
			onemin.Event{ID: conv + "out", Kind: onemin.MessageOut, At: t0.Add(d), ConversationID: conv, Channel: "web", Actor: onemin.Human})
	}
	src := promkpi.ReportFunc(func() kpi.Report {
		return kpi.Summarize(events, kpi.Options{KeepLeads: true})
	})
	c, _ := promkpi.New(src, promkpi.Options{Buckets: []float64{10, 60, 180}})
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	printFamilies(reg, "onemin_step_duration_seconds")
	// Output:
	// # TYPE onemin_step_duration_seconds histogram
	// onemin_step_duration_seconds_bucket{channel="",step="first_reply",le="10"} 1
	// onemin_step_duration_seconds_bucket{channel="",step="first_reply",le="60"} 2
	// onemin_step_duration_seconds_bucket{channel="",step="first_reply",le="180"} 2
	// onemin_step_duration_seconds_bucket{channel="",step="first_reply",le="+Inf"} 3
	// onemin_step_duration_seconds_sum{channel="",step="first_reply"} 342
	// onemin_step_duration_seconds_count{channel="",step="first_reply"} 3
}

// An allow-list keeps the label set bounded whatever the data hold: every
// other channel is counted under "other".
func ExampleLimit() {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var events []onemin.Event
	for i, ch := range strings.Fields("whatsapp whatsapp telegram vk max viber") {
		events = append(events, onemin.Event{ID: fmt.Sprint(i), Kind: onemin.MessageIn, At: t0,
			ConversationID: fmt.Sprint("c", i), Channel: ch, Actor: onemin.Customer})
	}
	src := promkpi.ReportFunc(func() kpi.Report {
		return kpi.Summarize(events, kpi.Options{GroupBy: []kpi.Dimension{kpi.ByChannel}})
	})
	c, _ := promkpi.New(src, promkpi.Options{Channels: promkpi.Limit{Allow: []string{"whatsapp", "telegram"}}})
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	printFamilies(reg, "onemin_leads_unanswered")
	// Output:
	// # TYPE onemin_leads_unanswered gauge
	// onemin_leads_unanswered{channel="other",step="first_reply"} 3
	// onemin_leads_unanswered{channel="telegram",step="first_reply"} 1
	// onemin_leads_unanswered{channel="whatsapp",step="first_reply"} 2
}

// An Observer fed beside a tracker gives the live histogram: each lead's
// first-reply time is observed once, when the reply comes.
func ExampleObserver() {
	t0 := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	tracker, _ := kpi.NewTracker(kpi.TrackerOptions{})
	observer, _ := promkpi.NewObserver(tracker.Options(), promkpi.Options{Buckets: []float64{10, 60}})
	sink := onemin.SinkFunc(func(ctx context.Context, events ...onemin.Event) error {
		return errors.Join(tracker.Add(ctx, events...), observer.Add(ctx, events...))
	})
	for i, d := range []time.Duration{4 * time.Second, 50 * time.Second} {
		conv := fmt.Sprint("c", i)
		sink.Add(context.Background(),
			onemin.Event{ID: conv + "in", Kind: onemin.MessageIn, At: t0, ConversationID: conv, Channel: "telegram", Actor: onemin.Customer})
		sink.Add(context.Background(),
			onemin.Event{ID: conv + "out", Kind: onemin.MessageOut, At: t0.Add(d), ConversationID: conv, Channel: "telegram", Actor: onemin.Bot})
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(observer)
	printFamilies(reg, "onemin_step_duration_seconds")
	// Output:
	// # TYPE onemin_step_duration_seconds histogram
	// onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="10"} 1
	// onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="60"} 2
	// onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="+Inf"} 2
	// onemin_step_duration_seconds_sum{channel="telegram",step="first_reply"} 54
	// onemin_step_duration_seconds_count{channel="telegram",step="first_reply"} 2
}
