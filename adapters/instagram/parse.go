package instagram

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Channel is the channel of every event this package makes.
const Channel = "instagram"

// Batch is one delivery decoded: its events in payload order, and the items
// it carried that yield no event (read receipts, reactions, edits,
// deletions, referrals), each named in a few words.
type Batch = webhook.Batch

// Reply describes a message the business sent (an echo), for a caller's
// rule that tells a bot's reply from a human's.
type Reply struct {
	// MessageID is the message id (mid).
	MessageID string
	// Account is the business's Instagram professional account id.
	Account string
	// Customer is the Instagram-scoped id (IGSID) of the recipient.
	Customer string
	// AppID is the id of the Meta app that sent the message, or empty
	// when it was sent from the Instagram app or inbox without one.
	AppID string
	// Metadata is the metadata string the sending app attached, if any.
	Metadata string
	// At is when the message was sent.
	At time.Time
}

// Parser turns Instagram messaging webhook payloads into events. The zero
// Parser is ready to use; a Parser is safe for concurrent use if its Actor
// rule is.
type Parser struct {
	// Tenant is set on every event; empty for a single business.
	Tenant string
	// Actor, when set, decides who sent each echo. Returning
	// [onemin.ActorNone] (or [onemin.Customer], which a reply cannot be)
	// leaves the decision to the default rule.
	Actor func(Reply) onemin.Actor
	// HumanAppIDs are the apps whose echoes are a human's replies: an
	// inbox or CRM where managers type. Echoes of any other app are the
	// bot's.
	HumanAppIDs []string
}

// Parse decodes one webhook payload with the zero [Parser].
func Parse(body []byte) ([]onemin.Event, error) {
	b, err := (&Parser{}).Decode(body)
	return b.Events, err
}

type (
	payload struct {
		Object string  `json:"object"`
		Entry  []entry `json:"entry"`
	}
	entry struct {
		ID        string      `json:"id"`
		Messaging []messaging `json:"messaging"`
		Standby   []messaging `json:"standby"`
		Changes   []struct {
			Field string `json:"field"`
		} `json:"changes"`
	}
	party struct {
		ID webhook.Text `json:"id"` // a string; a number is taken too
	}
	messaging struct {
		Sender    party        `json:"sender"`
		Recipient party        `json:"recipient"`
		Timestamp webhook.Text `json:"timestamp"`
		Message   *struct {
			Mid           string       `json:"mid"`
			IsEcho        bool         `json:"is_echo"`
			IsDeleted     bool         `json:"is_deleted"`
			IsUnsupported bool         `json:"is_unsupported"`
			AppID         webhook.Text `json:"app_id"`
			Metadata      string       `json:"metadata"`
		} `json:"message"`
		Postback *struct {
			Mid string `json:"mid"`
		} `json:"postback"`
		MessageEdit *struct{} `json:"message_edit"`
		Read        *struct{} `json:"read"`
		Reaction    *struct{} `json:"reaction"`
		Referral    *struct{} `json:"referral"`
		Optin       *struct{} `json:"optin"`
	}
)

// Decode decodes one webhook payload (an "instagram" object) into events,
// all or nothing: any malformed field fails the whole payload with a
// *[onemin.ValidationError] naming the field by its JSON path.
func (p *Parser) Decode(body []byte) (Batch, error) {
	var pl payload
	if err := webhook.Unmarshal(body, &pl); err != nil {
		return Batch{}, err
	}
	if err := webhook.CheckObject(pl.Object, "instagram", "an Instagram"); err != nil {
		return Batch{}, err
	}
	var b Batch
	for i, en := range pl.Entry {
		for _, list := range []struct {
			name  string
			items []messaging
		}{{"messaging", en.Messaging}, {"standby", en.Standby}} {
			for j := range list.items {
				entryPath := fmt.Sprintf("entry[%d]", i)
				path := fmt.Sprintf("%s.%s[%d]", entryPath, list.name, j)
				if err := p.item(&b, entryPath, path, en.ID, &list.items[j]); err != nil {
					return Batch{}, err
				}
			}
		}
		for _, ch := range en.Changes {
			b.Ignored = append(b.Ignored, "field "+ch.Field)
		}
	}
	return b, nil
}

