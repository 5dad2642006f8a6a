package roi

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

// CostSheet is what [ReadCosts] reads: the costs, and the cost of a
// contact handled by a human (for savings). It is a plain value.
type CostSheet struct {
	Costs            Costs
	HumanContactCost Money
}

// CostsHeader is the header of the costs CSV that [ReadCosts] reads.
const CostsHeader = "item,amount,currency,quantity"

// ReadCosts reads costs from CSV with the columns item, amount, currency
// and quantity (the header line is optional; amount has a dot or a
// comma; quantity may be empty). Items:
//
//	development   one-off cost of building the bot; quantity: lifetime in months (default 12)
//	platform      the platform's fee for one month
//	llm           price of 1000 LLM tokens; quantity: tokens used in the period
//	support       price of an hour of support and development; quantity: hours
//	integrations  cost of integrations in the period
//	marketing     advertising spend of the period
//	human_contact cost of one contact handled by a human (for savings)
//
// A repeated item adds up. ReadCosts never stops at a bad line: it returns
// the sheet of the good lines and a *[onemin.ValidationError] (line, field,
// reason) for each bad one. The error result is for failures of r.
func ReadCosts(r io.Reader) (CostSheet, []*onemin.ValidationError, error) {
	var (
		s   CostSheet
		bad []*onemin.ValidationError
	)
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return s, bad, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				bad = append(bad, &onemin.ValidationError{Line: pe.Line, Reason: pe.Err.Error(), Err: onemin.ErrInvalid})
				continue
			}
			return s, bad, err
		}
		line, _ := cr.FieldPos(0)
		if line == 1 && strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(rec[0], "\ufeff")), "item") {
			continue
		}
		if verr := s.add(rec); verr != nil {
			verr.Line = line
			bad = append(bad, verr)
		}
	}
}

func (s *CostSheet) add(rec []string) *onemin.ValidationError {
	bad := func(field, reason string, err error) *onemin.ValidationError {
		return &onemin.ValidationError{Field: field, Reason: reason, Err: err}
	}
	for len(rec) < 4 {
		rec = append(rec, "")
	}
	if len(rec) > 4 {
		return bad("", fmt.Sprintf("want 4 columns (%s), got %d", CostsHeader, len(rec)), onemin.ErrInvalid)
	}
	item := strings.ToLower(strings.TrimSpace(rec[0]))
	if item == "" {
		return bad("item", "missing item", onemin.ErrMissing)
	}
	if strings.TrimSpace(rec[1]) == "" {
		return bad("amount", "missing amount", onemin.ErrMissing)
	}
	m, err := Parse(rec[1], rec[2])
	if err != nil {
		if strings.TrimSpace(rec[2]) == "" {
			return bad("currency", "missing currency", onemin.ErrMissing)
		}
		field := "amount"
		if _, derr := decimal.NewFromString(strings.ReplaceAll(strings.ReplaceAll(rec[1], " ", ""), ",", ".")); derr == nil {
			field = "currency"
		}
		return bad(field, err.Error(), onemin.ErrInvalid)
	}
	if m.Amount.IsNegative() {
		return bad("amount", "amount "+rec[1]+" is negative", onemin.ErrInvalid)
	}
	qs := strings.TrimSpace(rec[3])
	var q decimal.Decimal
	if qs != "" {
		if q, err = decimal.NewFromString(strings.ReplaceAll(qs, ",", ".")); err != nil || q.IsNegative() || strings.ContainsAny(qs, "eE") {
			return bad("quantity", fmt.Sprintf("%q is not a non-negative number", qs), onemin.ErrInvalid)
		}
	}
	whole := func() (int64, *onemin.ValidationError) {
		if !q.IsInteger() || q.GreaterThan(decimal.New(1, 15)) {
			return 0, bad("quantity", fmt.Sprintf("%q is not a whole number", qs), onemin.ErrInvalid)
		}
		return q.IntPart(), nil
	}
	addTo := func(to *Money) *onemin.ValidationError {
		sum, err := to.Add(m)
		if err != nil {
			return bad("currency", err.Error(), onemin.ErrInvalid)
		}
		*to = sum
		return nil
	}
	needQty := func(what string) *onemin.ValidationError {
		if qs == "" {
			return bad("quantity", "a "+item+" line needs the "+what, onemin.ErrMissing)
		}
		return nil
	}
	c := &s.Costs
	switch item {
	case "development":
		if qs != "" {
			n, verr := whole()
			if verr != nil {
				return verr
			}
			if n == 0 || (c.LifetimeMonths != 0 && int64(c.LifetimeMonths) != n) {
				return bad("quantity", "lifetime "+qs+" months is zero or differs from an earlier development line", onemin.ErrInvalid)
			}
			c.LifetimeMonths = int(n)
		}
		return addTo(&c.Development)
	case "platform":
		return addTo(&c.PlatformMonthly)
	case "llm":
		if verr := needQty("number of tokens"); verr != nil {
			return verr
		}
		n, verr := whole()
		if verr != nil {
			return verr
		}
		if !c.LLMPricePer1K.IsZero() && !c.LLMPricePer1K.Amount.Equal(m.Amount) {
			return bad("amount", "a second llm price; give one price per 1000 tokens", onemin.ErrInvalid)
		}
		c.LLMPricePer1K = m
		c.LLMTokens += n
	case "support":
		if verr := needQty("number of hours"); verr != nil {
			return verr
		}
		if !c.SupportRate.IsZero() && !c.SupportRate.Amount.Equal(m.Amount) {
			return bad("amount", "a second support rate; give one rate per hour", onemin.ErrInvalid)
		}
		c.SupportRate = m
		c.SupportHours = c.SupportHours.Add(q)
	case "integrations", "integration":
		return addTo(&c.Integrations)
	case "marketing":
		return addTo(&c.Marketing)
	case "human_contact":
		return addTo(&s.HumanContactCost)
	default:
		return bad("item", "unknown item "+strconv.Quote(item)+" (want development, platform, llm, support, integrations, marketing or human_contact)", onemin.ErrInvalid)
	}
	return nil
}
