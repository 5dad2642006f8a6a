package onemin

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

var t0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)

func TestKindText(t *testing.T) {
	for _, k := range Kinds() {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatalf("%d: %v", k, err)
		}
		var back Kind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Errorf("round trip of %s gave %v, %v", b, back, err)
		}
	}
	if len(Kinds()) != 18 {
		t.Errorf("the event model has 18 kinds, got %d", len(Kinds()))
	}
	for _, s := range []string{"", "Message_In", "message-in", "payment "} {
		if _, err := ParseKind(s); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseKind(%q) = %v, want ErrInvalid", s, err)
		}
	}
	if got := Kind(200).String(); got != "Kind(200)" {
		t.Errorf("String of a non-kind = %q", got)
	}
	if _, err := Kind(0).MarshalText(); err == nil {
		t.Error("the zero kind marshals")
	}
}

func TestActorText(t *testing.T) {
	for a := ActorNone; a < actorCount; a++ {
		got, err := ParseActor(a.String())
		if err != nil || got != a {
			t.Errorf("ParseActor(%q) = %v, %v", a.String(), got, err)
		}
	}
	if _, err := ParseActor("manager"); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown actor: %v", err)
	}
}

func TestValidate(t *testing.T) {
	ok := Event{ID: "e", Kind: MessageIn, At: t0, ConversationID: "c", Actor: Customer}
	with := func(f func(*Event)) Event { e := ok; f(&e); return e }
	tests := []struct {
		reason string
		e      Event
		field  string // "" when valid
		err    error
	}{
		{"a complete message_in", ok, "", nil},
		{"no kind", with(func(e *Event) { e.Kind = 0 }), "kind", ErrMissing},
		{"not a kind", with(func(e *Event) { e.Kind = 99 }), "kind", ErrInvalid},
		{"no time", with(func(e *Event) { e.At = time.Time{} }), "at", ErrMissing},
		{"message without conversation", with(func(e *Event) { e.ConversationID = "" }), "conversation_id", ErrMissing},
		{"lead without conversation", Event{Kind: Lead, At: t0}, "conversation_id", ErrMissing},
		{"touch needs no conversation", Event{Kind: Touch, At: t0, ContactID: "p"}, "", nil},
		{"message_in by a bot", with(func(e *Event) { e.Actor = Bot }), "actor", ErrInvalid},
		{"message_out without actor", Event{Kind: MessageOut, At: t0, ConversationID: "c"}, "actor", ErrMissing},
		{"message_out by the customer", Event{Kind: MessageOut, At: t0, ConversationID: "c", Actor: Customer}, "actor", ErrInvalid},
		{"automation reply is valid", Event{Kind: MessageOut, At: t0, ConversationID: "c", Actor: Automation}, "", nil},
		{"unknown actor", with(func(e *Event) { e.Actor = 42 }), "actor", ErrInvalid},
		{"payment without currency", Event{Kind: Payment, At: t0, Amount: decimal.RequireFromString("10")}, "currency", ErrMissing},
		{"negative payment", Event{Kind: Payment, At: t0, Amount: decimal.RequireFromString("-1"), Currency: "RUB"}, "amount", ErrInvalid},
		{"zero cost is valid", Event{Kind: Cost, At: t0, Currency: "RUB"}, "", nil},
		{"lower-case currency", Event{Kind: Payment, At: t0, Currency: "rub"}, "currency", ErrInvalid},
		{"amount without currency on a deal", Event{Kind: DealWon, At: t0, Amount: decimal.RequireFromString("5")}, "currency", ErrMissing},
		{"csat 0", Event{Kind: CSAT, At: t0, Score: 0}, "score", ErrInvalid},
		{"csat 5", Event{Kind: CSAT, At: t0, Score: 5}, "", nil},
		{"nps 0", Event{Kind: NPS, At: t0, Score: 0}, "", nil},
		{"nps 11", Event{Kind: NPS, At: t0, Score: 11}, "score", ErrInvalid},
	}
	for _, tt := range tests {
		err := tt.e.Validate()
		if tt.field == "" {
			if err != nil {
				t.Errorf("%s: unexpected error %v", tt.reason, err)
			}
			continue
		}
		var ve *ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: got %v, want a *ValidationError", tt.reason, err)
			continue
		}
		if ve.Field != tt.field || !errors.Is(err, tt.err) {
			t.Errorf("%s: got field %q err %v, want field %q wrapping %v", tt.reason, ve.Field, err, tt.field, tt.err)
		}
	}
}

func TestValidationErrorText(t *testing.T) {
	err := &ValidationError{Line: 12, EventID: "e7", Field: "at", Reason: "missing time", Err: ErrMissing}
	if got, want := err.Error(), `line 12: event "e7": field at: missing time`; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	bare := &ValidationError{Reason: "bad row", Err: ErrInvalid}
	if got := bare.Error(); got != "bad row" {
		t.Errorf("got %q", got)
	}
}

func TestNormalize(t *testing.T) {
	e := Event{Kind: MessageIn, Channel: " WhatsApp ", Currency: "rub"}
	e.Normalize()
	want := Event{Kind: MessageIn, Channel: "whatsapp", Currency: "RUB", Actor: Customer}
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("Normalize (-want +got):\n%s", diff)
	}
}

func TestEventJSON(t *testing.T) {
	e := Event{ID: "e1", Tenant: "t", Kind: Payment, At: t0, ContactID: "+79001234567",
		Amount: decimal.RequireFromString("1500.50"), Currency: "RUB", Actor: Human}
	b, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event_id":"e1","tenant":"t","kind":"payment","at":"2026-10-01T09:00:00Z","contact_id":"+79001234567","actor":"human","amount":"1500.5","currency":"RUB"}`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
	var back Event
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !back.Amount.Equal(e.Amount) || back.Kind != e.Kind || !back.At.Equal(e.At) || back.Actor != e.Actor {
		t.Errorf("round trip gave %+v", back)
	}
	if err := json.Unmarshal([]byte(`{"kind":"purchase"}`), &back); !errors.Is(err, ErrInvalid) {
		t.Errorf("unknown kind in JSON: %v", err)
	}
}
