package kpi

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

func TestEvaluateAroundTheDeadline(t *testing.T) {
	start := at(0)
	tests := []struct {
		reason string
		stop   time.Time
		asOf   time.Time
		want   Outcome
	}{
		{"answered in 59 s", at(59), at(1000), Met},
		{"answered at exactly the target is met", at(60), at(1000), Met},
		{"answered in 61 s", at(61), at(1000), Breached},
		{"no reply, 30 s in", time.Time{}, at(30), Pending},
		{"no reply, exactly at the deadline: still pending", time.Time{}, at(60), Pending},
		{"no reply, 1 ns past the deadline", time.Time{}, at(60).Add(1), Breached},
		{"a reply after the as-of time is not known yet", at(50), at(40), Pending},
		{"a late reply after the as-of time, deadline passed", at(500), at(100), Breached},
	}
	for _, tt := range tests {
		got, dl := Evaluate(start, tt.stop, time.Minute, nil, tt.asOf)
		if got != tt.want || !dl.Equal(at(60)) {
			t.Errorf("%s: Evaluate = %v, deadline %v; want %v, %v", tt.reason, got, dl, tt.want, at(60))
		}
	}
}

func TestEvaluateBusinessHours(t *testing.T) {
	cal := officeHours(t)
	// Friday 17:59: one minute of the 3-minute target is left on Friday,
	// so the deadline is Monday 09:02.
	fri := time.Date(2025, 1, 10, 17, 59, 0, 0, time.UTC)
	dlWant := time.Date(2025, 1, 13, 9, 2, 0, 0, time.UTC)
	tests := []struct {
		reason string
		stop   time.Time
		asOf   time.Time
		want   Outcome
	}{
		{"no reply over the weekend is pending", time.Time{}, time.Date(2025, 1, 12, 23, 0, 0, 0, time.UTC), Pending},
		{"no reply by Monday 09:05 is breached", time.Time{}, time.Date(2025, 1, 13, 9, 5, 0, 0, time.UTC), Breached},
		{"answered Monday 09:01 is met", time.Date(2025, 1, 13, 9, 1, 0, 0, time.UTC), dlWant, Met},
		{"answered Saturday is met", time.Date(2025, 1, 11, 12, 0, 0, 0, time.UTC), dlWant, Met},
	}
	for _, tt := range tests {
		got, dl := Evaluate(fri, tt.stop, 3*time.Minute, cal, tt.asOf)
		if got != tt.want || !dl.Equal(dlWant) {
			t.Errorf("%s: Evaluate = %v, deadline %v; want %v, %v", tt.reason, got, dl, tt.want, dlWant)
		}
	}
}

func TestSLATarget(t *testing.T) {
	rec := RecommendedSLA()
	tests := []struct {
		reason  string
		sla     SLA
		step    Step
		channel string
		want    time.Duration
	}{
		{"the zero SLA is the One-Minute KPI", SLA{}, FirstReply, "whatsapp", time.Minute},
		{"a default applies to every step", SLA{Default: 5 * time.Minute}, Closing, "", 5 * time.Minute},
		{"messenger first reply: 3 min", rec, FirstReply, "instagram", 3 * time.Minute},
		{"e-mail first reply: 15 min", rec, FirstReply, "email", 15 * time.Minute},
		{"unknown channel falls back to the step", rec, FirstReply, "pigeon", 3 * time.Minute},
		{"the bot answers in 3 s", rec, BotReply, "whatsapp", 3 * time.Second},
		{"a manager confirms a booking in 30 min", rec, Confirmation, "", 30 * time.Minute},
		{"a request is closed in 24 h", rec, Closing, "telegram", 24 * time.Hour},
		{"a zero target is ignored", SLA{Targets: map[Scope]time.Duration{{FirstReply, "web"}: 0}}, FirstReply, "web", time.Minute},
	}
	for _, tt := range tests {
		if got := tt.sla.Target(tt.step, tt.channel); got != tt.want {
			t.Errorf("%s: Target(%v, %q) = %v, want %v", tt.reason, tt.step, tt.channel, got, tt.want)
		}
	}
}

// fiveLeads are answered in 10, 20, 30 and 90 s, and one not at all.
func fiveLeads() []onemin.Event {
	return []onemin.Event{
		in("a", 0), bot("a", 10),
		in("b", 100), human("b", 120),
		in("c", 200), bot("c", 230),
		in("d", 300), human("d", 390),
		in("e", 400), auto("e", 401),
	}
}

