package onemin

import (
	"errors"
	"fmt"
	"strings"
)

// Sentinel errors that validation and parsing wrap, for callers that branch
// with [errors.Is].
var (
	// ErrMissing means a required field is empty.
	ErrMissing = errors.New("missing")
	// ErrInvalid means a field has a value that is not allowed.
	ErrInvalid = errors.New("invalid")
	// ErrDuplicate means an event repeats the event_id of an earlier one.
	ErrDuplicate = errors.New("duplicate event_id")
)

// ValidationError says why one event, row or payload was rejected. It names
// where (Line), what (Field) and why (Reason), and wraps one of [ErrMissing],
// [ErrInvalid] or [ErrDuplicate].
type ValidationError struct {
	// Line is the 1-based line of the row in its file, or the 1-based
	// position of the event in a slice; 0 when unknown.
	Line int
	// EventID is the event's id, when it has one.
	EventID string
	// Field is the field's name in the event layout ("at", "kind", …), or
	// "" when the error is about the whole row.
	Field string
	// Reason says what is wrong, in words.
	Reason string
	// Err is the sentinel the error wraps.
	Err error
}

// Error returns "line N: field F: reason".
func (e *ValidationError) Error() string {
	var b strings.Builder
	if e.Line > 0 {
		fmt.Fprintf(&b, "line %d: ", e.Line)
	}
	if e.EventID != "" {
		fmt.Fprintf(&b, "event %q: ", e.EventID)
	}
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", e.Field)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *ValidationError) Unwrap() error { return e.Err }

// needsConversation lists the kinds that must name a conversation.
func needsConversation(k Kind) bool {
	switch k {
	case MessageIn, MessageOut, Handoff, Closed, Lead:
		return true
	}
	return false
}

// needsMoney lists the kinds that must carry an amount and a currency.
func needsMoney(k Kind) bool {
	switch k {
	case Payment, Refund, Cost:
		return true
	}
	return false
}

// Validate checks e against the event model and returns nil or a
// *[ValidationError] for the first problem found. It checks that the kind is
// known and the time is set; that message_in, message_out, handoff, closed
// and lead name a conversation; that a message_in is by a customer (or says
// no actor) and a message_out by a bot, a human or an automation; that
// payment, refund and cost carry a non-negative amount with a currency; that
// a currency is three upper-case letters; and that csat and nps scores are in
// range. Validate does not change e; see [Event.Normalize].
func (e *Event) Validate() error {
	bad := func(field, reason string, err error) error {
		return &ValidationError{EventID: e.ID, Field: field, Reason: reason, Err: err}
	}
	switch {
	case e.Kind == KindUnknown:
		return bad("kind", "missing kind", ErrMissing)
	case !e.Kind.Valid():
		return bad("kind", fmt.Sprintf("unknown kind %d", uint8(e.Kind)), ErrInvalid)
	case e.At.IsZero():
		return bad("at", "missing time", ErrMissing)
	case !e.Actor.Valid():
		return bad("actor", fmt.Sprintf("unknown actor %d", uint8(e.Actor)), ErrInvalid)
	case needsConversation(e.Kind) && e.ConversationID == "":
		return bad("conversation_id", "a "+e.Kind.String()+" event needs a conversation", ErrMissing)
	}
	switch e.Kind {
	case MessageIn:
		if e.Actor != Customer && e.Actor != ActorNone {
			return bad("actor", "a message_in is from the customer, not "+e.Actor.String(), ErrInvalid)
		}
	case MessageOut:
		if e.Actor == ActorNone {
			return bad("actor", "a message_out needs its actor: bot, human or automation", ErrMissing)
		}
		if e.Actor == Customer {
			return bad("actor", "a message_out is not from the customer", ErrInvalid)
		}
	case CSAT:
		if e.Score < 1 || e.Score > 5 {
			return bad("score", fmt.Sprintf("csat score %d is outside 1–5", e.Score), ErrInvalid)
		}
	case NPS:
		if e.Score < 0 || e.Score > 10 {
			return bad("score", fmt.Sprintf("nps score %d is outside 0–10", e.Score), ErrInvalid)
		}
	}
	if e.Currency != "" && !isCurrencyCode(e.Currency) {
		return bad("currency", fmt.Sprintf("currency %q is not an ISO 4217 code", e.Currency), ErrInvalid)
	}
	if needsMoney(e.Kind) {
		if e.Currency == "" {
			return bad("currency", "a "+e.Kind.String()+" event needs a currency", ErrMissing)
		}
		if e.Amount.IsNegative() {
			return bad("amount", "amount "+e.Amount.String()+" is negative", ErrInvalid)
		}
	} else if !e.Amount.IsZero() && e.Currency == "" {
		return bad("currency", "an amount needs a currency", ErrMissing)
	}
	return nil
}

// Normalize brings e to the canonical form that [Event.Validate] expects of
// input from people and other systems: the channel in lower case and
// trimmed, the currency in upper case, and a message_in without an actor
// marked as by the customer.
func (e *Event) Normalize() {
	e.Channel = strings.ToLower(strings.TrimSpace(e.Channel))
	e.Currency = strings.ToUpper(strings.TrimSpace(e.Currency))
	if e.Kind == MessageIn && e.Actor == ActorNone {
		e.Actor = Customer
	}
}

func isCurrencyCode(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}
