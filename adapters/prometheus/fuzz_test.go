package promkpi

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

// fuzzLabels are channel and agent names with the awkward cases: empty,
// invalid UTF-8 (two that clean to the same value), and the collector's
// own Other and None.
var fuzzLabels = []string{"", "whatsapp", "telegram", "a\xff", "a\xfe", Other, None, "Анна"}

// eventsFromBytes turns every five bytes into one event: conversation,
// kind and actor, channel, agent, and a time in seconds after base.
func eventsFromBytes(data []byte) []onemin.Event {
	var events []onemin.Event
	for i := 0; i+5 <= len(data); i += 5 {
		b := data[i : i+5]
		conv := fmt.Sprint("c", b[0]%8)
		e := onemin.Event{ID: fmt.Sprint("e", i), ConversationID: conv, At: base.Add(time.Duration(b[4]) * 3 * time.Second),
			Channel: fuzzLabels[int(b[2])%len(fuzzLabels)], Agent: fuzzLabels[int(b[3])%len(fuzzLabels)]}
		switch b[1] % 4 {
		case 0:
			e.Kind, e.Actor = onemin.MessageIn, onemin.Customer
		case 1:
			e.Kind, e.Actor = onemin.MessageOut, onemin.Bot
		case 2:
			e.Kind, e.Actor = onemin.MessageOut, onemin.Human
		case 3:
			e.Kind, e.Actor = onemin.MessageOut, onemin.Automation
		}
		events = append(events, e)
	}
	return events
}

// FuzzCollect runs the collector over the report of arbitrary events with
// tight label limits: the scrape must succeed on a pedantic registry (no
// duplicate series, valid label values, consistent descriptors) and the
// channel series must add up to the total.
func FuzzCollect(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 0, 2, 1, 2, 10}, uint8(2), uint16(60))
	f.Add([]byte{1, 0, 3, 3, 0, 2, 0, 4, 4, 0, 1, 1, 5, 6, 200}, uint8(1), uint16(0))
	f.Fuzz(func(t *testing.T, data []byte, max uint8, asOfSeconds uint16) {
		if len(data) > 5*256 {
			data = data[:5*256] // 256 events are plenty for the label logic
		}
		events := eventsFromBytes(data)
		rep := kpi.Summarize(events, kpi.Options{AsOf: base.Add(time.Duration(asOfSeconds) * time.Second), KeepLeads: true,
			GroupBy: []kpi.Dimension{kpi.ByChannel, kpi.ByAgent}})
		c, err := New(ReportFunc(func() kpi.Report { return rep }), Options{
			Channels: Limit{Max: int(max%4) - 1},
			Agents:   Limit{Allow: []string{"whatsapp", "a\xff"}},
		})
		if err != nil {
			t.Fatal(err)
		}
		outcomes := sumByLabel(gather(t, c), "onemin_leads", "outcome")
		if got := outcomes["met"] + outcomes["breached"] + outcomes["pending"]; got != float64(rep.Summary.Leads) {
			t.Fatalf("Σ onemin_leads = %v, want %d", got, rep.Summary.Leads)
		}
	})
}

// FuzzObserver feeds an observer arbitrary events in arbitrary order and
// batches: it never panics, its scrape succeeds, and it observes each
// conversation at most once (nothing goes idle within the few minutes the
// events span).
func FuzzObserver(f *testing.F) {
	f.Add([]byte{0, 0, 1, 0, 0, 0, 2, 1, 2, 10}, uint8(1))
	f.Add([]byte{1, 1, 3, 3, 9, 1, 0, 4, 4, 0, 1, 2, 5, 6, 200}, uint8(2))
	f.Fuzz(func(t *testing.T, data []byte, batch uint8) {
		if len(data) > 5*256 {
			data = data[:5*256]
		}
		events := eventsFromBytes(data)
		obs, err := NewObserver(kpi.TrackerOptions{Policy: kpi.ReplyPolicy(batch % 2)}, Options{Channels: Limit{Max: 2}})
		if err != nil {
			t.Fatal(err)
		}
		size := int(batch%5) + 1
		for len(events) > 0 {
			n := min(size, len(events))
			if err := obs.Add(context.Background(), events[:n]...); err != nil {
				t.Fatal(err)
			}
			events = events[n:]
		}
		// eventsFromBytes names conversations c0–c7.
		if n := sum(gather(t, obs)[histogramName]); n > 8 {
			t.Fatalf("%v observations of at most 8 conversations", n)
		}
	})
}
