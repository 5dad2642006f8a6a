package roi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin/internal/money"
)

// Money is an exact amount in a currency. Amount never passes through
// float64; Currency is an ISO 4217 code in upper case ("RUB", "KZT").
//
// The zero Money (zero amount, no currency) is a neutral zero: adding it
// to any amount gives that amount. Any other Money without a currency is
// an error in arithmetic. Money is a plain value, safe to copy and to use
// from several goroutines.
type Money struct {
	Amount   decimal.Decimal
	Currency string
}

// ErrCurrencyMix means amounts in different currencies were to be added
// or compared without exchange rates ([Rates]).
var ErrCurrencyMix = errors.New("roi: amounts in different currencies")

// New returns amount in currency (upper-cased).
func New(amount decimal.Decimal, currency string) Money {
	return Money{Amount: amount, Currency: strings.ToUpper(strings.TrimSpace(currency))}
}

// Parse reads an amount written with a dot ("12345.67") in currency. A
// comma as the decimal separator ("12345,67") and spaces between groups
// of digits are accepted, as owners type them.
func Parse(amount, currency string) (Money, error) {
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '_':
			return -1
		case ',':
			return '.'
		}
		return r
	}, amount)
	d, err := decimal.NewFromString(s)
	if err != nil || strings.ContainsAny(s, "eE") {
		return Money{}, fmt.Errorf("roi: %q is not an amount", amount)
	}
	m := New(d, currency)
	if len(m.Currency) != 3 {
		return Money{}, fmt.Errorf("roi: %q is not a currency code", currency)
	}
	return m, nil
}

// Digits returns the number of decimal places of m's minor unit (see
// [MinorDigits]).
func (m Money) Digits() int32 { return money.Digits(m.Currency) }

// MinorDigits returns the decimal places of the minor unit of an ISO 4217
// currency: 2 for RUB, KZT, USD and EUR, 0 for JPY, 3 for KWD; an unknown
// code has 2.
func MinorDigits(currency string) int32 { return money.Digits(currency) }

// IsZero reports whether the amount is zero, whatever the currency.
func (m Money) IsZero() bool { return m.Amount.IsZero() }

// neutral reports whether m is the zero Money.
func (m Money) neutral() bool { return m.Currency == "" && m.Amount.IsZero() }

// same returns the currency of a and b, or an error if they differ.
func same(a, b Money) (string, error) {
	switch {
	case a.neutral():
		return b.Currency, nil
	case b.neutral():
		return a.Currency, nil
	case a.Currency == "" || b.Currency == "":
		return "", fmt.Errorf("roi: an amount without a currency (%s, %s)", a, b)
	case a.Currency != b.Currency:
		return "", fmt.Errorf("%w: %s and %s", ErrCurrencyMix, a.Currency, b.Currency)
	}
	return a.Currency, nil
}

// Add returns m + o. Different currencies give [ErrCurrencyMix]; convert
// first with [Rates.Convert] or use [Sum].
func (m Money) Add(o Money) (Money, error) {
	c, err := same(m, o)
	if err != nil {
		return Money{}, err
	}
	return Money{m.Amount.Add(o.Amount), c}, nil
}

// Sub returns m − o. Different currencies give [ErrCurrencyMix].
func (m Money) Sub(o Money) (Money, error) {
	c, err := same(m, o)
	if err != nil {
		return Money{}, err
	}
	return Money{m.Amount.Sub(o.Amount), c}, nil
}

// Mul returns m × k, exact (not rounded).
func (m Money) Mul(k decimal.Decimal) Money { return Money{m.Amount.Mul(k), m.Currency} }

// Round returns m rounded to its minor unit, half away from zero.
func (m Money) Round() Money { return Money{m.Amount.Round(m.Digits()), m.Currency} }

// Div returns m ÷ n rounded to the minor unit (half away from zero), and
// false when n is 0: the quotient is undefined.
func (m Money) Div(n int64) (Money, bool) {
	if n == 0 {
		return Money{}, false
	}
	return Money{m.Amount.Div(decimal.NewFromInt(n)).Round(m.Digits()), m.Currency}, true
}

