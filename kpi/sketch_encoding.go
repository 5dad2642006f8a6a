package kpi

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/bits"
	"time"
)

// ErrSketchCorrupt is wrapped by the error [Sketch.UnmarshalBinary] returns
// for input that is not a valid encoding: wrong magic or version,
// truncated, overflowing, out of bounds options, counts that do not add up
// or trailing bytes.
var ErrSketchCorrupt = errors.New("kpi: corrupt sketch encoding")

// The binary form of a [Sketch], version 1. Integers are unsigned varints
// (encoding/binary.AppendUvarint) unless said otherwise.
//
//	magic      1 byte, 0xA7
//	version    1 byte, 1
//	α          8 bytes, IEEE 754 binary64, little endian
//	min, max   the range in nanoseconds
//	M          buckets per doubling (checked against α and min)
//	count, zeros, below, above
//	sum        high and low 64-bit words of the 128-bit sum in nanoseconds
//	minimum, maximum   exact, in nanoseconds; present only when count > 0
//	k          number of runs of buckets, then k runs:
//	  gap      index of the run's first bucket − (end of the previous
//	           run + 1); for the first run, its index
//	  len      number of buckets in the run, at least 1
//	  counts   len bucket counts; the first and the last are not zero
//
// Nothing may follow. A run is a stretch of buckets with no two empty ones
// in a row, so a count costs one to three bytes and a run two more. An
// empty default sketch takes 29 bytes; a sketch of a million response
// times spread over nine orders of magnitude about 2 KiB, whatever the
// number of values.
const (
	sketchMagic   = 0xA7
	sketchVersion = 1
)

// MarshalBinary implements [encoding.BinaryMarshaler]: it returns the
// compact binary form described at [Sketch.AppendBinary].
func (s *Sketch) MarshalBinary() ([]byte, error) {
	first, last := s.span()
	return s.AppendBinary(make([]byte, 0, 64+4*max(last-first+1, 0)))
}

// AppendBinary implements [encoding.BinaryAppender]: it appends the binary
// form of s to b. The form (version 1) is a magic byte 0xA7, a version
// byte, α as 8 bytes of little-endian IEEE 754, then unsigned varints:
// Min, Max, buckets per doubling, count, zeros, below, above, the 128-bit
// sum as high and low words, the exact minimum and maximum (only when the
// count is not zero), then the non-empty buckets as runs of counts, each
// run with its gap from the previous one and its length. It never fails.
func (s *Sketch) AppendBinary(b []byte) ([]byte, error) {
	l := s.effectiveLayout()
	b = append(b, sketchMagic, sketchVersion)
	b = binary.LittleEndian.AppendUint64(b, math.Float64bits(l.alpha))
	for _, v := range [...]uint64{uint64(l.min), uint64(l.max), l.perOctave,
		s.count, s.zeros, s.below, s.above, s.sumHi, s.sumLo} {
		b = binary.AppendUvarint(b, v)
	}
	if s.count > 0 {
		b = binary.AppendUvarint(b, uint64(s.min))
		b = binary.AppendUvarint(b, uint64(s.max))
	}
	first, last := s.span()
	runs := 0
	for i := first; ; runs++ {
		start, end := s.nextRun(i, last)
		if start > last {
			break
		}
		i = end
	}
	b = binary.AppendUvarint(b, uint64(runs))
	prevEnd := 0
	for i := first; ; {
		start, end := s.nextRun(i, last)
		if start > last {
			break
		}
		b = binary.AppendUvarint(b, uint64(start-prevEnd))
		b = binary.AppendUvarint(b, uint64(end-start))
		for j := start; j < end; j++ {
			b = binary.AppendUvarint(b, s.bucket(j))
		}
		i, prevEnd = end, end
	}
	return b, nil
}

