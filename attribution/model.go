package attribution

import (
	"errors"
	"fmt"
	"time"
)

// Model is an attribution model: the rule that shares each conversion
// among the touchpoints of its path.
type Model uint8

// The models. The zero Model is FirstTouch.
const (
	// FirstTouch gives each conversion to the first touch of its path.
	FirstTouch Model = iota
	// LastTouch gives each conversion to the last touch of its path.
	LastTouch
	// Linear shares each conversion equally over the touches of its path
	// (a channel touched twice gets two shares).
	Linear
	// TimeDecay weighs touch i by 2^(−Δtᵢ/H), Δtᵢ = conversion time −
	// touch time, H the half-life, and shares each conversion in
	// proportion to the weights. It needs touch times.
	TimeDecay
	// PositionBased gives the first and the last touch fixed shares
	// (40 % each by default) and shares the rest equally over the touches
	// between; a path of one touch gives it everything, a path of two
	// touches splits 50/50.
	PositionBased
	// Markov shares all conversions in proportion to the removal effects
	// of a first-order Markov chain over the paths (converting and null),
	// computed exactly from the absorbing chain.
	Markov
	// Shapley is the simplified Shapley value: each conversion is shared
	// equally over the distinct channels of its path.
	Shapley
	modelCount
)

var modelNames = [modelCount]string{"first", "last", "linear", "time-decay", "position", "markov", "shapley"}

// Models returns every model in declaration order.
func Models() []Model {
	out := make([]Model, modelCount)
	for i := range out {
		out[i] = Model(i)
	}
	return out
}

// String returns the model's name as the command line spells it: "first",
// "last", "linear", "time-decay", "position", "markov" or "shapley".
func (m Model) String() string {
	if m < modelCount {
		return modelNames[m]
	}
	return fmt.Sprintf("Model(%d)", uint8(m))
}

// ParseModel returns the model named s (see [Model.String]).
func ParseModel(s string) (Model, error) {
	for m := range modelCount {
		if modelNames[m] == s {
			return m, nil
		}
	}
	return 0, fmt.Errorf("attribution: unknown model %q (want first, last, linear, time-decay, position, markov or shapley)", s)
}

// MarshalText implements [encoding.TextMarshaler].
func (m Model) MarshalText() ([]byte, error) {
	if m >= modelCount {
		return nil, fmt.Errorf("attribution: model %d", uint8(m))
	}
	return []byte(modelNames[m]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (m *Model) UnmarshalText(b []byte) error {
	v, err := ParseModel(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

// DefaultHalfLife is the half-life of the time-decay model when
// [Options.HalfLife] is zero: 7 days, as in Google Analytics and Adobe.
const DefaultHalfLife = 7 * 24 * time.Hour

// Options tunes the models. The zero value means the documented defaults.
// It is a plain value.
type Options struct {
	// Currency is the ISO 4217 code of the paths' values; it sets the
	// minor unit the value is split in (see [Result.Value]). Empty means
	// a unit of 2 decimal places.
	Currency string
	// HalfLife is H of the time-decay model; zero means [DefaultHalfLife].
	HalfLife time.Duration
	// FirstShare and LastShare are the position-based model's shares of
	// the first and last touch, as ratios 0–1 whose sum is at most 1.
	// Both zero means 0.4 and 0.4 (the 40/20/40 rule).
	FirstShare, LastShare float64
	// Order is the order of the Markov model: how many of the last
	// channels a state of the chain remembers. Zero means 1. Higher
	// orders see sequences (a chain of order 2 tells "vk then web" from
	// "web then vk") but need more data; the chain may have at most
	// [MaxMarkovStates] states.
	Order int
}

func (o Options) halfLife() time.Duration {
	if o.HalfLife <= 0 {
		return DefaultHalfLife
	}
	return o.HalfLife
}

func (o Options) order() (int, error) {
	switch {
	case o.Order == 0:
		return 1, nil
	case o.Order < 0 || o.Order > 8:
		return 0, fmt.Errorf("attribution: Markov order %d is outside 1–8", o.Order)
	}
	return o.Order, nil
}

func (o Options) positions() (first, last float64, err error) {
	first, last = o.FirstShare, o.LastShare
	if first == 0 && last == 0 {
		return 0.4, 0.4, nil
	}
	if !(first >= 0 && last >= 0 && first+last <= 1) {
		return 0, 0, fmt.Errorf("attribution: position shares %g and %g must be ratios 0–1 summing to at most 1", first, last)
	}
	return first, last, nil
}

// Errors that [Attribute] returns for paths it cannot attribute.
var (
	// ErrNoTimes means the time-decay model was given a converting path
	// without touch times, as read from the aggregated path format.
	ErrNoTimes = errors.New("attribution: time decay needs touch times")
	// ErrBadPath means a path is malformed: no touches, times that do
	// not match the touches, or negative counts.
	ErrBadPath = errors.New("attribution: bad path")
)
