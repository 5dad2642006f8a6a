package csvio

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// row holds one row's values by column, trimmed, whatever the format.
// Its colNone element is scratch space for the CSV columns the reader
// skips: nothing reads it.
type row [columnCount]string

// rowError builds the rejection of a row.
func rowError(line int, id, field, reason string, err error) *onemin.ValidationError {
	return &onemin.ValidationError{Line: line, EventID: id, Field: field, Reason: reason, Err: err}
}

// described returns an event with the row's descriptive fields, those
// both layouts share, in conversation conv.
func (v *row) described(conv string) onemin.Event {
	var e onemin.Event
	v.describe(&e, conv)
	return e
}

// describe sets the row's descriptive fields of e, in conversation conv.
func (v *row) describe(e *onemin.Event, conv string) {
	e.Tenant = v[colTenant]
	e.ConversationID = conv
	e.ContactID = v[colContact]
	e.Channel = v[colChannel]
	e.Agent = v[colAgent]
	e.Source = v[colSource]
	e.Medium = v[colMedium]
	e.Campaign = v[colCampaign]
	e.Scenario = v[colScenario]
	e.Product = v[colProduct]
}

// lowerASCII lower-cases s, without allocating when it already is.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= 'A' && c <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// kinds and actors are the names [onemin.ParseKind] and
// [onemin.ParseActor] read, with their values.
var (
	kinds  []named[onemin.Kind]
	actors []named[onemin.Actor]
)

type named[T any] struct {
	name  string
	value T
}

func init() {
	for _, k := range onemin.Kinds() {
		if p, err := onemin.ParseKind(k.String()); err == nil && p == k {
			kinds = append(kinds, named[onemin.Kind]{k.String(), k})
		}
	}
	for a := onemin.ActorNone + 1; a.Valid(); a++ {
		if p, err := onemin.ParseActor(a.String()); err == nil && p == a {
			actors = append(actors, named[onemin.Actor]{a.String(), a})
		}
	}
}

// lookup returns the value named s exactly, as a name is mostly written,
// without lower-casing it first.
func lookup[T any](names []named[T], s string) (T, bool) {
	for _, n := range names {
		if n.name == s {
			return n.value, true
		}
	}
	var zero T
	return zero, false
}

// parseKindText parses a kind, ignoring case.
func parseKindText(s string) (onemin.Kind, bool) {
	if k, ok := lookup(kinds, s); ok {
		return k, true
	}
	k, err := onemin.ParseKind(lowerASCII(s))
	return k, err == nil
}

// parseActorText parses an actor, ignoring case.
func parseActorText(s string) (onemin.Actor, bool) {
	if a, ok := lookup(actors, s); ok {
		return a, true
	}
	a, err := onemin.ParseActor(lowerASCII(s))
	return a, err == nil
}

// decodeEvent turns a row of the event layout into the event *e, which is
// the zero Event, normalized and validated.
func (r *Reader) decodeEvent(v *row, line int, e *onemin.Event) *onemin.ValidationError {
	v.describe(e, v[colConversation])
	e.ID, e.Currency = v[colEventID], v[colCurrency]
	if s := v[colKind]; s != "" {
		k, ok := parseKindText(s)
		if !ok {
			return rowError(line, e.ID, "kind", fmt.Sprintf("unknown kind %q", s), onemin.ErrInvalid)
		}
		e.Kind = k
	}
	if s := v[colAt]; s != "" {
		t, why := parseTime(s, r.opt.Location, &r.zones)
		if why != "" {
			return rowError(line, e.ID, "at", fmt.Sprintf("%q: %s", s, why), onemin.ErrInvalid)
		}
		e.At = t
	}
	if s := v[colActor]; s != "" {
		a, ok := parseActorText(s)
		if !ok {
			return rowError(line, e.ID, "actor", fmt.Sprintf("unknown actor %q: want customer, bot, human or automation", s), onemin.ErrInvalid)
		}
		e.Actor = a
	}
	if s := v[colAmount]; s != "" {
		d, why := parseAmount(s)
		if why != "" {
			return rowError(line, e.ID, "amount", why, onemin.ErrInvalid)
		}
		e.Amount = d
	}
	if s := v[colScore]; s != "" {
		n, err := strconv.Atoi(s)
		if err != nil {
			return rowError(line, e.ID, "score", fmt.Sprintf("score %q is not a whole number", s), onemin.ErrInvalid)
		}
		e.Score = n
	}
	e.Normalize()
	if err := e.Validate(); err != nil {
		ve := err.(*onemin.ValidationError)
		ve.Line = line
		return ve
	}
	return nil
}

