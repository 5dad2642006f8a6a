package attribution

import (
	"cmp"
	"fmt"
	"iter"
	"math"
	"math/bits"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin/internal/money"
)

// Credit is what one channel (or source, or campaign) earns under a model.
type Credit struct {
	// Channel names the touchpoint, at the level the paths were built for.
	Channel string `json:"channel"`
	// Conversions is the channel's fractional share of the conversions,
	// to a millionth of a conversion; the shares of all channels sum
	// exactly to [Result.TotalConversions].
	Conversions float64 `json:"conversions"`
	// Value is the channel's share of the conversion value, in minor
	// units of the currency; the shares sum exactly to [Result.TotalValue].
	Value decimal.Decimal `json:"value"`
}

// Result is the attribution of a set of paths under one model. It is a
// plain value.
type Result struct {
	// Model is the model that shared the credit.
	Model Model `json:"model"`
	// Currency is the currency of the values ([Options.Currency]).
	Currency string `json:"currency,omitempty"`
	// TotalConversions is the number of conversions over all paths.
	TotalConversions float64 `json:"total_conversions"`
	// TotalValue is the exact sum of the paths' values.
	TotalValue decimal.Decimal `json:"total_value"`
	// Channels holds every channel that appears on a path, by
	// conversions (most first), then value, then name. A channel that
	// earned nothing is listed with zeros.
	Channels []Credit `json:"channels"`
	// RemovalEffects holds, for the Markov model, each channel's removal
	// effect: the share (ratio 0–1) of the chain's conversion probability
	// that is lost when the channel is removed. Nil for other models.
	RemovalEffects map[string]float64 `json:"removal_effects,omitempty"`
}

// Get returns the credit of the named channel, and whether it is in the
// result.
func (r *Result) Get(channel string) (Credit, bool) {
	for _, c := range r.Channels {
		if c.Channel == channel {
			return c, true
		}
	}
	return Credit{}, false
}

// conversionDigits is the resolution of fractional conversions: a
// millionth.
const conversionDigits = 6

// Attribute shares the conversions and value of paths among their
// channels under model m. Paths may be aggregated (several conversions and
// nulls each) or one per journey; their order does not matter. Totals are
// exact: the conversion shares sum to the number of conversions and the
// value shares to the sum of the values, split by the largest remainder
// with ties broken by channel name (see [money.Split]).
//
// Only the Markov model uses paths that did not convert. The time-decay
// model needs touch times on every converting path ([ErrNoTimes]). A
// converting path with no touch gives [ErrBadPath]. Attribute is safe for
// concurrent use: it does not change paths.
func Attribute(paths []Path, m Model, opt Options) (Result, error) {
	if m >= modelCount {
		return Result{}, fmt.Errorf("attribution: unknown model %d", uint8(m))
	}
	acc, err := newAccumulator(paths, opt.Currency)
	if err != nil {
		return Result{}, err
	}
	res := Result{Model: m, Currency: opt.Currency, TotalValue: acc.totalValue, TotalConversions: float64(acc.totalConversions)}
	switch m {
	case Markov:
		var order int
		if order, err = opt.order(); err == nil {
			res.RemovalEffects, err = acc.markov(paths, order)
		}
	default:
		err = acc.heuristic(paths, m, opt)
	}
	if err != nil {
		return Result{}, err
	}
	if res.Channels, err = acc.credits(); err != nil {
		return Result{}, err
	}
	return res, nil
}

// accumulator gathers each channel's weight for conversions and for
// value, then splits the exact totals by them.
type accumulator struct {
	names            []string
	index            map[string]int
	ids              []int32    // channel index of every touch of every path, in order
	conv, val        []neumaier // per channel
	digits           int32      // decimal places of the value unit
	totalValue       decimal.Decimal
	totalConversions int64
}

func newAccumulator(paths []Path, currency string) (*accumulator, error) {
	a := &accumulator{index: map[string]int{}, digits: money.Digits(currency), totalValue: decimal.Zero}
	for i := range paths {
		p := &paths[i]
		if p.Conversions < 0 || p.Nulls < 0 || p.Value.IsNegative() {
			return nil, fmt.Errorf("%w: path %d has a negative count or value", ErrBadPath, i+1)
		}
		if p.Nulls > math.MaxInt64-p.Conversions {
			return nil, fmt.Errorf("%w: path %d has too many journeys", ErrBadPath, i+1)
		}
		if p.At != nil && len(p.At) != len(p.Channels) {
			return nil, fmt.Errorf("%w: path %d has %d touches and %d times", ErrBadPath, i+1, len(p.Channels), len(p.At))
		}
		if len(p.Channels) == 0 && (p.Conversions > 0 || p.Nulls > 0) {
			return nil, fmt.Errorf("%w: path %d has no touches", ErrBadPath, i+1)
		}
		if p.Conversions == 0 && !p.Value.IsZero() {
			return nil, fmt.Errorf("%w: path %d has value %s but no conversion", ErrBadPath, i+1, p.Value)
		}
		if d := money.Places(p.Value); d > a.digits {
			a.digits = d
		}
		if a.totalConversions > math.MaxInt64-p.Conversions {
			return nil, fmt.Errorf("%w: too many conversions", ErrBadPath)
		}
		a.totalConversions += p.Conversions
	}
	n := 0
	for i := range paths {
		n += len(paths[i].Channels)
	}
	a.ids = make([]int32, 0, n)
	for i := range paths {
		for _, c := range paths[i].Channels {
			a.ids = append(a.ids, int32(a.id(c)))
		}
	}
	// Sum the values in whole units of int64 while they fit (the common
	// case, and far cheaper than adding decimals), else as decimals.
	var units int64
	fits := true
	for i := range paths {
		u, ok := unitsOf(paths[i].Value, a.digits)
		if !ok || (u > 0 && units > math.MaxInt64-u) {
			fits = false
			break
		}
		units += u
	}
	if fits {
		a.totalValue = decimal.New(units, -a.digits)
	} else {
		for i := range paths {
			a.totalValue = a.totalValue.Add(paths[i].Value)
		}
	}
	return a, nil
}

