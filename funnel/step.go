package funnel

import "github.com/onemin/onemin"

// Step is one stage of a funnel: an event reaches it when Match reports true.
// When After is set, the step is reached only by a Match event that comes
// after an event matching After, which itself comes after the previous step
// was reached in the same attempt (the chatbot funnel's "engaged" step is a
// customer message after the first reply). Match and After must not keep
// state and must be safe to call from several goroutines.
type Step struct {
	// Name labels the step in results, such as "lead".
	Name string
	// Match reports whether an event reaches the step.
	Match func(*onemin.Event) bool
	// After, when not nil, is an event that must happen between the
	// previous step and the Match event.
	After func(*onemin.Event) bool
}

// KindStep returns a step reached by any event of kind k, named by the
// kind's text form ("lead").
func KindStep(k onemin.Kind) Step {
	return Step{Name: k.String(), Match: func(e *onemin.Event) bool { return e.Kind == k }}
}

// AnyKindStep returns a step named name that is reached by an event of any
// of the kinds, such as a conversion action that is a lead or a booking.
func AnyKindStep(name string, kinds ...onemin.Kind) Step {
	var set kindSet
	for _, k := range kinds {
		set = set.with(k)
	}
	return Step{Name: name, Match: func(e *onemin.Event) bool { return set.has(e.Kind) }}
}

// KindSteps returns one [KindStep] per kind, in order.
func KindSteps(kinds ...onemin.Kind) []Step {
	out := make([]Step, len(kinds))
	for i, k := range kinds {
		out[i] = KindStep(k)
	}
	return out
}

// kindSet is a set of kinds as a bit mask (there are fewer than 64 kinds).
type kindSet uint64

func (s kindSet) with(k onemin.Kind) kindSet { return s | 1<<k }
func (s kindSet) has(k onemin.Kind) bool     { return k < 64 && s&(1<<k) != 0 }

// Exclusion drops an attempt in which an event matching Match happens after
// step From is reached and before step To is reached (steps counted from 0,
// From < To), like Amplitude's exclusion steps: a contact who asks for a
// refund between the lead and the payment is not a conversion. A dropped
// attempt counts at no step, not even the first. With [Uniques] the
// contact (or conversation) is dropped from the funnel altogether, even if
// another of its attempts was clean; with [Totals] only that attempt is.
type Exclusion struct {
	// Name labels the exclusion in errors.
	Name string
	// Match reports whether an event is the excluded one.
	Match func(*onemin.Event) bool
	// From and To are step indices, 0-based, From < To.
	From, To int
}