// parseAmount reads a decimal with a dot: an optional minus, digits, and
// optionally a dot and more digits. Thousands separators, a decimal comma
// and exponents are refused with a reason, never guessed.
func parseAmount(s string) (decimal.Decimal, string) {
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i++
	}
	nd, dots := 0, 0
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			nd++
		case c == '.':
			dots++
		default:
			if c == ',' {
				return decimal.Decimal{}, fmt.Sprintf("amount %q: write the decimal with a dot and no thousands separator (1500.50)", s)
			}
			return decimal.Decimal{}, fmt.Sprintf("amount %q is not a decimal number", s)
		}
	}
	if nd == 0 || dots > 1 {
		return decimal.Decimal{}, fmt.Sprintf("amount %q is not a decimal number", s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Sprintf("amount %q is not a decimal number", s)
	}
	return d, ""
}

// Event ids of the events a lead row expands to: the lead's id with a
// suffix, so that they are unique within the tenant and a repeated lead
// repeats them.
const (
	leadInSuffix      = "/in"
	leadReplySuffix   = "/reply"
	leadHandoffSuffix = "/handoff"
)

// parseHandler reads the lead layout's handler: bot or human, in English
// or Russian, any case (manager and operator mean human).
func parseHandler(s string) (onemin.Actor, bool) {
	switch strings.ToLower(s) {
	case "bot", "бот", "ai", "чат-бот", "чатбот":
		return onemin.Bot, true
	case "human", "manager", "operator", "agent", "менеджер", "оператор", "человек", "сотрудник":
		return onemin.Human, true
	}
	return onemin.ActorNone, false
}

// decodeLead expands a row of the lead layout into out (a message_in, a
// message_out when first_reply_at is set, a handoff when transfer_at is
// set) and returns how many events it wrote.
func (r *Reader) decodeLead(v *row, line int, out *[3]onemin.Event) (int, *onemin.ValidationError) {
	id := v[colLeadID]
	if id == "" {
		return 0, rowError(line, "", "lead_id", "missing lead id", onemin.ErrMissing)
	}
	at := func(field column) (t timeOrZero, ve *onemin.ValidationError) {
		s := v[field]
		if s == "" {
			return timeOrZero{}, nil
		}
		tm, why := parseTime(s, r.opt.Location, &r.zones)
		if why != "" {
			return timeOrZero{}, rowError(line, id, columnNames[field], fmt.Sprintf("%q: %s", s, why), onemin.ErrInvalid)
		}
		return timeOrZero{tm, true}, nil
	}
	received, ve := at(colReceivedAt)
	if ve != nil {
		return 0, ve
	}
	if !received.ok {
		return 0, rowError(line, id, "received_at", "missing time the lead was received", onemin.ErrMissing)
	}
	reply, ve := at(colFirstReplyAt)
	if ve != nil {
		return 0, ve
	}
	transfer, ve := at(colTransferAt)
	if ve != nil {
		return 0, ve
	}
	var handler onemin.Actor
	if s := v[colHandler]; s != "" {
		var ok bool
		if handler, ok = parseHandler(s); !ok {
			return 0, rowError(line, id, "handler", fmt.Sprintf("unknown handler %q: want bot or human", s), onemin.ErrInvalid)
		}
	}
	if reply.ok {
		if handler == onemin.ActorNone {
			return 0, rowError(line, id, "handler", "a first reply needs its handler: bot or human", onemin.ErrMissing)
		}
		if reply.t.Before(received.t) {
			return 0, rowError(line, id, "first_reply_at", fmt.Sprintf("the reply (%s) comes before the message (%s)",
				v[colFirstReplyAt], v[colReceivedAt]), onemin.ErrInvalid)
		}
	}
	if transfer.ok && transfer.t.Before(received.t) {
		return 0, rowError(line, id, "transfer_at", fmt.Sprintf("the transfer (%s) comes before the message (%s)",
			v[colTransferAt], v[colReceivedAt]), onemin.ErrInvalid)
	}
	base := v.described(id)
	n := 0
	add := func(kind onemin.Kind, suffix string, t time.Time, actor onemin.Actor) {
		e := base
		e.ID, e.Kind, e.At, e.Actor = id+suffix, kind, t, actor
		e.Normalize()
		out[n] = e
		n++
	}
	add(onemin.MessageIn, leadInSuffix, received.t, onemin.Customer)
	if reply.ok {
		add(onemin.MessageOut, leadReplySuffix, reply.t, handler)
	}
	if transfer.ok {
		add(onemin.Handoff, leadHandoffSuffix, transfer.t, onemin.Bot)
	}
	for i := 0; i < n; i++ {
		if err := out[i].Validate(); err != nil {
			ve := err.(*onemin.ValidationError)
			ve.Line, ve.EventID = line, id
			return 0, ve
		}
	}
	return n, nil
}

type timeOrZero struct {
	t  time.Time
	ok bool
}