func TestSummarizeHandComputed(t *testing.T) {
	// Answered {10, 20, 30, 90}: median (20+30)/2 = 25; P90 rank 3·0.9 =
	// 2.7 → 30 + 0.7·60 = 72; P99 rank 2.97 → 30 + 0.97·60 = 88.2; mean
	// 150/4 = 37.5. As of 1000 s lead e (received at 400) is past its
	// deadline: met 3, breached 2, rate 3/5 = 60 % → red.
	got := Summarize(fiveLeads(), Options{AsOf: at(1000)})
	want := Summary{
		Counts: Counts{Leads: 5, Answered: 4, Unanswered: 1, Met: 3, Breached: 2},
		Median: Some(25), P90: Some(72), P99: Some(88.2), Mean: Some(37.5),
		Target: time.Minute, Rate: Some(60), Status: Red,
	}
	if diff := cmp.Diff(want, got.Summary, approx); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}

	// As of the latest event (401 s) lead e is pending and leaves the
	// denominator: 3 of 4 decided, 75 % → yellow.
	got = Summarize(fiveLeads(), Options{})
	want.Counts = Counts{Leads: 5, Answered: 4, Unanswered: 1, Met: 3, Breached: 1, Pending: 1}
	want.Rate, want.Status = Some(75), Yellow
	if diff := cmp.Diff(want, got.Summary, approx); diff != "" {
		t.Errorf("summary as of the latest event (-want +got):\n%s", diff)
	}
	if !got.AsOf.Equal(at(401)) {
		t.Errorf("AsOf = %v, want the latest event %v", got.AsOf, at(401))
	}

	// Human-only policy: a and c were answered by the bot only.
	got = Summarize(fiveLeads(), Options{Policy: HumanReply, AsOf: at(1000)})
	want = Summary{
		Counts: Counts{Leads: 5, Answered: 2, Unanswered: 3, Met: 1, Breached: 4},
		Median: Some(55), P90: Some(83), P99: Some(89.3), Mean: Some(55),
		Target: time.Minute, Rate: Some(20), Status: Red,
	}
	if diff := cmp.Diff(want, got.Summary, approx); diff != "" {
		t.Errorf("human-only summary (-want +got):\n%s", diff)
	}
}

func TestSummarizeEmptyIsUndefined(t *testing.T) {
	got := Summarize(nil, Options{})
	want := Summary{}
	if diff := cmp.Diff(want, got.Summary); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	b, err := json.Marshal(got.Summary)
	if err != nil {
		t.Fatal(err)
	}
	const wantJSON = `{"leads":0,"answered":0,"unanswered":0,"pending":0,"met":0,"breached":0,"median_seconds":null,"p90_seconds":null,"p99_seconds":null,"mean_seconds":null,"sla_seconds":null,"sla_rate":null,"status":null}`
	if diff := cmp.Diff(wantJSON, string(b)); diff != "" {
		t.Errorf("JSON (-want +got):\n%s", diff)
	}
}

