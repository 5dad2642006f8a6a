package kpi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"
)

// NullFloat is a number that may be undefined, such as a rate whose
// denominator is zero or a median of no data. Valid false means undefined
// (JSON null), never zero. The zero NullFloat is undefined.
type NullFloat struct {
	Value float64
	Valid bool
}

// Some returns a defined NullFloat holding v.
func Some(v float64) NullFloat { return NullFloat{Value: v, Valid: true} }

// Get returns the value and whether it is defined.
func (n NullFloat) Get() (float64, bool) { return n.Value, n.Valid }

// String returns the value as a decimal, or "undefined".
func (n NullFloat) String() string {
	if !n.Valid {
		return "undefined"
	}
	return strconv.FormatFloat(n.Value, 'f', -1, 64)
}

// MarshalJSON writes the value, or null when undefined (or not finite).
func (n NullFloat) MarshalJSON() ([]byte, error) {
	if !n.Valid || math.IsNaN(n.Value) || math.IsInf(n.Value, 0) {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, n.Value, 'f', -1, 64), nil
}

// UnmarshalJSON reads a number, or null as undefined.
func (n *NullFloat) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*n = NullFloat{}
		return nil
	}
	var v float64
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*n = Some(v)
	return nil
}

// Status is the traffic-light reading of an SLA rate against
// [Thresholds]. The zero Status, [NoStatus], means the rate is undefined.
type Status uint8

const (
	NoStatus Status = iota // no leads decided yet: the rate is undefined (JSON null)
	Green                  // "green": at or above the green threshold
	Yellow                 // "yellow": at or above the yellow threshold, below green
	Red                    // "red": below the yellow threshold
)

var statusNames = [...]string{"", "green", "yellow", "red"}

// String returns "green", "yellow", "red", or "" for [NoStatus].
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// MarshalJSON writes "green", "yellow" or "red", or null for [NoStatus].
func (s Status) MarshalJSON() ([]byte, error) {
	if s == NoStatus {
		return []byte("null"), nil
	}
	if int(s) >= len(statusNames) {
		return nil, fmt.Errorf("kpi: invalid status %d", uint8(s))
	}
	return strconv.AppendQuote(nil, statusNames[s]), nil
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Status) UnmarshalJSON(b []byte) error {
	if string(bytes.TrimSpace(b)) == "null" {
		*s = NoStatus
		return nil
	}
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	for v := Green; v <= Red; v++ {
		if statusNames[v] == name {
			*s = v
			return nil
		}
	}
	return fmt.Errorf("kpi: unknown status %q", name)
}

// Default traffic-light thresholds, in percent.
const (
	DefaultGreen  = 80.0
	DefaultYellow = 70.0 // the daily alert level of the One-Minute KPI
)

// Thresholds turn an SLA rate (percent, 0–100) into a [Status]: Green at
// or above Green, Yellow at or above Yellow, Red below. A zero field means
// its default ([DefaultGreen] 80 %, [DefaultYellow] 70 %).
type Thresholds struct {
	Green  float64
	Yellow float64
}

// Status returns the status of rate; [NoStatus] when rate is undefined.
func (t Thresholds) Status(rate NullFloat) Status {
	if !rate.Valid {
		return NoStatus
	}
	g, y := t.Green, t.Yellow
	if g == 0 {
		g = DefaultGreen
	}
	if y == 0 {
		y = DefaultYellow
	}
	switch {
	case rate.Value >= g:
		return Green
	case rate.Value >= y:
		return Yellow
	}
	return Red
}

// Counts are the lead counts of a summary. They add up under merge
// ([Counts.Add]) and always satisfy Answered + Unanswered = Leads and
// Met + Breached + Pending = Leads.
type Counts struct {
	// Leads is the number of conversations in which the step started
	// (for the first reply: that have a customer message).
	Leads int `json:"leads"`
	// Answered is the number of leads whose step stopped by the as-of
	// time; Unanswered the rest.
	Answered   int `json:"answered"`
	Unanswered int `json:"unanswered"`
	// Pending, Met and Breached are the [Outcome]s as of the as-of time.
	Pending  int `json:"pending"`
	Met      int `json:"met"`
	Breached int `json:"breached"`
}

