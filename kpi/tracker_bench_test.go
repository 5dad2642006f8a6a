package kpi

import (
	"context"
	"errors"
	"hash/maphash"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/onemin/onemin"
)

// openConversations adds n conversations to tr, each with one customer
// message a millisecond after the previous one, none answered, in
// deliveries of 1 000 events.
func openConversations(tb testing.TB, tr *Tracker, n int) {
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	batch := make([]onemin.Event, 0, 1000)
	for i := 0; i < n; i++ {
		batch = append(batch, onemin.Event{Kind: onemin.MessageIn, Actor: onemin.Customer,
			ConversationID: "conv-" + strconv.Itoa(i), Channel: "whatsapp", Source: "instagram-ads",
			At: base.Add(time.Duration(i) * time.Millisecond)})
		if len(batch) == cap(batch) || i == n-1 {
			if err := tr.Add(context.Background(), batch...); err != nil {
				tb.Fatal(err)
			}
			batch = batch[:0]
		}
	}
}

// heapInUse returns the bytes of live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestTrackerMemory holds a million open conversations and checks that
// they take at most 200 MB of heap.
func TestTrackerMemory(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("a million conversations: skipped in -short and under the race detector")
	}
	const n = 1_000_000
	before := heapInUse()
	tr, err := NewTracker(TrackerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	openConversations(t, tr, n)
	used := heapInUse() - before
	if got := tr.Stats().Open; got != n {
		t.Fatalf("Open = %d, want %d", got, n)
	}
	t.Logf("%d open conversations: %.1f MB of heap, %.0f bytes each", n, float64(used)/1e6, float64(used)/n)
	if used > 200e6 {
		t.Errorf("%d open conversations take %.1f MB, over 200 MB", n, float64(used)/1e6)
	}
	runtime.KeepAlive(tr)
}

// BenchmarkTrackerOpenMemory reports the heap a million open
// conversations take.
func BenchmarkTrackerOpenMemory(b *testing.B) {
	const n = 1_000_000
	var used uint64
	for b.Loop() {
		before := heapInUse()
		tr, err := NewTracker(TrackerOptions{})
		if err != nil {
			b.Fatal(err)
		}
		openConversations(b, tr, n)
		used = heapInUse() - before
		runtime.KeepAlive(tr)
	}
	b.ReportMetric(float64(used)/1e6, "MB/1M-open")
	b.ReportMetric(float64(used)/n, "B/conversation")
}

// BenchmarkTrackerAdd feeds a log of a million events (about 200 000
// conversations, see benchEvents) to a new tracker in deliveries of 100,
// from one goroutine and from one per CPU; Summarize over the same log is
// the peer.
func BenchmarkTrackerAdd(b *testing.B) {
	const n = 1_000_000
	events := benchEvents(n)
	ctx := context.Background()
	const delivery = 100
	// rate reports events per wall-clock second and per CPU-second of
	// the process (on a shared machine, the second is closer to an idle
	// machine's rate; for the parallel run it counts both cores).
	rate := func(b *testing.B, loop func()) {
		cpu0, cpuOK := cpuTime()
		for b.Loop() {
			loop()
		}
		events := float64(n) * float64(b.N)
		b.ReportMetric(events/b.Elapsed().Seconds(), "events/s")
		if cpu1, ok := cpuTime(); ok && cpuOK && cpu1 > cpu0 {
			b.ReportMetric(events/(cpu1-cpu0).Seconds(), "events/cpu-s")
		}
	}
	// The log has a few replies at the very instant of a customer's next
	// message, sorted before it: without lateness they are too late.
	add := func(b *testing.B, tr *Tracker, events []onemin.Event) {
		if err := tr.Add(ctx, events...); err != nil && !errors.Is(err, ErrTooLate) {
			b.Error(err)
		}
	}
	for _, lateness := range []time.Duration{0, time.Minute} {
		b.Run("serial/lateness="+lateness.String(), func(b *testing.B) {
			b.ReportAllocs()
			rate(b, func() {
				tr, _ := NewTracker(TrackerOptions{Lateness: lateness})
				for i := 0; i < n; i += delivery {
					add(b, tr, events[i:min(i+delivery, n)])
				}
			})
		})
	}
	b.Run("parallel", func(b *testing.B) {
		// Each goroutine gets whole conversations, in time order, as a
		// webhook handler would.
		g := runtime.GOMAXPROCS(0)
		parts := make([][]onemin.Event, g)
		seed := maphash.MakeSeed()
		for _, e := range events {
			p := maphash.String(seed, e.ConversationID) % uint64(g)
			parts[p] = append(parts[p], e)
		}
		b.ReportAllocs()
		rate(b, func() {
			tr, _ := NewTracker(TrackerOptions{})
			var wg sync.WaitGroup
			for _, part := range parts {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; i < len(part); i += delivery {
						add(b, tr, part[i:min(i+delivery, len(part))])
					}
				}()
			}
			wg.Wait()
		})
	})
	b.Run("peer=Summarize", func(b *testing.B) {
		b.ReportAllocs()
		rate(b, func() { Summarize(events, Options{}) })
	})
}

