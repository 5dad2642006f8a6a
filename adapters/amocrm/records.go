package amocrm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// unixTime decodes a Unix time in seconds, or null, into a time.Time in
// UTC; null and 0 give the zero time.
type unixTime time.Time

func (t *unixTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*t = unixTime{}
		return nil
	}
	sec, err := strconv.ParseInt(string(b), 10, 64)
	if err != nil || sec < 0 || sec > maxUnix {
		return fmt.Errorf("%s is not a Unix time in seconds", b)
	}
	if sec == 0 {
		*t = unixTime{}
		return nil
	}
	*t = unixTime(time.Unix(sec, 0).UTC())
	return nil
}

// Lead is a lead (deal) as GET /api/v4/leads returns it.
type Lead struct {
	// ID is the lead's ID; always positive.
	ID int64
	// Name is the lead's name.
	Name string
	// Price is the lead's budget in the account's currency; it never
	// passes through float64.
	Price decimal.Decimal
	// StatusID and PipelineID place the lead; status 142 is won, 143
	// lost.
	StatusID   int64
	PipelineID int64
	// LossReasonID is why a lost lead was lost; 0: none.
	LossReasonID int64
	// ResponsibleUserID is the manager in charge.
	ResponsibleUserID int64
	// CreatedBy is the user who created the lead; 0 for the system or a
	// robot.
	CreatedBy int64
	// CreatedAt, UpdatedAt and ClosedAt are in UTC; ClosedAt is zero
	// while the lead is open.
	CreatedAt time.Time
	UpdatedAt time.Time
	ClosedAt  time.Time
	// ContactIDs are the linked contacts (ask with with=contacts), the
	// main contact first.
	ContactIDs []int64
}

