package cohort

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func genEvents(t *rapid.T) []onemin.Event {
	n := rapid.IntRange(0, 80).Draw(t, "n")
	kinds := []onemin.Kind{onemin.MessageIn, onemin.MessageOut, onemin.Touch, onemin.Payment, onemin.Refund, onemin.DealWon}
	out := make([]onemin.Event, n)
	for i := range out {
		e := onemin.Event{
			ID:        fmt.Sprintf("e%d", i),
			ContactID: rapid.SampledFrom([]string{"", "a", "b", "c", "d", "e", "f", "g"}).Draw(t, "contact"),
			Kind:      rapid.SampledFrom(kinds).Draw(t, "kind"),
			Source:    rapid.SampledFrom([]string{"", "ads", "seo", "bot"}).Draw(t, "source"),
			At:        start.Add(time.Duration(rapid.IntRange(0, 200*24).Draw(t, "hour")) * time.Hour),
		}
		if e.Kind == onemin.Payment || e.Kind == onemin.Refund {
			e.Amount, e.Currency = decimal.New(int64(rapid.IntRange(0, 100000).Draw(t, "cents")), -2), "RUB"
		}
		out[i] = e
	}
	return out
}

func genConfig(t *rapid.T) (Config, time.Time) {
	cfg := Config{
		By:     rapid.SampledFrom([]Key{{}, BySource, ByMonth, ByWeek, ByDay}).Draw(t, "by"),
		Period: Period(rapid.IntRange(0, 2).Draw(t, "period")),
		Location: rapid.SampledFrom([]*time.Location{time.UTC, time.FixedZone("UTC+5", 5*3600),
			time.FixedZone("UTC-7", -7*3600)}).Draw(t, "loc"),
	}
	return cfg, start.Add(time.Duration(rapid.IntRange(0, 220*24).Draw(t, "asOf")) * time.Hour)
}

func build(t *rapid.T, events []onemin.Event, cfg Config, asOf time.Time) *Cohorts {
	c, err := Build(events, cfg, asOf)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestPropertyCohortsPartitionContacts(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		cfg, asOf := genConfig(t)
		c := build(t, events, cfg, asOf)
		contacts := map[string]bool{}
		for _, e := range events {
			if e.ContactID != "" && !e.At.After(asOf) && DefaultActive(&e) {
				contacts[e.ContactID] = true
			}
		}
		seen := map[string]bool{}
		total := 0
		for _, g := range c.groups {
			if seen[g.key] {
				t.Fatalf("cohort %q twice", g.key)
			}
			seen[g.key] = true
			total += len(g.contacts)
		}
		if total != len(contacts) {
			t.Fatalf("cohorts hold %d contacts, the events %d", total, len(contacts))
		}
	})
}

func TestPropertyRatesAreRatios(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cfg, asOf := genConfig(t)
		c := build(t, genEvents(t), cfg, asOf)
		var rates []onemin.Ratio
		on, after := c.Retention(On), c.Retention(OnOrAfter)
		for i, row := range on.Cohorts {
			for k, cell := range row.Cells {
				if a := after.Cohorts[i].Cells[k]; a.Active < cell.Active {
					t.Fatalf("cohort %s period %d: on-or-after %d < on %d", row.Key, k, a.Active, cell.Active)
				}
				if k > 0 && after.Cohorts[i].Cells[k].Active > after.Cohorts[i].Cells[k-1].Active {
					t.Fatalf("cohort %s: on-or-after grows at period %d", row.Key, k)
				}
				rates = append(rates, cell.Rate, after.Cohorts[i].Cells[k].Rate)
			}
		}
		for _, cell := range on.Average {
			rates = append(rates, cell.Rate)
		}
		for _, r := range c.RepeatPurchase() {
			rates = append(rates, r.Rate)
		}
		for _, r := range c.ConversionWithin(30 * 24 * time.Hour) {
			rates = append(rates, r.Rate)
		}
		for _, r := range c.ReturnedWithin(30 * 24 * time.Hour) {
			rates = append(rates, r.Rate)
		}
		for _, r := range rates {
			if v, ok := r.Value(); ok && (v < 0 || v > 1) {
				t.Fatalf("rate %d/%d outside [0, 1]", r.Num, r.Den)
			}
		}
	})
}

func TestPropertyOrderOfInputDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		cfg, asOf := genConfig(t)
		shuffled := rapid.Permutation(events).Draw(t, "shuffled")
		a, b := build(t, events, cfg, asOf), build(t, shuffled, cfg, asOf)
		eq := cmp.Comparer(func(x, y decimal.Decimal) bool { return x.Equal(y) })
		if diff := cmp.Diff(a.Retention(On), b.Retention(On)); diff != "" {
			t.Fatalf("retention depends on input order:\n%s", diff)
		}
		la, errA := a.LTV()
		lb, errB := b.LTV()
		if (errA == nil) != (errB == nil) {
			t.Fatalf("LTV errors differ: %v, %v", errA, errB)
		}
		if diff := cmp.Diff(la, lb, eq); diff != "" {
			t.Fatalf("LTV depends on input order:\n%s", diff)
		}
		if diff := cmp.Diff(a.ReturnedWithin(7*24*time.Hour), b.ReturnedWithin(7*24*time.Hour)); diff != "" {
			t.Fatalf("returns depend on input order:\n%s", diff)
		}
	})
}

func TestPropertyLTVWithoutRefundsNeverFalls(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var events []onemin.Event
		for _, e := range genEvents(t) {
			if e.Kind != onemin.Refund {
				events = append(events, e)
			}
		}
		cfg, asOf := genConfig(t)
		tab, err := build(t, events, cfg, asOf).LTV()
		if err != nil {
			t.Fatal(err)
		}
		for _, row := range tab.Cohorts {
			for k := 1; k < len(row.Cells); k++ {
				if row.Cells[k].Revenue.LessThan(row.Cells[k-1].Revenue) {
					t.Fatalf("cohort %s: revenue falls at period %d", row.Key, k)
				}
			}
		}
	})
}
