package onemin

import (
	"time"

	"github.com/shopspring/decimal"
)

// Event is one thing that happened in the handling of a chat or a lead: a
// row in a file or a message on a stream. Field names in the struct tags are
// the CSV header names and JSON keys of the event layout.
//
// The zero Event is not valid (it has no kind and no time); see
// [Event.Validate] for what each kind requires. Event is a plain value and
// safe to copy.
type Event struct {
	// ID is the idempotency key: a second event with the same ID in the
	// same tenant is a duplicate. Empty means the event cannot be
	// de-duplicated.
	ID string `json:"event_id"`
	// Tenant is the business the event belongs to; empty for a single
	// business. IDs are unique within a tenant.
	Tenant string `json:"tenant,omitempty"`
	// Kind says what happened.
	Kind Kind `json:"kind"`
	// At is when it happened. It must not be the zero time.
	At time.Time `json:"at"`
	// ConversationID names the dialog. Required for message_in,
	// message_out, handoff, closed and lead.
	ConversationID string `json:"conversation_id,omitempty"`
	// ContactID names the person (a phone in E.164, a cookie, a CRM id);
	// it links dialogs, deals, payments and touches.
	ContactID string `json:"contact_id,omitempty"`
	// Channel is where the event happened, in lower case: whatsapp,
	// instagram, telegram, vk, web, email, phone, …
	Channel string `json:"channel,omitempty"`
	// Actor is who produced the event. A message_in is by a customer; a
	// message_out by a bot, a human or an automation.
	Actor Actor `json:"actor,omitempty"`
	// Agent is the manager or bot that handled the event.
	Agent string `json:"agent,omitempty"`
	// Source, Medium and Campaign are the UTM fields.
	Source   string `json:"source,omitempty"`
	Medium   string `json:"medium,omitempty"`
	Campaign string `json:"campaign,omitempty"`
	// Scenario is the bot script; Product is the product line.
	Scenario string `json:"scenario,omitempty"`
	Product  string `json:"product,omitempty"`
	// Amount is the money of a payment, refund, cost or won deal, in
	// Currency. It never passes through float64.
	Amount decimal.Decimal `json:"amount"`
	// Currency is the ISO 4217 code of Amount, in upper case ("RUB",
	// "KZT"). Empty when the event carries no money.
	Currency string `json:"currency,omitempty"`
	// Score is the CSAT (1–5) or NPS (0–10) score of a csat or nps event;
	// it means nothing for other kinds.
	Score int `json:"score,omitempty"`
}

// HasMoney reports whether the event carries an amount: its currency is set.
func (e *Event) HasMoney() bool { return e.Currency != "" }

// IsReply reports whether the event is a message_out, whoever sent it.
// Whether a reply stops a response clock is a policy of package kpi.
func (e *Event) IsReply() bool { return e.Kind == MessageOut }
