package onemin

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// genEvent draws an event that may be valid or not, with ids from a small
// pool so that duplicates happen.
func genEvent(t *rapid.T, label string) Event {
	kinds := append(Kinds(), KindUnknown)
	e := Event{
		ID:             rapid.SampledFrom([]string{"", "a", "b", "c", "d", "e"}).Draw(t, label+"id"),
		Tenant:         rapid.SampledFrom([]string{"", "t1"}).Draw(t, label+"tenant"),
		Kind:           rapid.SampledFrom(kinds).Draw(t, label+"kind"),
		ConversationID: rapid.SampledFrom([]string{"", "c1", "c2", "c3"}).Draw(t, label+"conv"),
		ContactID:      rapid.SampledFrom([]string{"", "p1", "p2"}).Draw(t, label+"contact"),
		Actor:          Actor(rapid.IntRange(0, int(actorCount)-1).Draw(t, label+"actor")),
		Score:          rapid.IntRange(0, 10).Draw(t, label+"score"),
	}
	if rapid.Bool().Draw(t, label+"hastime") {
		e.At = t0.Add(time.Duration(rapid.IntRange(0, 100).Draw(t, label+"sec")) * time.Second)
	}
	if needsMoney(e.Kind) {
		e.Currency = "RUB"
	}
	return e
}

func TestPrepareProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		in := make([]Event, n)
		for i := range in {
			in[i] = genEvent(t, "")
		}
		orig := slices.Clone(in)
		out, c, errs := Prepare(in)
		if !c.Balanced() || c.Read != n || c.Accepted != len(out) || len(errs) != c.Rejected+c.Duplicates {
			t.Fatalf("counts %+v, %d out, %d errors for %d in", c, len(out), len(errs), n)
		}
		if diff := cmp.Diff(orig, in); diff != "" {
			t.Fatalf("Prepare changed its input:\n%s", diff)
		}
		if !slices.IsSortedFunc(out, func(a, b Event) int { return a.At.Compare(b.At) }) {
			t.Fatal("output not ordered by time")
		}
		seen := map[[2]string]bool{}
		for _, e := range out {
			if err := e.Validate(); err != nil {
				t.Fatalf("accepted an invalid event: %v", err)
			}
			if e.ID != "" {
				k := [2]string{e.Tenant, e.ID}
				if seen[k] {
					t.Fatalf("duplicate id %v accepted", k)
				}
				seen[k] = true
			}
		}
		for _, err := range errs {
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.Line < 1 || ve.Line > n {
				t.Fatalf("error %v does not name a position in 1..%d", err, n)
			}
		}
	})
}

func TestPrepareStableOrder(t *testing.T) {
	// Events at the same instant keep their input order; the first of two
	// ids wins.
	in := []Event{
		{ID: "x", Kind: MessageIn, At: t0.Add(time.Second), ConversationID: "c"},
		{ID: "y", Kind: MessageOut, At: t0, ConversationID: "c", Actor: Bot},
		{ID: "z", Kind: MessageOut, At: t0, ConversationID: "c", Actor: Human},
		{ID: "y", Kind: MessageOut, At: t0.Add(-time.Hour), ConversationID: "c", Actor: Human},
	}
	out, c, _ := Prepare(in)
	var ids []string
	for _, e := range out {
		ids = append(ids, e.ID+"/"+e.Actor.String())
	}
	if diff := cmp.Diff([]string{"y/bot", "z/human", "x/customer"}, ids); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
	if c != (Counts{Read: 4, Accepted: 3, Duplicates: 1}) {
		t.Errorf("counts %+v", c)
	}
}

