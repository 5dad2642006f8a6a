package roi

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

func TestFromEvents(t *testing.T) {
	t0 := time.Date(2026, 10, 1, 10, 0, 0, 0, time.UTC)
	n := 0
	ev := func(k onemin.Kind, min int, conv, contact string, actor onemin.Actor) onemin.Event {
		n++
		return onemin.Event{ID: string(rune('a' + n)), Kind: k, At: t0.Add(time.Duration(min) * time.Minute), ConversationID: conv, ContactID: contact, Actor: actor}
	}
	pay := func(min int, contact, amount, product string) onemin.Event {
		e := ev(onemin.Payment, min, "", contact, 0)
		e.Amount, e.Currency, e.Product = dec(amount), "RUB", product
		return e
	}
	refund := pay(400, "k1", "500", "")
	refund.Kind = onemin.Refund
	events := []onemin.Event{
		// k1 starts with the bot: a lead, a won deal, three payments
		// (first, same product again, a new product) and a refund.
		ev(onemin.MessageIn, 0, "d1", "k1", onemin.Customer),
		ev(onemin.MessageOut, 1, "d1", "k1", onemin.Bot),
		ev(onemin.Lead, 2, "d1", "k1", 0),
		ev(onemin.DealWon, 3, "", "k1", 0),
		pay(10, "k1", "3000", "haircut"),
		pay(100, "k1", "3000", "haircut"),
		pay(200, "k1", "1500", "coloring"),
		refund,
		// k2's first conversation was answered by a human: not the bot's.
		ev(onemin.MessageIn, 0, "d2", "k2", onemin.Customer),
		ev(onemin.MessageOut, 5, "d2", "k2", onemin.Human),
		pay(20, "k2", "9999", ""),
		// k3: an automation's greeting, then the bot; closed by the bot.
		ev(onemin.MessageIn, 0, "d3", "k3", onemin.Customer),
		ev(onemin.MessageOut, 0, "d3", "k3", onemin.Automation),
		ev(onemin.MessageOut, 1, "d3", "k3", onemin.Bot),
		ev(onemin.Closed, 9, "d3", "k3", 0),
		// d4: the bot hands over and closes: not closed by the bot alone.
		ev(onemin.MessageIn, 0, "d4", "k4", onemin.Customer),
		ev(onemin.MessageOut, 1, "d4", "k4", onemin.Bot),
		ev(onemin.Handoff, 2, "d4", "k4", 0),
		ev(onemin.Closed, 9, "d4", "k4", 0),
	}
	got, err := FromEvents(events, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := Inputs{
		Revenue:   Revenue{Direct: rub("3000"), Upsell: rub("1500"), Repeat: rub("3000"), Refunds: rub("500")},
		BotClosed: 1, Leads: 1, Conversions: 1, Customers: 1, Orders: 3,
	}
	if diff := cmp.Diff(want, got, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if total, _ := got.Revenue.Total(nil); total.String() != "7000.00 RUB" {
		t.Errorf("total revenue = %s, want 7000.00 RUB", total)
	}

	usd := pay(300, "k1", "10", "")
	usd.Currency = "USD"
	if _, err := FromEvents(append(events, usd), nil); !errors.Is(err, ErrCurrencyMix) {
		t.Errorf("a USD payment among RUB, no rates: got %v, want ErrCurrencyMix", err)
	}
	got, err = FromEvents(append(events, usd), &Rates{Into: "RUB", Per: map[string]decimal.Decimal{"USD": dec("90")}})
	if err != nil {
		t.Fatal(err)
	}
	if got.Revenue.Repeat.String() != "3900.00 RUB" {
		t.Errorf("repeat with 10 USD at 90 = %s, want 3900.00 RUB", got.Revenue.Repeat)
	}
}
