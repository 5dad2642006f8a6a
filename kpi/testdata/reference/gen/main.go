package main

import (
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"time"
)

func main() {
	if err := write(); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

type row struct {
	id, tenant, kind                     string
	at                                   time.Time
	conv, contact, channel, actor, agent string
}

func write() error {
	rng := rand.New(rand.NewPCG(20261005, 1))
	msk := time.FixedZone("MSK", 3*3600)
	base := time.Date(2026, 10, 5, 9, 0, 0, 0, msk)
	tenants := []string{"", "t2", "t3"}
	channels := []string{"whatsapp", "web", "telegram", "instagram"}
	// Offsets from a conversation's start, in seconds: crowded at the
	// instants that decide a first reply.
	offsets := []int{0, 0, 0, 1, 2, 30, 59, 60, 60, 61, 119, 120, 121}
	var rows []row
	n := 0
	id := func() string { n++; return fmt.Sprintf("r%05d", n) }
	for c := 0; c < 600; c++ {
		tenant := tenants[rng.IntN(len(tenants))]
		// Ids repeat: in another tenant they name another dialog, in the
		// same tenant the same one, whose events then come in bursts.
		conv := fmt.Sprintf("d%03d", rng.IntN(250))
		if c%7 == 0 {
			conv = fmt.Sprintf("d%03d", c/7)
		}
		contact := fmt.Sprintf("k%03d", rng.IntN(400))
		channel := channels[rng.IntN(len(channels))]
		start := base.Add(time.Duration(rng.IntN(3600)) * time.Second)
		for e := 0; e < 1+rng.IntN(6); e++ {
			off := offsets[rng.IntN(len(offsets))]
			if rng.IntN(3) == 0 {
				off = rng.IntN(900)
			}
			if rng.IntN(8) == 0 {
				off = -rng.IntN(120) // before the start: greetings and early messages
			}
			r := row{id: id(), tenant: tenant, at: start.Add(time.Duration(off) * time.Second),
				conv: conv, contact: contact}
			switch rng.IntN(10) {
			case 0, 1, 2, 3:
				r.kind, r.actor = "message_in", "customer"
			case 4, 5:
				r.kind, r.actor, r.agent = "message_out", "bot", "bot"
			case 6, 7:
				r.kind, r.actor, r.agent = "message_out", "human", []string{"Alina", "Marat"}[rng.IntN(2)]
			case 8:
				r.kind, r.actor = "message_out", "automation"
			default:
				r.kind = []string{"handoff", "closed", "lead"}[rng.IntN(3)]
				if r.kind == "handoff" {
					r.actor = "bot"
				}
			}
			// Three events in ten name no channel, one names it in
			// capitals. Lead events name one too: a lead's channel is
			// the first named by any event of its conversation.
			switch d := rng.IntN(10); {
			case d < 3:
			case d == 3:
				r.channel = string(channel[0]-'a'+'A') + channel[1:] // "Whatsapp"
			default:
				r.channel = channel
			}
			rows = append(rows, r)
		}
	}
	// Touches and costs, which name no conversation but are events: the
	// latest of all is a cost, after every dialog.
	for i := 0; i < 40; i++ {
		rows = append(rows, row{id: id(), kind: "touch", contact: fmt.Sprintf("k%03d", rng.IntN(400)),
			channel: channels[rng.IntN(len(channels))], at: base.Add(time.Duration(rng.IntN(3600)) * time.Second)})
	}
	rows = append(rows, row{id: id(), kind: "cost", at: base.Add(time.Hour + 30*time.Minute)})
	// Repeated ids with other content: the first read is kept.
	for i := 0; i < 30; i++ {
		r := rows[rng.IntN(len(rows)-1)]
		if r.kind == "cost" {
			continue
		}
		r.at = r.at.Add(-time.Duration(1+rng.IntN(60)) * time.Second)
		if r.kind == "message_out" {
			r.actor, r.agent = "human", "Elena"
		}
		rows = append(rows, r)
	}
	// Out of time order, as merged exports are; a repeated id may now
	// come before the row it repeats.
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	w := csv.NewWriter(os.Stdout)
	// The event layout, every column in its order.
	w.Write([]string{"event_id", "tenant", "kind", "at", "conversation_id", "contact_id", "channel", "actor",
		"agent", "source", "medium", "campaign", "scenario", "product", "amount", "currency", "score"})
	for _, r := range rows {
		src, amount, cur := "", "", ""
		if r.kind == "cost" {
			src, amount, cur = "vk", "1200.00", "RUB"
		}
		w.Write([]string{r.id, r.tenant, r.kind, r.at.Format(time.RFC3339), r.conv, r.contact, r.channel, r.actor,
			r.agent, src, "", "", "", "", amount, cur, ""})
	}
	w.Flush()
	return w.Error()
}
