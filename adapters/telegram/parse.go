package telegram

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Channel is the channel of every event this package makes.
const Channel = "telegram"

// Batch is one delivery decoded: its events, and the updates that yield no
// event (edits, callback queries, channel posts, messages from other bots),
// each named in a few words.
type Batch = webhook.Batch

// Reply describes a message the business side sent in a Telegram Business
// chat, for a caller's rule that tells a bot's reply from a human's.
type Reply struct {
	// ChatID is the chat with the customer.
	ChatID int64
	// MessageID is the message's id within the chat.
	MessageID int64
	// BusinessConnectionID is the connection the message came through.
	BusinessConnectionID string
	// FromID and FromUsername name the sender: the business account, or
	// the bot when ViaBusinessBot.
	FromID       int64
	FromUsername string
	// ViaBusinessBot is true when the message was sent by a bot on the
	// business's behalf (sender_business_bot is set).
	ViaBusinessBot bool
	// At is when the message was sent.
	At time.Time
}

// Parser turns Telegram Bot API updates into events. The zero Parser is
// ready to use; a Parser is safe for concurrent use if its Actor rule is.
type Parser struct {
	// Tenant is set on every event; empty for a single business.
	Tenant string
	// Actor, when set, decides who sent each business-side message of a
	// Telegram Business chat. Returning [onemin.ActorNone] (or
	// [onemin.Customer]) leaves the decision to the default rule.
	Actor func(Reply) onemin.Actor
}

// Parse decodes an update (or a JSON array of updates) with the zero
// [Parser].
func Parse(body []byte) ([]onemin.Event, error) {
	b, err := (&Parser{}).Decode(body)
	return b.Events, err
}

type (
	update struct {
		UpdateID        *int64   `json:"update_id"`
		Message         *message `json:"message"`
		BusinessMessage *message `json:"business_message"`
	}
	message struct {
		MessageID            int64  `json:"message_id"`
		From                 *user  `json:"from"`
		SenderChat           *chat  `json:"sender_chat"`
		SenderBusinessBot    *user  `json:"sender_business_bot"`
		Date                 int64  `json:"date"`
		BusinessConnectionID string `json:"business_connection_id"`
		Chat                 *chat  `json:"chat"`
	}
	user struct {
		ID       int64  `json:"id"`
		IsBot    bool   `json:"is_bot"`
		Username string `json:"username"`
	}
	chat struct {
		ID   int64  `json:"id"`
		Type string `json:"type"`
	}
)

// Decode decodes one Update object, as a webhook delivers it, or a JSON
// array of them (a getUpdates result or a saved log), all or nothing: any
// malformed field fails the whole body with a *[onemin.ValidationError]
// naming the field by its JSON path. Integers (ids, dates) are read as
// int64, never through float64.
func (p *Parser) Decode(body []byte) (Batch, error) {
	var b Batch
	trimmed := bytes.TrimLeft(body, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		var us []update
		if err := webhook.Unmarshal(body, &us); err != nil {
			return Batch{}, err
		}
		for i := range us {
			if err := p.update(&b, fmt.Sprintf("[%d].", i), &us[i]); err != nil {
				return Batch{}, err
			}
		}
		return b, nil
	}
	var u update
	if err := webhook.Unmarshal(body, &u); err != nil {
		return Batch{}, err
	}
	if err := p.update(&b, "", &u); err != nil {
		return Batch{}, err
	}
	return b, nil
}

func (p *Parser) update(b *Batch, path string, u *update) error {
	if u.UpdateID == nil {
		return webhook.Missing(path + "update_id")
	}
	switch {
	case u.Message != nil:
		return p.message(b, path+"message", u.Message)
	case u.BusinessMessage != nil:
		return p.businessMessage(b, path+"business_message", u.BusinessMessage)
	}
	b.Ignored = append(b.Ignored, "update without a new message")
	return nil
}

// message reads a message sent to the bot: the customer's turn.
func (p *Parser) message(b *Batch, path string, m *message) error {
	at, err := m.check(path)
	if err != nil {
		return err
	}
	switch {
	case m.From == nil:
		b.Ignored = append(b.Ignored, "message on behalf of a chat")
		return nil
	case m.From.IsBot:
		b.Ignored = append(b.Ignored, "message from a bot")
		return nil
	}
	b.Events = append(b.Events, p.event(m, onemin.MessageIn, at, m.From.ID, onemin.Customer, ""))
	return nil
}

