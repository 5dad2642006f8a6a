package funnel

import (
	"errors"
	"fmt"
	"time"

	"github.com/onemin/onemin"
)

// Order says how the steps of a funnel must follow each other. The zero
// Order is [ThisOrder].
type Order uint8

const (
	// ThisOrder: each step after the one before it (at the same instant or
	// later), with any other events allowed in between.
	ThisOrder Order = iota
	// AnyOrder: the steps in any order within the window. Step i is
	// reached when steps 1…i have all happened, at the time the last of
	// them happened; the attempt starts at the first event of any step.
	AnyOrder
	// StrictOrder: as ThisOrder, but once step i is reached the next event
	// that matches any step of the funnel must be step i+1; another
	// matching event (a repeat of an earlier step, a later step out of
	// turn) ends the attempt where it stands. Events that match no step
	// are ignored, as are [Step.After] events.
	StrictOrder
)

var orderNames = [...]string{ThisOrder: "this", AnyOrder: "any", StrictOrder: "strict"}

// String returns "this", "any" or "strict".
func (o Order) String() string {
	if int(o) < len(orderNames) {
		return orderNames[o]
	}
	return fmt.Sprintf("Order(%d)", uint8(o))
}

// ParseOrder returns the order named "this", "any" or "strict".
func ParseOrder(s string) (Order, error) {
	for i, n := range orderNames {
		if n == s {
			return Order(i), nil
		}
	}
	return 0, fmt.Errorf("funnel: unknown order %q (want this, any or strict)", s)
}

// Counting says whether an entity counts once or once per attempt. The zero
// Counting is [Uniques].
type Counting uint8

const (
	// Uniques counts each contact (or conversation) once, by its attempt
	// that got furthest (the earliest of equals).
	Uniques Counting = iota
	// Totals counts every attempt: each entry into step 1 that is not
	// inside an earlier attempt's window.
	Totals
)

// String returns "uniques" or "totals".
func (c Counting) String() string {
	switch c {
	case Uniques:
		return "uniques"
	case Totals:
		return "totals"
	}
	return fmt.Sprintf("Counting(%d)", uint8(c))
}

// ParseCounting returns the counting named "uniques" or "totals".
func ParseCounting(s string) (Counting, error) {
	switch s {
	case "uniques":
		return Uniques, nil
	case "totals":
		return Totals, nil
	}
	return 0, fmt.Errorf("funnel: unknown counting %q (want uniques or totals)", s)
}

// Unit says whose events make one path through the funnel. The zero Unit is
// [ByContact].
type Unit uint8

const (
	// ByContact follows a person (tenant, contact_id) across dialogs,
	// deals and payments. Events without a contact id are skipped.
	ByContact Unit = iota
	// ByConversation follows one dialog (tenant, conversation_id). Events
	// without a conversation id are skipped.
	ByConversation
)

// MaxSteps is the largest number of steps (and of exclusions) a funnel may
// have.
const MaxSteps = 64

// ErrConfig is wrapped by the errors of a funnel that cannot be computed:
// no steps, too many, a step without Match, an exclusion out of range, a
// negative window.
var ErrConfig = errors.New("funnel: invalid configuration")

// Funnel describes a funnel: ordered steps, how they must follow each other,
// the conversion window and how to count. The zero Funnel has no steps and
// is not valid; fields left zero mean the documented defaults. A Funnel is
// safe for concurrent use by several calls to [Funnel.Compute] if its
// predicates are.
type Funnel struct {
	// Steps are the stages, first to last; at least one.
	Steps []Step
	// Window is the conversion window, counted from the entry into the
	// first step (in AnyOrder, from the first step event of the attempt).
	// A later step is reached only if it happens at most Window after the
	// entry; a repeated first step does not restart the window. Once the
	// window has passed, the next first-step event starts a new attempt.
	// Zero means no limit.
	Window time.Duration
	// Order is how the steps must follow each other; zero is ThisOrder.
	Order Order
	// Count is uniques (zero) or totals.
	Count Counting
	// Unit is whose paths are followed: contacts (zero) or conversations.
	Unit Unit
	// Exclusions drop the attempts in which an excluded event happens
	// between two steps.
	Exclusions []Exclusion
	// Filter, when not nil, keeps only the events for which it reports
	// true; the others are ignored as if absent. [Chatbot] uses it to keep
	// support dialogs out of a sales funnel.
	Filter func(*onemin.Event) bool
	// By, when set, breaks the result down into groups by a dimension of
	// each attempt's entry (see [Dimension]). The zero Dimension means no
	// breakdown.
	By Dimension
}