func TestSummaryJSON(t *testing.T) {
	s := Summarize(fiveLeads(), Options{AsOf: at(1000)}).Summary
	b, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"leads":5,"answered":4,"unanswered":1,"pending":0,"met":3,"breached":2,"median_seconds":25,"p90_seconds":72,"p99_seconds":88.2,"mean_seconds":37.5,"sla_seconds":60,"sla_rate":60,"status":"red"}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var back Summary
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, back); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestSummarizeSteps(t *testing.T) {
	events := []onemin.Event{
		in("a", 0), bot("a", 2), other("a", onemin.Handoff, 10), human("a", 100),
		other("a", onemin.Closed, 3600),
		in("b", 0), bot("b", 5), other("b", onemin.Handoff, 20),
		// A booking named by the contact only, confirmed in 20 min.
		{Kind: onemin.Booking, ContactID: "+79990000001", At: at(0)},
		{Kind: onemin.Confirmed, ContactID: "+79990000001", At: at(1200)},
		// A booking that names nobody cannot be linked.
		{Kind: onemin.Booking, At: at(5)},
	}
	rec := RecommendedSLA()
	tests := []struct {
		step Step
		want Counts
	}{
		{FirstReply, Counts{Leads: 2, Answered: 2, Met: 2}},
		// The bot answered a in 2 s (≤ 3 s) and b in 5 s (> 3 s).
		{BotReply, Counts{Leads: 2, Answered: 2, Met: 1, Breached: 1}},
		// a waited 90 s after its handoff (≤ 3 min); b's handoff at 20 s
		// is unanswered and past its 3 min as of the latest event (3600 s).
		{HandoffReply, Counts{Leads: 2, Answered: 1, Unanswered: 1, Met: 1, Breached: 1}},
		{Confirmation, Counts{Leads: 1, Answered: 1, Met: 1}},
		// a closed after 1 h (≤ 24 h); b is open and within 24 h.
		{Closing, Counts{Leads: 2, Answered: 1, Unanswered: 1, Met: 1, Pending: 1}},
	}
	for _, tt := range tests {
		rep := Summarize(events, Options{Step: tt.step, SLA: rec})
		if diff := cmp.Diff(tt.want, rep.Summary.Counts); diff != "" {
			t.Errorf("step %v (-want +got):\n%s", tt.step, diff)
		}
		if rep.Unlinked != 1 {
			t.Errorf("step %v: Unlinked = %d, want 1", tt.step, rep.Unlinked)
		}
	}
}

func TestSummarizeLeadsAndAsOf(t *testing.T) {
	events := []onemin.Event{in("a", 0), bot("a", 10), in("b", 50), human("b", 200), in("c", 300)}
	events[0].Agent, events[1].Agent = "", "salon-bot"
	events[0].Source = "instagram-ads"
	rep := Summarize(events, Options{AsOf: at(100), KeepLeads: true})
	want := []Result{
		{Conversation: "a", Channel: "whatsapp", Source: "instagram-ads", Agent: "salon-bot",
			Start: at(0), Stop: at(10), Calendar: 10 * time.Second, Business: 10 * time.Second,
			Target: time.Minute, Deadline: at(60), Outcome: Met},
		// b's reply at 200 s and c are after the as-of time: b is
		// pending as of 100 s, c does not exist yet.
		{Conversation: "b", Channel: "whatsapp", Start: at(50), Target: time.Minute,
			Deadline: at(110), Outcome: Pending},
	}
	if diff := cmp.Diff(want, rep.Leads); diff != "" {
		t.Errorf("leads (-want +got):\n%s", diff)
	}
	if rep.AfterAsOf != 2 || rep.Events != 5 {
		t.Errorf("Events = %d, AfterAsOf = %d; want 5, 2", rep.Events, rep.AfterAsOf)
	}
}

