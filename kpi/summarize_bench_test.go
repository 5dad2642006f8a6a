package kpi

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/onemin/onemin"
)

// benchEvents returns n events, about five per conversation, in time
// order, deterministically: a customer writes, the bot answers (or an
// automation, or nobody), the customer writes again, a manager answers,
// the dialog is closed. Conversations start 50 ms apart.
func benchEvents(n int) []onemin.Event {
	rng := rand.New(rand.NewPCG(1, 2))
	channels := []string{"whatsapp", "instagram", "telegram", "web", "email"}
	agents := []string{"bot", "anna", "oleg", "irina"}
	events := make([]onemin.Event, 0, n+5)
	base := time.Date(2025, 3, 3, 0, 0, 0, 0, time.UTC)
	for c := 0; len(events) < n; c++ {
		conv := "c" + strconv.Itoa(c)
		start := base.Add(time.Duration(c) * 50 * time.Millisecond)
		ch := channels[rng.IntN(len(channels))]
		ev := func(k onemin.Kind, a onemin.Actor, after time.Duration, agent string) {
			if len(events) < n {
				events = append(events, onemin.Event{Kind: k, Actor: a, ConversationID: conv,
					At: start.Add(after), Channel: ch, Agent: agent, Source: "ads"})
			}
		}
		t := time.Duration(0)
		ev(onemin.MessageIn, onemin.Customer, t, "")
		t += time.Duration(rng.ExpFloat64() * float64(40*time.Second))
		switch rng.IntN(10) {
		case 0:
			ev(onemin.MessageOut, onemin.Automation, t, "")
		case 1:
		default:
			ev(onemin.MessageOut, onemin.Bot, t, "bot")
		}
		t += time.Duration(rng.IntN(300)) * time.Second
		ev(onemin.MessageIn, onemin.Customer, t, "")
		t += time.Duration(rng.ExpFloat64() * float64(3*time.Minute))
		ev(onemin.MessageOut, onemin.Human, t, agents[1+rng.IntN(3)])
		t += time.Duration(rng.IntN(3600)) * time.Second
		ev(onemin.Closed, onemin.ActorNone, t, "")
	}
	onemin.SortByTime(events)
	return events
}

func BenchmarkSummarize(b *testing.B) {
	for _, n := range []int{100_000, 10_000_000} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			if n > 1_000_000 && testing.Short() {
				b.Skip("10M events need about 3 GB; skipped in -short")
			}
			events := benchEvents(n)
			opts := Options{SLA: RecommendedSLA()}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				Summarize(events, opts)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkSummarizeGrouped adds three breakdowns and a business-hours
// clock to the 100k run.
func BenchmarkSummarizeGrouped(b *testing.B) {
	events := benchEvents(100_000)
	cal, err := NewCalendar(time.UTC, MustParseSchedule("mon-fri 09:00-18:00; sat 10:00-16:00"))
	if err != nil {
		b.Fatal(err)
	}
	opts := Options{SLA: RecommendedSLA(), Clock: cal, GroupBy: []Dimension{ByChannel, ByAgent, ByHour}}
	b.ReportAllocs()
	for b.Loop() {
		Summarize(events, opts)
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkSummarizeShuffled measures the replay path: events in no order.
func BenchmarkSummarizeShuffled(b *testing.B) {
	events := benchEvents(100_000)
	rand.New(rand.NewPCG(3, 4)).Shuffle(len(events), func(i, j int) { events[i], events[j] = events[j], events[i] })
	b.ReportAllocs()
	for b.Loop() {
		Summarize(events, Options{})
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkFirstReplyViaConversations is the peer: the straightforward
// way with the root package's per-conversation view, which copies every
// event into its conversation, then a loop per conversation and one sort
// of the durations.
func BenchmarkFirstReplyViaConversations(b *testing.B) {
	events := benchEvents(100_000)
	b.ReportAllocs()
	for b.Loop() {
		var secs []float64
		for _, c := range onemin.Conversations(events) {
			in, ok := c.First(onemin.MessageIn)
			if !ok {
				continue
			}
			for _, e := range c.Events {
				if e.Kind == onemin.MessageOut && e.Actor != onemin.Automation && !e.At.Before(in.At) {
					secs = append(secs, e.At.Sub(in.At).Seconds())
					break
				}
			}
		}
		slices.Sort(secs)
	}
	b.ReportMetric(float64(len(events))*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
