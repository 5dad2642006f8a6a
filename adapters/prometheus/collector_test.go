package promkpi

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// at is a time on 2 March 2026, UTC.
func at(clock string) time.Time {
	t, err := time.Parse(time.DateTime, "2026-03-02 "+clock)
	if err != nil {
		panic(err)
	}
	return t
}

func in(id, conv, channel, clock string) onemin.Event {
	return onemin.Event{ID: id, Kind: onemin.MessageIn, At: at(clock), ConversationID: conv, Channel: channel, Actor: onemin.Customer}
}

func out(id, conv, channel, clock string, actor onemin.Actor, agent string) onemin.Event {
	return onemin.Event{ID: id, Kind: onemin.MessageOut, At: at(clock), ConversationID: conv, Channel: channel, Actor: actor, Agent: agent}
}

// fiveLeads are worked by hand below, as of 10:05:30 against 60 s:
//
//	c1 whatsapp  10:00:00 → bot-1 10:00:20     20 s  met
//	c2 whatsapp  10:01:00 → anna  10:03:00    120 s  breached
//	c3 telegram  10:02:00 → anna  10:02:45     45 s  met
//	c4 telegram  10:05:00 → no reply                 pending (deadline 10:06:00)
//	c5 web       09:00:00 → no reply                 breached (deadline 09:01:00)
func fiveLeads() []onemin.Event {
	return []onemin.Event{
		in("e1", "c5", "web", "09:00:00"),
		in("e2", "c1", "whatsapp", "10:00:00"),
		out("e3", "c1", "whatsapp", "10:00:20", onemin.Bot, "bot-1"),
		in("e4", "c2", "whatsapp", "10:01:00"),
		in("e5", "c3", "telegram", "10:02:00"),
		out("e6", "c3", "telegram", "10:02:45", onemin.Human, "anna"),
		out("e7", "c2", "whatsapp", "10:03:00", onemin.Human, "anna"),
		in("e8", "c4", "telegram", "10:05:00"),
	}
}

var asOf = at("10:05:30")

func summarize(events []onemin.Event, keepLeads bool, dims ...kpi.Dimension) ReportFunc {
	return func() kpi.Report {
		return kpi.Summarize(events, kpi.Options{AsOf: asOf, GroupBy: dims, KeepLeads: keepLeads})
	}
}

// withTenants sets the tenant of the events of the named conversations.
func withTenants(events []onemin.Event, tenants map[string]string) []onemin.Event {
	for i := range events {
		events[i].Tenant = tenants[events[i].ConversationID]
	}
	return events
}

