package cohort

import (
	"errors"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// FuzzBuild builds cohorts from events decoded from arbitrary bytes, over
// years and time zones: Build must not panic, sizes must add up to the
// contacts that entered, rates must stay in [0, 1], and a currency mix must
// be an error, never a sum.
func FuzzBuild(f *testing.F) {
	f.Add(byte(0), byte(0), uint16(100), []byte{0, 1, 0, 0, 1, 13, 5, 1, 2, 1, 200, 0})
	f.Add(byte(7), byte(2), uint16(3000), []byte{3, 13, 255, 2, 3, 14, 1, 3, 4, 1, 0, 0})
	f.Fuzz(func(t *testing.T, by, period byte, asOfDays uint16, data []byte) {
		locs := []*time.Location{time.UTC, time.FixedZone("UTC+14", 14*3600), time.FixedZone("UTC-12", -12*3600)}
		cfg := Config{
			By:       []Key{{}, BySource, ByMonth, ByWeek, ByDay, ByScenario, ByProduct, ByChannel}[by%8],
			Period:   Period(period % 3),
			Location: locs[int(by/8)%3],
		}
		var events []onemin.Event
		for i := 0; i+3 < len(data); i += 4 {
			e := onemin.Event{ContactID: string(rune('a' + data[i]%6)), Kind: onemin.Kind(data[i+1] % 20),
				Source: []string{"", "ads", "seo"}[data[i+2]%3],
				At:     start.Add(time.Duration(data[i+3])*37*time.Hour + time.Duration(data[i+2])*time.Minute)}
			if e.Kind == onemin.Payment || e.Kind == onemin.Refund {
				e.Amount, e.Currency = decimal.New(int64(data[i+2])*7, -2), []string{"RUB", "RUB", "KZT"}[data[i]%3]
			}
			events = append(events, e)
		}
		c, err := Build(events, cfg, start.Add(time.Duration(asOfDays)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		entered := map[string]bool{}
		currencies := map[string]bool{}
		for _, e := range events {
			if !e.At.After(c.asOf) {
				if DefaultActive(&e) {
					entered[e.ContactID] = true
				}
				if e.Currency != "" {
					currencies[e.Currency] = true
				}
			}
		}
		total := 0
		for _, s := range c.Sizes() {
			total += s.Contacts
		}
		if total != len(entered) {
			t.Fatalf("cohorts hold %d contacts, %d entered", total, len(entered))
		}
		for _, row := range c.Retention(OnOrAfter).Cohorts {
			for _, cell := range row.Cells {
				if v, ok := cell.Rate.Value(); ok && (v < 0 || v > 1) {
					t.Fatalf("rate %v", v)
				}
			}
		}
		if _, err := c.LTV(); (len(currencies) > 1) != errors.Is(err, ErrCurrencyMix) {
			t.Fatalf("currencies %v, LTV error %v", currencies, err)
		}
	})
}
