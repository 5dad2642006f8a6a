// Package promkpi exposes the One-Minute KPI to Prometheus: a
// [prometheus.Collector] that reads a [kpi.Report] at every scrape — from a
// live *[kpi.Tracker], or from any function that returns one — and turns
// it into gauges and histograms, with the tracker's own counters.
//
// It lives in a module of its own (github.com/onemin/onemin/adapters/prometheus)
// so that the core module does not depend on client_golang. Its package
// name is promkpi, so that it does not shadow client_golang's prometheus.
//
// # Wiring
//
// A webhook handler feeds a tracker and an [Observer], the tracker is the
// collector's source, and the caller registers both and serves /metrics:
//
//	tracker, _ := kpi.NewTracker(kpi.TrackerOptions{
//		GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent},
//	})
//	collector, _ := promkpi.New(tracker, promkpi.Options{})
//	observer, _ := promkpi.NewObserver(tracker.Options(), promkpi.Options{})
//	reg := prometheus.NewRegistry()
//	reg.MustRegister(collector, observer)
//	sink := onemin.SinkFunc(func(ctx context.Context, events ...onemin.Event) error {
//		return errors.Join(tracker.Add(ctx, events...), observer.Add(ctx, events...))
//	})
//	// the webhook handlers feed sink; then
//	http.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
//	// and, once a second, with the time the caller keeps: tracker.AdvanceTo(now)
//
// examples/live in this module is the whole program, with a Telegram and a
// WhatsApp webhook.
//
// # Metrics
//
// Every metric has the prefix onemin_, durations are in seconds and rates
// are ratios from 0 to 1, as Prometheus names them. Every metric carries the
// constant label step (first_reply, bot_reply, handoff_reply, confirmation or
// closing): a tracker measures one step, and collectors of trackers of
// different steps register side by side. The definitions are those of
// package kpi. By channel:
//
//	onemin_leads{outcome}                     gauge      leads met, breached or pending
//	onemin_leads_unanswered                   gauge      leads whose step has not stopped
//	onemin_sla_ratio                          gauge      met ÷ (met + breached), 0–1
//	onemin_sla_target_seconds                 gauge      the SLA target
//	onemin_step_duration_percentile_seconds   gauge      P50, P90, P99 of the answered leads' durations (label percentile)
//	onemin_step_duration_mean_seconds         gauge      their mean
//	onemin_step_duration_seconds              histogram  classic and native buckets of the same durations
//
// where, as of the report's time, a lead is met when its step stopped
// within the target (duration ≤ target), breached when it stopped later or
// has not stopped and its deadline has passed, and pending otherwise; the
// SLA rate is met ÷ (leads − pending). By agent and by tenant, the same
// but the target and the histogram, named onemin_agent_… with the label
// agent and onemin_tenant_… with the label tenant.
//
// The numbers of a report are gauges, because each of them can fall: a
// report is the state of the leads its source holds as of a time. Pending
// leads are decided; a reply that arrives late, stamped before the
// deadline, turns a breached lead into a met one; a lead counts under the
// first agent named until it is answered, then under the agent who
// replied; and a tracker that forgets old days ([kpi.Tracker.Forget])
// drops their leads. A counter that falls would read as a reset and make
// rate() invent an increase.
//
// The SLA rate of several series is a ratio of sums, never a mean of
// ratios; over all channels, and the One-Minute KPI's alert:
//
//	sum(onemin_leads{outcome="met"}) / sum(onemin_leads{outcome!="pending"})
//	onemin_sla_ratio < 0.7
//
// A ratio whose denominator is zero is undefined, so onemin_sla_ratio is
// absent, not zero, until a lead is decided; so are the target when leads
// had different ones, and the percentiles and the mean when nothing is
// answered.
//
// The channel series are those of the report's breakdown by channel; a
// report without one gives one series with an empty channel, the total.
// The agent and tenant series need a breakdown by agent and by tenant: a
// tracker keeps them when made with GroupBy ByChannel, ByAgent and
// ByTenant. A collector with a constant tenant label serves one business
// and exposes no tenant series.
//
// The percentiles are the report's: from the tracker's summaries, or exact
// from [kpi.Summarize], by the report's percentile method (Hyndman–Fan
// type 7 by default). Percentiles do not add, so they cannot be
// aggregated over instances or groups. The histogram can: its buckets
// count durations at or below each bound (le), the same ≤ as met, so with
// a 60 s target the le="60" bucket counts exactly the met leads. It is
// built from the report's per-lead results, which [kpi.Summarize] keeps
// when asked (Options.KeepLeads), and suits a report over an event log
// that only grows, as a histogram's counts must. A tracker's report keeps
// no leads, so for a tracker the histogram comes from an [Observer] fed
// the same events: it observes each lead's duration once, as its step
// stops, by [kpi.Measure] under the tracker's step, policy and clock, so
// its count is the tracker's answered leads. Classic buckets default to
// 1 s, 3 s, 10 s, 30 s, 1 min, 3 min, 15 min, 1 h, 4 h and 24 h
// ([DefaultBuckets]); native buckets grow by at most 10 % (schema 3).
//
// For a tracker the collector adds its ingestion counts:
// onemin_tracker_events_total by state (applied, rejected, ignored,
// out_of_range, unlinked, too_late), onemin_tracker_events_held,
// onemin_tracker_conversations_open, onemin_tracker_conversations_closed_total,
// onemin_tracker_conversations_closed_unanswered_total,
// onemin_tracker_notices_total and onemin_tracker_notices_dropped_total.
// An Observer adds what it holds and drops:
// onemin_observer_conversations_open and
// onemin_observer_messages_dropped_total.
//
// # Cardinality
//
// Each label value is a time series of its own, and channel, agent and
// tenant values come from the data. A [Limit] per label keeps either an
// allow-list or the first Max values seen (16 channels, 64 agents and 100
// tenants by default), and folds the rest into the value [Other]; leads
// with no channel, agent or tenant get [None]. Values are admitted for
// good, the biggest group first, so that no group ever moves between its
// own series and Other, which would make both series jump and break their
// history (and the histogram's counts). Other keeps counts, ratio and
// mean, but no percentiles, which do not add.
package promkpi
