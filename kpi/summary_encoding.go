package kpi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"
)

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
	if a.sketch != nil {
		flags |= accSketch
	}
	b = append(b, accumulatorMagic, accumulatorVersion, flags)
	c := a.counts
	for _, v := range []int{c.Leads, c.Answered, c.Unanswered, c.Pending, c.Met, c.Breached} {
		b = binary.AppendUvarint(b, uint64(v))
	}
	b = binary.AppendUvarint(b, uint64(a.target))
	b = binary.AppendUvarint(b, uint64(a.sumSec))
	b = binary.AppendUvarint(b, uint64(a.sumNano))
	if a.sketch != nil {
		return a.sketch.AppendBinary(b)
	}
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
	r := &byteReader{data: data[3:]}
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
		sk := new(Sketch)
		if err := sk.UnmarshalBinary(r.data); err != nil {
			return err
		}
		if sk.Count() != uint64(c.Answered) {
			return fmt.Errorf("sketch of %d durations for %d answered leads", sk.Count(), c.Answered)
		}
		if sum, ok := sk.Sum(); !ok || int64(sum/time.Second) != a.sumSec || int64(sum%time.Second) != a.sumNano {
			return fmt.Errorf("sum %d s %d ns disagrees with the sketch's", a.sumSec, a.sumNano)
		}
		a.sketch = sk
		return nil
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
// or in sketches with the same options).
func (a *Accumulator) sameKind(b *Accumulator) bool {
	if a.sketch == nil || b.sketch == nil {
		return a.sketch == b.sketch
	}
	return a.sketch.Options() == b.sketch.Options()
}

// byteReader reads the varints, bytes and strings of a binary form and
// remembers the first failure.
type byteReader struct {
	data []byte
	err  error
}

func (r *byteReader) fail(format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf(format, args...)
	}
}

// readVarint reads one varint with decode (binary.Uvarint or
// binary.Varint).
func readVarint[T uint64 | int64](r *byteReader, what string, decode func([]byte) (T, int)) T {
	if r.err != nil {
		return 0
	}
	v, n := decode(r.data)
	if n <= 0 {
		r.fail("truncated or overflowing %s", what)
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *byteReader) uvarint(what string) uint64 { return readVarint(r, what, binary.Uvarint) }
func (r *byteReader) varint(what string) int64   { return readVarint(r, what, binary.Varint) }

// count reads a count that fits in an int64.
func (r *byteReader) count(what string) int64 {
	v := r.uvarint(what)
	if v > math.MaxInt64 {
		r.fail("%s %d overflows", what, v)
		return 0
	}
	return int64(v)
}

// items reads the number of records that follow, each at least min
// bytes long, so that a corrupt count cannot ask for more memory than the
// data could describe.
func (r *byteReader) items(what string, min int) int {
	n := r.uvarint(what)
	if r.err == nil && n > uint64(len(r.data)/min) {
		r.fail("%d %s cannot fit in %d bytes", n, what, len(r.data))
		return 0
	}
	return int(n)
}

func (r *byteReader) byte(what string) byte {
	if r.err != nil {
		return 0
	}
	if len(r.data) == 0 {
		r.fail("truncated at %s", what)
		return 0
	}
	c := r.data[0]
	r.data = r.data[1:]
	return c
}

func (r *byteReader) string(what string) string {
	n := r.uvarint(what)
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.data)) {
		r.fail("%s of %d bytes, %d left", what, n, len(r.data))
		return ""
	}
	s := string(r.data[:n])
	r.data = r.data[n:]
	return s
}
