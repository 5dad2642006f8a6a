package whatsapp

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Channel is the channel of every event this package makes.
const Channel = "whatsapp"

// Batch is one delivery decoded: its events in payload order, and the items
// it carried that yield no event (delivered and read statuses, reactions,
// other webhook fields), each named in a few words.
type Batch = webhook.Batch

// Reply describes a message the business sent, for a caller's rule that
// tells a bot's reply from a human's.
type Reply struct {
	// FromApp is true for a message typed in the WhatsApp Business app or
	// a linked device (an smb_message_echoes item), false for one sent
	// through the Cloud API (a "sent" status).
	FromApp bool
	// MessageID is the WhatsApp message id (wamid).
	MessageID string
	// PhoneNumberID is the business phone number's id.
	PhoneNumberID string
	// Customer is the contact id of the recipient: E.164 phone or BSUID.
	Customer string
	// CallbackData is the biz_opaque_callback_data the sender attached
	// to the message; empty for app messages.
	CallbackData string
	// Category is the pricing category of a sent status ("service",
	// "marketing", "utility", "authentication"), or empty.
	Category string
	// At is when the message was sent.
	At time.Time
}

// Parser turns Cloud API webhook payloads into events. The zero Parser is
// ready to use; a Parser is safe for concurrent use if its Actor rule is.
type Parser struct {
	// Tenant is set on every event; empty for a single business.
	Tenant string
	// Actor, when set, decides who sent each reply. Returning
	// [onemin.ActorNone] (or [onemin.Customer], which a reply cannot be)
	// leaves the decision to the default rule described in the package
	// documentation.
	Actor func(Reply) onemin.Actor
}

// Parse decodes one webhook payload with the zero [Parser].
func Parse(body []byte) ([]onemin.Event, error) {
	b, err := (&Parser{}).Decode(body)
	return b.Events, err
}

// The payload shapes, as far as this package reads them.
type (
	payload struct {
		Object string  `json:"object"`
		Entry  []entry `json:"entry"`
	}
	entry struct {
		ID      string   `json:"id"`
		Changes []change `json:"changes"`
	}
	change struct {
		Field string `json:"field"`
		Value value  `json:"value"`
	}
	value struct {
		Metadata struct {
			PhoneNumberID string `json:"phone_number_id"`
		} `json:"metadata"`
		Contacts []struct {
			WaID   string `json:"wa_id"`
			UserID string `json:"user_id"`
		} `json:"contacts"`
		Messages      []message `json:"messages"`
		MessageEchoes []echo    `json:"message_echoes"`
		Statuses      []status  `json:"statuses"`
	}
	message struct {
		From       string       `json:"from"`
		FromUserID string       `json:"from_user_id"`
		ID         string       `json:"id"`
		Timestamp  webhook.Text `json:"timestamp"`
		Type       string       `json:"type"`
		GroupID    string       `json:"group_id"`
	}
	echo struct {
		To        string       `json:"to"`
		ToUserID  string       `json:"to_user_id"`
		ID        string       `json:"id"`
		Timestamp webhook.Text `json:"timestamp"`
	}
	status struct {
		ID              string       `json:"id"`
		Status          string       `json:"status"`
		Timestamp       webhook.Text `json:"timestamp"`
		RecipientID     string       `json:"recipient_id"`
		RecipientUserID string       `json:"recipient_user_id"`
		RecipientType   string       `json:"recipient_type"`
		CallbackData    string       `json:"biz_opaque_callback_data"`
		Pricing         struct {
			Category string `json:"category"`
		} `json:"pricing"`
	}
)

// notMessages are incoming message types that are not a customer's turn in
// the dialog.
var notMessages = map[string]bool{"reaction": true, "system": true, "request_welcome": true}

