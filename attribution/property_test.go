package attribution

import (
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/onemin/onemin"
)

// genPaths draws paths over a few channels, with touch times, some
// converting with a value in kopecks and some not.
func genPaths(t *rapid.T) []Path {
	channels := []string{"web", "vk", "telegram", "email", "whatsapp"}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	n := rapid.IntRange(1, 30).Draw(t, "paths")
	paths := make([]Path, n)
	for i := range paths {
		k := rapid.IntRange(1, 6).Draw(t, "touches")
		conv := base.Add(time.Duration(rapid.IntRange(30*24, 60*24).Draw(t, "conv hour")) * time.Hour)
		p := Path{ConvertedAt: conv, Value: decimal.Zero}
		at := conv.Add(-time.Duration(rapid.IntRange(0, 30*24).Draw(t, "first touch hours")) * time.Hour)
		for j := 0; j < k; j++ {
			p.Channels = append(p.Channels, rapid.SampledFrom(channels).Draw(t, "channel"))
			p.At = append(p.At, at)
			at = at.Add(time.Duration(rapid.IntRange(0, int(conv.Sub(at)/time.Minute)).Draw(t, "step")) * time.Minute)
		}
		if rapid.Bool().Draw(t, "converts") {
			p.Conversions = rapid.Int64Range(1, 5).Draw(t, "conversions")
			p.Value = decimal.New(rapid.Int64Range(0, 10_000_000).Draw(t, "kopecks"), -2)
		} else {
			p.Nulls = rapid.Int64Range(1, 5).Draw(t, "nulls")
		}
		paths[i] = p
	}
	return paths
}

func TestPartsSumToTotals(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		paths := genPaths(t)
		m := rapid.SampledFrom(Models()).Draw(t, "model")
		res, err := Attribute(paths, m, Options{Currency: "RUB"})
		if err != nil {
			t.Fatal(err)
		}
		wantConv, wantValue := int64(0), decimal.Zero
		for _, p := range paths {
			wantConv += p.Conversions
			wantValue = wantValue.Add(p.Value)
		}
		sumConv, sumValue := decimal.Zero, decimal.Zero
		for _, c := range res.Channels {
			sumConv = sumConv.Add(decimal.NewFromFloat(c.Conversions))
			sumValue = sumValue.Add(c.Value)
			if c.Conversions < 0 || c.Value.IsNegative() {
				t.Fatalf("%s: negative credit %+v", m, c)
			}
			if !c.Value.Mul(decimal.NewFromInt(100)).IsInteger() {
				t.Fatalf("%s: %s is not in kopecks", m, c.Value)
			}
		}
		if !sumConv.Equal(decimal.NewFromInt(wantConv)) || res.TotalConversions != float64(wantConv) {
			t.Fatalf("%s: conversions sum to %s (total %v), want %d", m, sumConv, res.TotalConversions, wantConv)
		}
		if !sumValue.Equal(wantValue) || !res.TotalValue.Equal(wantValue) {
			t.Fatalf("%s: values sum to %s (total %s), want %s", m, sumValue, res.TotalValue, wantValue)
		}
		for _, re := range res.RemovalEffects {
			if re < 0 || re > 1 || math.IsNaN(re) {
				t.Fatalf("removal effect %v outside 0–1", re)
			}
		}
	})
}

func TestSingleTouchGetsEverything(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		m := rapid.SampledFrom(Models()).Draw(t, "model")
		conv := time.Date(2025, 5, 1, 0, 0, 0, 0, time.UTC)
		p := Path{
			Channels:    []string{"web"},
			At:          []time.Time{conv.Add(-time.Duration(rapid.IntRange(0, 1e6).Draw(t, "age")) * time.Second)},
			ConvertedAt: conv,
			Conversions: rapid.Int64Range(1, 1000).Draw(t, "conversions"),
			Value:       decimal.New(rapid.Int64Range(0, 1e9).Draw(t, "kopecks"), -2),
		}
		res, err := Attribute([]Path{p}, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := []Credit{{Channel: "web", Conversions: float64(p.Conversions), Value: p.Value}}
		if diff := cmp.Diff(want, res.Channels, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
			t.Fatalf("%s: (-want +got)\n%s", m, diff)
		}
	})
}

func TestOrderOfPathsDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		paths := genPaths(t)
		m := rapid.SampledFrom(Models()).Draw(t, "model")
		perm := rapid.Permutation(paths).Draw(t, "perm")
		a, err := Attribute(paths, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Attribute(perm, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		floats := cmp.Comparer(func(x, y float64) bool { return x == y || math.Abs(x-y) < 1e-12 })
		if diff := cmp.Diff(a, b, cmp.Comparer(decimal.Decimal.Equal), floats); diff != "" {
			t.Fatalf("%s: (-in order +permuted)\n%s", m, diff)
		}
	})
}