// Validate reports whether the funnel can be computed; the error wraps
// [ErrConfig].
func (f *Funnel) Validate() error {
	bad := func(format string, a ...any) error {
		return fmt.Errorf("%w: %s", ErrConfig, fmt.Sprintf(format, a...))
	}
	switch {
	case len(f.Steps) == 0:
		return bad("no steps")
	case len(f.Steps) > MaxSteps:
		return bad("%d steps, at most %d", len(f.Steps), MaxSteps)
	case len(f.Exclusions) > MaxSteps:
		return bad("%d exclusions, at most %d", len(f.Exclusions), MaxSteps)
	case f.Window < 0:
		return bad("negative window %v", f.Window)
	case f.Order > StrictOrder:
		return bad("unknown order %d", uint8(f.Order))
	case f.Count > Totals:
		return bad("unknown counting %d", uint8(f.Count))
	case f.Unit > ByConversation:
		return bad("unknown unit %d", uint8(f.Unit))
	}
	for i, s := range f.Steps {
		if s.Match == nil {
			return bad("step %d (%q) has no Match", i+1, s.Name)
		}
	}
	for _, x := range f.Exclusions {
		if x.Match == nil {
			return bad("exclusion %q has no Match", x.Name)
		}
		if x.From < 0 || x.To <= x.From || x.To >= len(f.Steps) {
			return bad("exclusion %q between steps %d and %d: want 0 ≤ From < To < %d",
				x.Name, x.From, x.To, len(f.Steps))
		}
	}
	return nil
}

// Result is a computed funnel: one row per step, overall and per group.
type Result struct {
	// Steps has one row per step of the funnel, in order.
	Steps []StepResult `json:"steps"`
	// Groups has the same rows per value of the breakdown dimension,
	// ordered by key; nil without a breakdown.
	Groups []Group `json:"groups,omitempty"`
	// Entities is the number of contacts (or conversations) with at least
	// one event after filtering, whether or not they entered the funnel.
	Entities int `json:"entities"`
	// Excluded counts what exclusions dropped: entities with a dropped
	// attempt (uniques) or dropped attempts (totals).
	Excluded int `json:"excluded"`
	// Skipped counts events left out because they name no contact (or no
	// conversation, by unit), after filtering.
	Skipped int `json:"skipped"`
}

// Group is the funnel of one value of the breakdown dimension.
type Group struct {
	// Key is the dimension's value, or [NoValue] when it is empty.
	Key   string       `json:"key"`
	Steps []StepResult `json:"steps"`
}

// StepResult is one step's row.
type StepResult struct {
	// Step is the step's name.
	Step string `json:"step"`
	// Count is the number of entities (uniques) or attempts (totals) that
	// reached the step.
	Count int `json:"count"`
	// ConversionFromPrevious is Count ÷ the previous step's Count, a ratio
	// 0–1; for the first step it is Count ÷ Count. Undefined (null) when
	// the denominator is 0.
	ConversionFromPrevious onemin.Ratio `json:"conversion_from_previous"`
	// ConversionFromStart is Count ÷ the first step's Count, a ratio 0–1;
	// undefined (null) when nobody entered.
	ConversionFromStart onemin.Ratio `json:"conversion_from_start"`
	// Dropoff is the previous step's Count − Count; 0 for the first step.
	Dropoff int `json:"dropoff"`
	// MedianSecondsToStep and P90SecondsToStep are the median and the 90th
	// percentile (Hyndman–Fan type 7) of the time from the attempt's entry
	// to this step, in seconds, over the entities or attempts counted at
	// this step; nil (null) when Count is 0. For the first step in this and
	// strict order they are 0.
	MedianSecondsToStep *float64 `json:"median_seconds_to_step"`
	P90SecondsToStep    *float64 `json:"p90_seconds_to_step"`
}