// Decode decodes one webhook payload (a whatsapp_business_account object)
// into events, all or nothing: any malformed field fails the whole payload
// with a *[onemin.ValidationError] naming the field by its JSON path.
func (p *Parser) Decode(body []byte) (Batch, error) {
	var pl payload
	if err := webhook.Unmarshal(body, &pl); err != nil {
		return Batch{}, err
	}
	if err := webhook.CheckObject(pl.Object, "whatsapp_business_account", "a WhatsApp Business Account"); err != nil {
		return Batch{}, err
	}
	var b Batch
	for i, en := range pl.Entry {
		for j, ch := range en.Changes {
			path := fmt.Sprintf("entry[%d].changes[%d]", i, j)
			var err error
			switch ch.Field {
			case "messages":
				err = p.messages(&b, path+".value", &ch.Value)
			case "smb_message_echoes":
				err = p.echoes(&b, path+".value", &ch.Value)
			case "":
				err = webhook.Missing(path + ".field")
			default:
				b.Ignored = append(b.Ignored, "field "+ch.Field)
			}
			if err != nil {
				return Batch{}, err
			}
		}
	}
	return b, nil
}

func (p *Parser) messages(b *Batch, path string, v *value) error {
	if len(v.Messages)+len(v.Statuses) > 0 && v.Metadata.PhoneNumberID == "" {
		return webhook.Missing(path + ".metadata.phone_number_id")
	}
	for k, m := range v.Messages {
		mp := fmt.Sprintf("%s.messages[%d]", path, k)
		if notMessages[m.Type] {
			b.Ignored = append(b.Ignored, "message "+m.Type)
			continue
		}
		if m.GroupID != "" {
			b.Ignored = append(b.Ignored, "group message")
			continue
		}
		at, err := unixSeconds(mp+".timestamp", m.Timestamp)
		if err != nil {
			return err
		}
		if m.ID == "" {
			return webhook.Missing(mp + ".id")
		}
		who, err := customer(mp+".from", m.From, m.FromUserID, v)
		if err != nil {
			return err
		}
		b.Events = append(b.Events, p.event(m.ID, onemin.MessageIn, at, v.Metadata.PhoneNumberID, who, onemin.Customer, ""))
	}
	for k, s := range v.Statuses {
		sp := fmt.Sprintf("%s.statuses[%d]", path, k)
		if s.Status != "sent" {
			b.Ignored = append(b.Ignored, "status "+s.Status)
			continue
		}
		if s.RecipientType == "group" {
			b.Ignored = append(b.Ignored, "status sent to a group")
			continue
		}
		at, err := unixSeconds(sp+".timestamp", s.Timestamp)
		if err != nil {
			return err
		}
		if s.ID == "" {
			return webhook.Missing(sp + ".id")
		}
		who, err := customer(sp+".recipient_id", s.RecipientID, s.RecipientUserID, nil)
		if err != nil {
			return err
		}
		r := Reply{MessageID: s.ID, PhoneNumberID: v.Metadata.PhoneNumberID, Customer: who,
			CallbackData: s.CallbackData, Category: s.Pricing.Category, At: at}
		actor, agent := p.actor(r)
		b.Events = append(b.Events, p.event(s.ID, onemin.MessageOut, at, r.PhoneNumberID, who, actor, agent))
	}
	return nil
}

func (p *Parser) echoes(b *Batch, path string, v *value) error {
	if len(v.MessageEchoes) > 0 && v.Metadata.PhoneNumberID == "" {
		return webhook.Missing(path + ".metadata.phone_number_id")
	}
	for k, m := range v.MessageEchoes {
		mp := fmt.Sprintf("%s.message_echoes[%d]", path, k)
		at, err := unixSeconds(mp+".timestamp", m.Timestamp)
		if err != nil {
			return err
		}
		if m.ID == "" {
			return webhook.Missing(mp + ".id")
		}
		who, err := customer(mp+".to", m.To, m.ToUserID, nil)
		if err != nil {
			return err
		}
		r := Reply{FromApp: true, MessageID: m.ID, PhoneNumberID: v.Metadata.PhoneNumberID, Customer: who, At: at}
		actor, agent := p.actor(r)
		b.Events = append(b.Events, p.event(m.ID, onemin.MessageOut, at, r.PhoneNumberID, who, actor, agent))
	}
	return nil
}

