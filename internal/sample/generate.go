package sample

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// Header is the first line of the sample: the columns of the event layout.
const Header = "event_id,tenant,kind,at,conversation_id,contact_id,channel,actor,agent,source,medium,campaign,scenario,product,amount,currency,score"

// The month the sample covers, in the salon's zone, and the day the bot
// starts answering.
var (
	monthStart = time.Date(2026, 10, 1, 0, 0, 0, 0, moscow)
	monthEnd   = time.Date(2026, 11, 1, 0, 0, 0, 0, moscow)
	// BotLive is when the bot starts answering messengers: the first half
	// of the month shows the salon before the bot, the second half after.
	BotLive = time.Date(2026, 10, 15, 0, 0, 0, 0, moscow)
)

// The salon's staff: the managers who answer and confirm, and how quickly.
type manager struct {
	name        string
	weight      float64 // share of dialogs
	replyMedian float64 // median reply in working hours, seconds
	confirms    float64 // probability of confirming a booking
}

var managers = []manager{
	{"Alina", 0.30, 240, 0.92},
	{"Dinara", 0.28, 300, 0.88},
	{"Elena", 0.26, 360, 0.82},
	{"Marat", 0.16, 720, 0.55},
}

// channels and their shares of new dialogs.
var channels = []weighted[string]{
	{"whatsapp", 0.35}, {"instagram", 0.25}, {"telegram", 0.13}, {"web", 0.17}, {"phone", 0.10},
}

// A utm is where a contact came from.
type utm struct{ source, medium, campaign string }

// The sources of touches, by the channel the contact then writes on.
var sourcesByChannel = map[string][]weighted[utm]{
	"instagram": {{utm{"instagram", "cpc", "autumn_manicure"}, 0.45}, {utm{"instagram", "cpc", "coloring_promo"}, 0.30}, {utm{"instagram", "organic", ""}, 0.25}},
	"whatsapp":  {{utm{"2gis", "referral", "2gis_card"}, 0.30}, {utm{"referral", "word_of_mouth", ""}, 0.25}, {utm{"vk", "cpc", "vk_lookalike"}, 0.20}, {utm{"yandex", "cpc", "kazan_search"}, 0.25}},
	"telegram":  {{utm{"vk", "cpc", "vk_lookalike"}, 0.45}, {utm{"referral", "word_of_mouth", ""}, 0.30}, {utm{"yandex", "organic", ""}, 0.25}},
	"web":       {{utm{"yandex", "cpc", "kazan_search"}, 0.55}, {utm{"yandex", "organic", ""}, 0.20}, {utm{"google", "organic", ""}, 0.10}, {utm{"vk", "cpc", "vk_lookalike"}, 0.15}},
	"phone":     {{utm{"2gis", "referral", "2gis_card"}, 0.55}, {utm{"referral", "word_of_mouth", ""}, 0.30}, {utm{"yandex", "cpc", "kazan_search"}, 0.15}},
}

// touchChannel is the channel a touch from a source happens on; "" for a
// referral, which comes where the contact then writes.
var touchChannel = map[string]string{
	"instagram": "instagram", "vk": "vk", "yandex": "web", "google": "web", "2gis": "web", "referral": "",
}

// products: the salon's services and their price ranges in roubles.
var products = []struct {
	name     string
	weight   float64
	min, max int
}{
	{"manicure", 0.40, 1500, 3500},
	{"haircut", 0.25, 1500, 4500},
	{"coloring", 0.15, 4500, 9000},
	{"cosmetology", 0.20, 3000, 8000},
}

// arrivals by hour of day (relative): quiet nights, a lunch peak and an
// evening peak.
var hourly = [24]float64{1, 0.6, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.2, 3.5, 4.5, 5, 5.5, 5, 4.5, 4.5, 5, 5.5, 6.5, 7.5, 7.5, 6, 4, 2}

