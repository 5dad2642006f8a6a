package promkpi

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/prometheus/client_golang/prometheus"
)

// TestConcurrentScrapes scrapes a collector and an observer from several
// goroutines while others feed them (run it with -race): every scrape
// succeeds, and once the feeding is done the series hold every lead.
func TestConcurrentScrapes(t *testing.T) {
	tr, err := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}, Notices: -1})
	if err != nil {
		t.Fatal(err)
	}
	c := mustNew(t, tr, Options{Channels: Limit{Max: 2}})
	obs := mustObserver(t, tr.Options(), Options{Channels: Limit{Max: 2}})
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c, obs)
	sink := onemin.SinkFunc(func(ctx context.Context, events ...onemin.Event) error {
		return errors.Join(tr.Add(ctx, events...), obs.Add(ctx, events...))
	})

	const feeders, leads = 4, 200
	var feeding, scraping sync.WaitGroup
	done := make(chan struct{})
	for f := range feeders {
		feeding.Add(1)
		go func() {
			defer feeding.Done()
			for i := range leads {
				conv := fmt.Sprintf("f%d-c%d", f, i)
				start := base.Add(time.Duration(i) * time.Second)
				channel := channels[(f+i)%len(channels)]
				err := sink.Add(context.Background(),
					onemin.Event{ID: conv + "i", Kind: onemin.MessageIn, At: start, ConversationID: conv, Channel: channel, Actor: onemin.Customer},
					onemin.Event{ID: conv + "o", Kind: onemin.MessageOut, At: start.Add(time.Duration(i%90) * time.Second),
						ConversationID: conv, Channel: channel, Actor: onemin.Human, Agent: agents[i%len(agents)]})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	for range 2 {
		scraping.Add(1)
		go func() {
			defer scraping.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				if _, err := reg.Gather(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	feeding.Wait()
	close(done)
	scraping.Wait()

	outcomes := sumByLabel(gather(t, c), "onemin_leads", "outcome")
	if got := outcomes["met"] + outcomes["breached"] + outcomes["pending"]; got != feeders*leads {
		t.Errorf("leads in the series: %v, want %d", got, feeders*leads)
	}
	if got := sum(gather(t, obs)[histogramName]); got != feeders*leads {
		t.Errorf("observations: %v, want %d, every lead answered", got, feeders*leads)
	}
}

// TestForgottenDaysFall shows why a report's numbers are gauges: a
// tracker that forgets a day drops its leads from every later report.
func TestForgottenDaysFall(t *testing.T) {
	tr, err := kpi.NewTracker(kpi.TrackerOptions{GroupBy: []kpi.Dimension{kpi.ByChannel}, IdleAfter: time.Hour, Notices: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Add(context.Background(), fiveLeads()...); err != nil {
		t.Fatal(err)
	}
	nextDay := time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)
	tr.AdvanceTo(nextDay) // all five conversations are idle and closed out
	c := mustNew(t, tr, Options{})
	before := sumByLabel(gather(t, c), "onemin_leads", "outcome")
	if got := before["met"] + before["breached"] + before["pending"]; got != 5 {
		t.Fatalf("leads before forgetting: %v, want 5", got)
	}
	tr.Forget(nextDay)
	if got := values(t, c, "onemin_leads"); len(got) != 0 {
		t.Errorf("series after forgetting the day: %v, want none", got)
	}
}