// nextRun returns the run [start, end) that begins at the first non-empty
// bucket in i..last: it ends with a non-empty bucket and has no two empty
// buckets in a row. start > last when there is none.
func (s *Sketch) nextRun(i, last int) (start, end int) {
	for i <= last && s.bucket(i) == 0 {
		i++
	}
	if i > last {
		return i, i
	}
	start, end = i, i+1
	for j := end; j <= last && j <= end+1; j++ {
		if s.bucket(j) != 0 {
			end = j + 1
		}
	}
	return start, end
}

// UnmarshalBinary implements [encoding.BinaryUnmarshaler]: it replaces s
// with the sketch encoded in data, options included. On error, which wraps
// [ErrSketchCorrupt], s is unchanged. It allocates a window over the
// buckets the encoding holds, as [Sketch.Add] would, once their runs have
// been read and checked, and never more than every bucket the encoded
// options call for (bounded by the limits on [SketchOptions]: 1 MiB, and
// as much again for counts of 2³² or more).
func (s *Sketch) UnmarshalBinary(data []byte) error {
	var t Sketch
	if err := t.decode(data); err != nil {
		return fmt.Errorf("%w: %w", ErrSketchCorrupt, err)
	}
	*s = t
	return nil
}

// sketchReader reads varints and remembers the first failure.
type sketchReader struct {
	data []byte
	err  error
}

func (r *sketchReader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data)
	switch {
	case n == 0:
		r.err = fmt.Errorf("truncated at %s", what)
		return 0
	case n < 0:
		r.err = fmt.Errorf("%s overflows 64 bits", what)
		return 0
	}
	r.data = r.data[n:]
	return v
}

// duration reads a varint that must fit in a time.Duration.
func (r *sketchReader) duration(what string) time.Duration {
	v := r.uvarint(what)
	if v > math.MaxInt64 && r.err == nil {
		r.err = fmt.Errorf("%s %d overflows a duration", what, v)
	}
	return time.Duration(v)
}

func (t *Sketch) decode(data []byte) error {
	if len(data) < 10 {
		return fmt.Errorf("truncated header: %d bytes", len(data))
	}
	if data[0] != sketchMagic {
		return fmt.Errorf("bad magic byte %#x", data[0])
	}
	if data[1] != sketchVersion {
		return fmt.Errorf("unsupported version %d", data[1])
	}
	alpha := math.Float64frombits(binary.LittleEndian.Uint64(data[2:10]))
	r := sketchReader{data: data[10:]}
	lo, hi := r.duration("min"), r.duration("max")
	m := r.uvarint("buckets per doubling")
	if r.err != nil {
		return r.err
	}
	l, err := newSketchLayout(SketchOptions{RelativeAccuracy: alpha, Min: lo, Max: hi})
	if err != nil || lo == 0 || hi == 0 {
		return fmt.Errorf("bad options: α %v, min %d, max %d", alpha, lo, hi)
	}
	if l.perOctave != m {
		return fmt.Errorf("%d buckets per doubling, α %v calls for %d", m, alpha, l.perOctave)
	}
	t.layout = l
	t.count, t.zeros = r.uvarint("count"), r.uvarint("zeros")
	t.below, t.above = r.uvarint("below"), r.uvarint("above")
	t.sumHi, t.sumLo = r.uvarint("sum"), r.uvarint("sum")
	if t.count > 0 {
		t.min, t.max = r.duration("minimum"), r.duration("maximum")
	}
	k := r.uvarint("number of runs")
	if r.err != nil {
		return r.err
	}
	if k > uint64(l.n) {
		return fmt.Errorf("%d runs of buckets, the layout has %d buckets", k, l.n)
	}
	// The first pass checks the runs and finds the buckets in use, the
	// second fills a window of just those.
	runs := r
	t.first, t.last = l.n, -1
	total, err := t.readRuns(&r, k, false)
	if err != nil {
		return err
	}
	if len(r.data) != 0 {
		return fmt.Errorf("%d trailing bytes", len(r.data))
	}
	if k > 0 {
		t.cover(t.first, t.last) // a new window: first and last start over
		if _, err := t.readRuns(&runs, k, true); err != nil {
			return err // not reached: the first pass read the same bytes
		}
	}
	return t.check(total)
}

