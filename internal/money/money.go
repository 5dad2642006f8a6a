package money

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/shopspring/decimal"
)

// minorDigits lists the ISO 4217 currencies whose minor unit is not 2
// decimal places, and the common ones that are, for documentation.
var minorDigits = map[string]int32{
	"RUB": 2, "KZT": 2, "USD": 2, "EUR": 2, "GBP": 2, "CNY": 2, "UZS": 2,
	"BYN": 2, "UAH": 2, "KGS": 2, "AMD": 2, "AZN": 2, "GEL": 2, "TRY": 2,
	"JPY": 0, "KRW": 0, "VND": 0, "CLP": 0, "ISK": 0, "PYG": 0, "UGX": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
}

// Digits returns the number of decimal places of the minor unit of the
// ISO 4217 currency code (case-insensitive): 2 for RUB, KZT, USD and EUR,
// 0 for JPY, 3 for KWD. An unknown or empty code gives 2.
func Digits(currency string) int32 {
	if d, ok := minorDigits[strings.ToUpper(currency)]; ok {
		return d
	}
	return 2
}

// Places returns the number of decimal places that d is written with
// (0 for an integer): 3 for 1.250, 0 for 1200.
func Places(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}

// ErrNoWeight means a split was asked for with weights that sum to zero
// (or no weights) while the total is not zero: there is nothing to share it
// by.
var ErrNoWeight = errors.New("money: weights sum to zero")

// Split divides total into len(weights) parts proportional to weights by
// the largest-remainder method, in units of 10^−digits, or finer when total
// itself has more decimal places (so the total is always representable).
// The parts sum exactly to total, and each part is the floor or the
// ceiling of its exact quota. Remainders that are equal are broken by
// names in ascending order (names may be nil or shorter than weights: the
// missing names are ""), then by index, so the split is deterministic.
//
// Weights must be non-negative; a negative weight is an error. A zero
// total gives zero parts whatever the weights; a non-zero total with
// weights summing to zero gives [ErrNoWeight]. A negative total is split
// as its absolute value and the parts negated.
func Split(total decimal.Decimal, digits int32, weights []decimal.Decimal, names []string) ([]decimal.Decimal, error) {
	parts := make([]decimal.Decimal, len(weights))
	sum := new(big.Rat)
	for i, w := range weights {
		if w.IsNegative() {
			return nil, fmt.Errorf("money: weight %d is negative (%s)", i, w)
		}
		sum.Add(sum, w.Rat())
	}
	if total.IsZero() {
		for i := range parts {
			parts[i] = decimal.Zero
		}
		return parts, nil
	}
	if sum.Sign() == 0 {
		return nil, ErrNoWeight
	}
	neg := total.IsNegative()
	if p := Places(total); p > digits {
		digits = p
	}
	// units = |total| · 10^digits, an integer by the choice of digits.
	units := total.Abs().Shift(digits).BigInt()

	type rem struct {
		i    int
		frac *big.Rat
	}
	rems := make([]rem, len(weights))
	given := new(big.Int)
	for i, w := range weights {
		q := new(big.Rat).Mul(new(big.Rat).SetInt(units), w.Rat())
		q.Quo(q, sum)
		fl := new(big.Int).Quo(q.Num(), q.Denom()) // q ≥ 0, so Quo is the floor
		frac := new(big.Rat).Sub(q, new(big.Rat).SetInt(fl))
		rems[i] = rem{i, frac}
		parts[i] = decimal.NewFromBigInt(fl, 0)
		given.Add(given, fl)
	}
	left := new(big.Int).Sub(units, given).Int64() // < len(weights)
	name := func(i int) string {
		if i < len(names) {
			return names[i]
		}
		return ""
	}
	slices.SortFunc(rems, func(a, b rem) int {
		if c := b.frac.Cmp(a.frac); c != 0 {
			return c
		}
		if c := strings.Compare(name(a.i), name(b.i)); c != 0 {
			return c
		}
		return a.i - b.i
	})
	for k := int64(0); k < left; k++ {
		i := rems[k].i
		parts[i] = parts[i].Add(decimal.NewFromInt(1))
	}
	for i := range parts {
		parts[i] = parts[i].Shift(-digits)
		if neg {
			parts[i] = parts[i].Neg()
		}
	}
	return parts, nil
}

// SplitEven divides total into n equal parts, as [Split] with equal
// weights would: every part gets the quotient of the units by n and the
// first (units mod n) parts one unit more. It is the straight-line
// schedule of an amortization. n must be positive.
func SplitEven(total decimal.Decimal, digits int32, n int) ([]decimal.Decimal, error) {
	if n <= 0 {
		return nil, fmt.Errorf("money: cannot split into %d parts", n)
	}
	if p := Places(total); p > digits {
		digits = p
	}
	units := total.Abs().Shift(digits).BigInt()
	q, r := new(big.Int).QuoRem(units, big.NewInt(int64(n)), new(big.Int))
	extra := int(r.Int64()) // < n
	base := decimal.NewFromBigInt(q, -digits)
	more := decimal.NewFromBigInt(new(big.Int).Add(q, big.NewInt(1)), -digits)
	parts := make([]decimal.Decimal, n)
	for i := range parts {
		parts[i] = base
		if i < extra {
			parts[i] = more
		}
		if total.IsNegative() {
			parts[i] = parts[i].Neg()
		}
	}
	return parts, nil
}
