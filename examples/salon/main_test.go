package main

import (
	"strings"
	"testing"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"github.com/onemin/onemin/kpi"
)

func TestSalonRuns(t *testing.T) {
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	var names []string
	for _, l := range lines[3:] {
		names = append(names, strings.TrimSpace(l[:26]))
	}
	want := "leads|median first reply|P90 first reply|SLA rate (≤ 60 s)|status|lead → booking"
	if got := strings.Join(names, "|"); got != want {
		t.Errorf("rows %q, want %q\n%s", got, want, out.String())
	}
}

// TestSalonStory checks the halves against the whole and the story the
// sample tells: the bot answers in seconds, so the median falls and the
// SLA rate rises.
func TestSalonStory(t *testing.T) {
	res, err := csvio.ReadAll(sample.Open(), csvio.Options{Location: sample.Location()})
	if err != nil {
		t.Fatal(err)
	}
	before, after := split(res.Events, sample.BotLive)
	for _, e := range before {
		if e.ConversationID == "" {
			t.Fatalf("event %s of no conversation in a half", e.ID)
		}
	}
	b, a := measure(before), measure(after)
	whole := kpi.Summarize(res.Events, kpi.Options{}).Summary
	if b.kpi.Leads+a.kpi.Leads != whole.Leads {
		t.Errorf("halves hold %d + %d leads, the month %d", b.kpi.Leads, a.kpi.Leads, whole.Leads)
	}
	// Leads counted two ways: by kpi, and here as conversations with a
	// customer message.
	if b.leads != b.kpi.Leads || a.leads != a.kpi.Leads {
		t.Errorf("leads: kpi %d/%d, conversations with a message_in %d/%d", b.kpi.Leads, a.kpi.Leads, b.leads, a.leads)
	}
	for _, c := range onemin.Conversations(before) {
		if !c.Started().Before(sample.BotLive) {
			t.Fatalf("conversation %s started %v, after the bot went live, is in the first half", c.Key.ID, c.Started())
		}
	}
	bm, _ := b.kpi.Median.Get()
	am, _ := a.kpi.Median.Get()
	br, _ := b.kpi.Rate.Get()
	ar, _ := a.kpi.Rate.Get()
	if !(am < 30 && bm > 60 && ar > br) {
		t.Errorf("median %v s → %v s, SLA rate %v %% → %v %%: want the bot to cut the median to seconds and raise the rate", bm, am, br, ar)
	}
}

func TestHalfBookingRate(t *testing.T) {
	if _, ok := (half{}).bookingRate().Get(); ok {
		t.Error("no leads: the booking rate is undefined, not zero")
	}
	if got, _ := (half{leads: 8, bookings: 2}).bookingRate().Get(); got != 25 {
		t.Errorf("2 of 8 = %v %%, want 25", got)
	}
	if got := seconds(kpi.Some(605.4)); got != "10m5s" {
		t.Errorf("seconds(605.4) = %q", got)
	}
}
