package cohort

import (
	"strconv"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// contactHistories makes n events of contacts who come back now and then
// over a year and sometimes pay, in time order per contact.
func contactHistories(n int) []onemin.Event {
	out := make([]onemin.Event, 0, n)
	sources := []string{"instagram", "telegram", "whatsapp", "site", "2gis"}
	price := decimal.RequireFromString("2500.00")
	base := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	for c := 0; len(out) < n; c++ {
		id := strconv.Itoa(c)
		at := base.Add(time.Duration(c%300_000) * 97 * time.Second)
		visits := 1 + c*7919%12
		for v := 0; v < visits && len(out) < n; v++ {
			at = at.Add(time.Duration(1+c%40) * 24 * time.Hour)
			out = append(out, onemin.Event{Kind: onemin.MessageIn, At: at, ContactID: id, ConversationID: id, Source: sources[c%len(sources)]})
			if v%3 == 0 && len(out) < n {
				out = append(out, onemin.Event{Kind: onemin.Payment, At: at.Add(time.Hour), ContactID: id, Amount: price, Currency: "RUB"})
			}
		}
	}
	return out
}

var benchHistories = map[int][]onemin.Event{}

func BenchmarkCohorts(b *testing.B) {
	asOf := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	for _, n := range []int{100_000, 10_000_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			if benchHistories[n] == nil {
				benchHistories[n] = contactHistories(n)
			}
			events := benchHistories[n]
			cfg := Config{By: ByMonth, Period: Month, Location: time.FixedZone("UTC+3", 3*3600)}
			b.ReportAllocs()
			for b.Loop() {
				c, err := Build(events, cfg, asOf)
				if err != nil {
					b.Fatal(err)
				}
				c.Retention(On)
				if _, err := c.LTV(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
