package funnel

import (
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/onemin/onemin"
)

// chatbotPaths makes n events of contacts that walk the chatbot funnel and
// drop out along the way, about ten events each, in time order.
func chatbotPaths(n int) []onemin.Event {
	out := make([]onemin.Event, 0, n)
	sources := []string{"instagram", "telegram", "whatsapp", "site"}
	path := []struct {
		kind  onemin.Kind
		actor onemin.Actor
	}{
		{onemin.MessageIn, onemin.Customer}, {onemin.MessageOut, onemin.Bot}, {onemin.MessageIn, onemin.Customer},
		{onemin.MessageOut, onemin.Bot}, {onemin.Lead, 0}, {onemin.Handoff, 0}, {onemin.MessageOut, onemin.Human},
		{onemin.DealWon, 0}, {onemin.Payment, 0}, {onemin.Closed, 0},
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := 0; len(out) < n; c++ {
		id := strconv.Itoa(c)
		at := base.Add(time.Duration(c) * 7 * time.Second)
		stop := 1 + c*7919%len(path) // how far this contact gets
		for s := 0; s < stop && len(out) < n; s++ {
			at = at.Add(time.Duration(1+c%50) * time.Minute)
			out = append(out, onemin.Event{Kind: path[s].kind, Actor: path[s].actor, At: at, ContactID: id,
				ConversationID: id, Source: sources[c%len(sources)], Channel: sources[c%len(sources)]})
		}
	}
	return out
}

var benchData = map[int][]onemin.Event{}
var benchMu sync.Mutex

func benchEvents(n int) []onemin.Event {
	benchMu.Lock()
	defer benchMu.Unlock()
	if benchData[n] == nil {
		benchData[n] = chatbotPaths(n)
	}
	return benchData[n]
}

func benchmarkFunnel(b *testing.B, n int, f Funnel) {
	events := benchEvents(n)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Compute(events); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

func BenchmarkChatbot(b *testing.B) {
	for _, n := range []int{100_000, 10_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchmarkFunnel(b, n, Chatbot()) })
	}
}

func BenchmarkChatbotBySourceTotals(b *testing.B) {
	f := Chatbot()
	f.By, f.Count, f.Window = BySource, Totals, 24*time.Hour
	for _, n := range []int{100_000, 10_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) { benchmarkFunnel(b, n, f) })
	}
}

// BenchmarkContactsView is the peer of the funnel benchmarks: grouping the
// same events per contact with the root package's view, which the funnel
// must at least do, without matching any step.
func BenchmarkContactsView(b *testing.B) {
	for _, n := range []int{100_000, 10_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			events := benchEvents(n)
			b.ReportAllocs()
			for b.Loop() {
				onemin.Contacts(events)
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