// arrivals by day of week (relative), Sunday first.
var daily = [7]float64{1.15, 1.0, 0.95, 0.95, 1.0, 1.1, 1.25}

// The spend per source and campaign over the month, in roubles, in weekly
// parts (October 1–7, 8–14, 15–21, 22–28, 29–31); 2GIS is a monthly listing.
var spend = []struct {
	u     utm
	parts []int
}{
	{utm{"instagram", "cpc", "autumn_manicure"}, []int{5600, 5600, 5600, 5600, 2600}},
	{utm{"instagram", "cpc", "coloring_promo"}, []int{4500, 4500, 4500, 4500, 2000}},
	{utm{"yandex", "cpc", "kazan_search"}, []int{7000, 7000, 7000, 7000, 2000}},
	{utm{"vk", "cpc", "vk_lookalike"}, []int{2800, 2800, 2800, 2800, 800}},
	{utm{"2gis", "referral", "2gis_card"}, []int{5000}},
}

type weighted[T any] struct {
	v T
	w float64
}

// gen holds the state of one run of the generator.
type gen struct {
	r        *rand.Rand
	events   []onemin.Event
	contacts []string
	dialogs  int
	phones   map[string]bool
	queue    []start // dialogs still to play, by time
}

// start is a dialog to play: who writes, when, why.
type start struct {
	at       time.Time
	contact  string
	channel  string
	scenario string
	product  string
	repeat   bool
	seq      int
}

// Generate returns the sample as CSV bytes. It is deterministic: every call
// returns the same bytes, which are the contents of salon.csv (run
// "go generate" in this package to write them).
func Generate() []byte {
	g := &gen{r: rand.New(rand.NewPCG(20261001, 16)), phones: map[string]bool{}}
	g.costs()
	g.arrivals()
	for len(g.queue) > 0 {
		s := g.queue[0]
		g.queue = g.queue[1:]
		g.dialog(s)
	}
	return g.csv()
}

func pick[T any](r *rand.Rand, items []weighted[T]) T {
	var total float64
	for _, it := range items {
		total += it.w
	}
	x := r.Float64() * total
	for _, it := range items {
		if x -= it.w; x < 0 {
			return it.v
		}
	}
	return items[len(items)-1].v
}

// lognormal returns a duration whose median is median seconds and whose
// logarithm has standard deviation sigma, at least a second.
func (g *gen) lognormal(median, sigma float64) time.Duration {
	s := median * math.Exp(sigma*g.r.NormFloat64())
	return time.Duration(max(1, math.Round(s))) * time.Second
}

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }

func (g *gen) between(lo, hi time.Duration) time.Duration {
	return lo + time.Duration(g.r.Int64N(int64(hi-lo)/int64(time.Second)+1))*time.Second
}

func (g *gen) emit(e onemin.Event) {
	if !e.At.Before(monthEnd) {
		return // after the month: not in the export yet
	}
	e.At = e.At.In(moscow).Truncate(time.Second)
	if err := e.Validate(); err != nil {
		panic(fmt.Sprintf("sample: generated an invalid event: %v", err))
	}
	g.events = append(g.events, e)
}

func (g *gen) costs() {
	for _, s := range spend {
		for i, amount := range s.parts {
			g.emit(onemin.Event{
				Kind: onemin.Cost, At: monthStart.AddDate(0, 0, 7*i).Add(9 * time.Hour),
				Source: s.u.source, Medium: s.u.medium, Campaign: s.u.campaign,
				Amount: decimal.NewFromInt(int64(amount)), Currency: "RUB",
			})
		}
	}
}