func TestSummarizeGroups(t *testing.T) {
	events := fiveLeads()
	for i := range events {
		switch events[i].ConversationID {
		case "a", "b":
			events[i].Channel = "instagram"
		case "c":
			events[i].Channel = "email"
		}
	}
	events = append(events, in("f", 86400*2), human("f", 86400*2+30)) // Wednesday
	sla := SLA{Targets: map[Scope]time.Duration{{FirstReply, "email"}: 15 * time.Minute}}
	rep := Summarize(events, Options{SLA: sla, AsOf: at(86400 * 3), GroupBy: []Dimension{ByChannel, ByWeekday, ByHour}})
	type row struct {
		Key    string
		Counts Counts
		Target time.Duration
	}
	got := map[Dimension][]row{}
	for _, b := range rep.Groups {
		for _, g := range b.Groups {
			got[b.Dimension] = append(got[b.Dimension], row{g.Key, g.Summary.Counts, g.Summary.Target})
		}
	}
	want := map[Dimension][]row{
		ByChannel: {
			{"email", Counts{Leads: 1, Answered: 1, Met: 1}, 15 * time.Minute},
			{"instagram", Counts{Leads: 2, Answered: 2, Met: 2}, time.Minute},
			{"whatsapp", Counts{Leads: 3, Answered: 2, Unanswered: 1, Met: 1, Breached: 2}, time.Minute},
		},
		ByWeekday: {
			{"Monday", Counts{Leads: 5, Answered: 4, Unanswered: 1, Met: 3, Breached: 2}, 0},
			{"Wednesday", Counts{Leads: 1, Answered: 1, Met: 1}, time.Minute},
		},
		ByHour: {
			{"10", Counts{Leads: 6, Answered: 5, Unanswered: 1, Met: 4, Breached: 2}, 0},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if rep.Summary.Target != 0 {
		t.Errorf("total over mixed targets has Target %v, want 0 (undefined)", rep.Summary.Target)
	}
}

func TestSummarizeLocation(t *testing.T) {
	samara := time.FixedZone("UTC+4", 4*3600)
	// 22:30 UTC on Monday is 02:30 on Tuesday in Samara.
	late := time.Date(2025, 1, 6, 22, 30, 0, 0, time.UTC)
	events := []onemin.Event{{Kind: onemin.MessageIn, ConversationID: "x", At: late}}
	rep := Summarize(events, Options{Location: samara, GroupBy: []Dimension{ByDay, ByHour, ByWeekday}})
	var keys []string
	for _, b := range rep.Groups {
		keys = append(keys, b.Groups[0].Key)
	}
	if diff := cmp.Diff([]string{"2025-01-07", "02", "Tuesday"}, keys); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// genEvents draws conversations of messages, replies, handoffs and
// closings. Each conversation has one channel and agent, so nothing depends
// on the order of events at one instant beyond the documented ranks.
func genEvents(t *rapid.T) []onemin.Event {
	n := rapid.IntRange(0, 12).Draw(t, "conversations")
	var events []onemin.Event
	channels := []string{"whatsapp", "email", "telegram"}
	for c := range n {
		conv := string(rune('a' + c))
		ch := rapid.SampledFrom(channels).Draw(t, "channel")
		k := rapid.IntRange(1, 8).Draw(t, "events")
		for range k {
			e := onemin.Event{ConversationID: conv, Channel: ch, Agent: "agent-" + ch,
				At: at(rapid.IntRange(0, 600).Draw(t, "sec"))}
			switch rapid.IntRange(0, 6).Draw(t, "kind") {
			case 0, 1:
				e.Kind, e.Actor = onemin.MessageIn, onemin.Customer
			case 2:
				e.Kind, e.Actor = onemin.MessageOut, onemin.Bot
			case 3:
				e.Kind, e.Actor = onemin.MessageOut, onemin.Human
			case 4:
				e.Kind, e.Actor = onemin.MessageOut, onemin.Automation
			case 5:
				e.Kind = onemin.Handoff
			case 6:
				e.Kind = onemin.Closed
			}
			events = append(events, e)
		}
	}
	return events
}

func genOptions(t *rapid.T) Options {
	return Options{
		Step:      Step(rapid.IntRange(0, int(stepCount)-1).Draw(t, "step")),
		Policy:    ReplyPolicy(rapid.IntRange(0, 1).Draw(t, "policy")),
		SLA:       SLA{Default: time.Duration(rapid.IntRange(1, 300).Draw(t, "target")) * time.Second},
		AsOf:      at(rapid.IntRange(0, 700).Draw(t, "asOf")),
		Method:    Method(rapid.IntRange(0, 1).Draw(t, "method")),
		GroupBy:   []Dimension{ByChannel, ByAgent, ByHour},
		KeepLeads: true,
	}
}

func TestSummarizeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := genEvents(t)
		opts := genOptions(t)
		rep := Summarize(events, opts)
		check := func(where string, s Summary) {
			c := s.Counts
			if c.Met+c.Breached+c.Pending != c.Leads || c.Answered+c.Unanswered != c.Leads {
				t.Fatalf("%s: counts do not add up: %+v", where, c)
			}
			if r, ok := s.Rate.Get(); ok != (c.Decided() > 0) || ok && (r < 0 || r > 100) {
				t.Fatalf("%s: rate %v with counts %+v", where, s.Rate, c)
			}
			if s.Median.Valid != (c.Answered > 0) {
				t.Fatalf("%s: median %v with %d answered", where, s.Median, c.Answered)
			}
			if s.Median.Valid && (s.Median.Value > s.P90.Value || s.P90.Value > s.P99.Value) {
				t.Fatalf("%s: percentiles not monotone: %v %v %v", where, s.Median, s.P90, s.P99)
			}
		}
		check("total", rep.Summary)
		if len(rep.Leads) != rep.Summary.Leads {
			t.Fatalf("%d lead rows for %d leads", len(rep.Leads), rep.Summary.Leads)
		}
		for _, b := range rep.Groups {
			var sum Counts
			for _, g := range b.Groups {
				check(b.Dimension.String()+" "+g.Key, g.Summary)
				sum = sum.Add(g.Summary.Counts)
			}
			if sum != rep.Summary.Counts {
				t.Fatalf("groups by %v add up to %+v, total %+v", b.Dimension, sum, rep.Summary.Counts)
			}
		}

		// The input's order does not matter.
		shuffled := append([]onemin.Event(nil), events...)
		rand.New(rand.NewPCG(rapid.Uint64().Draw(t, "seed"), 1)).Shuffle(len(shuffled), func(i, j int) {
			shuffled[i], shuffled[j] = shuffled[j], shuffled[i]
		})
		if diff := cmp.Diff(rep, Summarize(shuffled, opts)); diff != "" {
			t.Fatalf("shuffled input gives another report (-sorted +shuffled):\n%s", diff)
		}
	})
}