// actor applies the caller's rule, then the defaults: an app message is a
// human's; a callback-data marker names the actor (and agent); a marketing
// or authentication template is an automation; anything else sent through
// the API is the bot's.
func (p *Parser) actor(r Reply) (onemin.Actor, string) {
	if p.Actor != nil {
		if a := p.Actor(r); webhook.IsReplyActor(a) {
			return a, ""
		}
	}
	if r.FromApp {
		return onemin.Human, ""
	}
	if a, agent, ok := webhook.Marker(r.CallbackData); ok {
		return a, agent
	}
	switch r.Category {
	case "marketing", "authentication":
		return onemin.Automation, ""
	}
	return onemin.Bot, ""
}

func (p *Parser) event(wamid string, k onemin.Kind, at time.Time, phoneNumberID, who string, actor onemin.Actor, agent string) onemin.Event {
	return onemin.Event{
		ID:             EventID(wamid),
		Tenant:         p.Tenant,
		Kind:           k,
		At:             at,
		ConversationID: ConversationID(phoneNumberID, who),
		ContactID:      who,
		Channel:        Channel,
		Actor:          actor,
		Agent:          agent,
	}
}

// EventID returns the event id of the WhatsApp message wamid: "wa:" +
// wamid. The same message always gets the same id, so Meta's retries and a
// status repeated in several deliveries de-duplicate.
func EventID(wamid string) string { return "wa:" + wamid }

// ConversationID returns the conversation id of the dialog between the
// business phone number phoneNumberID and the customer (an E.164 phone or
// a BSUID): phoneNumberID + "/" + customer.
func ConversationID(phoneNumberID, customer string) string { return phoneNumberID + "/" + customer }

// customer picks the customer's contact id: the phone number when there
// is one, in E.164 with a plus, else the business-scoped user id (BSUID).
// With neither, a lone entry of contacts is used.
func customer(field, phone, userID string, v *value) (string, error) {
	if phone == "" && userID == "" && v != nil && len(v.Contacts) == 1 {
		phone, userID = v.Contacts[0].WaID, v.Contacts[0].UserID
	}
	if phone != "" {
		e164, ok := E164(phone)
		if !ok {
			return "", webhook.Invalid(field, fmt.Sprintf("%q is not a phone number", phone))
		}
		return e164, nil
	}
	if userID != "" {
		return userID, nil
	}
	return "", webhook.Missing(field)
}

// E164 returns phone in E.164 form, "+" and 8 to 15 digits, from the digits
// WhatsApp sends (wa_id "16505551234") or a human-written number
// ("+1 (650) 555-1234"). It reports false when phone is not a number of
// that shape.
func E164(phone string) (string, bool) {
	s := strings.TrimSpace(phone)
	s = strings.TrimPrefix(s, "+")
	var b strings.Builder
	b.Grow(len(s) + 1)
	b.WriteByte('+')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '-' || c == '(' || c == ')' || c == '.':
		default:
			return "", false
		}
	}
	out := b.String()
	if n := len(out) - 1; n < 8 || n > 15 || out[1] == '0' {
		return "", false
	}
	return out, true
}

// unixSeconds reads a timestamp in Unix seconds, given as a string or a
// number, as a UTC time.
func unixSeconds(field string, t webhook.Text) (time.Time, error) {
	if t == "" {
		return time.Time{}, webhook.Missing(field)
	}
	n, err := strconv.ParseInt(string(t), 10, 64)
	if err != nil || n <= 0 || n > maxUnix {
		return time.Time{}, webhook.Invalid(field, fmt.Sprintf("%q is not a time in Unix seconds", string(t)))
	}
	return time.Unix(n, 0).UTC(), nil
}

// maxUnix is 9999-12-31T23:59:59Z, the last second a timestamp may name.
const maxUnix = 253402300799