// readRuns reads k runs of bucket counts, checks them, widens t.first and
// t.last to the buckets they span and returns the sum of their counts.
// With fill it also stores the counts in the window, which must hold
// every bucket of the runs.
func (t *Sketch) readRuns(r *sketchReader, k uint64, fill bool) (uint64, error) {
	n := t.layout.n
	var total uint64
	end := 0 // one past the previous run
	for range k {
		gap, length := r.uvarint("run gap"), r.uvarint("run length")
		if r.err != nil {
			return 0, r.err
		}
		if gap >= uint64(n-end) || length == 0 || length > uint64(n-end)-gap {
			return 0, fmt.Errorf("run of %d buckets at %d+%d beyond %d buckets", length, end, gap, n)
		}
		start := end + int(gap)
		end = start + int(length)
		for i := start; i < end; i++ {
			c := r.uvarint("bucket")
			if r.err != nil {
				return 0, r.err
			}
			if c == 0 && (i == start || i == end-1) {
				return 0, errors.New("run starts or ends with an empty bucket")
			}
			var carry uint64
			if total, carry = bits.Add64(total, c, 0); carry != 0 {
				return 0, errors.New("bucket counts overflow")
			}
			if fill {
				t.low[i-t.base] = uint32(c)
				if c>>32 != 0 {
					t.carry(i, c>>32)
				}
			}
		}
		t.first = min(t.first, start)
		t.last = end - 1
	}
	return total, nil
}

// check verifies that decoded totals agree with each other and with the
// buckets, which hold total values.
func (t *Sketch) check(total uint64) error {
	if t.zeros > t.count || total != t.count-t.zeros {
		return fmt.Errorf("count %d is not zeros %d plus bucket counts %d", t.count, t.zeros, total)
	}
	if t.count == 0 {
		if t.below|t.above|t.sumHi|t.sumLo != 0 {
			return errors.New("empty sketch with clamped values or a sum")
		}
		return nil
	}
	switch {
	case t.min > t.max:
		return fmt.Errorf("minimum %d above maximum %d", t.min, t.max)
	case (t.zeros > 0) != (t.min == 0):
		return fmt.Errorf("minimum %d disagrees with %d zeros", t.min, t.zeros)
	case (total > 0) != (t.max > 0):
		return fmt.Errorf("maximum %d disagrees with %d positive values", t.max, total)
	}
	if total > 0 {
		if i, _ := t.layout.index(t.max); i != t.last {
			return fmt.Errorf("maximum %d is not in the highest bucket", t.max)
		}
		if t.zeros == 0 {
			if i, _ := t.layout.index(t.min); i != t.first {
				return fmt.Errorf("minimum %d is not in the lowest bucket", t.min)
			}
		}
		if t.below > t.bucket(0) || t.above > t.bucket(t.layout.n-1) {
			return fmt.Errorf("clamped counts %d and %d exceed their buckets", t.below, t.above)
		}
		if t.below > 0 && t.zeros == 0 && t.min >= t.layout.min {
			return fmt.Errorf("values below min but minimum %d", t.min)
		}
		if t.above > 0 && t.max <= t.layout.max {
			return fmt.Errorf("values above max but maximum %d", t.max)
		}
	} else if t.below|t.above != 0 {
		return errors.New("clamped values without buckets")
	}
	// minimum·count ≤ sum ≤ maximum·count
	loHi, loLo := bits.Mul64(uint64(t.min), t.count)
	hiHi, hiLo := bits.Mul64(uint64(t.max), t.count)
	if less128(t.sumHi, t.sumLo, loHi, loLo) || less128(hiHi, hiLo, t.sumHi, t.sumLo) {
		return errors.New("sum outside count × [minimum, maximum]")
	}
	return nil
}

func less128(aHi, aLo, bHi, bLo uint64) bool {
	return aHi < bHi || aHi == bHi && aLo < bLo
}
