package funnel

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

var t0 = time.Date(2025, 3, 3, 1, 0, 0, 0, time.UTC)

// ev builds an event of contact c, kind k, at t0 plus min minutes.
func ev(c string, k onemin.Kind, min int) onemin.Event {
	return onemin.Event{ContactID: c, ConversationID: "conv-" + c, Kind: k, At: t0.Add(time.Duration(min) * time.Minute)}
}

// summary is what the tests compare: the count at each step.
func counts(r *Result) []int {
	out := make([]int, len(r.Steps))
	for i, s := range r.Steps {
		out[i] = s.Count
	}
	return out
}

const (
	A = onemin.Touch
	B = onemin.Lead
	C = onemin.Payment
	X = onemin.Refund
)

func TestCounts(t *testing.T) {
	abc := KindSteps(A, B, C)
	tests := []struct {
		reason string
		f      Funnel
		events []onemin.Event
		want   []int
	}{
		{
			reason: "Mixpanel's conversion window: A 1:00, A 1:30, B 1:45, C 2:15 with a 1-hour window " +
				"reaches step 2 only, since the window runs from the first A",
			f:      Funnel{Steps: abc, Window: time.Hour},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 30), ev("u", B, 45), ev("u", C, 75)},
			want:   []int{1, 1, 0},
		},
		{
			reason: "the same path without a window converts",
			f:      Funnel{Steps: abc},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 30), ev("u", B, 45), ev("u", C, 75)},
			want:   []int{1, 1, 1},
		},
		{
			reason: "Amplitude's uniques: four searches then one add-to-cart is one user and one conversion",
			f:      Funnel{Steps: KindSteps(A, B)},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 1), ev("u", A, 2), ev("u", A, 3), ev("u", B, 4)},
			want:   []int{1, 1},
		},
		{
			reason: "totals: the four searches are one attempt because the first has no end without a window",
			f:      Funnel{Steps: KindSteps(A, B), Count: Totals},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 1), ev("u", A, 2), ev("u", A, 3), ev("u", B, 4)},
			want:   []int{1, 1},
		},
		{
			reason: "totals count every entry after the previous attempt's window has passed",
			f:      Funnel{Steps: KindSteps(A, B), Count: Totals, Window: 10 * time.Minute},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 20), ev("u", B, 25), ev("u", A, 40)},
			want:   []int{3, 1},
		},
		{
			reason: "totals after a completed attempt: the next A starts a new one",
			f:      Funnel{Steps: KindSteps(A, B), Count: Totals},
			events: []onemin.Event{ev("u", A, 0), ev("u", B, 1), ev("u", A, 2), ev("u", B, 3)},
			want:   []int{2, 2},
		},
		{
			reason: "uniques take the attempt that got furthest: a later attempt reaches C",
			f:      Funnel{Steps: abc, Window: 10 * time.Minute},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 20), ev("u", B, 21), ev("u", C, 22)},
			want:   []int{1, 1, 1},
		},
		{
			reason: "this order: B before A does not count; other events between are fine",
			f:      Funnel{Steps: abc},
			events: []onemin.Event{ev("u", B, 0), ev("u", A, 1), ev("u", X, 2), ev("u", C, 3)},
			want:   []int{1, 0, 0},
		},
		{
			reason: "any order: C, A, B within the window converts",
			f:      Funnel{Steps: abc, Order: AnyOrder, Window: time.Hour},
			events: []onemin.Event{ev("u", C, 0), ev("u", A, 1), ev("u", B, 2)},
			want:   []int{1, 1, 1},
		},
		{
			reason: "any order: B and C but not A reaches no step (step 2 needs steps 1 and 2)",
			f:      Funnel{Steps: abc, Order: AnyOrder},
			events: []onemin.Event{ev("u", C, 0), ev("u", B, 1)},
			want:   []int{0, 0, 0},
		},
		{
			reason: "strict order: a repeated A between A and B breaks the first attempt, the second A starts anew",
			f:      Funnel{Steps: abc, Order: StrictOrder},
			events: []onemin.Event{ev("u", A, 0), ev("u", A, 1), ev("u", B, 2), ev("u", C, 3)},
			want:   []int{1, 1, 1},
		},
		{
			reason: "strict order: C between A and B ends the attempt at step 1",
			f:      Funnel{Steps: abc, Order: StrictOrder},
			events: []onemin.Event{ev("u", A, 0), ev("u", C, 1), ev("u", B, 2), ev("u", C, 3)},
			want:   []int{1, 0, 0},
		},
		{
			reason: "strict order ignores events that match no step",
			f:      Funnel{Steps: abc, Order: StrictOrder},
			events: []onemin.Event{ev("u", A, 0), ev("u", X, 1), ev("u", B, 2), ev("u", X, 3), ev("u", C, 4)},
			want:   []int{1, 1, 1},
		},
		{
			reason: "this order with the same event twice: it cannot be two steps",
			f:      Funnel{Steps: KindSteps(A, A)},
			events: []onemin.Event{ev("u", A, 0)},
			want:   []int{1, 0},
		},
		{
			reason: "an exclusion between steps 2 and 3 drops the user from every step",
			f: Funnel{Steps: abc, Exclusions: []Exclusion{{Name: "refund",
				Match: func(e *onemin.Event) bool { return e.Kind == X }, From: 1, To: 2}}},
			events: []onemin.Event{ev("u", A, 0), ev("u", B, 1), ev("u", X, 2), ev("u", C, 3),
				ev("v", A, 0), ev("v", B, 1), ev("v", C, 3)},
			want: []int{1, 1, 1},
		},
		{
			reason: "an exclusion before its From step does not apply",
			f: Funnel{Steps: abc, Exclusions: []Exclusion{{Name: "refund",
				Match: func(e *onemin.Event) bool { return e.Kind == X }, From: 1, To: 2}}},
			events: []onemin.Event{ev("u", A, 0), ev("u", X, 1), ev("u", B, 2), ev("u", C, 3)},
			want:   []int{1, 1, 1},
		},
		{
			reason: "a filter removes events as if absent",
			f:      Funnel{Steps: abc, Filter: func(e *onemin.Event) bool { return e.Scenario != "support" }},
			events: func() []onemin.Event {
				b := ev("u", B, 1)
				b.Scenario = "support"
				return []onemin.Event{ev("u", A, 0), b, ev("u", C, 2)}
			}(),
			want: []int{1, 0, 0},
		},
		{
			reason: "the step after an After step needs the After event first",
			f: Funnel{Steps: []Step{KindStep(onemin.MessageIn), {Name: "engaged",
				Match: func(e *onemin.Event) bool { return e.Kind == onemin.MessageIn },
				After: func(e *onemin.Event) bool { return e.Kind == onemin.MessageOut }}}},
			events: []onemin.Event{ev("u", onemin.MessageIn, 0), ev("u", onemin.MessageIn, 1),
				ev("v", onemin.MessageIn, 0), ev("v", onemin.MessageOut, 1), ev("v", onemin.MessageIn, 2)},
			want: []int{2, 1},
		},
		{
			reason: "contacts are told apart by tenant",
			f:      Funnel{Steps: KindSteps(A, B)},
			events: func() []onemin.Event {
				a, b := ev("u", A, 0), ev("u", B, 1)
				b.Tenant = "other"
				return []onemin.Event{a, b}
			}(),
			want: []int{1, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			r, err := tt.f.Compute(tt.events)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, counts(r)); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
		})
	}
}

