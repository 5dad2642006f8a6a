package onebeam

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

func init() {
	beam.RegisterCoder(reflect.TypeFor[onemin.Event](), encodeEvent, decodeEvent)
}

// ErrCorrupt is wrapped by the error of a decoder of this package's binary
// forms (an event between workers, an event with its place in the input)
// for data that is no valid encoding.
var ErrCorrupt = errors.New("onebeam: corrupt encoding")

// eventVersion is the first byte of an encoded event.
const eventVersion = 1

// encodeEvent is the coder of [onemin.Event] between workers: a version
// byte, the kind and actor, the instant as Unix nanoseconds and the zone
// offset in seconds (zigzag varints), the score, then every text field and
// the amount's coefficient as length-prefixed bytes, and the amount's
// exponent. The amount keeps its exact coefficient and scale.
func encodeEvent(e onemin.Event) ([]byte, error) {
	return appendEvent(make([]byte, 0, 96), &e), nil
}

func appendEvent(b []byte, e *onemin.Event) []byte {
	b = append(b, eventVersion, byte(e.Kind), byte(e.Actor))
	if e.At.IsZero() {
		b = append(b, 0)
	} else {
		_, off := e.At.Zone()
		b = append(b, 1)
		b = binary.AppendVarint(b, e.At.Unix())
		b = binary.AppendUvarint(b, uint64(e.At.Nanosecond()))
		b = binary.AppendVarint(b, int64(off))
	}
	b = binary.AppendVarint(b, int64(e.Score))
	for _, s := range [...]string{e.ID, e.Tenant, e.ConversationID, e.ContactID, e.Channel, e.Agent,
		e.Source, e.Medium, e.Campaign, e.Scenario, e.Product, e.Currency} {
		b = binary.AppendUvarint(b, uint64(len(s)))
		b = append(b, s...)
	}
	coef := e.Amount.Coefficient()
	b = append(b, byte(coef.Sign()+1))
	mag := coef.Bytes()
	b = binary.AppendUvarint(b, uint64(len(mag)))
	b = append(b, mag...)
	return binary.AppendVarint(b, int64(e.Amount.Exponent()))
}

func decodeEvent(data []byte) (onemin.Event, error) {
	var e onemin.Event
	rest, err := readEvent(data, &e)
	if err == nil && len(rest) != 0 {
		err = fmt.Errorf("%d bytes after the event", len(rest))
	}
	if err != nil {
		return onemin.Event{}, fmt.Errorf("%w: event: %w", ErrCorrupt, err)
	}
	return e, nil
}

// reader reads the fields of a binary form; the first failure sticks.
type reader struct {
	data []byte
	err  error
}

func (r *reader) fail(what string) {
	if r.err == nil {
		r.err = fmt.Errorf("truncated or overflowing %s", what)
	}
}

func (r *reader) byte(what string) byte {
	if r.err != nil || len(r.data) == 0 {
		r.fail(what)
		return 0
	}
	v := r.data[0]
	r.data = r.data[1:]
	return v
}

func (r *reader) varint(what string) int64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Varint(r.data)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *reader) uvarint(what string) uint64 {
	if r.err != nil {
		return 0
	}
	v, n := binary.Uvarint(r.data)
	if n <= 0 {
		r.fail(what)
		return 0
	}
	r.data = r.data[n:]
	return v
}

func (r *reader) bytes(what string) []byte {
	n := r.uvarint(what)
	if r.err != nil || n > uint64(len(r.data)) {
		r.fail(what)
		return nil
	}
	v := r.data[:n]
	r.data = r.data[n:]
	return v
}

// readEvent decodes one event from the front of data into e and returns
// the bytes after it.
func readEvent(data []byte, e *onemin.Event) ([]byte, error) {
	r := &reader{data: data}
	if v := r.byte("version"); r.err == nil && v != eventVersion {
		return nil, fmt.Errorf("unsupported version %d", v)
	}
	e.Kind = onemin.Kind(r.byte("kind"))
	e.Actor = onemin.Actor(r.byte("actor"))
	switch r.byte("time flag") {
	case 0:
	case 1:
		sec, nsec, off := r.varint("time"), r.uvarint("time"), r.varint("zone")
		if r.err == nil && (nsec >= 1e9 || off <= -86400 || off >= 86400) {
			return nil, errors.New("time out of range")
		}
		e.At = time.Unix(sec, int64(nsec)).In(zone(int(off)))
	default:
		if r.err == nil {
			return nil, errors.New("bad time flag")
		}
	}
	score := r.varint("score")
	if r.err == nil && (score < math.MinInt32 || score > math.MaxInt32) {
		return nil, errors.New("score out of range")
	}
	e.Score = int(score)
	for _, p := range [...]*string{&e.ID, &e.Tenant, &e.ConversationID, &e.ContactID, &e.Channel, &e.Agent,
		&e.Source, &e.Medium, &e.Campaign, &e.Scenario, &e.Product, &e.Currency} {
		*p = string(r.bytes("text"))
	}
	sign := int(r.byte("amount sign")) - 1
	mag := r.bytes("amount")
	exp := r.varint("exponent")
	if r.err != nil {
		return nil, r.err
	}
	if sign < -1 || sign > 1 || exp < math.MinInt32 || exp > math.MaxInt32 || (sign == 0) != (len(mag) == 0) {
		return nil, errors.New("amount out of range")
	}
	coef := new(big.Int).SetBytes(mag)
	if sign < 0 {
		coef.Neg(coef)
	}
	e.Amount = decimal.NewFromBigInt(coef, int32(exp))
	return r.data, nil
}

// zones caches the fixed zones of decoded events: most inputs have one or
// two offsets.
var (
	zoneMu sync.Mutex
	zones  = map[int]*time.Location{0: time.UTC}
)

// zone returns a fixed zone with the given offset in seconds east of UTC.
// Events keep their instant and their offset between workers; the zone's
// name is not kept, as no definition depends on it.
func zone(off int) *time.Location {
	zoneMu.Lock()
	defer zoneMu.Unlock()
	if l, ok := zones[off]; ok {
		return l
	}
	l := time.FixedZone("", off)
	zones[off] = l
	return l
}

// located is an accepted event with the row it was read from (its
// ordinal among its file's rows), so that of two copies of an event in
// different files the one read first in (file, row) order is kept, as a
// single reader of the files in that order would keep it.
type located struct {
	File  string
	Line  int // the row's ordinal, 1 for the first row after the header
	Event onemin.Event
}
