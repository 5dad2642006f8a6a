package onemin

import "fmt"

// Kind says what an [Event] records. The zero Kind is invalid: every event
// names its kind.
type Kind uint8

// The kinds of event, as named in the event model. Their text forms (used as
// CSV values and JSON strings) are the snake-case names in the comments.
const (
	KindUnknown Kind = iota // not a kind; rejected by validation
	MessageIn               // "message_in": a customer's message
	MessageOut              // "message_out": a reply by a bot, a human or an automation
	Handoff                 // "handoff": the bot hands the dialog over to a human
	Closed                  // "closed": the dialog is closed
	Lead                    // "lead": a conversion action (contact left, form sent)
	Booking                 // "booking": an appointment is booked
	Confirmed               // "confirmed": the booking is confirmed
	Attended                // "attended": the customer came
	NoShow                  // "no_show": the customer did not come
	Cancelled               // "cancelled": the booking was cancelled
	DealWon                 // "deal_won": a deal is closed as won
	DealLost                // "deal_lost": a deal is closed as lost
	Payment                 // "payment": money received (amount, currency)
	Refund                  // "refund": money returned (amount, currency)
	CSAT                    // "csat": a satisfaction score, 1 to 5
	NPS                     // "nps": a recommendation score, 0 to 10
	Touch                   // "touch": a marketing touchpoint (ad click, site visit)
	Cost                    // "cost": spend on a source or campaign (amount, currency)
	kindCount
)

var kindNames = [kindCount]string{
	KindUnknown: "",
	MessageIn:   "message_in",
	MessageOut:  "message_out",
	Handoff:     "handoff",
	Closed:      "closed",
	Lead:        "lead",
	Booking:     "booking",
	Confirmed:   "confirmed",
	Attended:    "attended",
	NoShow:      "no_show",
	Cancelled:   "cancelled",
	DealWon:     "deal_won",
	DealLost:    "deal_lost",
	Payment:     "payment",
	Refund:      "refund",
	CSAT:        "csat",
	NPS:         "nps",
	Touch:       "touch",
	Cost:        "cost",
}

// Kinds returns every valid kind in declaration order.
func Kinds() []Kind {
	out := make([]Kind, 0, kindCount-1)
	for k := MessageIn; k < kindCount; k++ {
		out = append(out, k)
	}
	return out
}

// String returns the kind's text form, such as "message_in", or
// "Kind(N)" for a value that is not a kind.
func (k Kind) String() string {
	if k > KindUnknown && k < kindCount {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// Valid reports whether k is one of the declared kinds.
func (k Kind) Valid() bool { return k > KindUnknown && k < kindCount }

// ParseKind returns the kind whose text form is s. Matching is exact (the
// forms are lower case); an unknown name gives an error wrapping [ErrInvalid].
func ParseKind(s string) (Kind, error) {
	for k := MessageIn; k < kindCount; k++ {
		if kindNames[k] == s {
			return k, nil
		}
	}
	return KindUnknown, fmt.Errorf("%w: unknown kind %q", ErrInvalid, s)
}

// MarshalText implements [encoding.TextMarshaler].
func (k Kind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("%w: kind %d", ErrInvalid, uint8(k))
	}
	return []byte(kindNames[k]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (k *Kind) UnmarshalText(b []byte) error {
	v, err := ParseKind(string(b))
	if err != nil {
		return err
	}
	*k = v
	return nil
}

// Actor says who produced an event. The zero Actor means "not stated".
type Actor uint8

// The actors. Text forms are in the comments.
const (
	ActorNone  Actor = iota // "": not stated
	Customer                // "customer"
	Bot                     // "bot"
	Human                   // "human": a manager or operator
	Automation              // "automation": auto-responders, campaigns; never stops a reply clock
	actorCount
)

var actorNames = [actorCount]string{"", "customer", "bot", "human", "automation"}

// String returns the actor's text form ("" for [ActorNone]).
func (a Actor) String() string {
	if a < actorCount {
		return actorNames[a]
	}
	return fmt.Sprintf("Actor(%d)", uint8(a))
}

// Valid reports whether a is a declared actor, [ActorNone] included.
func (a Actor) Valid() bool { return a < actorCount }

// ParseActor returns the actor whose text form is s; "" gives [ActorNone].
// An unknown name gives an error wrapping [ErrInvalid].
func ParseActor(s string) (Actor, error) {
	for a := ActorNone; a < actorCount; a++ {
		if actorNames[a] == s {
			return a, nil
		}
	}
	return ActorNone, fmt.Errorf("%w: unknown actor %q", ErrInvalid, s)
}

// MarshalText implements [encoding.TextMarshaler].
func (a Actor) MarshalText() ([]byte, error) {
	if !a.Valid() {
		return nil, fmt.Errorf("%w: actor %d", ErrInvalid, uint8(a))
	}
	return []byte(actorNames[a]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (a *Actor) UnmarshalText(b []byte) error {
	v, err := ParseActor(string(b))
	if err != nil {
		return err
	}
	*a = v
	return nil
}
