package telegram

import (
	"context"
	"encoding/json"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Sent reads a reply the bot sent with the zero [Parser]; see [Parser.Sent].
func Sent(body []byte) (onemin.Event, error) { return (&Parser{}).Sent(body) }

// Sent turns the result of a Bot API send call (sendMessage, sendPhoto, …)
// into a message_out by the bot: the bot's own replies never come back as
// updates, so the caller records them from what the API returned. body is
// the Message object, alone or in the API's {"ok": true, "result": …}
// envelope; an envelope with "ok": false is refused. The event's contact is
// the chat and its agent the bot's username; its id is [EventID] of the
// message, the same as if the message came back as an update.
func (p *Parser) Sent(body []byte) (onemin.Event, error) {
	var env struct {
		OK          *bool           `json:"ok"`
		Description string          `json:"description"`
		Result      json.RawMessage `json:"result"`
	}
	if err := webhook.Unmarshal(body, &env); err != nil {
		return onemin.Event{}, err
	}
	path := ""
	if env.OK != nil {
		if !*env.OK {
			return onemin.Event{}, webhook.Invalid("ok", "the Bot API call failed: "+env.Description)
		}
		if len(env.Result) == 0 {
			return onemin.Event{}, webhook.Missing("result")
		}
		body, path = env.Result, "result"
	}
	var m message
	if err := webhook.Unmarshal(body, &m); err != nil {
		return onemin.Event{}, err
	}
	at, err := m.check(path)
	if err != nil {
		return onemin.Event{}, err
	}
	agent := ""
	if bot := m.SenderBusinessBot; bot != nil {
		agent = agentName(bot.ID, bot.Username)
	} else if m.From != nil {
		agent = agentName(m.From.ID, m.From.Username)
	}
	return p.event(&m, onemin.MessageOut, at, m.Chat.ID, onemin.Bot, agent), nil
}

// RecordSent reads a send call's result like [Parser.Sent] and adds the
// event to sink.
func (p *Parser) RecordSent(ctx context.Context, sink onemin.Sink, body []byte) error {
	e, err := p.Sent(body)
	if err != nil {
		return err
	}
	return sink.Add(ctx, e)
}