// Add returns the sum of c and o.
func (c Counts) Add(o Counts) Counts {
	return Counts{c.Leads + o.Leads, c.Answered + o.Answered, c.Unanswered + o.Unanswered,
		c.Pending + o.Pending, c.Met + o.Met, c.Breached + o.Breached}
}

// Decided returns the leads that are no longer pending: Leads − Pending,
// the denominator of the SLA rate.
func (c Counts) Decided() int { return c.Leads - c.Pending }

// Rate returns the SLA rate in percent (0–100): Met ÷ (Leads − Pending) ×
// 100. It is undefined when no lead is decided.
func (c Counts) Rate() NullFloat {
	d := c.Decided()
	if d <= 0 {
		return NullFloat{}
	}
	return Some(float64(c.Met) * 100 / float64(d)) // one rounding: 200/3, not 2/3·100
}

// Summary is the One-Minute KPI of a set of leads for one step: counts,
// percentiles and mean of the answered leads' durations, and the SLA rate.
// Durations are in seconds, measured on the [Clock] of the [Options] (business
// time when a calendar is set, calendar time otherwise); unanswered leads
// have no duration and are left out of the percentiles and the mean, but
// are counted in Unanswered and in the SLA rate. A Summary is a plain
// value. Its JSON keys are: leads, answered, unanswered, pending, met,
// breached, median_seconds, p90_seconds, p99_seconds, mean_seconds,
// sla_seconds, sla_rate, status, and for percentiles from a sketch
// estimate ("sketch") and relative_error (0.01); undefined values are
// null.
type Summary struct {
	Counts
	// Median, P90 and P99 are percentiles of the answered leads'
	// durations, in seconds rounded to the nanosecond, by the summary's
	// [Method]; undefined when nothing was answered.
	Median, P90, P99 NullFloat
	// Mean is the arithmetic mean of the same durations, in seconds.
	Mean NullFloat
	// Target is the SLA target the leads were held to; zero when they
	// were held to different targets (a total over channels with
	// different targets) or there are no leads.
	Target time.Duration
	// Rate is the SLA rate in percent (0–100), [Counts.Rate]; undefined
	// when every lead is pending or there are none.
	Rate NullFloat
	// Status is the traffic light of Rate; [NoStatus] when Rate is
	// undefined.
	Status Status
	// Estimate says how Median, P90 and P99 were computed: "" when they
	// are exact (every duration was kept), [EstimateSketch] when they
	// come from a [Sketch] and are estimates within RelativeError of the
	// exact values. Counts, Mean, Rate and Status are exact either way.
	Estimate string
	// RelativeError bounds the relative error of Median, P90 and P99 when
	// they are estimates, as a ratio (0.01 is 1 %); zero when exact.
	RelativeError float64
}

// EstimateSketch is the [Summary.Estimate] of percentiles that come from a
// [Sketch].
const EstimateSketch = "sketch"

// maxDurationSeconds bounds the seconds a time.Duration holds (about 292
// years).
const maxDurationSeconds = float64(math.MaxInt64/int64(time.Second)) - 1

type summaryJSON struct {
	Counts
	Median NullFloat `json:"median_seconds"`
	P90    NullFloat `json:"p90_seconds"`
	P99    NullFloat `json:"p99_seconds"`
	Mean   NullFloat `json:"mean_seconds"`
	Target NullFloat `json:"sla_seconds"`
	Rate   NullFloat `json:"sla_rate"`
	Status Status    `json:"status"`
	// Only when the percentiles are estimates.
	Estimate      string  `json:"estimate,omitempty"`
	RelativeError float64 `json:"relative_error,omitempty"`
}