// businessMessage reads a message of a chat of a connected business
// account: from the customer, from the business account itself, or from a
// bot on its behalf.
func (p *Parser) businessMessage(b *Batch, path string, m *message) error {
	at, err := m.check(path)
	if err != nil {
		return err
	}
	if m.BusinessConnectionID == "" {
		return webhook.Missing(path + ".business_connection_id")
	}
	if m.From == nil {
		return webhook.Missing(path + ".from")
	}
	// In a private chat the chat's id is the other party's user id: the
	// business account sees the customer as the chat.
	if m.SenderBusinessBot == nil && m.From.ID == m.Chat.ID {
		b.Events = append(b.Events, p.event(m, onemin.MessageIn, at, m.From.ID, onemin.Customer, ""))
		return nil
	}
	r := Reply{ChatID: m.Chat.ID, MessageID: m.MessageID, BusinessConnectionID: m.BusinessConnectionID,
		FromID: m.From.ID, FromUsername: m.From.Username, At: at}
	if bot := m.SenderBusinessBot; bot != nil {
		r.ViaBusinessBot, r.FromID, r.FromUsername = true, bot.ID, bot.Username
	}
	actor := onemin.Human
	if r.ViaBusinessBot {
		actor = onemin.Bot
	}
	if p.Actor != nil {
		if a := p.Actor(r); webhook.IsReplyActor(a) {
			actor = a
		}
	}
	b.Events = append(b.Events, p.event(m, onemin.MessageOut, at, m.Chat.ID, actor, agentName(r.FromID, r.FromUsername)))
	return nil
}

// check validates the fields every message needs and returns its time.
func (m *message) check(path string) (time.Time, error) {
	if path != "" {
		path += "."
	}
	switch {
	case m.MessageID <= 0:
		return time.Time{}, webhook.Missing(path + "message_id")
	case m.Chat == nil || m.Chat.ID == 0:
		return time.Time{}, webhook.Missing(path + "chat.id")
	case m.Date == 0:
		return time.Time{}, webhook.Missing(path + "date")
	case m.Date < 0 || m.Date > maxUnix:
		return time.Time{}, webhook.Invalid(path+"date", fmt.Sprintf("%d is not a time in Unix seconds", m.Date))
	}
	return time.Unix(m.Date, 0).UTC(), nil
}

// maxUnix is 9999-12-31T23:59:59Z, the last second a date may name.
const maxUnix = 253402300799

func (p *Parser) event(m *message, k onemin.Kind, at time.Time, contact int64, actor onemin.Actor, agent string) onemin.Event {
	return onemin.Event{
		ID:             EventID(m.BusinessConnectionID, m.Chat.ID, m.MessageID),
		Tenant:         p.Tenant,
		Kind:           k,
		At:             at,
		ConversationID: ConversationID(m.BusinessConnectionID, m.Chat.ID),
		ContactID:      strconv.FormatInt(contact, 10),
		Channel:        Channel,
		Actor:          actor,
		Agent:          agent,
	}
}

// agentName is the sender's username, or its numeric id without one.
func agentName(id int64, username string) string {
	if username != "" {
		return username
	}
	return strconv.FormatInt(id, 10)
}

// EventID returns the event id of message messageID in chat chatID, seen
// through the business connection businessConnectionID (empty for the
// bot's own chats): "tg:" [+ connection + "/"] + chat + ":" + message.
// Telegram redelivers an update with the same update_id and message until
// it gets a 200, and a reply recorded with [Parser.Sent] carries the same
// message, so every copy has the same id.
func EventID(businessConnectionID string, chatID, messageID int64) string {
	return "tg:" + ConversationID(businessConnectionID, chatID) + ":" + strconv.FormatInt(messageID, 10)
}

// ConversationID returns the conversation id of chat chatID: the chat id
// in decimal, prefixed by the business connection and "/" for a chat of a
// connected business account, whose chat ids would otherwise meet those of
// the bot's own chats.
func ConversationID(businessConnectionID string, chatID int64) string {
	id := strconv.FormatInt(chatID, 10)
	if businessConnectionID != "" {
		return businessConnectionID + "/" + id
	}
	return id
}
