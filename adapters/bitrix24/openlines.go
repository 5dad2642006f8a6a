package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
)

// Session is one open-line session (a dialog in the contact center) with
// the times of its statistics. Field names are matched without regard to
// case or underscores, so both the table's "DATE_FIRST_ANSWER" and the
// camel-case "dateFirstAnswer" decode.
type Session struct {
	// ID is the session's ID.
	ID int64
	// ChatID is the chat the session belongs to.
	ChatID int64
	// Source is the connector the customer wrote through, such as
	// "telegrambot", "livechat", "whatsappbytwilio".
	Source string
	// UserCode identifies the customer on the connector.
	UserCode string
	// OperatorID is the operator who took the dialog; 0: none.
	OperatorID int64
	// CRMEntityType and CRMEntityID name the CRM entity linked to the
	// dialog ("LEAD", "DEAL", "CONTACT"); empty and 0 when none.
	CRMEntityType string
	CRMEntityID   int64
	// Created is dateCreate: the customer's first message opened the
	// session.
	Created time.Time
	// FirstAnswer is dateFirstAnswer: the first answer to the customer,
	// by the bot or an operator; zero when unanswered.
	FirstAnswer time.Time
	// Operator is dateOperator: the dialog reached an operator; zero
	// when it did not.
	Operator time.Time
	// OperatorAnswer is dateOperatorAnswer: an operator's first answer;
	// zero when no operator answered.
	OperatorAnswer time.Time
	// Closed is dateClose; zero while the session is open.
	Closed time.Time
}

// DecodeSession reads one session record from JSON.
func DecodeSession(data []byte) (Session, error) {
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		return Session{}, fmt.Errorf("bitrix24: session: %w", err)
	}
	s, err := decodeSession(r)
	if err != nil {
		return Session{}, fmt.Errorf("bitrix24: session: %w", err)
	}
	return s, nil
}

func decodeSession(r record) (Session, error) {
	f := fieldReader{r: r.fold()}
	s := Session{
		ID: f.int("id"), ChatID: f.int("chatid"), Source: f.str("source"),
		UserCode: f.str("usercode"), OperatorID: f.int("operatorid"),
		CRMEntityType: strings.ToUpper(f.str("crmentitytype")), CRMEntityID: f.int("crmentityid"),
		Created: f.time("datecreate"), FirstAnswer: f.time("datefirstanswer"),
		Operator: f.time("dateoperator"), OperatorAnswer: f.time("dateoperatoranswer"),
		Closed: f.time("dateclose"),
	}
	switch {
	case f.err != nil:
	case s.ID <= 0:
		f.err = fmt.Errorf("field id: missing or not positive")
	case s.Created.IsZero():
		f.err = fmt.Errorf("field dateCreate: missing")
	}
	return s, f.err
}

// Sessions returns an iterator over the open-line sessions a paged list
// method answers. Bitrix24 has no single session-list method on every
// portal: pass the one your portal exposes (a statistics export of your
// REST application, for example) as method; its result may be the array
// of records or {"items": [...]}, paged with start and next.
func (c *Client) Sessions(ctx context.Context, method string, q ListQuery) iter.Seq2[Session, error] {
	if err := methodOK(method); err != nil {
		return func(yield func(Session, error) bool) { yield(Session{}, err) }
	}
	return listOf(c, ctx, method, q.params(), resultArrayOrItems, decodeSession)
}

func resultArrayOrItems(raw json.RawMessage) ([]record, error) {
	if rs, err := resultArray(raw); err == nil {
		return rs, nil
	}
	return resultItems(raw)
}

