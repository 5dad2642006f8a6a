package attribution

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

func TestBuildPaths(t *testing.T) {
	d0 := time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)
	day := 24 * time.Hour
	ev := func(id string, k onemin.Kind, at time.Duration, contact, conv, channel, source string) onemin.Event {
		e := onemin.Event{ID: id, Kind: k, At: d0.Add(at), ContactID: contact, ConversationID: conv, Channel: channel, Source: source, Amount: decimal.Zero}
		if k == onemin.MessageIn {
			e.Actor = onemin.Customer
		}
		return e
	}
	pay := func(id string, at time.Duration, contact, amount, cur string) onemin.Event {
		e := ev(id, onemin.Payment, at, contact, "", "", "")
		e.Amount, e.Currency = dec(amount), cur
		return e
	}
	events := []onemin.Event{
		// Contact c1: an old ad click, a site visit, a WhatsApp dialog,
		// a payment; then a Telegram dialog that does not convert.
		ev("1", onemin.Touch, 0, "c1", "", "web", "yandex"),
		ev("2", onemin.Touch, 40*day, "c1", "", "web", "vk"),
		ev("3", onemin.MessageIn, 41*day, "c1", "w1", "whatsapp", ""),
		ev("4", onemin.MessageIn, 41*day+time.Hour, "c1", "w1", "whatsapp", ""),
		pay("5", 42*day, "c1", "1500.00", "RUB"),
		ev("6", onemin.MessageIn, 50*day, "c1", "t1", "telegram", ""),
		// Contact c2 pays with no touch at all.
		pay("7", 3*day, "c2", "700", "RUB"),
		// A payment without a contact cannot be linked.
		pay("8", 3*day, "", "100", "RUB"),
	}
	got, err := BuildPaths(events, PathOptions{Lookback: 30 * day})
	if err != nil {
		t.Fatal(err)
	}
	want := Paths{
		Paths: []Path{
			{Channels: []string{"web", "whatsapp"}, At: []time.Time{d0.Add(40 * day), d0.Add(41 * day)}, ConvertedAt: d0.Add(42 * day), Conversions: 1, Value: dec("1500")},
			{Channels: []string{"telegram"}, At: []time.Time{d0.Add(50 * day)}, Nulls: 1, Value: decimal.Zero},
			{Channels: []string{Direct}, At: []time.Time{d0.Add(3 * day)}, ConvertedAt: d0.Add(3 * day), Conversions: 1, Value: dec("700")},
		},
		Currency:  "RUB",
		NoContact: 1,
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
		t.Errorf("channel level, 30-day lookback (-want +got)\n%s", diff)
	}

	got, err = BuildPaths(events, PathOptions{Level: LevelSource})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"yandex", "vk", NotSet}, got.Paths[0].Channels); diff != "" {
		t.Errorf("source level, no lookback (-want +got)\n%s", diff)
	}

	leads := []onemin.Event{ev("1", onemin.Touch, 0, "c1", "", "web", ""), ev("2", onemin.Lead, day, "c1", "w1", "whatsapp", "")}
	got, err = BuildPaths(leads, PathOptions{Conversion: onemin.Lead})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"web", "whatsapp"}, got.Paths[0].Channels); diff != "" {
		t.Errorf("a lead's own conversation is a touch (-want +got)\n%s", diff)
	}

	mixed := []onemin.Event{pay("1", 0, "c1", "1", "RUB"), pay("2", day, "c2", "1", "KZT")}
	if _, err := BuildPaths(mixed, PathOptions{}); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("currency mix: got %v, want ErrCurrencyMix", err)
	}
	if _, err := BuildPaths(nil, PathOptions{Conversion: onemin.Touch}); err == nil {
		t.Error("touch as a conversion: got no error")
	}
}

func TestAggregate(t *testing.T) {
	at := []time.Time{time.Unix(0, 0), time.Unix(1, 0)}
	paths := []Path{
		{Channels: []string{"a", "b"}, At: at, Conversions: 1, Value: dec("10.50")},
		{Channels: []string{"ab"}, Nulls: 1, Value: decimal.Zero},
		{Channels: []string{"a", "b"}, At: at, Nulls: 2, Value: decimal.Zero},
		{Channels: []string{"a", "b"}, Conversions: 2, Value: dec("4.5")},
	}
	want := []Path{
		{Channels: []string{"a", "b"}, Conversions: 3, Value: dec("15"), Nulls: 2},
		{Channels: []string{"ab"}, Nulls: 1, Value: decimal.Zero},
	}
	got := Aggregate(paths)
	if diff := cmp.Diff(want, got, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	for _, m := range []Model{FirstTouch, Linear, Markov, Shapley} {
		a, err1 := Attribute(paths, m, Options{})
		b, err2 := Attribute(got, m, Options{})
		if err1 != nil || err2 != nil {
			t.Fatal(err1, err2)
		}
		if diff := cmp.Diff(a, b, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
			t.Errorf("%s on aggregated paths differs (-original +aggregated)\n%s", m, diff)
		}
	}
}
