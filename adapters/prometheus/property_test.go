package promkpi

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"pgregory.net/rapid"
)

var (
	base     = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	channels = []string{"whatsapp", "telegram", "web", "instagram", ""}
	agents   = []string{"anna", "boris", "bot-1", ""}
)

// drawEvents draws a few conversations: a customer message, and maybe a
// reply by a bot, a human or an automation (which stops no clock) some
// seconds later.
func drawEvents(t *rapid.T) []onemin.Event {
	n := rapid.IntRange(0, 25).Draw(t, "conversations")
	var events []onemin.Event
	for i := range n {
		conv := fmt.Sprintf("c%d", i)
		channel := rapid.SampledFrom(channels).Draw(t, "channel")
		start := base.Add(time.Duration(rapid.IntRange(0, 3600).Draw(t, "start")) * time.Second)
		events = append(events, onemin.Event{ID: conv + "-in", Kind: onemin.MessageIn, At: start,
			ConversationID: conv, Channel: channel, Actor: onemin.Customer})
		if rapid.Bool().Draw(t, "replied") {
			delay := time.Duration(rapid.IntRange(0, 300).Draw(t, "delay")) * time.Second
			actor := rapid.SampledFrom([]onemin.Actor{onemin.Bot, onemin.Human, onemin.Automation}).Draw(t, "actor")
			events = append(events, onemin.Event{ID: conv + "-out", Kind: onemin.MessageOut, At: start.Add(delay),
				ConversationID: conv, Channel: channel, Actor: actor, Agent: rapid.SampledFrom(agents).Draw(t, "agent")})
		}
	}
	return events
}

// TestPropertyCountsAddUp checks the exposition against the report it
// came from: whatever the folding, the channel and agent series add up to
// the total; each ratio is its series' met ÷ decided; percentiles rise
// with p; the histograms count the answered leads, and their le="60"
// buckets count exactly the met leads, since a lead is met when answered
// within 60 s.
func TestPropertyCountsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		asOf := base.Add(time.Duration(rapid.IntRange(0, 4000).Draw(t, "asOf")) * time.Second)
		rep := kpi.Summarize(events, kpi.Options{AsOf: asOf, KeepLeads: true,
			GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}})
		opts := Options{
			Channels: Limit{Max: rapid.IntRange(-1, 5).Draw(t, "maxChannels")},
			Agents:   Limit{Max: rapid.IntRange(-1, 4).Draw(t, "maxAgents")},
			Buckets:  []float64{10, 60, 180},
		}
		c, err := New(ReportFunc(func() kpi.Report { return rep }), opts)
		if err != nil {
			t.Fatal(err)
		}
		got := gather(t, c)
		total := rep.Summary.Counts
		for _, prefix := range []string{"onemin_", "onemin_agent_"} {
			if total.Leads == 0 && prefix == "onemin_agent_" {
				continue // no groups, no agent series
			}
			outcomes := sumByLabel(got, prefix+"leads", "outcome")
			for name, c := range map[string]struct{ got, want float64 }{
				"met":        {outcomes["met"], float64(total.Met)},
				"breached":   {outcomes["breached"], float64(total.Breached)},
				"pending":    {outcomes["pending"], float64(total.Pending)},
				"unanswered": {sum(got[prefix+"leads_unanswered"]), float64(total.Unanswered)},
			} {
				if c.got != c.want {
					t.Fatalf("Σ %s %s = %v, want %v", prefix, name, c.got, c.want)
				}
			}
			met, breached := map[string]float64{}, map[string]float64{}
			for _, s := range got[prefix+"leads"] {
				group := without(s.labels, "outcome")
				switch s.labels["outcome"] {
				case "met":
					met[group] = s.value
				case "breached":
					breached[group] = s.value
				}
			}
			for _, r := range got[prefix+"sla_ratio"] {
				k := key(r.labels)
				if want := met[k] / (met[k] + breached[k]); math.Abs(r.value-want) > 1e-15 {
					t.Fatalf("%ssla_ratio %v = %v, want %v", prefix, r.labels, r.value, want)
				}
			}
			if len(got[prefix+"sla_ratio"]) != countDecided(met, breached) {
				t.Fatalf("%d %ssla_ratio series, want one per decided group", len(got[prefix+"sla_ratio"]), prefix)
			}
			// Percentiles are monotone in p, and never given for other.
			byGroup := map[string]map[string]float64{}
			for _, p := range got[prefix+"step_duration_percentile_seconds"] {
				if p.labels["channel"] == Other || p.labels["agent"] == Other {
					t.Fatalf("percentiles for other: %v", p.labels)
				}
				g := without(p.labels, "percentile")
				if byGroup[g] == nil {
					byGroup[g] = map[string]float64{}
				}
				byGroup[g][p.labels["percentile"]] = p.value
			}
			for g, ps := range byGroup {
				if !(ps["50"] <= ps["90"] && ps["90"] <= ps["99"]) {
					t.Fatalf("%s percentiles of %s not monotone: %v", prefix, g, ps)
				}
			}
		}
		if s := sum(got[histogramName]); s != float64(total.Answered) {
			t.Fatalf("histogram count %v, want %d answered", s, total.Answered)
		}
		var le60 uint64
		for _, h := range got[histogramName] {
			for _, b := range h.metric.GetHistogram().GetBucket() {
				if b.GetUpperBound() == 60 {
					le60 += b.GetCumulativeCount()
				}
			}
		}
		if le60 != uint64(total.Met) {
			t.Fatalf("Σ bucket le=60 = %d, want %d met", le60, total.Met)
		}
		channelsSeen := len(sumByLabel(got, "onemin_leads_unanswered", "channel"))
		if limit := max(opts.Channels.Max, 0) + 2; opts.Channels.Max != 0 && channelsSeen > limit {
			t.Fatalf("%d channel series, want at most %d (kept, other, none)", channelsSeen, limit)
		}
	})
}

