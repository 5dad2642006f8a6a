package bitrix24

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// record is one item of a list answer: Bitrix24 sends most values as
// strings, some as numbers, absent ones as null or "".
type record map[string]json.RawMessage

// str returns the field as text: a JSON string, the literal of a number,
// or "" for null or a missing field.
func (r record) str(key string) (string, error) {
	raw, ok := r[key]
	if !ok {
		return "", nil
	}
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || bytes.Equal(raw, []byte("null")) || bytes.Equal(raw, []byte("false")):
		return "", nil
	case raw[0] == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", fieldErr(key, err)
		}
		return s, nil
	case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		return string(raw), nil
	}
	return "", fieldErr(key, fmt.Errorf("value %s is not a string or a number", truncate(raw)))
}

func (r record) int(key string) (int64, error) {
	s, err := r.str(key)
	if err != nil || s == "" {
		return 0, err
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, fieldErr(key, fmt.Errorf("%q is not an integer", s))
	}
	return v, nil
}

// time parses Bitrix24's ISO 8601 dates ("2024-01-09T10:15:00+03:00"); an
// empty value gives the zero time.
func (r record) time(key string) (time.Time, error) {
	s, err := r.str(key)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fieldErr(key, fmt.Errorf("%q is not an ISO 8601 time with offset", s))
	}
	return t, nil
}

// decimal parses an amount such as "1500.00" without passing it through
// float64; empty gives zero.
func (r record) decimal(key string) (decimal.Decimal, error) {
	s, err := r.str(key)
	if err != nil || s == "" {
		return decimal.Decimal{}, err
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fieldErr(key, fmt.Errorf("%q is not a decimal amount", s))
	}
	return d, nil
}

// fold returns the record with keys folded to lower case without
// underscores, so that "DATE_CREATE" and "dateCreate" name one field.
func (r record) fold() record {
	out := make(record, len(r))
	for k, v := range r {
		out[strings.ToLower(strings.ReplaceAll(k, "_", ""))] = v
	}
	return out
}

func fieldErr(key string, err error) error { return fmt.Errorf("field %s: %w", key, err) }

func truncate(b []byte) string {
	if len(b) > 40 {
		return string(b[:40]) + "…"
	}
	return string(b)
}

// fieldReader reads fields of a record and keeps the first error, so that
// a decoder reads like a list of assignments.
type fieldReader struct {
	r   record
	err error
}

func (f *fieldReader) str(key string) string {
	v, err := f.r.str(key)
	f.keep(err)
	return v
}

func (f *fieldReader) int(key string) int64 {
	v, err := f.r.int(key)
	f.keep(err)
	return v
}

func (f *fieldReader) time(key string) time.Time {
	v, err := f.r.time(key)
	f.keep(err)
	return v
}

func (f *fieldReader) decimal(key string) decimal.Decimal {
	v, err := f.r.decimal(key)
	f.keep(err)
	return v
}

func (f *fieldReader) keep(err error) {
	if f.err == nil {
		f.err = err
	}
}
