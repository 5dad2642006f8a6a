package report

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/roi"
)

// The words a report prints for values that are not there.
const (
	undefined = "n/a" // a ratio or percentile with nothing to divide by
)

// duration writes seconds as a person reads them: 0.4s, 28s, 2m05s, 1h12m,
// 3d04h; "n/a" when undefined.
func duration(v kpi.NullFloat) string {
	s, ok := v.Get()
	if !ok {
		return undefined
	}
	return durationSeconds(s)
}

func durationSeconds(s float64) string { return kpi.FormatSeconds(s) }

// percent writes a percentage (0–100) with one decimal: "78.5%".
func percent(v kpi.NullFloat) string {
	p, ok := v.Get()
	if !ok {
		return undefined
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// ratio writes a ratio 0–1 as a percentage with one decimal.
func ratio(r onemin.Ratio) string { return percent(nullRatio(r)) }

func nullRatio(r onemin.Ratio) kpi.NullFloat {
	p, ok := r.Percent()
	return kpi.NullFloat{Value: p, Valid: ok}
}

// decimalPercent writes a percentage held as a decimal: "250%", "33.3%".
func decimalPercent(d *decimal.Decimal) string {
	if d == nil {
		return undefined
	}
	return strings.Replace(d.Round(1).String(), "-", "−", 1) + "%"
}

// money writes an amount for people: "12 345,67 ₽".
func money(m roi.Money) string { return m.Format() }

func moneyPtr(m *roi.Money) string {
	if m == nil {
		return undefined
	}
	return m.Format()
}

// moneys writes one amount per currency, joined by " + ": never summed.
func moneys(ms []roi.Money) string {
	if len(ms) == 0 {
		return "0"
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Format()
	}
	return strings.Join(parts, " + ")
}

// statusWord is the traffic light in words, for the colour-blind and for
// plain text: "green", "yellow", "red", or "n/a".
func statusWord(s kpi.Status) string {
	if s == kpi.NoStatus {
		return undefined
	}
	return s.String()
}

// signed writes a change in counts: "+3", "−2", "±0".
func signed(d int) string {
	switch {
	case d > 0:
		return "+" + strconv.Itoa(d)
	case d < 0:
		return "−" + strconv.Itoa(-d)
	}
	return "±0"
}

// changeCount writes the change from before to now: "+3 vs 5".
func changeCount(now, before int) string {
	return signed(now-before) + " vs " + strconv.Itoa(before)
}

// changePoints writes the change of a percentage in percentage points:
// "+4.5 pp vs 70.0%"; only "vs …" or "" when either is undefined.
func changePoints(now, before kpi.NullFloat) string {
	return versus(deltaPoints(now, before), percent(before), before.Valid)
}

// deltaPoints writes the change of a percentage in percentage points,
// "+4.5 pp"; "" when either is undefined.
func deltaPoints(now, before kpi.NullFloat) string {
	return delta(now, before, 0.1, func(d float64) string { return strconv.FormatFloat(d, 'f', 1, 64) + " pp" })
}

// delta writes now − before with its sign, rounded to a multiple of step
// (none for 0) first so that a change too small to show reads "±"; ""
// when either is undefined.
func delta(now, before kpi.NullFloat, step float64, text func(float64) string) string {
	a, ok1 := now.Get()
	b, ok2 := before.Get()
	if !ok1 || !ok2 {
		return ""
	}
	d := a - b
	if step > 0 {
		d = math.Round(d/step) * step
	}
	return signedFloat(d, text)
}

// changeDuration writes the change of a duration: "−12s vs 40s".
func changeDuration(now, before kpi.NullFloat) string {
	return versus(deltaDuration(now, before), duration(before), before.Valid)
}

// deltaDuration writes the change of a duration, "−12s"; "" when either
// is undefined.
func deltaDuration(now, before kpi.NullFloat) string {
	return delta(now, before, 0, durationSeconds)
}

// signedFloat writes d with its sign ("+", "−", "±" for zero) before
// the text of its absolute value.
func signedFloat(d float64, text func(float64) string) string {
	switch {
	case d > 0:
		return "+" + text(d)
	case d < 0:
		return "−" + text(-d)
	}
	return "±" + text(0)
}

// versus joins a change and the value it is against: "+3 vs 5"; "vs 5"
// without a change; "" when the value before is undefined too.
func versus(delta, before string, hasBefore bool) string {
	switch {
	case delta != "":
		return delta + " vs " + before
	case hasBefore:
		return "vs " + before
	}
	return ""
}

// changeMoney writes the change of an amount: "+1 500,00 ₽ vs 3 000,00 ₽";
// "" when the currencies differ.
func changeMoney(now, before roi.Money) string {
	if before.Currency == "" {
		before.Currency = now.Currency
	}
	return versus(deltaMoney(now, before), before.Format(), true)
}

// deltaMoney writes the change of an amount, "+1 500,00 ₽"; "" when the
// currencies differ.
func deltaMoney(now, before roi.Money) string {
	if before.Currency == "" {
		before.Currency = now.Currency
	}
	d, err := now.Sub(before)
	if err != nil {
		return ""
	}
	if d.Amount.Sign() >= 0 {
		return "+" + d.Format()
	}
	return d.Format()
}

// periodText writes a period for people: "2026-10-14" for a day,
// "2026-10-12 – 2026-10-18" for whole days, RFC 3339 ends otherwise.
func periodText(p Period) string {
	if isMidnight(p.From) && isMidnight(p.To) {
		if p.To.Equal(PeriodOf(Day, p.From, p.From.Location()).To) {
			return p.From.Format("Mon 2006-01-02")
		}
		last := p.To.AddDate(0, 0, -1)
		return p.From.Format(time.DateOnly) + " – " + last.Format(time.DateOnly)
	}
	return p.From.Format(time.RFC3339) + " – " + p.To.Format(time.RFC3339)
}

// asOfText is the line that says when the numbers were taken, and
// whether reply times count business hours only.
func asOfText(asOf time.Time, zone string, complete, business bool) string {
	s := "as of " + asOf.Format("2006-01-02 15:04") + " (" + zone + ")"
	if !complete {
		s += "; the period is not over yet"
	}
	if business {
		s += "; reply times in business hours"
	}
	return s
}

// count writes a fractional count (attributed sales) with at most two
// decimals: "3", "2.5", "0.33".
func count(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

// floatPtr writes a mean score with two decimals.
func floatPtr(v *float64) string {
	if v == nil {
		return undefined
	}
	return strconv.FormatFloat(*v, 'f', 2, 64)
}

// moneyOf is an attributed value as Money.
func moneyOf(d decimal.Decimal, currency string) roi.Money { return roi.New(d, currency) }
