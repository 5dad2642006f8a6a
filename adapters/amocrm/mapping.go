package amocrm

import (
	"strconv"
	"strings"

	"github.com/onemin/onemin"
)

// The status IDs amoCRM gives the two closing stages of every pipeline.
const (
	StatusWon  int64 = 142 // "successfully closed"
	StatusLost int64 = 143 // "closed and not realized"
)

// Mapping says how amoCRM's ids and author types become onemin kinds and
// actors. The zero Mapping maps status 142 to deal_won and 143 to
// deal_lost, author type "bot" to a bot and "user" to a human.
type Mapping struct {
	// Statuses maps status IDs to kinds, for stages such as "booked" or
	// "came" (booking, attended, …). Entries here override the defaults
	// for 142 and 143. A status in neither gives no event.
	Statuses map[int64]onemin.Kind
	// Authors maps the author type of an outgoing message (lower case) to
	// its actor. Entries here override the defaults ("bot" and "salesbot"
	// → bot; "user", "manager" and "internal" → human). An author type in
	// neither is an automation, which never stops a reply clock.
	Authors map[string]onemin.Actor
}

// statusKind returns the kind a lead entering status means.
func (m *Mapping) statusKind(status int64) (onemin.Kind, bool) {
	if k, ok := m.Statuses[status]; ok {
		return k, k != onemin.KindUnknown
	}
	switch status {
	case StatusWon:
		return onemin.DealWon, true
	case StatusLost:
		return onemin.DealLost, true
	}
	return onemin.KindUnknown, false
}

// author returns the actor of an outgoing message by its author type.
func (m *Mapping) author(authorType string) onemin.Actor {
	t := strings.ToLower(authorType)
	if a, ok := m.Authors[t]; ok {
		return a
	}
	switch t {
	case "bot", "salesbot":
		return onemin.Bot
	case "user", "manager", "internal":
		return onemin.Human
	}
	return onemin.Automation
}

// Events maps a notification to onemin events, in the order of the
// delivery:
//
//   - a lead added gives lead, in conversation "lead:ID";
//   - a lead whose status changed gives the status's kind (deal_won for
//     142, deal_lost for 143, others from Statuses), in "lead:ID";
//   - an incoming message gives message_in by the customer, an outgoing
//     one message_out by the author's actor, in conversation "talk:ID"
//     (or "chat:ID" without a talk), with contact "contact:ID" and the
//     origin as channel.
//
// Event ids are "amocrm:…" and stable across the system's retries.
func (m *Mapping) Events(n Notification) []onemin.Event {
	var out []onemin.Event
	for _, l := range n.Leads {
		id := strconv.FormatInt(l.ID, 10)
		e := onemin.Event{At: l.At, ConversationID: "lead:" + id}
		if l.ResponsibleUserID > 0 {
			e.Agent = strconv.FormatInt(l.ResponsibleUserID, 10)
		}
		switch l.Action {
		case "add":
			e.ID, e.Kind = "amocrm:lead:"+id+":add", onemin.Lead
		case "status":
			k, ok := m.statusKind(l.StatusID)
			if !ok {
				continue
			}
			e.ID, e.Kind = "amocrm:lead:"+id+":status:"+strconv.FormatInt(l.StatusID, 10)+":"+strconv.FormatInt(l.At.Unix(), 10), k
		default:
			continue
		}
		out = append(out, e)
	}
	for _, msg := range n.Messages {
		e := onemin.Event{ID: "amocrm:message:" + msg.ID, At: msg.At, Channel: originChannel(msg.Origin)}
		e.ConversationID = "talk:" + msg.TalkID
		if msg.TalkID == "" {
			e.ConversationID = "chat:" + msg.ChatID
		}
		if msg.ContactID > 0 {
			e.ContactID = "contact:" + strconv.FormatInt(msg.ContactID, 10)
		}
		if msg.Incoming {
			e.Kind, e.Actor = onemin.MessageIn, onemin.Customer
		} else {
			e.Kind, e.Actor, e.Agent = onemin.MessageOut, m.author(msg.AuthorType), msg.AuthorID
		}
		out = append(out, e)
	}
	return out
}

// originChannel maps a chat origin to the event model's channel names; an
// unknown origin keeps its name in lower case.
func originChannel(origin string) string {
	s := strings.ToLower(strings.TrimSpace(origin))
	for _, c := range []struct{ part, channel string }{
		{"whatsapp", "whatsapp"}, {"amocrmwa", "whatsapp"}, {"instagram", "instagram"},
		{"telegram", "telegram"}, {"vk", "vk"}, {"viber", "viber"}, {"avito", "avito"},
		{"facebook", "facebook"}, {"email", "email"},
	} {
		if strings.Contains(s, c.part) {
			return c.channel
		}
	}
	return s
}