// SessionEvents maps a session to the events of its dialog, in conversation
// "openline:ID" (contact "contact:ID" when the dialog is linked to a CRM
// contact, else the connector's user code; channel from the source):
//
//   - message_in by the customer at Created;
//   - message_out by the bot at FirstAnswer, when FirstAnswer comes before
//     OperatorAnswer or no operator answered: the bot answered first;
//   - handoff at Operator, when the bot answered first and the dialog then
//     reached an operator;
//   - message_out by a human at OperatorAnswer;
//   - closed at Closed.
//
// So the first reply time is FirstAnswer − Created (or OperatorAnswer −
// Created when no earlier answer is recorded), and a policy that wants a
// human reply gets OperatorAnswer − Created. An answer before Created, or a
// close before it, is a *onemin.ValidationError.
func SessionEvents(s Session) ([]onemin.Event, error) {
	id := strconv.FormatInt(s.ID, 10)
	bad := func(field, reason string) error {
		return &onemin.ValidationError{EventID: "bitrix24:session:" + id, Field: field, Reason: reason, Err: onemin.ErrInvalid}
	}
	if s.Created.IsZero() {
		return nil, &onemin.ValidationError{EventID: "bitrix24:session:" + id, Field: "at", Reason: "session has no dateCreate", Err: onemin.ErrMissing}
	}
	for _, t := range []struct {
		name string
		at   time.Time
	}{{"dateFirstAnswer", s.FirstAnswer}, {"dateOperator", s.Operator}, {"dateOperatorAnswer", s.OperatorAnswer}, {"dateClose", s.Closed}} {
		if !t.at.IsZero() && t.at.Before(s.Created) {
			return nil, bad("at", t.name+" "+t.at.Format(time.RFC3339)+" is before dateCreate "+s.Created.Format(time.RFC3339))
		}
	}
	base := onemin.Event{
		ConversationID: "openline:" + id,
		ContactID:      sessionContact(s),
		Channel:        sourceChannel(s.Source),
	}
	ev := func(suffix string, k onemin.Kind, a onemin.Actor, at time.Time) onemin.Event {
		e := base
		e.ID, e.Kind, e.Actor, e.At = "bitrix24:session:"+id+":"+suffix, k, a, at
		if a == onemin.Human && s.OperatorID > 0 {
			e.Agent = strconv.FormatInt(s.OperatorID, 10)
		}
		return e
	}
	out := []onemin.Event{ev("in", onemin.MessageIn, onemin.Customer, s.Created)}
	botFirst := !s.FirstAnswer.IsZero() && (s.OperatorAnswer.IsZero() || s.FirstAnswer.Before(s.OperatorAnswer))
	if botFirst {
		out = append(out, ev("bot", onemin.MessageOut, onemin.Bot, s.FirstAnswer))
		if !s.Operator.IsZero() && !s.OperatorAnswer.IsZero() {
			out = append(out, ev("handoff", onemin.Handoff, onemin.ActorNone, s.Operator))
		}
	}
	if !s.OperatorAnswer.IsZero() {
		out = append(out, ev("human", onemin.MessageOut, onemin.Human, s.OperatorAnswer))
	}
	if !s.Closed.IsZero() {
		out = append(out, ev("closed", onemin.Closed, onemin.ActorNone, s.Closed))
	}
	onemin.SortByTime(out)
	return out, nil
}

func sessionContact(s Session) string {
	if s.CRMEntityType == "CONTACT" && s.CRMEntityID > 0 {
		return "contact:" + strconv.FormatInt(s.CRMEntityID, 10)
	}
	return s.UserCode
}

// sourceChannel maps an open-line connector to the event model's channel
// names; an unknown connector keeps its name in lower case.
func sourceChannel(source string) string {
	s := strings.ToLower(strings.TrimSpace(source))
	for _, c := range []struct{ part, channel string }{
		{"whatsapp", "whatsapp"}, {"instagram", "instagram"}, {"telegram", "telegram"},
		{"vk", "vk"}, {"livechat", "web"}, {"viber", "viber"}, {"avito", "avito"},
		{"facebook", "facebook"}, {"email", "email"}, {"imessage", "imessage"},
	} {
		if strings.Contains(s, c.part) {
			return c.channel
		}
	}
	return s
}