// Cmp compares m and o: −1, 0 or +1. Different currencies give
// [ErrCurrencyMix].
func (m Money) Cmp(o Money) (int, error) {
	if _, err := same(m, o); err != nil {
		return 0, err
	}
	return m.Amount.Cmp(o.Amount), nil
}

// Sum adds amounts. Amounts of one currency (zero Money aside) add
// exactly. Amounts of several currencies need rates: each is converted
// into rates.Into by [Rates.Convert] and the results added; with nil
// rates they give [ErrCurrencyMix].
func Sum(rates *Rates, ms ...Money) (Money, error) {
	var total Money
	for _, m := range ms {
		t, err := total.Add(m)
		if errors.Is(err, ErrCurrencyMix) && rates != nil {
			a, errA := rates.Convert(total)
			b, errB := rates.Convert(m)
			if err = errors.Join(errA, errB); err == nil {
				t, err = a.Add(b)
			}
		}
		if err != nil {
			return Money{}, err
		}
		total = t
	}
	return total, nil
}

// String returns the machine form: the amount with the minor unit's
// decimal places and a dot, then the code: "12345.67 RUB".
func (m Money) String() string {
	if m.Currency == "" {
		return m.Amount.String()
	}
	return m.Plain() + " " + m.Currency
}

// Plain returns the amount alone in machine form, rounded to the minor
// unit: "12345.67". It is what CSV and JSON carry.
func (m Money) Plain() string { return m.Amount.StringFixed(m.Digits()) }

// symbols are the signs a human report writes after an amount.
var symbols = map[string]string{"RUB": "₽", "KZT": "₸", "USD": "$", "EUR": "€", "UAH": "₴", "BYN": "Br", "UZS": "сум", "KGS": "сом"}

// Format returns the human form of a Russian-language report, rounded to
// the minor unit: groups of three digits separated by spaces, a decimal
// comma, and the currency's sign (or code): "12 345,67 ₽",
// "1 000 000,00 ₸", "−500,00 $", "1 200 JPY".
func (m Money) Format() string {
	d := m.Digits()
	s := m.Amount.Abs().StringFixed(d)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if m.Amount.Round(d).IsNegative() {
		b.WriteString("−")
	}
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	if frac != "" {
		b.WriteByte(',')
		b.WriteString(frac)
	}
	if m.Currency != "" {
		b.WriteByte(' ')
		if sym, ok := symbols[m.Currency]; ok {
			b.WriteString(sym)
		} else {
			b.WriteString(m.Currency)
		}
	}
	return b.String()
}

// moneyJSON is the JSON form of Money.
type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON writes {"amount": "12345.67", "currency": "RUB"}: the
// amount as a decimal string, so no reader turns it into a float, with at
// least the minor unit's decimal places and never fewer than it has.
func (m Money) MarshalJSON() ([]byte, error) {
	return json.Marshal(moneyJSON{m.Amount.StringFixed(max(m.Digits(), money.Places(m.Amount))), m.Currency})
}

// UnmarshalJSON reads the form [Money.MarshalJSON] writes.
func (m *Money) UnmarshalJSON(b []byte) error {
	var v moneyJSON
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	d, err := decimal.NewFromString(v.Amount)
	if err != nil {
		return fmt.Errorf("roi: amount %q: %w", v.Amount, err)
	}
	*m = New(d, v.Currency)
	return nil
}

// Rates converts money of several currencies into one. Per holds the
// price of one unit of each other currency in Into: with Into "RUB",
// Per["USD"] = 92.50 means 1 USD = 92.50 RUB. A Rates value is safe for
// concurrent reads.
type Rates struct {
	Into string
	Per  map[string]decimal.Decimal
}

// ErrNoRate means a conversion was asked for a currency that the rates do
// not list.
var ErrNoRate = errors.New("roi: no exchange rate")

// Convert returns m in r.Into, rounded to Into's minor unit (half away
// from zero). Money already in Into, and the zero Money, are returned as
// they are.
func (r *Rates) Convert(m Money) (Money, error) {
	if m.Currency == r.Into || m.neutral() {
		return m, nil
	}
	rate, ok := r.Per[m.Currency]
	if !ok {
		return Money{}, fmt.Errorf("%w from %s into %s", ErrNoRate, m.Currency, r.Into)
	}
	return New(m.Amount.Mul(rate), r.Into).Round(), nil
}