// arrivals queues the new dialogs of every day of the month.
func (g *gen) arrivals() {
	var hourTotal float64
	for _, w := range hourly {
		hourTotal += w
	}
	for day := monthStart; day.Before(monthEnd); day = day.AddDate(0, 0, 1) {
		n := int(math.Round(23*daily[day.Weekday()] + 3*g.r.NormFloat64()))
		for range max(n, 5) {
			x := g.r.Float64() * hourTotal
			h := 0
			for ; h < 23 && x >= hourly[h]; h++ {
				x -= hourly[h]
			}
			at := day.Add(time.Duration(h)*time.Hour + g.between(0, time.Hour-time.Second))
			scenario := pick(g.r, []weighted[string]{{"booking", 0.62}, {"price", 0.28}, {"support", 0.10}})
			contact := ""
			if scenario == "support" && len(g.contacts) > 0 {
				contact = g.contacts[g.r.IntN(len(g.contacts))]
			}
			g.push(start{at: at, contact: contact, channel: pick(g.r, channels), scenario: scenario, product: g.product()})
		}
	}
}

func (g *gen) product() string {
	items := make([]weighted[string], len(products))
	for i, p := range products {
		items[i] = weighted[string]{p.name, p.weight}
	}
	return pick(g.r, items)
}

func (g *gen) push(s start) {
	g.dialogs++
	s.seq = g.dialogs
	i, _ := slices.BinarySearchFunc(g.queue, s, func(a, b start) int {
		return cmp.Or(a.at.Compare(b.at), cmp.Compare(a.seq, b.seq))
	})
	g.queue = slices.Insert(g.queue, i, s)
}

// newContact names a new contact: a CRM-style id, or for callers and some
// WhatsApp users their phone in E.164.
func (g *gen) newContact(channel string) string {
	id := fmt.Sprintf("c%04d", len(g.contacts)+1)
	if channel == "phone" || (channel == "whatsapp" && g.chance(0.05)) {
		for {
			code := []string{"917", "927", "937", "987", "843", "903"}[g.r.IntN(6)]
			phone := fmt.Sprintf("+7%s%07d", code, g.r.IntN(10_000_000))
			if !g.phones[phone] {
				g.phones[phone] = true
				id = phone
				break
			}
		}
	}
	g.contacts = append(g.contacts, id)
	return id
}

// workingAfter returns when a manager, free at t, actually answers: within
// 09:00–21:00 after a lognormal delay, otherwise the next morning.
func (g *gen) workingAfter(t time.Time, median float64) time.Time {
	at := t.Add(g.lognormal(median, 0.9))
	local := at.In(moscow)
	if h := local.Hour(); h >= 9 && h < 21 {
		return at
	}
	morning := time.Date(local.Year(), local.Month(), local.Day(), 9, 0, 0, 0, moscow)
	if local.Hour() >= 21 {
		morning = morning.AddDate(0, 0, 1)
	}
	return morning.Add(g.lognormal(1500, 0.8))
}