func ptr(v float64) *float64 { return &v }

func TestStepRows(t *testing.T) {
	// Three contacts: u converts in 10 and 30 minutes, v reaches B in 20
	// minutes, w stops at A. Times to B: 600, 1200 s: median 900, P90 =
	// 600 + 0.9·600 = 1140 (type 7, as PERCENTILE.INC gives).
	events := []onemin.Event{
		ev("u", A, 0), ev("u", B, 10), ev("u", C, 30),
		ev("v", A, 0), ev("v", B, 20),
		ev("w", A, 5),
	}
	f := Funnel{Steps: KindSteps(A, B, C)}
	r, err := f.Compute(events)
	if err != nil {
		t.Fatal(err)
	}
	want := []StepResult{
		{Step: "touch", Count: 3, ConversionFromPrevious: onemin.Ratio{Num: 3, Den: 3}, ConversionFromStart: onemin.Ratio{Num: 3, Den: 3},
			MedianSecondsToStep: ptr(0), P90SecondsToStep: ptr(0)},
		{Step: "lead", Count: 2, ConversionFromPrevious: onemin.Ratio{Num: 2, Den: 3}, ConversionFromStart: onemin.Ratio{Num: 2, Den: 3},
			Dropoff: 1, MedianSecondsToStep: ptr(900), P90SecondsToStep: ptr(1140)},
		{Step: "payment", Count: 1, ConversionFromPrevious: onemin.Ratio{Num: 1, Den: 2}, ConversionFromStart: onemin.Ratio{Num: 1, Den: 3},
			Dropoff: 1, MedianSecondsToStep: ptr(1800), P90SecondsToStep: ptr(1800)},
	}
	if diff := cmp.Diff(want, r.Steps); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if r.Entities != 3 {
		t.Errorf("Entities = %d, want 3", r.Entities)
	}
}

