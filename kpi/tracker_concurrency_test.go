package kpi

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onemin/onemin"
)

// TestTrackerConcurrentLoad has many goroutines add the conversations of
// a log while others advance the time and read reports and stats; the
// final report must count what Summarize counts over the same log. Run it
// with -race.
func TestTrackerConcurrentLoad(t *testing.T) {
	const writers, convsEach = 16, 200
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	logs := make([][]onemin.Event, writers)
	var all []onemin.Event
	for w := range logs {
		for c := range convsEach {
			conv := fmt.Sprintf("w%d-c%d", w, c)
			start := base.Add(time.Duration(c) * time.Second)
			logs[w] = append(logs[w], onemin.Event{Kind: onemin.MessageIn, Actor: onemin.Customer,
				ConversationID: conv, Channel: []string{"whatsapp", "web"}[c%2], At: start})
			if c%3 != 0 {
				logs[w] = append(logs[w], onemin.Event{Kind: onemin.MessageOut, Actor: onemin.Bot,
					ConversationID: conv, At: start.Add(time.Duration(c%90) * time.Second)})
			}
		}
		all = append(all, logs[w]...)
	}
	tr, err := NewTracker(TrackerOptions{GroupBy: []Dimension{ByChannel}, Notices: 64, Shards: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	var writing, reading sync.WaitGroup
	for _, log := range logs {
		writing.Add(1)
		go func() {
			defer writing.Done()
			for i := 0; i < len(log); i += 7 {
				if err := tr.Add(ctx, log[i:min(i+7, len(log))]...); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	stop := make(chan struct{})
	reading.Add(3)
	go func() { // the clock
		defer reading.Done()
		for s := 0; ; s++ {
			select {
			case <-stop:
				return
			default:
				tr.AdvanceTo(base.Add(time.Duration(s%convsEach) * time.Second))
			}
		}
	}()
	go func() { // a slow notice reader
		defer reading.Done()
		for {
			select {
			case <-stop:
				return
			case <-tr.Notices():
				time.Sleep(time.Millisecond)
			}
		}
	}()
	go func() { // a dashboard
		defer reading.Done()
		for {
			select {
			case <-stop:
				return
			default:
				_ = tr.Report()
				_ = tr.Stats()
			}
		}
	}()
	writing.Wait()
	close(stop)
	reading.Wait()
	got := tr.Report()
	want := Summarize(all, Options{GroupBy: []Dimension{ByChannel}})
	agreeReports(t, want, got, tr.newAccumulator().RelativeError())
	if s := tr.Stats(); s.Applied != int64(len(all)) || s.Open != writers*convsEach {
		t.Errorf("stats %+v: want %d applied, %d open", s, len(all), writers*convsEach)
	}
}