func TestMarkovMatchesIteratedChain(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		paths := genPaths(t)
		order := rapid.IntRange(1, 3).Draw(t, "order")
		res, err := Attribute(paths, Markov, Options{Order: order})
		if err != nil {
			t.Fatal(err)
		}
		if res.TotalConversions == 0 {
			return
		}
		want := iteratedRemovalEffects(paths, order)
		for c, re := range res.RemovalEffects {
			if math.Abs(re-want[c]) > 1e-9 {
				t.Fatalf("order %d: removal effect of %s = %v, iterated chain gives %v", order, c, re, want[c])
			}
		}
		names := make([]string, 0, len(res.Channels))
		for _, c := range res.Channels {
			names = append(names, c.Channel)
		}
		slices.Sort(names)
		if len(names) != len(res.RemovalEffects) {
			t.Fatalf("%d channels, %d removal effects", len(names), len(res.RemovalEffects))
		}
	})
}

func TestAggregateKeepsResults(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		paths := genPaths(t)
		m := rapid.SampledFrom([]Model{FirstTouch, LastTouch, Linear, PositionBased, Markov, Shapley}).Draw(t, "model")
		a, err := Attribute(paths, m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, err := Attribute(Aggregate(paths), m, Options{})
		if err != nil {
			t.Fatal(err)
		}
		floats := cmp.Comparer(func(x, y float64) bool { return x == y || math.Abs(x-y) < 1e-12 })
		if diff := cmp.Diff(a, b, cmp.Comparer(decimal.Decimal.Equal), floats); diff != "" {
			t.Fatalf("%s: (-journeys +aggregated)\n%s", m, diff)
		}
	})
}

// Every conversion event that names a contact ends exactly one path, with
// its value; touches never come after their conversion nor before the
// lookback.
func TestBuildPathsAccountsForConversions(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		kinds := []onemin.Kind{onemin.Touch, onemin.MessageIn, onemin.Payment, onemin.Lead}
		n := rapid.IntRange(0, 40).Draw(t, "events")
		events := make([]onemin.Event, n)
		wantConv, wantValue := int64(0), decimal.Zero
		for i := range events {
			e := onemin.Event{
				ID:        fmt.Sprint(i),
				Kind:      rapid.SampledFrom(kinds).Draw(t, "kind"),
				At:        base.Add(time.Duration(rapid.IntRange(0, 90*24).Draw(t, "hour")) * time.Hour),
				ContactID: rapid.SampledFrom([]string{"", "k1", "k2", "k3"}).Draw(t, "contact"),
				Channel:   rapid.SampledFrom([]string{"", "web", "vk", "whatsapp"}).Draw(t, "channel"),
				Amount:    decimal.Zero,
			}
			switch e.Kind {
			case onemin.MessageIn, onemin.Lead:
				e.ConversationID = rapid.SampledFrom([]string{"d1", "d2", "d3"}).Draw(t, "conversation")
			case onemin.Payment:
				e.Amount, e.Currency = decimal.New(rapid.Int64Range(0, 1e7).Draw(t, "kopecks"), -2), "RUB"
				if e.ContactID != "" {
					wantConv++
					wantValue = wantValue.Add(e.Amount)
				}
			}
			events[i] = e
		}
		lookback := time.Duration(rapid.IntRange(0, 60).Draw(t, "lookback days")) * 24 * time.Hour
		got, err := BuildPaths(events, PathOptions{Lookback: lookback})
		if err != nil {
			t.Fatal(err)
		}
		conv, value := int64(0), decimal.Zero
		for _, p := range got.Paths {
			conv += p.Conversions
			value = value.Add(p.Value)
			if len(p.Channels) == 0 || len(p.At) != len(p.Channels) {
				t.Fatalf("malformed path %+v", p)
			}
			for _, at := range p.At {
				if p.Conversions > 0 && (at.After(p.ConvertedAt) || (lookback > 0 && p.ConvertedAt.Sub(at) > lookback)) {
					t.Fatalf("touch at %v outside (conversion %v − %v, conversion]", at, p.ConvertedAt, lookback)
				}
			}
		}
		if conv != wantConv || !value.Equal(wantValue) {
			t.Fatalf("paths hold %d conversions worth %s; the events have %d worth %s", conv, value, wantConv, wantValue)
		}
	})
}