func TestEmptyFunnelIsUndefined(t *testing.T) {
	f := Funnel{Steps: KindSteps(A, B)}
	r, err := f.Compute(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range r.Steps {
		if s.ConversionFromStart.Defined() || s.ConversionFromPrevious.Defined() || s.MedianSecondsToStep != nil {
			t.Errorf("step %s of an empty funnel has a defined value: %+v", s.Step, s)
		}
	}
}

func TestBreakdownByHour(t *testing.T) {
	almaty := time.FixedZone("UTC+5", 5*3600)
	a1, a2 := ev("u", A, 0), ev("v", A, 60) // 01:00 and 02:00 UTC: 06 and 07 in UTC+5
	f := Funnel{Steps: KindSteps(A, B), By: ByHour(almaty)}
	r, err := f.Compute([]onemin.Event{a1, ev("u", B, 1), a2})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]int{}
	for _, g := range r.Groups {
		got[g.Key] = []int{g.Steps[0].Count, g.Steps[1].Count}
	}
	want := map[string][]int{"06": {1, 1}, "07": {1, 0}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
}

func TestBreakdownFallsBackToTheEntity(t *testing.T) {
	touch := ev("u", A, 0) // the entry has no source…
	lead := ev("u", B, 1)
	lead.Source = "telegram" // …a later event of the contact has
	other := ev("v", A, 0)
	f := Funnel{Steps: KindSteps(A, B), By: BySource}
	r, err := f.Compute([]onemin.Event{touch, lead, other})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, g := range r.Groups {
		keys = append(keys, g.Key)
	}
	if diff := cmp.Diff([]string{NoValue, "telegram"}, keys); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		reason string
		f      Funnel
	}{
		{"no steps", Funnel{}},
		{"a step without Match", Funnel{Steps: []Step{{Name: "x"}}}},
		{"a negative window", Funnel{Steps: KindSteps(A), Window: -time.Second}},
		{"an exclusion out of range", Funnel{Steps: KindSteps(A, B), Exclusions: []Exclusion{{Match: KindStep(X).Match, From: 1, To: 2}}}},
		{"an exclusion with From = To", Funnel{Steps: KindSteps(A, B), Exclusions: []Exclusion{{Match: KindStep(X).Match, From: 1, To: 1}}}},
		{"an unknown order", Funnel{Steps: KindSteps(A), Order: 9}},
		{"too many steps", Funnel{Steps: make([]Step, MaxSteps+1)}},
	}
	for _, tt := range tests {
		if _, err := tt.f.Compute(nil); !errors.Is(err, ErrConfig) {
			t.Errorf("%s: err = %v, want ErrConfig", tt.reason, err)
		}
	}
}

func TestExclusionDropsTheContactInUniques(t *testing.T) {
	// u's first attempt is dropped by a refund; its second, after the
	// window, is clean. Uniques drop u; totals count the clean attempt.
	events := []onemin.Event{ev("u", A, 0), ev("u", X, 1), ev("u", A, 30), ev("u", B, 31)}
	f := Funnel{Steps: KindSteps(A, B), Window: 10 * time.Minute,
		Exclusions: []Exclusion{{Name: "refund", Match: KindStep(X).Match, From: 0, To: 1}}}
	r, err := f.Compute(events)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{0, 0}, counts(r)); diff != "" || r.Excluded != 1 {
		t.Errorf("uniques: excluded %d (-want +got):\n%s", r.Excluded, diff)
	}
	f.Count = Totals
	if r, err = f.Compute(events); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 1}, counts(r)); diff != "" || r.Excluded != 1 {
		t.Errorf("totals: excluded %d (-want +got):\n%s", r.Excluded, diff)
	}
}