// pow10 holds the powers of ten that fit in an int64.
var pow10 = func() (p [19]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return p
}()

// unitsOf returns v, a non-negative decimal with at most digits decimal
// places, in units of 10^−digits, and whether that fits in an int64.
func unitsOf(v decimal.Decimal, digits int32) (int64, bool) {
	if v.IsZero() {
		return 0, true
	}
	if v.IsNegative() || v.NumDigits() > 18 {
		return 0, false
	}
	s := digits + v.Exponent()
	if s < 0 || int(s) >= len(pow10) {
		return 0, false
	}
	hi, lo := bits.Mul64(uint64(v.CoefficientInt64()), pow10[s])
	if hi != 0 || lo > math.MaxInt64 {
		return 0, false
	}
	return int64(lo), true
}

// touches yields the index of each path and the channel indexes of its
// touches, from a.ids.
func (a *accumulator) touches(paths []Path) iter.Seq2[int, []int32] {
	return func(yield func(int, []int32) bool) {
		next := 0 // the first touch of the path in a.ids
		for i := range paths {
			ids := a.ids[next : next+len(paths[i].Channels)]
			next += len(ids)
			if !yield(i, ids) {
				return
			}
		}
	}
}

// id returns the index of channel c, adding it when new.
func (a *accumulator) id(c string) int {
	if i, ok := a.index[c]; ok {
		return i
	}
	i := len(a.names)
	a.index[c] = i
	a.names = append(a.names, c)
	a.conv = append(a.conv, neumaier{})
	a.val = append(a.val, neumaier{})
	return i
}

// value returns p's value in units of the split (an integer for exact
// inputs), as a float64 weight.
func (a *accumulator) value(p *Path) float64 {
	if u, ok := unitsOf(p.Value, a.digits); ok {
		return float64(u)
	}
	return p.Value.Shift(a.digits).InexactFloat64()
}

// credits splits the exact totals by the gathered weights.
func (a *accumulator) credits() ([]Credit, error) {
	cw := make([]decimal.Decimal, len(a.names))
	vw := make([]decimal.Decimal, len(a.names))
	for i := range a.names {
		cw[i] = weight(a.conv[i].sum())
		vw[i] = weight(a.val[i].sum())
	}
	convs, err := money.Split(decimal.NewFromInt(a.totalConversions), conversionDigits, cw, a.names)
	if err != nil {
		return nil, fmt.Errorf("attribution: sharing conversions: %w", err)
	}
	if allZero(vw) {
		// Conversions without value (leads): nothing to share, or a
		// value whose paths carry no weight; fall back to the
		// conversion weights so the total is still shared.
		vw = cw
	}
	vals, err := money.Split(a.totalValue, a.digits, vw, a.names)
	if err != nil {
		return nil, fmt.Errorf("attribution: sharing value: %w", err)
	}
	out := make([]Credit, len(a.names))
	for i, n := range a.names {
		out[i] = Credit{Channel: n, Conversions: convs[i].InexactFloat64(), Value: vals[i]}
	}
	slices.SortFunc(out, func(x, y Credit) int {
		if c := cmp.Compare(y.Conversions, x.Conversions); c != 0 {
			return c
		}
		if c := y.Value.Cmp(x.Value); c != 0 {
			return c
		}
		return cmp.Compare(x.Channel, y.Channel)
	})
	return out, nil
}

// weight turns a gathered float64 weight into a decimal rounded to 15
// significant digits, so that weights equal but for the rounding of their
// sums (which depends on the order of the paths) compare equal and the
// name tie-break of the split applies.
func weight(f float64) decimal.Decimal {
	if !(f > 0) || math.IsInf(f, 0) {
		return decimal.Zero
	}
	d, err := decimal.NewFromString(strconv.FormatFloat(f, 'g', 15, 64))
	if err != nil {
		return decimal.NewFromFloat(f)
	}
	return d
}

func allZero(ds []decimal.Decimal) bool {
	for _, d := range ds {
		if !d.IsZero() {
			return false
		}
	}
	return true
}

// neumaier is a compensated sum: its error does not grow with the number
// of terms, so a million path values add up to within a rounding of the
// exact sum.
type neumaier struct{ s, c float64 }

func (n *neumaier) add(x float64) {
	t := n.s + x
	if math.Abs(n.s) >= math.Abs(x) {
		n.c += (n.s - t) + x
	} else {
		n.c += (x - t) + n.s
	}
	n.s = t
}

func (n *neumaier) sum() float64 { return n.s + n.c }