// dialog plays one conversation from its first message to its outcome.
func (g *gen) dialog(s start) {
	conv := fmt.Sprintf("d%04d", s.seq)
	var src utm // the UTM of the dialog: that of the contact's last touch
	if s.contact == "" {
		s.contact = g.newContact(s.channel)
		src = g.touches(s)
	}
	mgr := g.manager()
	base := onemin.Event{ConversationID: conv, ContactID: s.contact, Channel: s.channel, Scenario: s.scenario, Product: s.product}
	if s.scenario == "support" {
		base.Product = ""
	}
	msg := func(kind onemin.Kind, at time.Time, actor onemin.Actor, agent string) {
		e := base
		e.Kind, e.At, e.Actor, e.Agent = kind, at, actor, agent
		g.emit(e)
	}

	t := s.at
	in := base
	in.Kind, in.At, in.Actor = onemin.MessageIn, t, onemin.Customer
	in.Source, in.Medium, in.Campaign = src.source, src.medium, src.campaign
	g.emit(in)

	bot := s.at.After(BotLive) && (s.channel == "whatsapp" || s.channel == "instagram" || s.channel == "telegram")
	// Who answers, and whether anyone does.
	var handler string
	switch {
	case s.channel == "web":
		t = t.Add(g.between(time.Second, 3*time.Second))
		leadEvent := base
		leadEvent.Kind, leadEvent.At = onemin.Lead, t
		leadEvent.Source, leadEvent.Medium, leadEvent.Campaign = src.source, src.medium, src.campaign
		if s.scenario != "support" {
			g.emit(leadEvent)
		}
		if g.chance(0.7) {
			t = t.Add(g.between(time.Second, 4*time.Second))
			msg(onemin.MessageOut, t, onemin.Automation, "autoresponder")
		}
		if g.chance(0.15) {
			return // a form nobody called back
		}
		t = g.workingAfter(t, mgr.replyMedian*1.5)
		handler = mgr.name
		msg(onemin.MessageOut, t, onemin.Human, handler)
	case s.channel == "phone":
		if h := t.Hour(); h >= 9 && h < 21 && g.chance(0.85) {
			t = t.Add(g.between(3*time.Second, 40*time.Second)) // picked up
		} else {
			if g.chance(0.35) {
				return // a missed call never returned
			}
			t = g.workingAfter(t, 900) // a call back
		}
		handler = mgr.name
		msg(onemin.MessageOut, t, onemin.Human, handler)
	case bot:
		t = t.Add(g.lognormal(3, 0.6))
		handler = "bot"
		msg(onemin.MessageOut, t, onemin.Bot, handler)
	default:
		if g.chance(0.13) {
			return // never answered
		}
		t = g.workingAfter(t, mgr.replyMedian)
		handler = mgr.name
		msg(onemin.MessageOut, t, onemin.Human, handler)
	}

	// The rest of the conversation: more questions and answers, and for the
	// bot perhaps a handoff to a manager.
	replyAs := func(handler string) {
		if handler == "bot" {
			t = t.Add(g.lognormal(3, 0.6))
			msg(onemin.MessageOut, t, onemin.Bot, handler)
			return
		}
		t = g.workingAfter(t, mgr.replyMedian*0.6)
		msg(onemin.MessageOut, t, onemin.Human, handler)
	}
	for range g.r.IntN(4) {
		t = t.Add(g.lognormal(90, 1))
		msg(onemin.MessageIn, t, onemin.Customer, "")
		replyAs(handler)
	}
	if handler == "bot" && (s.scenario == "price" && g.chance(0.6) || s.scenario == "support" && g.chance(0.8) || g.chance(0.3)) {
		t = t.Add(g.between(5*time.Second, 30*time.Second))
		msg(onemin.Handoff, t, onemin.Bot, "bot")
		if g.chance(0.06) {
			return // handed over, and no manager ever took it
		}
		handler = mgr.name
		t = g.workingAfter(t, mgr.replyMedian*0.8)
		msg(onemin.MessageOut, t, onemin.Human, handler)
		for range g.r.IntN(3) {
			t = t.Add(g.lognormal(120, 1))
			msg(onemin.MessageIn, t, onemin.Customer, "")
			replyAs(handler)
		}
	}
	// The lead and the booking, made in the dialog before it closes.
	convert := map[string]float64{"booking": 0.72, "price": 0.40, "support": 0}[s.scenario]
	if s.repeat {
		convert = 0.9
	}
	if s.channel == "web" && convert > 0 {
		convert += 0.1 // the form was the lead; this is the chance it goes on
	}
	lead := g.chance(convert)
	if lead && s.channel != "web" {
		e := base
		e.Kind, e.At, e.Agent = onemin.Lead, t.Add(g.between(10*time.Second, 3*time.Minute)), handler
		e.Source, e.Medium, e.Campaign = src.source, src.medium, src.campaign
		g.emit(e)
		t = e.At
	}
	booked := lead && g.chance(0.78)
	if booked {
		t = t.Add(g.between(30*time.Second, 5*time.Minute))
		msg(onemin.Booking, t, onemin.ActorNone, handler)
	}
	if g.chance(0.85) {
		msg(onemin.Closed, t.Add(g.lognormal(1800, 0.7)), onemin.ActorNone, handler)
	}
	switch {
	case booked:
		g.visit(s, base, mgr, t)
	case s.scenario != "support" && g.chance(0.5):
		msg(onemin.DealLost, t.Add(g.lognormal(4*3600, 1)), onemin.ActorNone, mgr.name)
	}
}