// UnmarshalJSON decodes a lead of the v4 API.
func (l *Lead) UnmarshalJSON(b []byte) error {
	var r struct {
		ID                int64           `json:"id"`
		Name              string          `json:"name"`
		Price             decimal.Decimal `json:"price"`
		StatusID          int64           `json:"status_id"`
		PipelineID        int64           `json:"pipeline_id"`
		LossReasonID      *int64          `json:"loss_reason_id"`
		ResponsibleUserID int64           `json:"responsible_user_id"`
		CreatedBy         int64           `json:"created_by"`
		CreatedAt         unixTime        `json:"created_at"`
		UpdatedAt         unixTime        `json:"updated_at"`
		ClosedAt          unixTime        `json:"closed_at"`
		Embedded          struct {
			Contacts []struct {
				ID     int64 `json:"id"`
				IsMain bool  `json:"is_main"`
			} `json:"contacts"`
		} `json:"_embedded"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*l = Lead{ID: r.ID, Name: r.Name, Price: r.Price, StatusID: r.StatusID, PipelineID: r.PipelineID,
		ResponsibleUserID: r.ResponsibleUserID, CreatedBy: r.CreatedBy,
		CreatedAt: time.Time(r.CreatedAt), UpdatedAt: time.Time(r.UpdatedAt), ClosedAt: time.Time(r.ClosedAt)}
	if r.LossReasonID != nil {
		l.LossReasonID = *r.LossReasonID
	}
	for _, c := range r.Embedded.Contacts {
		if c.IsMain {
			l.ContactIDs = append([]int64{c.ID}, l.ContactIDs...)
		} else {
			l.ContactIDs = append(l.ContactIDs, c.ID)
		}
	}
	return nil
}

// Contact is a contact as GET /api/v4/contacts returns it.
type Contact struct {
	// ID is the contact's ID; always positive.
	ID int64 `json:"id"`
	// Name is the full name; FirstName and LastName its parts.
	Name      string `json:"name"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	// ResponsibleUserID is the manager in charge.
	ResponsibleUserID int64 `json:"responsible_user_id"`
	// CreatedAt and UpdatedAt are in UTC.
	CreatedAt time.Time `json:"-"`
	UpdatedAt time.Time `json:"-"`
}

// UnmarshalJSON decodes a contact of the v4 API.
func (c *Contact) UnmarshalJSON(b []byte) error {
	type plain Contact
	var r struct {
		plain
		CreatedAt unixTime `json:"created_at"`
		UpdatedAt unixTime `json:"updated_at"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*c = Contact(r.plain)
	c.CreatedAt, c.UpdatedAt = time.Time(r.CreatedAt), time.Time(r.UpdatedAt)
	return nil
}

// Event is one record of the account's event log (GET /api/v4/events):
// a lead added, a status changed, a chat message, a call, ….
type Event struct {
	// ID is the record's ID, such as "01g8…".
	ID string
	// Type is what happened: "lead_added", "lead_status_changed",
	// "incoming_chat_message", "outgoing_chat_message", ….
	Type string
	// EntityID and EntityType name the entity ("lead", "contact", …).
	EntityID   int64
	EntityType string
	// CreatedBy is the user; 0 for the system, a robot or a bot.
	CreatedBy int64
	// CreatedAt is when it happened, in UTC.
	CreatedAt time.Time
	// ValueAfter and ValueBefore are the event's values as amoCRM sent
	// them; their shape depends on Type.
	ValueAfter  json.RawMessage
	ValueBefore json.RawMessage
}

// UnmarshalJSON decodes an event of the v4 API.
func (e *Event) UnmarshalJSON(b []byte) error {
	var r struct {
		ID          string          `json:"id"`
		Type        string          `json:"type"`
		EntityID    int64           `json:"entity_id"`
		EntityType  string          `json:"entity_type"`
		CreatedBy   int64           `json:"created_by"`
		CreatedAt   unixTime        `json:"created_at"`
		ValueAfter  json.RawMessage `json:"value_after"`
		ValueBefore json.RawMessage `json:"value_before"`
	}
	if err := json.Unmarshal(b, &r); err != nil {
		return err
	}
	*e = Event{ID: r.ID, Type: r.Type, EntityID: r.EntityID, EntityType: r.EntityType, CreatedBy: r.CreatedBy,
		CreatedAt: time.Time(r.CreatedAt), ValueAfter: r.ValueAfter, ValueBefore: r.ValueBefore}
	return nil
}

func checkID(id int64) error {
	if id <= 0 {
		return errors.New("field id: missing or not positive")
	}
	return nil
}

// Leads returns an iterator over the leads GET /api/v4/leads lists with
// the query q (filter[...], order[...], with=contacts, …), page by page.
// Iteration stops at the first error, yielded with a zero Lead.
func (c *Client) Leads(ctx context.Context, q url.Values) iter.Seq2[Lead, error] {
	return listOf(c, ctx, "/api/v4/leads", "leads", q, func(l *Lead) error { return checkID(l.ID) })
}

// Contacts returns an iterator over the contacts of GET /api/v4/contacts,
// like [Client.Leads].
func (c *Client) Contacts(ctx context.Context, q url.Values) iter.Seq2[Contact, error] {
	return listOf(c, ctx, "/api/v4/contacts", "contacts", q, func(ct *Contact) error { return checkID(ct.ID) })
}

// Events returns an iterator over the event log of GET /api/v4/events
// (filter[type]=lead_status_changed,incoming_chat_message, filter[created_at][from], …),
// like [Client.Leads].
func (c *Client) Events(ctx context.Context, q url.Values) iter.Seq2[Event, error] {
	return listOf(c, ctx, "/api/v4/events", "events", q, func(e *Event) error {
		switch {
		case e.ID == "":
			return errors.New("field id: missing")
		case e.CreatedAt.IsZero():
			return errors.New("field created_at: missing")
		}
		return nil
	})
}

// Event maps one record of the event log to an onemin event, and reports
// false when it means none. Ids and conversations are those of
// [Mapping.Events], so a webhook and the log de-duplicate:
//
//   - lead_added gives lead in "lead:ID";
//   - lead_status_changed gives the new status's kind in "lead:ID";
//   - incoming_chat_message gives message_in, outgoing_chat_message
//     message_out, in "talk:ID": by a human when a user sent it
//     (CreatedBy > 0), by a bot when the system did (CreatedBy = 0).
//
// A record whose values cannot be read is an error.
func (m *Mapping) Event(e Event) (onemin.Event, bool, error) {
	entity := strconv.FormatInt(e.EntityID, 10)
	out := onemin.Event{At: e.CreatedAt}
	switch e.Type {
	case "lead_added":
		out.ID, out.Kind, out.ConversationID = "amocrm:lead:"+entity+":add", onemin.Lead, "lead:"+entity
		return out, true, nil
	case "lead_status_changed":
		var v []struct {
			LeadStatus struct {
				ID int64 `json:"id"`
			} `json:"lead_status"`
		}
		if err := json.Unmarshal(e.ValueAfter, &v); err != nil || len(v) == 0 || v[0].LeadStatus.ID <= 0 {
			return out, false, fmt.Errorf("amocrm: event %s: value_after has no lead_status", e.ID)
		}
		k, ok := m.statusKind(v[0].LeadStatus.ID)
		if !ok {
			return out, false, nil
		}
		out.ID = "amocrm:lead:" + entity + ":status:" + strconv.FormatInt(v[0].LeadStatus.ID, 10) + ":" + strconv.FormatInt(e.CreatedAt.Unix(), 10)
		out.Kind, out.ConversationID = k, "lead:"+entity
		return out, true, nil
	case "incoming_chat_message", "outgoing_chat_message":
		var v []struct {
			Message struct {
				ID     string          `json:"id"`
				Origin string          `json:"origin"`
				TalkID json.RawMessage `json:"talk_id"`
			} `json:"message"`
		}
		if err := json.Unmarshal(e.ValueAfter, &v); err != nil || len(v) == 0 || v[0].Message.ID == "" {
			return out, false, fmt.Errorf("amocrm: event %s: value_after has no message", e.ID)
		}
		msg := v[0].Message
		talk := string(msg.TalkID)
		if s, err := strconv.Unquote(talk); err == nil {
			talk = s
		}
		if talk == "" || talk == "null" {
			return out, false, fmt.Errorf("amocrm: event %s: message has no talk_id", e.ID)
		}
		out.ID, out.ConversationID, out.Channel = "amocrm:message:"+msg.ID, "talk:"+talk, originChannel(msg.Origin)
		if e.EntityType == "contact" {
			out.ContactID = "contact:" + entity
		}
		if e.Type == "incoming_chat_message" {
			out.Kind, out.Actor = onemin.MessageIn, onemin.Customer
		} else {
			out.Kind, out.Actor = onemin.MessageOut, onemin.Bot
			if e.CreatedBy > 0 {
				out.Actor, out.Agent = onemin.Human, strconv.FormatInt(e.CreatedBy, 10)
			}
		}
		return out, true, nil
	}
	return out, false, nil
}