// TestPropertyAdmissionIsSticky feeds a tracker in batches, scraping after
// each, with room for two channels: a channel that has its own series
// keeps it in every later scrape, no more than two ever have one, and a
// channel first folded into other never gets one.
func TestPropertyAdmissionIsSticky(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := drawEvents(t)
		tr, err := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel}, Notices: -1})
		if err != nil {
			t.Fatal(err)
		}
		c, err := New(tr, Options{Channels: Limit{Max: 2}})
		if err != nil {
			t.Fatal(err)
		}
		own, folded := map[string]bool{}, map[string]bool{}
		for len(events) > 0 {
			n := rapid.IntRange(1, len(events)).Draw(t, "batch")
			if err := tr.Add(context.Background(), events[:n]...); err != nil {
				t.Fatal(err)
			}
			for _, e := range events[:n] {
				if e.Channel != "" && !own[e.Channel] && len(own) == 2 {
					folded[e.Channel] = true
				}
			}
			events = events[n:]
			now := map[string]bool{}
			for ch := range sumByLabel(gather(t, c), "onemin_leads_unanswered", "channel") {
				if ch != Other && ch != None {
					now[ch] = true
				}
			}
			for ch := range own {
				if !now[ch] {
					t.Fatalf("channel %q lost its series", ch)
				}
			}
			for ch := range now {
				if folded[ch] {
					t.Fatalf("channel %q, folded into other before, got a series", ch)
				}
				own[ch] = true
			}
			if len(own) > 2 {
				t.Fatalf("%d channels with a series of their own, want at most 2", len(own))
			}
		}
	})
}

// without returns the key of labels less one.
func without(labels map[string]string, name string) string {
	rest := map[string]string{}
	for k, v := range labels {
		if k != name {
			rest[k] = v
		}
	}
	return key(rest)
}

func sum(series []sample) float64 {
	var s float64
	for _, x := range series {
		s += x.value
	}
	return s
}

func key(labels map[string]string) string { return fmt.Sprint(labels) }

func countDecided(met, breached map[string]float64) int {
	n := 0
	for k := range met {
		if met[k]+breached[k] > 0 {
			n++
		}
	}
	return n
}