func TestViewsPartitionEvents(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "n")
		in := make([]Event, n)
		for i := range in {
			in[i] = genEvent(t, "")
			in[i].At = t0.Add(time.Duration(rapid.IntRange(0, 50).Draw(t, "s")) * time.Second)
		}
		convs := Conversations(in)
		withConv, total := 0, 0
		for _, e := range in {
			if e.ConversationID != "" {
				withConv++
			}
		}
		keys := map[ConversationKey]bool{}
		for _, c := range convs {
			if keys[c.Key] {
				t.Fatalf("conversation %v twice", c.Key)
			}
			keys[c.Key] = true
			total += len(c.Events)
			for _, e := range c.Events {
				if e.ConversationID != c.Key.ID || e.Tenant != c.Key.Tenant {
					t.Fatalf("event of %s/%s in %v", e.Tenant, e.ConversationID, c.Key)
				}
			}
			if !slices.IsSortedFunc(c.Events, func(a, b Event) int { return a.At.Compare(b.At) }) {
				t.Fatal("conversation events not in time order")
			}
		}
		if total != withConv {
			t.Fatalf("%d events in conversations, %d have a conversation id", total, withConv)
		}
		// The grouping does not depend on input order.
		shuffled := slices.Clone(in)
		perm := rapid.Permutation(shuffled).Draw(t, "perm")
		again := Conversations(perm)
		if len(again) != len(convs) {
			t.Fatalf("%d conversations after shuffling, %d before", len(again), len(convs))
		}
		for i := range again {
			if again[i].Key != convs[i].Key || len(again[i].Events) != len(convs[i].Events) {
				t.Fatalf("conversation %d differs after shuffling: %v vs %v", i, again[i].Key, convs[i].Key)
			}
		}
		people := Contacts(in)
		total, withContact := 0, 0
		for _, e := range in {
			if e.ContactID != "" {
				withContact++
			}
		}
		for _, p := range people {
			total += len(p.Events)
		}
		if total != withContact {
			t.Fatalf("%d events in contacts, %d have a contact id", total, withContact)
		}
	})
}

func TestConversationAccessors(t *testing.T) {
	c := Conversation{Events: []Event{
		{Kind: MessageIn, At: t0, Channel: ""},
		{Kind: MessageOut, At: t0.Add(time.Second), Channel: "web", Agent: "bot"},
		{Kind: Handoff, At: t0.Add(2 * time.Second)},
	}}
	if e, ok := c.First(Handoff); !ok || !e.At.Equal(t0.Add(2*time.Second)) {
		t.Errorf("First(Handoff) = %v, %v", e, ok)
	}
	if _, ok := c.First(Closed); ok {
		t.Error("First(Closed) found an event")
	}
	if got := c.Attr(func(e *Event) string { return e.Channel }); got != "web" {
		t.Errorf("channel %q", got)
	}
	if !c.Started().Equal(t0) {
		t.Errorf("Started %v", c.Started())
	}
}

func TestDeduper(t *testing.T) {
	var d Deduper
	seq := []Event{{ID: "a"}, {ID: "a", Tenant: "t"}, {ID: "a"}, {}, {}}
	var got []bool
	for i := range seq {
		got = append(got, d.Seen(&seq[i]))
	}
	if diff := cmp.Diff([]bool{false, false, true, false, false}, got); diff != "" {
		t.Errorf("Seen (-want +got):\n%s", diff)
	}
	if d.Len() != 2 {
		t.Errorf("Len = %d", d.Len())
	}
}

func TestRecorderConcurrent(t *testing.T) {
	var r Recorder
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				_ = r.Add(context.Background(), Event{Kind: Touch, At: t0}, Event{Kind: Touch, At: t0})
			}
		}()
	}
	wg.Wait()
	if r.Len() != 1600 || len(r.Events()) != 1600 {
		t.Errorf("recorded %d", r.Len())
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := r.Add(ctx, Event{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Add on a done context: %v", err)
	}
	sum := Counts{1, 1, 0, 0}.Add(Counts{3, 1, 1, 1})
	if sum != (Counts{4, 2, 1, 1}) || !sum.Balanced() {
		t.Errorf("Counts.Add = %+v", sum)
	}
}

func BenchmarkPrepare(b *testing.B) {
	in := make([]Event, 100_000)
	for i := range in {
		in[i] = Event{ID: string(rune('a'+i%26)) + string(rune(i)), Kind: MessageIn, ConversationID: "c",
			At: t0.Add(time.Duration(i%977) * time.Second), Channel: "WhatsApp"}
	}
	b.ReportAllocs()
	for b.Loop() {
		Prepare(in)
	}
}
