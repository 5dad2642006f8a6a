package money

import (
	"math"

	"github.com/shopspring/decimal"
)

// Units returns d in units of 10^−digits (kopecks for 2) and true when that
// is an exact int64: d has at most digits decimal places that are not
// trailing zeros, and the units fit. Otherwise it returns 0 and false and
// the caller keeps d as a decimal. It does not allocate.
func Units(d decimal.Decimal, digits int32) (int64, bool) {
	if d.IsZero() {
		return 0, true
	}
	// NumDigits may count one digit too few (it takes a float logarithm),
	// so 17 leaves room: at most 18 digits, below 2⁶³ ≈ 9.2·10¹⁸.
	if d.NumDigits() > 17 {
		return 0, false
	}
	c := d.CoefficientInt64()
	for shift := int64(d.Exponent()) + int64(digits); shift != 0; {
		if shift > 0 {
			if c > math.MaxInt64/10 || c < math.MinInt64/10 {
				return 0, false
			}
			c *= 10
			shift--
			continue
		}
		if c%10 != 0 { // c ≠ 0, so this ends within 18 steps
			return 0, false
		}
		c /= 10
		shift++
	}
	return c, true
}

// Sum is an exact running total of amounts in one currency. It adds in
// int64 units of 10^−digits while the amounts and the total fit, which
// costs no allocation, and keeps what does not fit (an amount with more
// decimal places, a total beyond ±9.2·10¹⁸ units) in a decimal. Every Sum
// of a total must use the same digits. The zero Sum is 0. A Sum is a plain
// value, not safe for concurrent use.
type Sum struct {
	units int64
	rest  decimal.Decimal // the part of the total not in units
}

// Add adds d, an amount of a currency with digits decimal places.
func (s *Sum) Add(d decimal.Decimal, digits int32) {
	if u, ok := Units(d, digits); ok {
		s.AddUnits(u, digits)
		return
	}
	s.rest = s.rest.Add(d)
}

// Sub subtracts d, an amount of a currency with digits decimal places.
func (s *Sum) Sub(d decimal.Decimal, digits int32) {
	if u, ok := Units(d, digits); ok && u != math.MinInt64 {
		s.AddUnits(-u, digits)
		return
	}
	s.rest = s.rest.Sub(d)
}

// AddUnits adds u units of 10^−digits.
func (s *Sum) AddUnits(u int64, digits int32) {
	t := s.units + u
	if (u > 0 && t < s.units) || (u < 0 && t > s.units) { // overflow
		s.rest = s.rest.Add(decimal.New(s.units, -digits))
		t = u
	}
	s.units = t
}

// AddSum adds o, a Sum of the same digits.
func (s *Sum) AddSum(o Sum, digits int32) {
	s.AddUnits(o.units, digits)
	if !o.rest.IsZero() {
		s.rest = s.rest.Add(o.rest)
	}
}

// Decimal returns the total, exact.
func (s Sum) Decimal(digits int32) decimal.Decimal {
	d := decimal.New(s.units, -digits)
	if s.rest.IsZero() {
		return d
	}
	return d.Add(s.rest)
}
