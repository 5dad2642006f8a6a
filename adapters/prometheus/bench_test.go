package promkpi

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// benchEvents returns n conversations over 5 channels and 20 agents, two
// in three answered within 0–119 s.
func benchEvents(n int) []onemin.Event {
	chans := []string{"whatsapp", "telegram", "instagram", "web", "vk"}
	events := make([]onemin.Event, 0, 2*n)
	for i := range n {
		conv := fmt.Sprint("c", i)
		start := base.Add(time.Duration(i) * time.Second)
		ch := chans[i%len(chans)]
		events = append(events, onemin.Event{ID: conv + "i", Kind: onemin.MessageIn, At: start, ConversationID: conv,
			Channel: ch, Actor: onemin.Customer})
		if i%3 != 0 {
			events = append(events, onemin.Event{ID: conv + "o", Kind: onemin.MessageOut, At: start.Add(time.Duration(i%120) * time.Second),
				ConversationID: conv, Channel: ch, Actor: onemin.Human, Agent: fmt.Sprint("agent-", i%20)})
		}
	}
	return events
}

func benchTracker(b *testing.B, n int) *kpi.Tracker {
	tr, err := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}, Notices: -1})
	if err != nil {
		b.Fatal(err)
	}
	if err := tr.Add(context.Background(), benchEvents(n)...); err != nil {
		b.Fatal(err)
	}
	return tr
}

func benchGather(b *testing.B, c prometheus.Collector) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := reg.Gather(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScrapeTracker is a whole scrape (Collect and Gather) of a
// tracker holding 10 000 open conversations; BenchmarkTrackerReport, the
// tracker's own report that every scrape reads, is its peer.
func BenchmarkScrapeTracker(b *testing.B) {
	tr := benchTracker(b, 10_000)
	c, err := New(tr, Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchGather(b, c)
}

func BenchmarkTrackerReport(b *testing.B) {
	tr := benchTracker(b, 10_000)
	b.ReportAllocs()
	for b.Loop() {
		tr.Report()
	}
}

// BenchmarkScrapeHistogram scrapes a fixed report of 10 000 kept leads,
// building the histograms afresh; BenchmarkScrapeNoLeads is the same
// report without its leads, so the difference is the histograms' cost.
func BenchmarkScrapeHistogram(b *testing.B) {
	rep := kpi.Summarize(benchEvents(10_000), kpi.Options{KeepLeads: true, GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}})
	c, err := New(ReportFunc(func() kpi.Report { return rep }), Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchGather(b, c)
}

func BenchmarkScrapeNoLeads(b *testing.B) {
	rep := kpi.Summarize(benchEvents(10_000), kpi.Options{GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}})
	c, err := New(ReportFunc(func() kpi.Report { return rep }), Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchGather(b, c)
}

// BenchmarkObserverAdd feeds 2 000 conversations (5 333 events), one
// event per delivery as webhooks come, to a fresh observer;
// BenchmarkTrackerAdd, the same to a fresh tracker, is its peer: a live
// program pays both.
func BenchmarkObserverAdd(b *testing.B) {
	events := benchEvents(2_000)
	b.ReportAllocs()
	for b.Loop() {
		obs, err := NewObserver(kpi.TrackerOptions{}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for i := range events {
			if err := obs.Add(context.Background(), events[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func BenchmarkTrackerAdd(b *testing.B) {
	events := benchEvents(2_000)
	b.ReportAllocs()
	for b.Loop() {
		tr, err := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}, Notices: -1})
		if err != nil {
			b.Fatal(err)
		}
		for i := range events {
			if err := tr.Add(context.Background(), events[i]); err != nil {
				b.Fatal(err)
			}
		}
	}
}
