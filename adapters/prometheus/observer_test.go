package promkpi

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func mustObserver(t testing.TB, topts kpi.TrackerOptions, o Options) *Observer {
	t.Helper()
	obs, err := NewObserver(topts, o)
	if err != nil {
		t.Fatal(err)
	}
	return obs
}

func TestObserverHistogram(t *testing.T) {
	// Fed fiveLeads one by one, the observer sees whatsapp answered in
	// 20 s and 120 s and telegram in 45 s: the histogram worked by hand
	// for the collector.
	obs := mustObserver(t, kpi.TrackerOptions{}, Options{NativeBucketFactor: -1})
	for _, e := range fiveLeads() {
		if err := obs.Add(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	if err := testutil.CollectAndCompare(obs, strings.NewReader(histogramText), histogramName); err != nil {
		t.Error(err)
	}
	// Five conversations held (none idle yet), nothing dropped.
	want := `
# HELP onemin_observer_conversations_open Conversations the observer holds: waiting for their step to stop, or observed and not yet idle.
# TYPE onemin_observer_conversations_open gauge
onemin_observer_conversations_open{step="first_reply"} 5
# HELP onemin_observer_messages_dropped_total Customer messages left out because their conversation held the most events kept.
# TYPE onemin_observer_messages_dropped_total counter
onemin_observer_messages_dropped_total{step="first_reply"} 0
`
	if err := testutil.CollectAndCompare(obs, strings.NewReader(want),
		"onemin_observer_conversations_open", "onemin_observer_messages_dropped_total"); err != nil {
		t.Error(err)
	}
	if problems, err := testutil.CollectAndLint(obs); err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", problems, err)
	}
}

func TestObserverNative(t *testing.T) {
	// The default factor gives schema 3: 20 s lands in bucket ⌈8·log2 20⌉ = 35.
	obs := mustObserver(t, kpi.TrackerOptions{}, Options{})
	if err := obs.Add(context.Background(), fiveLeads()[1:3]...); err != nil {
		t.Fatal(err)
	}
	h := gather(t, obs)[histogramName][0].metric.GetHistogram()
	spans := h.GetPositiveSpan()
	if h.GetSchema() != 3 || len(spans) != 1 || spans[0].GetOffset() != 35 || spans[0].GetLength() != 1 {
		t.Errorf("schema %d, spans %v; want schema 3 and one bucket at 35", h.GetSchema(), spans)
	}
}

// observed returns the count and sum of the observer's histograms by
// channel.
func observed(t testing.TB, obs *Observer) map[string][2]float64 {
	t.Helper()
	out := map[string][2]float64{}
	for _, s := range gather(t, obs)[histogramName] {
		h := s.metric.GetHistogram()
		out[s.labels["channel"]] = [2]float64{float64(h.GetSampleCount()), h.GetSampleSum()}
	}
	return out
}

func TestObserverOrder(t *testing.T) {
	msg := in("m", "c1", "whatsapp", "10:00:00")
	reply := out("r", "c1", "whatsapp", "10:00:30", onemin.Human, "anna")
	tests := []struct {
		reason string
		steps  [][]onemin.Event // deliveries, in order
		want   map[string][2]float64
	}{
		{"message then reply", [][]onemin.Event{{msg}, {reply}}, map[string][2]float64{"whatsapp": {1, 30}}},
		{"the reply delivered before the message it answers", [][]onemin.Event{{reply}, {msg}}, map[string][2]float64{"whatsapp": {1, 30}}},
		{"a redelivered reply is not observed twice", [][]onemin.Event{{msg}, {reply}, {reply}}, map[string][2]float64{"whatsapp": {1, 30}}},
		{"a later reply changes nothing", [][]onemin.Event{{msg, reply}, {out("r2", "c1", "whatsapp", "10:05:00", onemin.Human, "anna")}},
			map[string][2]float64{"whatsapp": {1, 30}}},
		{"a late customer message, stamped earlier, does not take an observation back",
			[][]onemin.Event{{msg, reply}, {in("m0", "c1", "whatsapp", "09:59:00")}}, map[string][2]float64{"whatsapp": {1, 30}}},
		{"a payment is no part of a step, nor names its channel", [][]onemin.Event{
			{{ID: "p", Kind: onemin.Payment, At: at("09:59:00"), ConversationID: "c1", Channel: "web", Amount: decimal.NewFromInt(5), Currency: "USD"}},
			{msg}, {reply}}, map[string][2]float64{"whatsapp": {1, 30}}},
		{"an automation's reply stops no clock", [][]onemin.Event{{msg, out("a", "c1", "whatsapp", "10:00:01", onemin.Automation, "")}},
			map[string][2]float64{}},
		{"a greeting before the customer writes answers nothing",
			[][]onemin.Event{{out("g", "c1", "whatsapp", "09:59:00", onemin.Bot, "")}, {msg}}, map[string][2]float64{}},
		{"the same id in two tenants is two conversations", [][]onemin.Event{
			{withTenant(msg, "t1"), withTenant(msg, "t2")}, {withTenant(reply, "t1")}}, map[string][2]float64{"whatsapp": {1, 30}}},
	}
	for _, tt := range tests {
		obs := mustObserver(t, kpi.TrackerOptions{}, Options{})
		for _, d := range tt.steps {
			if err := obs.Add(context.Background(), d...); err != nil {
				t.Fatalf("%s: %v", tt.reason, err)
			}
		}
		if diff := cmp.Diff(tt.want, observed(t, obs)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func withTenant(e onemin.Event, tenant string) onemin.Event {
	e.Tenant = tenant
	return e
}

func TestObserverSteps(t *testing.T) {
	// One conversation: message 10:00, bot 10:00:05, handoff 10:01, human
	// 10:03, closed 10:30.
	events := []onemin.Event{
		in("m", "c1", "web", "10:00:00"),
		out("b", "c1", "web", "10:00:05", onemin.Bot, "bot"),
		{ID: "h", Kind: onemin.Handoff, At: at("10:01:00"), ConversationID: "c1", Channel: "web"},
		out("p", "c1", "web", "10:03:00", onemin.Human, "anna"),
		{ID: "x", Kind: onemin.Closed, At: at("10:30:00"), ConversationID: "c1", Channel: "web"},
	}
	tests := []struct {
		step   kpi.Step
		policy kpi.ReplyPolicy
		want   float64 // seconds
	}{
		{kpi.FirstReply, kpi.AnyReply, 5},
		{kpi.FirstReply, kpi.HumanReply, 180},
		{kpi.BotReply, kpi.AnyReply, 5},
		{kpi.HandoffReply, kpi.AnyReply, 120},
		{kpi.Closing, kpi.AnyReply, 1800},
	}
	for _, tt := range tests {
		obs := mustObserver(t, kpi.TrackerOptions{Step: tt.step, Policy: tt.policy}, Options{})
		if err := obs.Add(context.Background(), events...); err != nil {
			t.Fatal(err)
		}
		want := map[string][2]float64{"web": {1, tt.want}}
		if diff := cmp.Diff(want, observed(t, obs)); diff != "" {
			t.Errorf("%v under %v (-want +got):\n%s", tt.step, tt.policy, diff)
		}
	}
}

func TestObserverRejects(t *testing.T) {
	obs := mustObserver(t, kpi.TrackerOptions{}, Options{})
	bad := onemin.Event{ID: "x", Kind: onemin.MessageIn, ConversationID: "c1"} // no time
	err := obs.Add(context.Background(), in("m", "c1", "web", "10:00:00"), bad)
	var ve *onemin.ValidationError
	if !errors.As(err, &ve) || ve.Line != 2 {
		t.Fatalf("Add error = %v, want a ValidationError on line 2", err)
	}
	if n := obs.Open(); n != 0 {
		t.Errorf("%d conversations after a refused delivery, want 0: none of it applies", n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := obs.Add(ctx, in("m", "c1", "web", "10:00:00")); !errors.Is(err, context.Canceled) {
		t.Errorf("Add on a done context = %v, want context.Canceled", err)
	}
	if _, err := NewObserver(kpi.TrackerOptions{}, Options{Buckets: []float64{2, 1}}); err == nil {
		t.Error("NewObserver took decreasing buckets")
	}
	if _, err := NewObserver(kpi.TrackerOptions{}, Options{ConstLabels: prometheus.Labels{"step": "x"}}); err == nil {
		t.Error("NewObserver took a constant step label")
	}
}

func TestObserverForgetsIdle(t *testing.T) {
	obs := mustObserver(t, kpi.TrackerOptions{IdleAfter: time.Hour}, Options{})
	add := func(events ...onemin.Event) {
		t.Helper()
		if err := obs.Add(context.Background(), events...); err != nil {
			t.Fatal(err)
		}
	}
	add(in("m1", "c1", "web", "09:00:00"), in("m2", "c2", "web", "09:00:00"), out("r2", "c2", "web", "09:00:10", onemin.Bot, ""))
	if n := obs.Open(); n != 2 {
		t.Fatalf("%d open, want 2", n)
	}
	add(in("m3", "c3", "web", "10:30:00")) // c1 and c2 have been idle 1 h 30 min
	if n := obs.Open(); n != 1 {
		t.Errorf("%d open after the idle age, want 1", n)
	}
	// c2 comes back after being forgotten: a new lead, as in the tracker.
	add(in("m4", "c2", "web", "10:31:00"), out("r4", "c2", "web", "10:31:20", onemin.Bot, ""))
	// c3 was answered at 10:30:05; its customer writes again an hour
	// later, before any other event has swept it: a new lead all the same.
	add(out("r3", "c3", "web", "10:30:05", onemin.Bot, ""))
	add(in("m5", "c3", "web", "11:30:05"), out("r5", "c3", "web", "11:30:45", onemin.Bot, ""))
	// Observed: c2 in 10 s and 20 s, c3 in 5 s and 40 s.
	if diff := cmp.Diff(map[string][2]float64{"web": {4, 75}}, observed(t, obs)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestObserverFlood(t *testing.T) {
	// A customer who writes 300 times with no reply fills the cap; the
	// reply that finally comes still stops the clock of the first message.
	obs := mustObserver(t, kpi.TrackerOptions{}, Options{})
	var flood []onemin.Event
	for i := range 300 {
		e := in(fmt.Sprint("m", i), "c1", "web", "10:00:00")
		e.At = e.At.Add(time.Duration(i) * time.Second)
		flood = append(flood, e)
	}
	if err := obs.Add(context.Background(), flood...); err != nil {
		t.Fatal(err)
	}
	if err := obs.Add(context.Background(), out("r", "c1", "web", "10:10:00", onemin.Human, "")); err != nil {
		t.Fatal(err)
	}
	if got := obs.Dropped(); got != 300-MaxObservedEvents {
		t.Errorf("dropped %d, want %d", got, 300-MaxObservedEvents)
	}
	if diff := cmp.Diff(map[string][2]float64{"web": {1, 600}}, observed(t, obs)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestObserverBesideTrackerCollector(t *testing.T) {
	// The tracker's collector has no histogram, so the observer's
	// registers beside it.
	tr := newTracker(t, nil)
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(mustNew(t, tr, Options{}), mustObserver(t, tr.Options(), Options{}))
	if _, err := reg.Gather(); err != nil {
		t.Fatal(err)
	}
}

// TestPropertyObserverAgreesWithTracker feeds a tracker and an observer
// the same deliveries, in time order, and checks the histogram against the
// tracker's report: one observation per answered lead, and as many at or
// below 60 s as the met leads.
func TestPropertyObserverAgreesWithTracker(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		slices.SortStableFunc(events, func(a, b onemin.Event) int { return a.At.Compare(b.At) })
		topts := kpi.TrackerOptions{Notices: -1}
		tr, err := kpi.NewTracker(topts)
		if err != nil {
			t.Fatal(err)
		}
		obs, err := NewObserver(topts, Options{Buckets: []float64{60}})
		if err != nil {
			t.Fatal(err)
		}
		for len(events) > 0 {
			n := rapid.IntRange(1, len(events)).Draw(t, "batch")
			for _, sink := range []onemin.Sink{tr, obs} {
				if err := sink.Add(context.Background(), events[:n]...); err != nil {
					t.Fatal(err)
				}
			}
			events = events[n:]
		}
		rep := tr.Report()
		var count, le60 uint64
		for _, s := range gather(t, obs)[histogramName] {
			h := s.metric.GetHistogram()
			count += h.GetSampleCount()
			le60 += h.GetBucket()[0].GetCumulativeCount()
		}
		if count != uint64(rep.Summary.Answered) || le60 != uint64(rep.Summary.Met) {
			t.Fatalf("observed %d, %d within 60 s; tracker answered %d, met %d",
				count, le60, rep.Summary.Answered, rep.Summary.Met)
		}
	})
}
