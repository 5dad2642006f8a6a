package onemin

import (
	"strconv"
)

// Ratio is a share Num ÷ Den kept as its two counts, so that nothing is lost
// to rounding and a zero denominator stays visible. When 0 ≤ Num ≤ Den its
// value is a ratio in [0, 1] (not a percent). A Ratio whose Den is 0 is
// undefined, not zero: [Ratio.Value] reports ok = false and the JSON form is
// null. The zero Ratio is undefined. Ratio is a plain value, safe to copy.
type Ratio struct {
	Num int
	Den int
}

// Value returns Num ÷ Den and true, or 0 and false when Den is 0.
func (r Ratio) Value() (float64, bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// Defined reports whether the denominator is not zero.
func (r Ratio) Defined() bool { return r.Den != 0 }

// Percent returns the value as a percent (0–100) and true, or 0 and false
// when Den is 0.
func (r Ratio) Percent() (float64, bool) {
	v, ok := r.Value()
	return v * 100, ok
}

// String returns the value as a percent with one decimal, such as "42.5%",
// or "n/a" when the ratio is undefined.
func (r Ratio) String() string {
	p, ok := r.Percent()
	if !ok {
		return "n/a"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// MarshalJSON writes the value as a JSON number (a ratio 0–1), or null when
// the ratio is undefined.
func (r Ratio) MarshalJSON() ([]byte, error) {
	v, ok := r.Value()
	if !ok {
		return []byte("null"), nil
	}
	return strconv.AppendFloat(nil, v, 'g', -1, 64), nil
}
