package funnel

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

var propKinds = []onemin.Kind{onemin.MessageIn, onemin.MessageOut, onemin.Lead, onemin.Booking, onemin.Payment, onemin.Refund}

// genEvents draws events of a few contacts over a few hours, each with a
// unique id so that their order is total.
func genEvents(t *rapid.T) []onemin.Event {
	n := rapid.IntRange(0, 60).Draw(t, "n")
	out := make([]onemin.Event, n)
	for i := range out {
		c := rapid.IntRange(0, 5).Draw(t, "contact")
		out[i] = onemin.Event{
			ID:             fmt.Sprintf("e%d", i),
			ContactID:      fmt.Sprintf("c%d", c),
			ConversationID: fmt.Sprintf("d%d", c),
			Kind:           rapid.SampledFrom(propKinds).Draw(t, "kind"),
			Actor:          onemin.Actor(rapid.IntRange(0, 4).Draw(t, "actor")),
			Source:         rapid.SampledFrom([]string{"", "ads", "seo"}).Draw(t, "source"),
			At:             t0.Add(time.Duration(rapid.IntRange(0, 240).Draw(t, "minute")) * time.Minute),
		}
	}
	return out
}

func genFunnel(t *rapid.T) Funnel {
	steps := KindSteps(rapid.SliceOfN(rapid.SampledFrom(propKinds), 1, 5).Draw(t, "steps")...)
	if rapid.Bool().Draw(t, "engaged") {
		steps = append([]Step{DialogStart, Engaged}, steps...)
	}
	f := Funnel{
		Steps:  steps,
		Window: time.Duration(rapid.IntRange(0, 180).Draw(t, "window")) * time.Minute,
		Order:  Order(rapid.IntRange(0, 2).Draw(t, "order")),
		Count:  Counting(rapid.IntRange(0, 1).Draw(t, "count")),
		Unit:   Unit(rapid.IntRange(0, 1).Draw(t, "unit")),
		By:     rapid.SampledFrom([]Dimension{{}, BySource, ByHour(nil)}).Draw(t, "by"),
	}
	if len(steps) > 1 && rapid.Bool().Draw(t, "exclusion") {
		from := rapid.IntRange(0, len(steps)-2).Draw(t, "from")
		f.Exclusions = []Exclusion{{Name: "refund", Match: KindStep(onemin.Refund).Match,
			From: from, To: rapid.IntRange(from+1, len(steps)-1).Draw(t, "to")}}
	}
	return f
}

func compute(t *rapid.T, f Funnel, events []onemin.Event) *Result {
	r, err := f.Compute(events)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestPropertyCountsNeverGrow(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := compute(t, genFunnel(t), genEvents(t))
		check := func(rows []StepResult) {
			for s := 1; s < len(rows); s++ {
				if rows[s].Count > rows[s-1].Count {
					t.Fatalf("step %d count %d > step %d count %d", s, rows[s].Count, s-1, rows[s-1].Count)
				}
				if rows[s].Dropoff != rows[s-1].Count-rows[s].Count {
					t.Fatalf("dropoff %d at step %d", rows[s].Dropoff, s)
				}
			}
		}
		check(r.Steps)
		for _, g := range r.Groups {
			check(g.Steps)
		}
	})
}

func TestPropertyRatesAreRatios(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := compute(t, genFunnel(t), genEvents(t))
		for _, s := range r.Steps {
			for _, rate := range []onemin.Ratio{s.ConversionFromPrevious, s.ConversionFromStart} {
				if v, ok := rate.Value(); ok && (v < 0 || v > 1) {
					t.Fatalf("step %s: rate %v outside [0, 1]", s.Step, v)
				}
				if !rate.Defined() && s.Count != 0 {
					t.Fatalf("step %s: undefined rate with count %d", s.Step, s.Count)
				}
			}
			if (s.MedianSecondsToStep == nil) != (s.Count == 0) {
				t.Fatalf("step %s: median %v with count %d", s.Step, s.MedianSecondsToStep, s.Count)
			}
			if s.MedianSecondsToStep != nil && (*s.MedianSecondsToStep < 0 || *s.P90SecondsToStep < *s.MedianSecondsToStep) {
				t.Fatalf("step %s: median %v, P90 %v", s.Step, *s.MedianSecondsToStep, *s.P90SecondsToStep)
			}
		}
	})
}

func TestPropertyOrderOfInputDoesNotMatter(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f, events := genFunnel(t), genEvents(t)
		shuffled := rapid.Permutation(events).Draw(t, "shuffled")
		if diff := cmp.Diff(compute(t, f, events), compute(t, f, shuffled)); diff != "" {
			t.Fatalf("shuffled input changes the result (-first +shuffled):\n%s", diff)
		}
	})
}

func TestPropertyTotalsAtLeastUniques(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f, events := genFunnel(t), genEvents(t)
		f.Count = Uniques
		u := compute(t, f, events)
		f.Count = Totals
		tot := compute(t, f, events)
		for s := range u.Steps {
			if tot.Steps[s].Count < u.Steps[s].Count {
				t.Fatalf("step %d: totals %d < uniques %d", s, tot.Steps[s].Count, u.Steps[s].Count)
			}
		}
		if u.Steps[0].Count > u.Entities {
			t.Fatalf("uniques %d > entities %d", u.Steps[0].Count, u.Entities)
		}
	})
}

func TestPropertyGroupsAddUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		f, events := genFunnel(t), genEvents(t)
		f.By = BySource
		r := compute(t, f, events)
		sum := make([]int, len(r.Steps))
		for _, g := range r.Groups {
			for s := range g.Steps {
				sum[s] += g.Steps[s].Count
			}
		}
		if diff := cmp.Diff(counts(r), sum); diff != "" {
			t.Fatalf("groups do not add up (-overall +sum):\n%s", diff)
		}
	})
}