// visit plays a booking's confirmation, visit or no-show, payment and scores.
func (g *gen) visit(s start, base onemin.Event, mgr manager, booked time.Time) {
	msg := func(kind onemin.Kind, at time.Time, agent string) onemin.Event {
		e := base
		e.Kind, e.At, e.Agent = kind, at, agent
		return e
	}
	// The appointment: one to eight days ahead, on the hour, 10:00–19:00.
	day := booked.In(moscow).AddDate(0, 0, 1+g.r.IntN(8))
	appt := time.Date(day.Year(), day.Month(), day.Day(), 10+g.r.IntN(10), 0, 0, 0, moscow)
	confirmed := g.chance(mgr.confirms)
	eve := appt.Add(-time.Duration(18+g.r.IntN(6)) * time.Hour)
	if eve.Before(booked) {
		eve = booked.Add(time.Hour)
	}
	eve = eve.Add(g.between(0, 50*time.Minute))
	if g.chance(0.07) {
		cancel := booked.Add(time.Duration(g.r.Float64() * float64(appt.Sub(booked)-time.Hour))).Truncate(time.Second)
		if confirmed && eve.Before(cancel) {
			g.emit(msg(onemin.Confirmed, eve, mgr.name))
		}
		g.emit(msg(onemin.Cancelled, cancel, mgr.name))
		g.emit(msg(onemin.DealLost, cancel.Add(time.Minute), mgr.name))
		return
	}
	if confirmed {
		g.emit(msg(onemin.Confirmed, eve, mgr.name))
	}
	noShow := 0.09
	if !confirmed {
		noShow = 0.30
	}
	if g.chance(noShow) {
		g.emit(msg(onemin.NoShow, appt.Add(20*time.Minute), mgr.name))
		return
	}
	g.emit(msg(onemin.Attended, appt, mgr.name))
	var price int
	for _, p := range products {
		if p.name == s.product {
			price = (p.min + g.r.IntN(p.max-p.min+1)) / 100 * 100
		}
	}
	// The manager closes the deal at the desk, and the payment goes
	// through a minute later: deal_won, then payment, as the chatbot
	// funnel orders them.
	paid := appt.Add(g.between(50*time.Minute, 2*time.Hour))
	won := msg(onemin.DealWon, paid.Add(-time.Minute), mgr.name)
	won.Amount, won.Currency = decimal.NewFromInt(int64(price)), "RUB"
	g.emit(won)
	pay := msg(onemin.Payment, paid, mgr.name)
	pay.Amount, pay.Currency = won.Amount, "RUB"
	g.emit(pay)
	if g.chance(0.12) {
		// An upsell: an add-on from another line (care after a haircut,
		// a cosmetology procedure after a manicure).
		up := msg(onemin.Payment, paid.Add(g.between(2*time.Minute, 15*time.Minute)), mgr.name)
		for up.Product == s.product {
			up.Product = g.product()
		}
		up.Amount, up.Currency = decimal.NewFromInt(int64(5+g.r.IntN(11))*100), "RUB"
		g.emit(up)
	}
	if g.chance(0.03) {
		back := msg(onemin.Refund, paid.Add(g.between(24*time.Hour, 5*24*time.Hour)), mgr.name)
		back.Amount, back.Currency = pay.Amount, "RUB"
		if g.chance(0.5) {
			back.Amount = pay.Amount.Div(decimal.NewFromInt(2)).Round(2)
		}
		g.emit(back)
	}
	if g.chance(0.4) {
		e := msg(onemin.CSAT, paid.Add(g.between(time.Hour, 20*time.Hour)), "")
		e.Score = pick(g.r, []weighted[int]{{5, 0.55}, {4, 0.25}, {3, 0.1}, {2, 0.06}, {1, 0.04}})
		g.emit(e)
	}
	if g.chance(0.22) {
		e := msg(onemin.NPS, paid.Add(g.between(24*time.Hour, 48*time.Hour)), "")
		e.Score = pick(g.r, []weighted[int]{{10, 0.35}, {9, 0.2}, {8, 0.15}, {7, 0.1}, {6, 0.06}, {5, 0.05}, {3, 0.04}, {2, 0.03}, {0, 0.02}})
		g.emit(e)
	}
	// Some come back later in the month.
	if g.chance(0.4) {
		next := paid.Add(g.between(4*24*time.Hour, 16*24*time.Hour))
		if next.Before(monthEnd) {
			ch := s.channel
			if ch == "web" || ch == "phone" {
				ch = "whatsapp"
			}
			product := s.product
			if g.chance(0.3) {
				product = g.product()
			}
			g.push(start{at: next, contact: s.contact, channel: ch, scenario: "booking", product: product, repeat: true})
		}
	}
}