// MarshalJSON writes the summary with the keys listed on [Summary].
func (s Summary) MarshalJSON() ([]byte, error) {
	j := summaryJSON{Counts: s.Counts, Median: s.Median, P90: s.P90, P99: s.P99,
		Mean: s.Mean, Rate: s.Rate, Status: s.Status, Estimate: s.Estimate, RelativeError: s.RelativeError}
	if s.Target > 0 {
		j.Target = Some(s.Target.Seconds())
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes.
func (s *Summary) UnmarshalJSON(b []byte) error {
	var j summaryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*s = Summary{Counts: j.Counts, Median: j.Median, P90: j.P90, P99: j.P99, Mean: j.Mean,
		Rate: j.Rate, Status: j.Status, Estimate: j.Estimate, RelativeError: j.RelativeError}
	switch {
	case j.Estimate != "" && j.Estimate != EstimateSketch:
		return fmt.Errorf("kpi: unknown estimate %q", j.Estimate)
	case !(j.RelativeError >= 0 && j.RelativeError < 1) || (j.RelativeError > 0) != (j.Estimate != ""):
		return fmt.Errorf("kpi: relative_error %v does not fit estimate %q", j.RelativeError, j.Estimate)
	}
	if j.Target.Valid {
		if !(j.Target.Value >= 0 && j.Target.Value < maxDurationSeconds) {
			return fmt.Errorf("kpi: sla_seconds %v is not a duration", j.Target.Value)
		}
		s.Target = time.Duration(math.Round(j.Target.Value * 1e9))
	}
	return nil
}

// Accumulator builds a [Summary] from lead results one at a time, and
// merges with other accumulators (shards, days, tenants): the counts add,
// so a merge has exactly the counts of a summary of the union.
//
// The zero Accumulator keeps every answered duration, so its percentiles
// are exact and its memory grows with the answered leads. One made by
// [NewStreamingAccumulator] keeps them in a [Sketch] instead: constant
// memory (a few KiB), percentiles within the sketch's relative error of
// the exact ones, and summaries that say so ([Summary.Estimate]). Counts,
// rate, status, target and mean are exact either way.
//
// An Accumulator is not safe for concurrent use.
type Accumulator struct {
	counts  Counts
	samples []float64 // answered durations in seconds, the exact sample
	sketch  *Sketch   // the answered durations, when streaming; samples is then unused
	sumSec  int64     // exact sum of answered durations: seconds …
	sumNano int64     // … and nanoseconds, 0 ≤ sumNano < 1e9
	target  time.Duration
	mixed   bool // leads were held to different targets
}

// NewStreamingAccumulator returns an empty accumulator whose percentiles
// come from a [Sketch] with the given options (the zero SketchOptions:
// 1 % relative error for durations from 1 ms to 30 days). It returns an
// error wrapping [ErrSketchIncompatible] when the options are out of
// bounds.
func NewStreamingAccumulator(opts SketchOptions) (*Accumulator, error) {
	sk, err := NewSketch(opts)
	if err != nil {
		return nil, err
	}
	return &Accumulator{sketch: sk}, nil
}

// RelativeError returns the bound on the relative error of the
// percentiles of a's summaries, as a ratio (0.01 is 1 %): the sketch's
// accuracy when a is streaming, zero when its percentiles are exact.
func (a *Accumulator) RelativeError() float64 {
	if a.sketch == nil {
		return 0
	}
	return a.sketch.Options().RelativeAccuracy
}

// Add records the result of one lead.
func (a *Accumulator) Add(r *Result) {
	a.add(r.Outcome, !r.Stop.IsZero(), r.Business, r.Target)
}

// add records one lead: its outcome, whether it was answered, its measured
// duration (meaningful only when answered) and its target.
func (a *Accumulator) add(o Outcome, answered bool, d, target time.Duration) {
	a.counts.Leads++
	switch o {
	case Met:
		a.counts.Met++
	case Breached:
		a.counts.Breached++
	case Pending:
		a.counts.Pending++
	}
	if answered {
		a.answer(d)
	} else {
		a.counts.Unanswered++
	}
	a.noteTarget(target)
}

func (a *Accumulator) answer(d time.Duration) {
	a.counts.Answered++
	if a.sketch != nil {
		// Measured durations are never negative; were one, the sketch
		// would count it as zero rather than lose it.
		_ = a.sketch.Add(max(d, 0))
	} else {
		a.samples = append(a.samples, d.Seconds())
	}
	a.sumSec += int64(d / time.Second)
	a.sumNano += int64(d % time.Second)
	if a.sumNano >= 1e9 {
		a.sumSec++
		a.sumNano -= 1e9
	}
}

func (a *Accumulator) noteTarget(t time.Duration) {
	switch {
	case a.counts.Leads == 1 && !a.mixed:
		a.target = t
	case a.target != t:
		a.mixed = true
	}
}

// Merge adds everything b has recorded to a; b is not changed. When either
// is streaming, a becomes streaming too (an exact one's durations go into
// the sketch). It returns an error wrapping [ErrSketchIncompatible], and
// changes nothing, when both are streaming with sketches of different
// options.
func (a *Accumulator) Merge(b *Accumulator) error {
	if b.counts.Leads == 0 {
		return nil
	}
	switch {
	case a.sketch != nil && b.sketch != nil:
		if err := a.sketch.Merge(b.sketch); err != nil {
			return err
		}
	case a.sketch != nil:
		addSeconds(a.sketch, b.samples)
	case b.sketch != nil:
		sk := b.sketch.Copy()
		addSeconds(sk, a.samples)
		a.sketch, a.samples = sk, nil
	default:
		a.samples = append(a.samples, b.samples...)
	}
	if a.counts.Leads == 0 {
		a.target, a.mixed = b.target, b.mixed
	} else if b.mixed || a.target != b.target {
		a.mixed = true
	}
	a.counts = a.counts.Add(b.counts)
	a.sumSec += b.sumSec
	a.sumNano += b.sumNano
	if a.sumNano >= 1e9 {
		a.sumSec++
		a.sumNano -= 1e9
	}
	return nil
}

// addSeconds adds exact durations, in seconds, to a sketch.
func addSeconds(s *Sketch, seconds []float64) {
	for _, v := range seconds {
		_ = s.Add(max(time.Duration(math.Round(v*1e9)), 0))
	}
}

// Counts returns the counts recorded so far.
func (a *Accumulator) Counts() Counts { return a.counts }

// toNanosecond rounds seconds to the nanosecond, the resolution of the
// durations measured: what is finer is rounding noise of interpolation.
func toNanosecond(sec float64) float64 { return math.Round(sec*1e9) / 1e9 }

// Summary returns the summary of what has been recorded, with percentiles
// by m and the status by t.
func (a *Accumulator) Summary(m Method, t Thresholds) Summary {
	s := Summary{Counts: a.counts, Rate: a.counts.Rate()}
	s.Status = t.Status(s.Rate)
	if !a.mixed {
		s.Target = a.target
	}
	n := a.counts.Answered
	if n == 0 {
		return s
	}
	s.Mean = Some(toNanosecond((float64(a.sumSec) + float64(a.sumNano)/1e9) / float64(n)))
	if a.sketch != nil {
		s.Estimate, s.RelativeError = EstimateSketch, a.RelativeError()
		q := func(p float64) NullFloat {
			d, ok := a.sketch.Quantile(p, m)
			if !ok {
				return NullFloat{}
			}
			return Some(d.Seconds())
		}
		s.Median, s.P90, s.P99 = q(0.5), q(0.9), q(0.99)
		return s
	}
	if !slices.IsSorted(a.samples) {
		slices.Sort(a.samples)
	}
	s.Median = Some(toNanosecond(m.ofSorted(a.samples, 0.5)))
	s.P90 = Some(toNanosecond(m.ofSorted(a.samples, 0.9)))
	s.P99 = Some(toNanosecond(m.ofSorted(a.samples, 0.99)))
	return s
}