func (p *Parser) item(b *Batch, entryPath, path, account string, m *messaging) error {
	var mid, midField string
	switch {
	case m.Message != nil && m.Message.IsDeleted:
		b.Ignored = append(b.Ignored, "message deleted")
		return nil
	case m.Message != nil:
		mid, midField = m.Message.Mid, path+".message.mid"
	case m.Postback != nil: // a tapped button: the customer's turn
		mid, midField = m.Postback.Mid, path+".postback.mid"
	case m.MessageEdit != nil:
		b.Ignored = append(b.Ignored, "message_edit")
		return nil
	case m.Read != nil:
		b.Ignored = append(b.Ignored, "read")
		return nil
	case m.Reaction != nil:
		b.Ignored = append(b.Ignored, "reaction")
		return nil
	case m.Referral != nil:
		b.Ignored = append(b.Ignored, "referral")
		return nil
	case m.Optin != nil:
		b.Ignored = append(b.Ignored, "optin")
		return nil
	default:
		b.Ignored = append(b.Ignored, "unknown messaging item")
		return nil
	}
	if mid == "" {
		return webhook.Missing(midField)
	}
	at, err := unixMillis(path+".timestamp", m.Timestamp)
	if err != nil {
		return err
	}
	echo := m.Message != nil && m.Message.IsEcho
	customer, business, cfield := string(m.Sender.ID), string(m.Recipient.ID), ".sender.id"
	if echo {
		customer, business, cfield = string(m.Recipient.ID), string(m.Sender.ID), ".recipient.id"
	}
	if customer == "" {
		return webhook.Missing(path + cfield)
	}
	if account == "" {
		account = business
	}
	if account == "" {
		return webhook.Missing(entryPath + ".id")
	}
	e := onemin.Event{
		ID:             EventID(mid),
		Tenant:         p.Tenant,
		Kind:           onemin.MessageIn,
		At:             at,
		ConversationID: ConversationID(account, customer),
		ContactID:      customer,
		Channel:        Channel,
		Actor:          onemin.Customer,
	}
	if echo {
		e.Kind = onemin.MessageOut
		e.Actor, e.Agent = p.actor(Reply{MessageID: mid, Account: account, Customer: customer,
			AppID: string(m.Message.AppID), Metadata: m.Message.Metadata, At: at})
	}
	b.Events = append(b.Events, e)
	return nil
}

// actor applies the caller's rule, then the defaults: a metadata marker
// ("bot", "human:anna"); an app listed in HumanAppIDs → human; any other
// app → bot; no app → human (typed in the Instagram app or inbox).
func (p *Parser) actor(r Reply) (onemin.Actor, string) {
	if p.Actor != nil {
		if a := p.Actor(r); webhook.IsReplyActor(a) {
			return a, ""
		}
	}
	if a, agent, ok := webhook.Marker(r.Metadata); ok {
		return a, agent
	}
	switch {
	case r.AppID != "" && slices.Contains(p.HumanAppIDs, r.AppID):
		return onemin.Human, ""
	case r.AppID != "":
		return onemin.Bot, ""
	}
	return onemin.Human, ""
}

// EventID returns the event id of the Instagram message mid: "ig:" + mid.
func EventID(mid string) string { return "ig:" + mid }

// ConversationID returns the conversation id of the dialog between the
// professional account and the customer's IGSID: account + "/" + customer.
func ConversationID(account, customer string) string { return account + "/" + customer }

// maxUnixMilli is 9999-12-31T23:59:59.999Z in Unix milliseconds.
const maxUnixMilli = 253402300799999

// unixMillis reads a timestamp in Unix milliseconds as a UTC time.
func unixMillis(field string, t webhook.Text) (time.Time, error) {
	if t == "" {
		return time.Time{}, webhook.Missing(field)
	}
	n, err := strconv.ParseInt(string(t), 10, 64)
	if err != nil || n <= 0 || n > maxUnixMilli {
		return time.Time{}, webhook.Invalid(field, fmt.Sprintf("%q is not a time in Unix milliseconds", string(t)))
	}
	return time.UnixMilli(n).UTC(), nil
}
