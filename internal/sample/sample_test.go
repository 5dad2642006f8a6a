package sample

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
)

// The committed salon.csv must be exactly what the generator makes, so
// that anyone can make it again ("go generate" in this folder).
func TestEmbeddedMatchesGenerator(t *testing.T) {
	got := Generate()
	if !bytes.Equal(got, salonCSV) {
		t.Fatalf("salon.csv (%d bytes) differs from Generate() (%d bytes): run go generate in internal/sample", len(salonCSV), len(got))
	}
	if again := Generate(); !bytes.Equal(again, got) {
		t.Fatal("Generate is not deterministic")
	}
}

func TestOpenAndCSV(t *testing.T) {
	b, err := io.ReadAll(Open())
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(b, CSV()) {
		t.Fatal("Open and CSV differ")
	}
	c := CSV()
	c[0] = 'X'
	if CSV()[0] == 'X' {
		t.Fatal("CSV returned the embedded bytes, not a copy")
	}
	if first, _, _ := strings.Cut(string(b), "\n"); first != Header {
		t.Fatalf("header %q, want %q", first, Header)
	}
	if Location().String() != "Europe/Moscow" {
		t.Fatalf("Location() = %v", Location())
	}
}

// read parses the sample with the project's CSV reader; every row must be
// accepted.
func read(t *testing.T) []onemin.Event {
	t.Helper()
	res, err := csvio.ReadAll(Open(), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Counts.Rejected != 0 || res.Counts.Duplicates != 0 || !res.Counts.Balanced() {
		t.Fatalf("counts %+v, first rejected: %v", res.Counts, res.Rejected)
	}
	return res.Events
}

func TestSampleIsCoherent(t *testing.T) {
	events := read(t)
	from, to := Month()
	ids := map[string]bool{}
	kinds := map[onemin.Kind]int{}
	for _, e := range events {
		if ids[e.ID] {
			t.Errorf("event id %s repeats", e.ID)
		}
		ids[e.ID] = true
		kinds[e.Kind]++
		if e.At.Before(from) || !e.At.Before(to) {
			t.Errorf("%s at %v is outside the month", e.ID, e.At)
		}
		if _, off := e.At.Zone(); off != 3*3600 {
			t.Errorf("%s at %v is not written at +03:00", e.ID, e.At)
		}
		if e.HasMoney() && e.Currency != Currency {
			t.Errorf("%s has currency %s", e.ID, e.Currency)
		}
		if e.Kind == onemin.MessageOut && e.Actor == onemin.Bot && e.At.Before(BotLive) {
			t.Errorf("%s: the bot answers before it went live", e.ID)
		}
		if e.Scenario == "support" && (e.Kind == onemin.Lead || e.Kind == onemin.Booking || e.Kind == onemin.Payment) {
			t.Errorf("%s: a support dialog converts (%s)", e.ID, e.Kind)
		}
	}
	for _, k := range onemin.Kinds() {
		if kinds[k] == 0 {
			t.Errorf("no %s events: every kind must be in the sample", k)
		}
	}

	convs := onemin.Conversations(events)
	if n := len(convs); n < 700 || n > 1000 {
		t.Errorf("%d conversations, want 700–1000", n)
	}
	unanswered := 0
	for _, c := range convs {
		first, ok := c.First(onemin.MessageIn)
		if !ok {
			t.Errorf("conversation %s has no customer message", c.Key.ID)
			continue
		}
		for _, e := range c.Events {
			if e.At.Before(first.At) {
				t.Errorf("conversation %s: %s %s comes before its first message", c.Key.ID, e.ID, e.Kind)
			}
		}
		answered := false
		for _, e := range c.Events {
			answered = answered || (e.Kind == onemin.MessageOut && e.Actor != onemin.Automation)
		}
		if !answered {
			unanswered++
		}
	}
	if share := float64(unanswered) / float64(len(convs)); share < 0.04 || share > 0.09 {
		t.Errorf("%d of %d conversations unanswered (%.1f%%), want about 5–8%%", unanswered, len(convs), 100*share)
	}
	if share := float64(kinds[onemin.NoShow]) / float64(kinds[onemin.NoShow]+kinds[onemin.Attended]); share < 0.10 || share > 0.18 {
		t.Errorf("no-show share %.1f%%, want 10–18%%", 100*share)
	}
}

// The bot's effect must be visible: the median first reply on messengers
// falls from minutes before BotLive to seconds after.
func TestSampleShowsTheBot(t *testing.T) {
	var before, after []time.Duration
	for _, c := range onemin.Conversations(read(t)) {
		first, _ := c.First(onemin.MessageIn)
		if first.Channel == "web" || first.Channel == "phone" {
			continue
		}
		for _, e := range c.Events {
			if e.Kind == onemin.MessageOut && e.Actor != onemin.Automation {
				if first.At.Before(BotLive) {
					before = append(before, e.At.Sub(first.At))
				} else {
					after = append(after, e.At.Sub(first.At))
				}
				break
			}
		}
	}
	median := func(d []time.Duration) time.Duration {
		// The middle element is enough to tell minutes from seconds.
		s := slices.Clone(d)
		slices.Sort(s)
		return s[len(s)/2]
	}
	if m := median(before); m < 2*time.Minute {
		t.Errorf("median first reply before the bot %v, want minutes", m)
	}
	if m := median(after); m > 10*time.Second {
		t.Errorf("median first reply after the bot %v, want seconds", m)
	}
	if len(before) < 200 || len(after) < 200 {
		t.Errorf("too few dialogs: %d before, %d after", len(before), len(after))
	}
}