// A merge of two accumulators equals the accumulator of the union.
func TestAccumulatorMergeIsUnion(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		rep := Summarize(genEvents(t), Options{AsOf: at(300), KeepLeads: true,
			SLA: SLA{Targets: map[Scope]time.Duration{{FirstReply, "email"}: 2 * time.Minute}}})
		cut := rapid.IntRange(0, len(rep.Leads)).Draw(t, "cut")
		var all, left, right Accumulator
		for i := range rep.Leads {
			all.Add(&rep.Leads[i])
			if i < cut {
				left.Add(&rep.Leads[i])
			} else {
				right.Add(&rep.Leads[i])
			}
		}
		left.Merge(&right)
		if diff := cmp.Diff(all.Summary(Linear, Thresholds{}), left.Summary(Linear, Thresholds{})); diff != "" {
			t.Fatalf("merge differs from union (-union +merge):\n%s", diff)
		}
		if diff := cmp.Diff(rep.Summary, all.Summary(Linear, Thresholds{})); diff != "" {
			t.Fatalf("accumulating the lead rows differs from Summarize (-summarize +rows):\n%s", diff)
		}
	})
}

func TestThresholds(t *testing.T) {
	tests := []struct {
		reason string
		th     Thresholds
		rate   NullFloat
		want   Status
	}{
		{"undefined rate has no status", Thresholds{}, NullFloat{}, NoStatus},
		{"80 % is green", Thresholds{}, Some(80), Green},
		{"79.9 % is yellow", Thresholds{}, Some(79.9), Yellow},
		{"70 % is yellow", Thresholds{}, Some(70), Yellow},
		{"69.9 % is red", Thresholds{}, Some(69.9), Red},
		{"0 % is red", Thresholds{}, Some(0), Red},
		{"custom thresholds", Thresholds{Green: 95, Yellow: 90}, Some(92), Yellow},
	}
	for _, tt := range tests {
		if got := tt.th.Status(tt.rate); got != tt.want {
			t.Errorf("%s: Status(%v) = %v, want %v", tt.reason, tt.rate, got, tt.want)
		}
	}
}

// Conversation ids are unique within a tenant only: the same id in two
// tenants is two leads.
func TestSummarizeTenants(t *testing.T) {
	events := []onemin.Event{in("1", 0), bot("1", 10), in("1", 0), in("2", 5), human("2", 300)}
	events[0].Tenant, events[1].Tenant = "salon", "salon"
	events[2].Tenant = "clinic"
	events[3].Tenant, events[4].Tenant = "clinic", "clinic"
	events[1].Agent, events[4].Agent = "bot", "anna"
	rep := Summarize(events, Options{AsOf: at(1000), GroupBy: []Dimension{ByTenant, ByAgent}})
	got := map[string]Counts{}
	for _, b := range rep.Groups {
		for _, g := range b.Groups {
			got[b.Dimension.String()+":"+g.Key] = g.Summary.Counts
		}
	}
	want := map[string]Counts{
		"tenant:clinic": {Leads: 2, Answered: 1, Unanswered: 1, Breached: 2},
		"tenant:salon":  {Leads: 1, Answered: 1, Met: 1},
		"agent:":        {Leads: 1, Unanswered: 1, Breached: 1},
		"agent:anna":    {Leads: 1, Answered: 1, Breached: 1},
		"agent:bot":     {Leads: 1, Answered: 1, Met: 1},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
