package kpi

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"
)

// leadResult returns the result of a conversation's step as of asOf, and
// false when the step has not started.
func leadResult(st *convState, step Step, sla SLA, clock Clock, loc *time.Location, asOf time.Time) (Result, bool) {
	start, stop := st.step(step)
	if start == noInstant {
		return Result{}, false
	}
	r := Result{Channel: st.channel, Source: st.source, Agent: st.handler()}
	r.Start = time.Unix(0, start).In(loc)
	if stop != noInstant {
		r.Stop = time.Unix(0, stop).In(loc)
	}
	r.Target = sla.Target(step, r.Channel)
	r.Outcome, r.Calendar, r.Business, r.Deadline = judge(clock, r.Start, r.Stop, r.Target, asOf)
	return r, true
}

// groupLabel returns the group of a lead in dimension dim.
func groupLabel(dim Dimension, r *Result, tenant string, labels dayLabels) string {
	switch dim {
	case ByChannel:
		return r.Channel
	case ByAgent:
		return r.Agent
	case BySource:
		return r.Source
	case ByTenant:
		return tenant
	case ByHour:
		return hourLabels[r.Start.Hour()]
	case ByWeekday:
		return r.Start.Weekday().String()
	case ByDay:
		return labels.of(r.Start)
	}
	return ""
}

// breakdowns turns the accumulators of each dimension into breakdowns,
// groups in key order (weekdays from Monday).
func breakdowns(dims []Dimension, groups []map[string]*Accumulator, m Method, th Thresholds) []Breakdown {
	var out []Breakdown
	for g, dim := range dims {
		b := Breakdown{Dimension: dim, Groups: make([]Group, 0, len(groups[g]))}
		for label, a := range groups[g] {
			b.Groups = append(b.Groups, Group{Key: label, Summary: a.Summary(m, th)})
		}
		if dim == ByWeekday {
			slices.SortFunc(b.Groups, func(x, y Group) int { return cmp.Compare(isoWeekday(x.Key), isoWeekday(y.Key)) })
		} else {
			slices.SortFunc(b.Groups, func(x, y Group) int { return cmp.Compare(x.Key, y.Key) })
		}
		out = append(out, b)
	}
	return out
}

// newAccumulator returns an empty accumulator for the tracker's summaries.
func (t *Tracker) newAccumulator() *Accumulator { return new(Accumulator) }

// relativeError is the relative error of the accumulator's percentiles:
// zero while they are exact.
func (a *Accumulator) relativeError() float64 { return 0 }

// The binary form of an [Accumulator], version 1: a magic byte 0xA9, a
// version byte, a flags byte (1: leads were held to different targets, 2:
// percentiles come from a sketch), then unsigned varints: leads,
// answered, unanswered, pending, met, breached, the target in
// nanoseconds, the exact sum of the answered durations as seconds and
// nanoseconds; then either the answered durations in seconds as
// little-endian IEEE 754 binary64, or the sketch's binary form.
const (
	accumulatorMagic   = 0xA9
	accumulatorVersion = 1
	accMixed           = 1
	accSketch          = 2
)

// ErrAccumulatorCorrupt is wrapped by the error
// [Accumulator.UnmarshalBinary] returns for data that is no valid
// encoding.
var ErrAccumulatorCorrupt = errors.New("kpi: corrupt accumulator encoding")

// MarshalBinary implements [encoding.BinaryMarshaler].
func (a *Accumulator) MarshalBinary() ([]byte, error) { return a.AppendBinary(nil) }

// AppendBinary implements [encoding.BinaryAppender]: it appends the
// versioned binary form of a to b. It never fails.
func (a *Accumulator) AppendBinary(b []byte) ([]byte, error) {
	var flags byte
	if a.mixed {
		flags |= accMixed
	}
	b = append(b, accumulatorMagic, accumulatorVersion, flags)
	c := a.counts
	for _, v := range []int{c.Leads, c.Answered, c.Unanswered, c.Pending, c.Met, c.Breached} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	b = binary.AppendUvarint(b, uint64(a.target))
	b = binary.AppendUvarint(b, uint64(a.sumSec))
	b = binary.AppendUvarint(b, uint64(a.sumNano))
	for _, v := range a.samples {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(v))
	}
	return b, nil
}

// UnmarshalBinary implements [encoding.BinaryUnmarshaler]: it replaces a
// with the accumulator encoded in data. On error, which wraps
// [ErrAccumulatorCorrupt], a is unchanged.
func (a *Accumulator) UnmarshalBinary(data []byte) error {
	var t Accumulator
	if err := t.decode(data); err != nil {
		return fmt.Errorf("%w: %w", ErrAccumulatorCorrupt, err)
	}
	*a = t
	return nil
}

func (a *Accumulator) decode(data []byte) error {
	if len(data) < 3 || data[0] != accumulatorMagic {
		return errors.New("not an accumulator")
	}
	if data[1] != accumulatorVersion {
		return fmt.Errorf("unsupported version %d", data[1])
	}
	flags := data[2]
	if flags&^(accMixed|accSketch) != 0 {
		return fmt.Errorf("unknown flags %#x", flags)
	}
	a.mixed = flags&accMixed != 0
	r := &snapReader{data: data[3:]}
	c := &a.counts
	for _, p := range []*int{&c.Leads, &c.Answered, &c.Unanswered, &c.Pending, &c.Met, &c.Breached} {
		*p = int(r.count("count"))
	}
	a.target = time.Duration(r.count("target"))
	a.sumSec, a.sumNano = r.count("sum"), r.count("sum")
	if r.err != nil {
		return r.err
	}
	switch {
	case c.Answered+c.Unanswered != c.Leads || c.Met+c.Breached+c.Pending != c.Leads ||
		c.Answered > c.Leads || c.Met > c.Leads || c.Breached > c.Leads:
		return fmt.Errorf("counts %+v do not add up", *c)
	case a.sumNano >= 1e9:
		return fmt.Errorf("nanoseconds of the sum %d not below 1e9", a.sumNano)
	}
	if flags&accSketch != 0 {
		return errors.New("sketch accumulators are not supported yet")
	}
	if len(r.data) != 8*c.Answered {
		return fmt.Errorf("%d bytes of samples for %d answered leads", len(r.data), c.Answered)
	}
	a.samples = make([]float64, c.Answered)
	for i := range a.samples {
		v := math.Float64frombits(binary.LittleEndian.Uint64(r.data[8*i:]))
		if !(v >= 0 && v <= maxDurationSeconds) {
			return fmt.Errorf("sample %v is no duration", v)
		}
		a.samples[i] = v
	}
	return nil
}

// sameKind reports whether a and b keep percentiles the same way (exact,
// or in sketches with the same options), so that they merge.
func (a *Accumulator) sameKind(b *Accumulator) bool { return true }
