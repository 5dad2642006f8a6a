package onebeam

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/shopspring/decimal"
)

// generate returns a CSV file (event layout) of about n events of three
// tenants: contacts who touch ads, write in messengers, get bot, human and
// automated replies (or none), are handed over, leave leads, book, confirm,
// win deals and pay in rubles; costs name no contact. The seed fixes it.
func generate(t testing.TB, n int, seed uint64) []byte {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 2))
	tenants := []string{"", "acme", "zeta"}
	channels := []string{"whatsapp", "telegram", "instagram", "web", "email"}
	sources := []string{"google", "vk", "yandex", "referral", ""}
	agents := []string{"bot", "Alina", "Oleg", "Dina"}
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	var events []onemin.Event
	id := 0
	add := func(e onemin.Event) {
		id++
		e.ID = fmt.Sprintf("g%07d", id)
		events = append(events, e)
	}
	for c := 0; len(events) < n; c++ {
		tenant := tenants[rng.IntN(len(tenants))]
		contact := fmt.Sprintf("p%06d", c)
		at := start.Add(time.Duration(rng.Int64N(int64(30 * 24 * time.Hour))))
		for range rng.IntN(3) {
			add(onemin.Event{Tenant: tenant, Kind: onemin.Touch, At: at, ContactID: contact,
				Channel: channels[rng.IntN(len(channels))], Source: sources[rng.IntN(len(sources))], Campaign: "c" + fmt.Sprint(rng.IntN(4))})
			at = at.Add(time.Duration(rng.Int64N(int64(48 * time.Hour))))
		}
		for k := range 1 + rng.IntN(2) {
			conv := fmt.Sprintf("%s-%d", contact, k)
			ch := channels[rng.IntN(len(channels))]
			src := sources[rng.IntN(len(sources))]
			msg := func(kind onemin.Kind, actor onemin.Actor, agent string) {
				add(onemin.Event{Tenant: tenant, Kind: kind, At: at, ConversationID: conv, ContactID: contact,
					Channel: ch, Actor: actor, Agent: agent, Source: src})
			}
			if rng.IntN(10) == 0 {
				msg(onemin.MessageOut, onemin.Bot, "bot") // a greeting
			}
			msg(onemin.MessageIn, onemin.Customer, "")
			for range rng.IntN(4) {
				at = at.Add(time.Duration(rng.ExpFloat64() * float64(90*time.Second)))
				switch r := rng.IntN(10); {
				case r < 4:
					msg(onemin.MessageOut, onemin.Bot, "bot")
				case r < 7:
					msg(onemin.MessageOut, onemin.Human, agents[1+rng.IntN(3)])
				case r < 8:
					msg(onemin.MessageOut, onemin.Automation, "")
				case r < 9:
					msg(onemin.Handoff, onemin.Bot, "bot")
				default:
					msg(onemin.MessageIn, onemin.Customer, "")
				}
			}
			if rng.IntN(3) == 0 {
				at = at.Add(time.Duration(rng.Int64N(int64(time.Hour))))
				msg(onemin.Lead, onemin.Bot, "")
			}
			if rng.IntN(4) == 0 {
				at = at.Add(time.Duration(rng.Int64N(int64(time.Hour))))
				add(onemin.Event{Tenant: tenant, Kind: onemin.Booking, At: at, ContactID: contact})
				if rng.IntN(2) == 0 {
					at = at.Add(time.Duration(rng.Int64N(int64(2 * time.Hour))))
					add(onemin.Event{Tenant: tenant, Kind: onemin.Confirmed, At: at, ContactID: contact})
				}
			}
			if rng.IntN(5) == 0 {
				at = at.Add(time.Duration(rng.Int64N(int64(24 * time.Hour))))
				add(onemin.Event{Tenant: tenant, Kind: onemin.DealWon, At: at, ContactID: contact, ConversationID: conv})
				at = at.Add(time.Duration(rng.Int64N(int64(24 * time.Hour))))
				add(onemin.Event{Tenant: tenant, Kind: onemin.Payment, At: at, ContactID: contact,
					Amount: decimal.New(int64(500+rng.IntN(20000)), -int32(rng.IntN(3))), Currency: "RUB"})
			}
			if rng.IntN(3) == 0 {
				at = at.Add(time.Duration(rng.Int64N(int64(3 * time.Hour))))
				msg(onemin.Closed, onemin.Human, "")
			}
		}
		if c%50 == 0 {
			add(onemin.Event{Tenant: tenant, Kind: onemin.Cost, At: at, Source: sources[rng.IntN(4)],
				Amount: decimal.New(int64(1000+rng.IntN(9000)), 0), Currency: "RUB"})
		}
	}
	var b bytes.Buffer
	if err := csvio.WriteAll(&b, csvio.FormatCSV, events); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