func (g *gen) manager() manager {
	items := make([]weighted[int], len(managers))
	for i, m := range managers {
		items[i] = weighted[int]{i, m.weight}
	}
	return managers[pick(g.r, items)]
}

// touches emits zero to four marketing touches of a new contact in the days
// before its first message, and returns the UTM of the last.
func (g *gen) touches(s start) utm {
	n := pick(g.r, []weighted[int]{{0, 0.2}, {1, 0.45}, {2, 0.2}, {3, 0.1}, {4, 0.05}})
	var u utm
	at := make([]time.Time, n)
	for i := range at {
		at[i] = s.at.Add(-g.between(time.Minute, 9*24*time.Hour))
		if at[i].Before(monthStart) {
			at[i] = monthStart.Add(g.between(0, s.at.Sub(monthStart)/2))
		}
	}
	slices.SortFunc(at, time.Time.Compare)
	for i, t := range at {
		// The last touch leads to the dialog; earlier ones may come from
		// any source.
		ch := s.channel
		if i < n-1 {
			ch = pick(g.r, channels)
		}
		u = pick(g.r, sourcesByChannel[ch])
		where := touchChannel[u.source]
		if where == "" {
			where = ch // a friend's recommendation arrives where the contact then writes
		}
		g.emit(onemin.Event{Kind: onemin.Touch, At: t, ContactID: s.contact, Channel: where,
			Source: u.source, Medium: u.medium, Campaign: u.campaign})
	}
	return u
}

// csv sorts the events by time, names them e000001… in that order and
// writes them in the event layout.
func (g *gen) csv() []byte {
	slices.SortStableFunc(g.events, func(a, b onemin.Event) int { return a.At.Compare(b.At) })
	var buf bytes.Buffer
	buf.WriteString(Header + "\n")
	w := csv.NewWriter(&buf)
	for i, e := range g.events {
		amount, score := "", ""
		if e.HasMoney() {
			amount = e.Amount.StringFixed(2)
		}
		if e.Kind == onemin.CSAT || e.Kind == onemin.NPS {
			score = strconv.Itoa(e.Score)
		}
		_ = w.Write([]string{
			fmt.Sprintf("e%06d", i+1), e.Tenant, e.Kind.String(), e.At.Format(time.RFC3339),
			e.ConversationID, e.ContactID, e.Channel, e.Actor.String(), e.Agent,
			e.Source, e.Medium, e.Campaign, e.Scenario, e.Product, amount, e.Currency, score,
		})
	}
	w.Flush()
	return buf.Bytes()
}
