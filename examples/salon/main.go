// Salon tells the story of a beauty salon that put a chat bot on its
// messengers in the middle of the month: the One-Minute KPI of the leads
// that came in before the bot went live, next to those that came after.
//
// It runs on the sample data that the onemin command embeds (a simulated
// October 2026 of a salon in Kazan; the bot answers from 15 October).
//
//	go run ./examples/salon
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
)

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// half is the KPI of the leads of one half of the month.
type half struct {
	kpi      kpi.Summary
	leads    int // conversations with a customer message
	bookings int // of those, the ones that led to a booking
}

// bookingRate is bookings ÷ leads × 100, undefined with no leads.
func (h half) bookingRate() kpi.NullFloat {
	if h.leads == 0 {
		return kpi.NullFloat{}
	}
	return kpi.Some(float64(h.bookings) / float64(h.leads) * 100)
}

func run(w io.Writer) error {
	res, err := csvio.ReadAll(sample.Open(), csvio.Options{Location: sample.Location()})
	if err != nil {
		return err
	}
	before, after := split(res.Events, sample.BotLive)
	b, a := measure(before), measure(after)

	fmt.Fprintf(w, "%s: before and after the bot (live %s)\n\n", sample.Name, sample.BotLive.Format(time.DateOnly))
	row := func(name, x, y string) { fmt.Fprintf(w, "%-26s %12s %12s\n", name, x, y) }
	row("", "before bot", "after bot")
	row("leads", fmt.Sprint(b.kpi.Leads), fmt.Sprint(a.kpi.Leads))
	row("median first reply", seconds(b.kpi.Median), seconds(a.kpi.Median))
	row("P90 first reply", seconds(b.kpi.P90), seconds(a.kpi.P90))
	row("SLA rate (≤ 60 s)", percent(b.kpi.Rate), percent(a.kpi.Rate))
	row("status", b.kpi.Status.String(), a.kpi.Status.String())
	row("lead → booking", percent(b.bookingRate()), percent(a.bookingRate()))
	return nil
}

// split puts each conversation in the half in which it started, so that a
// lead that came in on the 14th and was answered on the 15th counts
// before the bot. Events of no conversation are left out: they play no
// part in the KPI.
func split(events []onemin.Event, at time.Time) (before, after []onemin.Event) {
	for _, c := range onemin.Conversations(events) {
		if c.Started().Before(at) {
			before = append(before, c.Events...)
		} else {
			after = append(after, c.Events...)
		}
	}
	return before, after
}

func measure(events []onemin.Event) half {
	h := half{kpi: kpi.Summarize(events, kpi.Options{}).Summary}
	for _, c := range onemin.Conversations(events) {
		if _, ok := c.First(onemin.MessageIn); !ok {
			continue
		}
		h.leads++
		if _, ok := c.First(onemin.Booking); ok {
			h.bookings++
		}
	}
	return h
}

// seconds writes a duration in seconds as 3s, 12m5s or 9h44m10s.
func seconds(v kpi.NullFloat) string {
	s, ok := v.Get()
	if !ok {
		return "-"
	}
	return time.Duration(s * float64(time.Second)).Round(time.Second).String()
}

func percent(v kpi.NullFloat) string {
	p, ok := v.Get()
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", p)
}