func mustNew(t *testing.T, src Source, o Options) *Collector {
	t.Helper()
	c, err := New(src, o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The expected exposition is worked out by hand from fiveLeads: whatsapp
// has 20 s and 120 s (P50 = 70, P90 = 20 + 0.9·100 = 110, P99 = 119),
// telegram 45 s and a pending lead, web a breach with no reply.
const channelText = `
# HELP onemin_leads Leads by SLA outcome as of the report's time: met (step stopped within the target, duration ≤ target), breached (stopped later, or not stopped and past its deadline), pending (not stopped, deadline not passed), by channel.
# TYPE onemin_leads gauge
onemin_leads{channel="telegram",outcome="breached",step="first_reply"} 0
onemin_leads{channel="telegram",outcome="met",step="first_reply"} 1
onemin_leads{channel="telegram",outcome="pending",step="first_reply"} 1
onemin_leads{channel="web",outcome="breached",step="first_reply"} 1
onemin_leads{channel="web",outcome="met",step="first_reply"} 0
onemin_leads{channel="web",outcome="pending",step="first_reply"} 0
onemin_leads{channel="whatsapp",outcome="breached",step="first_reply"} 1
onemin_leads{channel="whatsapp",outcome="met",step="first_reply"} 1
onemin_leads{channel="whatsapp",outcome="pending",step="first_reply"} 0
# HELP onemin_leads_unanswered Leads whose step has not stopped (for the first reply: no reply yet), pending or breached, by channel.
# TYPE onemin_leads_unanswered gauge
onemin_leads_unanswered{channel="telegram",step="first_reply"} 1
onemin_leads_unanswered{channel="web",step="first_reply"} 1
onemin_leads_unanswered{channel="whatsapp",step="first_reply"} 0
# HELP onemin_sla_ratio SLA rate as a ratio 0–1: met ÷ (met + breached); absent while no lead is decided, by channel.
# TYPE onemin_sla_ratio gauge
onemin_sla_ratio{channel="telegram",step="first_reply"} 1
onemin_sla_ratio{channel="web",step="first_reply"} 0
onemin_sla_ratio{channel="whatsapp",step="first_reply"} 0.5
# HELP onemin_sla_target_seconds SLA target in seconds; absent when the leads were held to different targets, by channel.
# TYPE onemin_sla_target_seconds gauge
onemin_sla_target_seconds{channel="telegram",step="first_reply"} 60
onemin_sla_target_seconds{channel="web",step="first_reply"} 60
onemin_sla_target_seconds{channel="whatsapp",step="first_reply"} 60
# HELP onemin_step_duration_percentile_seconds Percentiles 50, 90 and 99 of the answered leads' step durations in seconds (business time on a calendar) by the report's method; absent for other and while nothing is answered, by channel.
# TYPE onemin_step_duration_percentile_seconds gauge
onemin_step_duration_percentile_seconds{channel="telegram",percentile="50",step="first_reply"} 45
onemin_step_duration_percentile_seconds{channel="telegram",percentile="90",step="first_reply"} 45
onemin_step_duration_percentile_seconds{channel="telegram",percentile="99",step="first_reply"} 45
onemin_step_duration_percentile_seconds{channel="whatsapp",percentile="50",step="first_reply"} 70
onemin_step_duration_percentile_seconds{channel="whatsapp",percentile="90",step="first_reply"} 110
onemin_step_duration_percentile_seconds{channel="whatsapp",percentile="99",step="first_reply"} 119
# HELP onemin_step_duration_mean_seconds Mean of the answered leads' step durations in seconds; absent while nothing is answered, by channel.
# TYPE onemin_step_duration_mean_seconds gauge
onemin_step_duration_mean_seconds{channel="telegram",step="first_reply"} 45
onemin_step_duration_mean_seconds{channel="whatsapp",step="first_reply"} 70
`

var channelNames = []string{"onemin_leads", "onemin_leads_unanswered", "onemin_sla_ratio", "onemin_sla_target_seconds",
	"onemin_step_duration_percentile_seconds", "onemin_step_duration_mean_seconds"}

// The histogram: whatsapp 20 s and 120 s, telegram 45 s; web answered
// nothing and has no histogram.
const histogramText = `
# HELP onemin_step_duration_seconds Step durations of the answered leads in seconds (business time on a calendar), by channel.
# TYPE onemin_step_duration_seconds histogram
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="1"} 0
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="3"} 0
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="10"} 0
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="30"} 0
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="60"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="180"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="900"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="3600"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="14400"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="86400"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="+Inf"} 1
onemin_step_duration_seconds_sum{channel="telegram",step="first_reply"} 45
onemin_step_duration_seconds_count{channel="telegram",step="first_reply"} 1
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="1"} 0
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="3"} 0
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="10"} 0
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="30"} 1
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="60"} 1
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="180"} 2
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="900"} 2
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="3600"} 2
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="14400"} 2
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="86400"} 2
onemin_step_duration_seconds_bucket{channel="whatsapp",step="first_reply",le="+Inf"} 2
onemin_step_duration_seconds_sum{channel="whatsapp",step="first_reply"} 140
onemin_step_duration_seconds_count{channel="whatsapp",step="first_reply"} 2
`

func TestExposition(t *testing.T) {
	tests := []struct {
		name  string
		src   Source
		want  string
		names []string
	}{
		{"by channel", summarize(fiveLeads(), false, kpi.ByChannel, kpi.ByAgent), channelText, channelNames},
		{"histogram from kept leads", summarize(fiveLeads(), true, kpi.ByChannel), histogramText, []string{histogramName}},
		{"no histogram without kept leads", summarize(fiveLeads(), false, kpi.ByChannel), "", []string{histogramName}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustNew(t, tt.src, Options{NativeBucketFactor: -1})
			if err := testutil.CollectAndCompare(c, strings.NewReader(tt.want), tt.names...); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestValues(t *testing.T) {
	// Agents in fiveLeads: anna answered in 45 s and 120 s (P50 = 82.5,
	// P90 = 45 + 0.9·75 = 112.5, P99 = 119.25), bot-1 in 20 s; c4 and c5
	// named no agent. The SLA of email is 15 min.
	sla := kpi.SLA{Targets: map[kpi.Scope]time.Duration{{Channel: "email"}: 15 * time.Minute}}
	withEmail := append(fiveLeads(), in("e9", "c9", "email", "10:00:00"))
	agentNames := []string{"onemin_agent_leads", "onemin_agent_leads_unanswered", "onemin_agent_sla_ratio",
		"onemin_agent_step_duration_percentile_seconds", "onemin_agent_step_duration_mean_seconds", "onemin_agent_sla_target_seconds"}
	tests := []struct {
		reason string
		src    Source
		opts   Options
		names  []string
		want   map[string]float64
	}{{
		reason: "by agent, with no target family",
		src:    summarize(fiveLeads(), false, kpi.ByChannel, kpi.ByAgent),
		names:  agentNames,
		want: map[string]float64{
			"onemin_agent_leads{agent=anna,outcome=breached}": 1, "onemin_agent_leads{agent=anna,outcome=met}": 1, "onemin_agent_leads{agent=anna,outcome=pending}": 0,
			"onemin_agent_leads{agent=bot-1,outcome=breached}": 0, "onemin_agent_leads{agent=bot-1,outcome=met}": 1, "onemin_agent_leads{agent=bot-1,outcome=pending}": 0,
			"onemin_agent_leads{agent=none,outcome=breached}": 1, "onemin_agent_leads{agent=none,outcome=met}": 0, "onemin_agent_leads{agent=none,outcome=pending}": 1,
			"onemin_agent_leads_unanswered{agent=anna}": 0, "onemin_agent_leads_unanswered{agent=bot-1}": 0, "onemin_agent_leads_unanswered{agent=none}": 2,
			"onemin_agent_sla_ratio{agent=anna}": 0.5, "onemin_agent_sla_ratio{agent=bot-1}": 1, "onemin_agent_sla_ratio{agent=none}": 0,
			"onemin_agent_step_duration_percentile_seconds{agent=anna,percentile=50}":  82.5,
			"onemin_agent_step_duration_percentile_seconds{agent=anna,percentile=90}":  112.5,
			"onemin_agent_step_duration_percentile_seconds{agent=anna,percentile=99}":  119.25,
			"onemin_agent_step_duration_percentile_seconds{agent=bot-1,percentile=50}": 20,
			"onemin_agent_step_duration_percentile_seconds{agent=bot-1,percentile=90}": 20,
			"onemin_agent_step_duration_percentile_seconds{agent=bot-1,percentile=99}": 20,
			"onemin_agent_step_duration_mean_seconds{agent=anna}":                      82.5, "onemin_agent_step_duration_mean_seconds{agent=bot-1}": 20,
		},
	}, {
		reason: "by tenant: t1 holds c1 (met in 20 s) and c5 (breached), t2 holds c2 (breached, 120 s); the rest have none",
		src:    summarize(withTenants(fiveLeads(), map[string]string{"c1": "t1", "c5": "t1", "c2": "t2"}), false, kpi.ByTenant),
		names:  []string{"onemin_tenant_leads", "onemin_tenant_sla_ratio"},
		want: map[string]float64{
			"onemin_tenant_leads{outcome=breached,tenant=t1}": 1, "onemin_tenant_leads{outcome=met,tenant=t1}": 1, "onemin_tenant_leads{outcome=pending,tenant=t1}": 0,
			"onemin_tenant_leads{outcome=breached,tenant=t2}": 1, "onemin_tenant_leads{outcome=met,tenant=t2}": 0, "onemin_tenant_leads{outcome=pending,tenant=t2}": 0,
			"onemin_tenant_leads{outcome=breached,tenant=none}": 0, "onemin_tenant_leads{outcome=met,tenant=none}": 1, "onemin_tenant_leads{outcome=pending,tenant=none}": 1,
			"onemin_tenant_sla_ratio{tenant=t1}": 0.5, "onemin_tenant_sla_ratio{tenant=t2}": 0, "onemin_tenant_sla_ratio{tenant=none}": 1,
		},
	}, {
		reason: "a constant tenant label: the collector serves one business and has no tenant breakdown",
		src:    summarize(withTenants(fiveLeads(), map[string]string{"c1": "t1"}), false, kpi.ByTenant),
		opts:   Options{ConstLabels: prometheus.Labels{"tenant": "t1"}},
		names:  []string{"onemin_tenant_leads", "onemin_leads"},
		want: map[string]float64{
			"onemin_leads{channel=,outcome=breached,tenant=t1}": 2, "onemin_leads{channel=,outcome=met,tenant=t1}": 2, "onemin_leads{channel=,outcome=pending,tenant=t1}": 1,
		},
	}, {
		reason: "no agent series without a breakdown by agent",
		src:    summarize(fiveLeads(), false, kpi.ByChannel),
		names:  agentNames,
		want:   map[string]float64{},
	}, {
		reason: "the total, with an empty channel, without a breakdown by channel",
		src:    summarize(fiveLeads(), false),
		names:  []string{"onemin_leads", "onemin_sla_ratio", "onemin_step_duration_mean_seconds"},
		want: map[string]float64{
			"onemin_leads{channel=,outcome=breached}": 2, "onemin_leads{channel=,outcome=met}": 2, "onemin_leads{channel=,outcome=pending}": 1,
			// (20 + 120 + 45) / 3, rounded to the nanosecond as summaries are.
			"onemin_sla_ratio{channel=}": 0.5, "onemin_step_duration_mean_seconds{channel=}": 61.666666667,
		},
	}, {
		reason: "one channel kept by count: whatsapp and telegram tie at 2 leads, telegram wins by name; " +
			"other is whatsapp and web (20 s and 120 s answered, 1 met, 2 breached), with a mean but no percentiles",
		src:   summarize(fiveLeads(), false, kpi.ByChannel, kpi.ByAgent),
		opts:  Options{Channels: Limit{Max: 1}, Agents: Limit{Max: -1}},
		names: []string{"onemin_leads", "onemin_sla_ratio", "onemin_sla_target_seconds", "onemin_step_duration_percentile_seconds", "onemin_step_duration_mean_seconds", "onemin_agent_leads_unanswered"},
		want: map[string]float64{
			"onemin_leads{channel=other,outcome=breached}": 2, "onemin_leads{channel=other,outcome=met}": 1, "onemin_leads{channel=other,outcome=pending}": 0,
			"onemin_leads{channel=telegram,outcome=breached}": 0, "onemin_leads{channel=telegram,outcome=met}": 1, "onemin_leads{channel=telegram,outcome=pending}": 1,
			"onemin_sla_ratio{channel=other}": 1.0 / 3, "onemin_sla_ratio{channel=telegram}": 1,
			"onemin_sla_target_seconds{channel=other}": 60, "onemin_sla_target_seconds{channel=telegram}": 60,
			"onemin_step_duration_percentile_seconds{channel=telegram,percentile=50}": 45,
			"onemin_step_duration_percentile_seconds{channel=telegram,percentile=90}": 45,
			"onemin_step_duration_percentile_seconds{channel=telegram,percentile=99}": 45,
			"onemin_step_duration_mean_seconds{channel=other}":                        70, "onemin_step_duration_mean_seconds{channel=telegram}": 45,
			"onemin_agent_leads_unanswered{agent=none}": 2, "onemin_agent_leads_unanswered{agent=other}": 0,
		},
	}, {
		reason: "an allow-list: other holds whatsapp (60 s) and email (15 min), so it has no one target",
		src: ReportFunc(func() kpi.Report {
			return kpi.Summarize(withEmail, kpi.Options{AsOf: asOf, SLA: sla, GroupBy: []kpi.Dimension{kpi.ByChannel}})
		}),
		opts:  Options{Channels: Limit{Allow: []string{"telegram", "web"}}},
		names: []string{"onemin_sla_target_seconds"},
		want:  map[string]float64{"onemin_sla_target_seconds{channel=telegram}": 60, "onemin_sla_target_seconds{channel=web}": 60},
	}, {
		reason: "no target for a total over different targets",
		src: ReportFunc(func() kpi.Report {
			return kpi.Summarize(withEmail, kpi.Options{AsOf: asOf, SLA: sla})
		}),
		names: []string{"onemin_sla_target_seconds"},
		want:  map[string]float64{},
	}, {
		reason: "one pending lead: no decided lead, so no ratio; nothing answered, so no percentiles or mean",
		src: ReportFunc(func() kpi.Report {
			return kpi.Summarize([]onemin.Event{in("e1", "c1", "whatsapp", "10:05:00")},
				kpi.Options{AsOf: asOf, GroupBy: []kpi.Dimension{kpi.ByChannel}})
		}),
		names: []string{"onemin_leads", "onemin_sla_ratio", "onemin_step_duration_percentile_seconds", "onemin_step_duration_mean_seconds"},
		want: map[string]float64{
			"onemin_leads{channel=whatsapp,outcome=breached}": 0, "onemin_leads{channel=whatsapp,outcome=met}": 0, "onemin_leads{channel=whatsapp,outcome=pending}": 1,
		},
	}, {
		reason: "two channels that differ only in invalid bytes make one valid series, not two that fail the scrape",
		src:    summarize([]onemin.Event{in("e1", "c1", "a\xff", "10:00:00"), in("e2", "c2", "a\xfe", "10:00:00")}, false, kpi.ByChannel),
		names:  []string{"onemin_leads_unanswered"},
		want:   map[string]float64{"onemin_leads_unanswered{channel=a\uFFFD}": 2},
	}}
	for _, tt := range tests {
		got := values(t, mustNew(t, tt.src, tt.opts), tt.names...)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestLint(t *testing.T) {
	tracker := newTracker(t, fiveLeads())
	for _, tt := range []struct {
		name string
		src  Source
	}{
		{"summarize with leads", summarize(fiveLeads(), true, kpi.ByChannel, kpi.ByAgent)},
		{"tracker", tracker},
	} {
		t.Run(tt.name, func(t *testing.T) {
			problems, err := testutil.CollectAndLint(mustNew(t, tt.src, Options{}))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(0, len(problems)); diff != "" {
				t.Errorf("lint problems %v (-want +got):\n%s", problems, diff)
			}
		})
	}
}

func newTracker(t *testing.T, events []onemin.Event) *kpi.Tracker {
	t.Helper()
	tr, err := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}, Notices: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(context.Background(), events...); err != nil {
		t.Fatal(err)
	}
	tr.AdvanceTo(asOf)
	return tr
}

func TestCollectTracker(t *testing.T) {
	// The tracker's counts equal those of Summarize over the same events,
	// so they are the hand-worked ones above.
	tr := newTracker(t, fiveLeads())
	c := mustNew(t, tr, Options{})
	if err := testutil.CollectAndCompare(c, strings.NewReader(channelText),
		"onemin_leads", "onemin_leads_unanswered", "onemin_sla_ratio"); err != nil {
		t.Error(err)
	}
	want := `
# HELP onemin_tracker_events_total Events given to the tracker, by what became of them: applied to a conversation's clock, rejected as invalid, ignored (a kind the tracker does not use), out_of_range (a time outside 1678–2262), unlinked (a booking naming no conversation or contact), too_late (out of order beyond the lateness).
# TYPE onemin_tracker_events_total counter
onemin_tracker_events_total{state="applied",step="first_reply"} 8
onemin_tracker_events_total{state="ignored",step="first_reply"} 0
onemin_tracker_events_total{state="out_of_range",step="first_reply"} 0
onemin_tracker_events_total{state="rejected",step="first_reply"} 0
onemin_tracker_events_total{state="too_late",step="first_reply"} 0
onemin_tracker_events_total{state="unlinked",step="first_reply"} 0
# HELP onemin_tracker_conversations_open Conversations held in memory.
# TYPE onemin_tracker_conversations_open gauge
onemin_tracker_conversations_open{step="first_reply"} 5
`
	if err := testutil.CollectAndCompare(c, strings.NewReader(want),
		"onemin_tracker_events_total", "onemin_tracker_conversations_open"); err != nil {
		t.Error(err)
	}
	// No histogram: a tracker's report keeps no leads.
	if n := testutil.CollectAndCount(c, histogramName); n != 0 {
		t.Errorf("histogram series from a tracker: %d, want none", n)
	}
}

func TestFoldedHistogram(t *testing.T) {
	// With one channel kept, other has whatsapp's 20 s and 120 s.
	want := `
# HELP onemin_step_duration_seconds Step durations of the answered leads in seconds (business time on a calendar), by channel.
# TYPE onemin_step_duration_seconds histogram
onemin_step_duration_seconds_bucket{channel="other",step="first_reply",le="30"} 1
onemin_step_duration_seconds_bucket{channel="other",step="first_reply",le="60"} 1
onemin_step_duration_seconds_bucket{channel="other",step="first_reply",le="+Inf"} 2
onemin_step_duration_seconds_sum{channel="other",step="first_reply"} 140
onemin_step_duration_seconds_count{channel="other",step="first_reply"} 2
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="30"} 0
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="60"} 1
onemin_step_duration_seconds_bucket{channel="telegram",step="first_reply",le="+Inf"} 1
onemin_step_duration_seconds_sum{channel="telegram",step="first_reply"} 45
onemin_step_duration_seconds_count{channel="telegram",step="first_reply"} 1
`
	c := mustNew(t, summarize(fiveLeads(), true, kpi.ByChannel), Options{Channels: Limit{Max: 1}, Buckets: []float64{30, 60}})
	if err := testutil.CollectAndCompare(c, strings.NewReader(want), histogramName); err != nil {
		t.Error(err)
	}
}

func TestFoldingIsSticky(t *testing.T) {
	// Telegram is admitted first; when whatsapp later outgrows it, it
	// stays in other, so no group moves between series.
	events := []onemin.Event{in("e1", "t1", "telegram", "10:00:00")}
	src := ReportFunc(func() kpi.Report {
		return kpi.Summarize(events, kpi.Options{AsOf: asOf, GroupBy: []kpi.Dimension{kpi.ByChannel}})
	})
	c := mustNew(t, src, Options{Channels: Limit{Max: 1}})
	want := map[string]float64{"onemin_leads_unanswered{channel=telegram}": 1}
	if diff := cmp.Diff(want, values(t, c, "onemin_leads_unanswered")); diff != "" {
		t.Errorf("first scrape (-want +got):\n%s", diff)
	}
	events = append(events, in("e2", "w1", "whatsapp", "10:01:00"), in("e3", "w2", "whatsapp", "10:02:00"))
	want = map[string]float64{"onemin_leads_unanswered{channel=telegram}": 1, "onemin_leads_unanswered{channel=other}": 2}
	if diff := cmp.Diff(want, values(t, c, "onemin_leads_unanswered")); diff != "" {
		t.Errorf("second scrape (-want +got):\n%s", diff)
	}
}

func TestStepMismatch(t *testing.T) {
	step := kpi.FirstReply
	src := ReportFunc(func() kpi.Report { return kpi.Report{Step: step} })
	c := mustNew(t, src, Options{})
	step = kpi.Closing
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	if _, err := reg.Gather(); err == nil || !strings.Contains(err.Error(), "step closing") {
		t.Errorf("Gather error = %v, want one naming the step", err)
	}
}

func TestTwoStepsRegisterSideBySide(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	for _, step := range []kpi.Step{kpi.FirstReply, kpi.HandoffReply} {
		tr, err := kpi.NewTracker(kpi.TrackerOptions{Step: step, Notices: -1})
		if err != nil {
			t.Fatal(err)
		}
		if err := reg.Register(mustNew(t, tr, Options{})); err != nil {
			t.Fatalf("register step %v: %v", step, err)
		}
	}
	if _, err := reg.Gather(); err != nil {
		t.Fatal(err)
	}
}

func TestNewRejects(t *testing.T) {
	src := summarize(nil, false)
	tests := []struct {
		reason string
		src    Source
		opts   Options
		want   string
	}{
		{"no source", nil, Options{}, "nil source"},
		{"buckets not increasing", src, Options{Buckets: []float64{1, 60, 30}}, "increasing"},
		{"zero bucket", src, Options{Buckets: []float64{0, 60}}, "positive"},
		{"infinite bucket", src, Options{Buckets: []float64{60, math.Inf(1)}}, "finite"},
		{"factor at most 1", src, Options{NativeBucketFactor: 0.5}, "greater than 1"},
		{"factor not a number", src, Options{NativeBucketFactor: math.NaN()}, "greater than 1"},
		{"bucket not a number", src, Options{Buckets: []float64{math.NaN()}}, "positive"},
		{"reserved constant label", src, Options{ConstLabels: prometheus.Labels{"channel": "x"}}, `"channel"`},
		{"reserved constant label", src, Options{ConstLabels: prometheus.Labels{"percentile": "50"}}, `"percentile"`},
		{"constant label name with a dash", src, Options{ConstLabels: prometheus.Labels{"shop-id": "1"}}, `"shop-id"`},
		{"constant label name with a leading digit", src, Options{ConstLabels: prometheus.Labels{"1shop": "1"}}, `"1shop"`},
		{"reserved constant label name", src, Options{ConstLabels: prometheus.Labels{"__name__": "x"}}, `"__name__"`},
		{"constant label value not UTF-8", src, Options{ConstLabels: prometheus.Labels{"shop": "\xff"}}, "UTF-8"},
	}
	for _, tt := range tests {
		_, err := New(tt.src, tt.opts)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New error = %v, want one containing %q", tt.reason, err, tt.want)
		}
	}
}

func TestNativeHistogram(t *testing.T) {
	// Schema 3 (the default factor 1.1 gives 2^(1/8) ≈ 1.09): bucket i
	// holds (2^((i−1)/8), 2^(i/8)], so v falls in bucket ⌈8·log2 v⌉.
	// whatsapp: 20 s → ⌈34.58⌉ = 35 and 120 s → ⌈55.25⌉ = 56, one span
	// each with 20 empty buckets between; telegram: 45 s → ⌈43.93⌉ = 44.
	type span struct {
		Offset int32
		Length uint32
	}
	type native struct {
		Schema int32
		Count  uint64
		Sum    float64
		Spans  []span
		Deltas []int64
	}
	want := map[string]native{
		"whatsapp": {Schema: 3, Count: 2, Sum: 140, Spans: []span{{35, 1}, {20, 1}}, Deltas: []int64{1, 0}},
		"telegram": {Schema: 3, Count: 1, Sum: 45, Spans: []span{{44, 1}}, Deltas: []int64{1}},
	}
	got := map[string]native{}
	for _, s := range gather(t, mustNew(t, summarize(fiveLeads(), true, kpi.ByChannel), Options{}))[histogramName] {
		h := s.metric.GetHistogram()
		n := native{Schema: h.GetSchema(), Count: h.GetSampleCount(), Sum: h.GetSampleSum(), Deltas: h.GetPositiveDelta()}
		for _, sp := range h.GetPositiveSpan() {
			n.Spans = append(n.Spans, span{sp.GetOffset(), sp.GetLength()})
		}
		got[s.labels["channel"]] = n
		if len(h.GetBucket()) != len(DefaultBuckets) {
			t.Errorf("%s: %d classic buckets next to the native ones, want %d", s.labels["channel"], len(h.GetBucket()), len(DefaultBuckets))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("native histograms (-want +got):\n%s", diff)
	}
	// A negative factor turns native buckets off.
	for _, s := range gather(t, mustNew(t, summarize(fiveLeads(), true, kpi.ByChannel), Options{NativeBucketFactor: -1}))[histogramName] {
		if h := s.metric.GetHistogram(); h.Schema != nil || len(h.GetPositiveSpan()) > 0 {
			t.Errorf("%s: native buckets with a negative factor", s.labels["channel"])
		}
	}
}