// BenchmarkTrackerReport reads the report of a tracker holding 100 000
// open conversations, grouped by channel: what a dashboard or a metrics
// scrape costs.
func BenchmarkTrackerReport(b *testing.B) {
	tr, err := NewTracker(TrackerOptions{GroupBy: []Dimension{ByChannel}})
	if err != nil {
		b.Fatal(err)
	}
	openConversations(b, tr, 100_000)
	b.ReportAllocs()
	for b.Loop() {
		tr.Report()
	}
}

// BenchmarkTrackerAdvance is one second of a platform where 1 000 leads
// arrive a second and nobody answers: each op adds a second's leads and
// advances the time by a second, sending the at-risk and breach notices
// that fall due (about 1 000 of each) and closing out those idle for a
// minute, with about 60 000 conversations open.
func BenchmarkTrackerAdvance(b *testing.B) {
	tr, err := NewTracker(TrackerOptions{Notices: -1, IdleAfter: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	batch := make([]onemin.Event, 1000)
	ctx := context.Background()
	second := func(s int) {
		now := start.Add(time.Duration(s) * time.Second)
		for i := range batch {
			batch[i] = onemin.Event{Kind: onemin.MessageIn, Actor: onemin.Customer, Channel: "whatsapp",
				ConversationID: "s" + strconv.Itoa(s) + "-" + strconv.Itoa(i), At: now.Add(time.Duration(i) * time.Millisecond)}
		}
		if err := tr.Add(ctx, batch...); err != nil {
			b.Fatal(err)
		}
		tr.AdvanceTo(now)
	}
	for s := range 120 { // warm up to the steady state
		second(s)
	}
	s := 120
	b.ReportAllocs()
	for b.Loop() {
		second(s)
		s++
	}
	b.ReportMetric(float64(tr.Stats().Open), "open")
}

// BenchmarkTrackerAddDelivery feeds the first 200 000 events of the
// benchmark log to a new tracker in deliveries of different sizes: what
// a webhook that forwards events one by one costs next to one that
// forwards them in batches.
func BenchmarkTrackerAddDelivery(b *testing.B) {
	const n = 200_000
	events := benchEvents(n)
	ctx := context.Background()
	for _, delivery := range []int{1, 10, 100, 1000} {
		b.Run("delivery="+strconv.Itoa(delivery), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				tr, _ := NewTracker(TrackerOptions{})
				for i := 0; i < n; i += delivery {
					if err := tr.Add(ctx, events[i:min(i+delivery, n)]...); err != nil && !errors.Is(err, ErrTooLate) {
						b.Error(err)
					}
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkHeldQueue is a shard's queue of held events in its steady
// state: each op holds one event and releases the oldest, with a window
// of events held as a lateness keeps them. The cost per op should not
// grow with the window.
func BenchmarkHeldQueue(b *testing.B) {
	for _, window := range []int{1_000, 100_000} {
		b.Run("window="+strconv.Itoa(window), func(b *testing.B) {
			var q heldQueue
			var seq uint64
			for range window {
				seq++
				q.push(heldEvent{at: int64(seq), seq: seq})
			}
			var buf []heldEvent
			b.ReportAllocs()
			for b.Loop() {
				seq++
				q.push(heldEvent{at: int64(seq), seq: seq})
				got, inRun := q.due(int64(seq-uint64(window)), &buf)
				if len(got) != 1 || !inRun {
					b.Fatalf("%d events due, in the run: %v; want 1, true", len(got), inRun)
				}
				q.drop(1)
			}
		})
	}
}

// BenchmarkTrackerGC measures a full garbage collection while a tracker
// holds a million open conversations: what the tracker adds to every
// collection of a program that embeds it.
func BenchmarkTrackerGC(b *testing.B) {
	tr, err := NewTracker(TrackerOptions{})
	if err != nil {
		b.Fatal(err)
	}
	openConversations(b, tr, 1_000_000)
	runtime.GC()
	b.ResetTimer()
	for b.Loop() {
		runtime.GC()
	}
	runtime.KeepAlive(tr)
}
