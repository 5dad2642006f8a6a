package amocrm

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
)

// Notification is one delivery of an amoCRM account webhook: the account
// and the lead and chat-message changes it reports. Other entities
// (contacts, tasks, notes) are ignored.
type Notification struct {
	// AccountID is account[id]; 0 when not sent.
	AccountID int64
	// Subdomain is account[subdomain], the account's name in its URL.
	Subdomain string
	// Leads holds leads[add], leads[update] and leads[status] items.
	Leads []LeadChange
	// Messages holds message[add] items.
	Messages []Message
}

// LeadChange is one lead item of a webhook: a lead added, updated or moved
// to another status.
type LeadChange struct {
	// Action is "add", "update", "status", "delete", … as in the form key.
	Action string
	// ID is the lead's ID; always positive.
	ID int64
	// StatusID and PipelineID are the lead's status and pipeline after the
	// change; 0 when not sent. 142 is won, 143 lost in every pipeline.
	StatusID   int64
	PipelineID int64
	// OldStatusID and OldPipelineID are the ones before a status change;
	// 0 when not sent.
	OldStatusID   int64
	OldPipelineID int64
	// ResponsibleUserID is the manager in charge; 0 when not sent.
	ResponsibleUserID int64
	// At is when the change happened: updated_at (or last_modified), and
	// for an added lead created_at (or date_create); in UTC. It is
	// required for "add" and "status" and may be zero for other actions.
	At time.Time
}

// Message is one chat message of a webhook (message[add]).
type Message struct {
	// ID is the message's ID (a UUID).
	ID string
	// ChatID is the chat's ID (a UUID); TalkID the conversation's (a
	// number as text). At least one is set.
	ChatID string
	TalkID string
	// ContactID is the contact who wrote or was written to; 0 when not
	// sent.
	ContactID int64
	// EntityType and EntityID name the lead or contact the chat is linked
	// to ("lead", "contact"); empty and 0 when not sent.
	EntityType string
	EntityID   int64
	// Incoming is true for type "incoming" (the customer wrote) and false
	// for "outgoing" (a reply).
	Incoming bool
	// AuthorType is author[type], such as "bot" or "user"; AuthorID and
	// AuthorName the author's.
	AuthorType string
	AuthorID   string
	AuthorName string
	// Origin is the channel the message came through ("telegram",
	// "instagram", "com.amocrm.amocrmwa", …).
	Origin string
	// At is created_at, in UTC.
	At time.Time
}

// ParseNotification reads a webhook delivery's decoded form. It returns a
// *[RequestError] (status 400) naming the first key that is missing or
// malformed; nothing is returned half-parsed.
func ParseNotification(form url.Values) (Notification, error) {
	var n Notification
	var err error
	if n.AccountID, err = optInt(form.Get("account[id]"), "account[id]"); err != nil {
		return Notification{}, err
	}
	n.Subdomain = form.Get("account[subdomain]")
	its, err := items(form, "leads", "message")
	if err != nil {
		return Notification{}, err
	}
	for i := range its {
		it := &its[i]
		switch {
		case it.entity == "leads":
			l, err := parseLead(it)
			if err != nil {
				return Notification{}, err
			}
			n.Leads = append(n.Leads, l)
		case it.entity == "message" && it.action == "add":
			m, err := parseMessage(it)
			if err != nil {
				return Notification{}, err
			}
			n.Messages = append(n.Messages, m)
		}
	}
	return n, nil
}

// latest returns the latest time of the delivery's items (the zero time
// when it has none): the time the replay memory files the delivery under.
func (n *Notification) latest() time.Time {
	var t time.Time
	for _, l := range n.Leads {
		if l.At.After(t) {
			t = l.At
		}
	}
	for _, m := range n.Messages {
		if m.At.After(t) {
			t = m.At
		}
	}
	return t
}

func parseLead(it *item) (LeadChange, error) {
	l := LeadChange{Action: it.action}
	var err error
	if l.ID, err = reqInt(it, "id"); err != nil {
		return l, err
	}
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"status_id", &l.StatusID}, {"pipeline_id", &l.PipelineID}, {"old_status_id", &l.OldStatusID},
		{"old_pipeline_id", &l.OldPipelineID}, {"responsible_user_id", &l.ResponsibleUserID}} {
		if *f.dst, err = optInt(it.fields[f.name], it.key(f.name)); err != nil {
			return l, err
		}
	}
	if l.Action == "status" && l.StatusID <= 0 {
		return l, &RequestError{Status: 400, Field: it.key("status_id"), Reason: "a status change needs its status", Err: onemin.ErrMissing}
	}
	times := []string{"updated_at", "last_modified", "created_at", "date_create"}
	if l.Action == "add" {
		times = []string{"created_at", "date_create", "updated_at", "last_modified"}
	}
	l.At, err = firstTime(it, times...)
	if errors.Is(err, onemin.ErrMissing) && l.Action != "add" && l.Action != "status" {
		// Only an added lead and a status change become events; a
		// deletion may come without a time.
		return l, nil
	}
	return l, err
}

func parseMessage(it *item) (Message, error) {
	m := Message{
		ID: it.fields["id"], ChatID: it.fields["chat_id"], TalkID: it.fields["talk_id"],
		EntityType: it.fields["entity_type"], AuthorType: strings.ToLower(it.fields["author.type"]),
		AuthorID: it.fields["author.id"], AuthorName: it.fields["author.name"], Origin: it.fields["origin"],
	}
	var err error
	switch {
	case m.ID == "":
		return m, &RequestError{Status: 400, Field: it.key("id"), Reason: "missing message ID", Err: onemin.ErrMissing}
	case m.ChatID == "" && m.TalkID == "":
		return m, &RequestError{Status: 400, Field: it.key("talk_id"), Reason: "a message needs its talk_id or chat_id", Err: onemin.ErrMissing}
	}
	switch t := it.fields["type"]; t {
	case "incoming":
		m.Incoming = true
	case "outgoing":
	case "":
		return m, &RequestError{Status: 400, Field: it.key("type"), Reason: "missing message type", Err: onemin.ErrMissing}
	default:
		return m, &RequestError{Status: 400, Field: it.key("type"), Reason: "message type " + strconv.Quote(t) + " is not incoming or outgoing", Err: onemin.ErrInvalid}
	}
	if m.ContactID, err = optInt(it.fields["contact_id"], it.key("contact_id")); err != nil {
		return m, err
	}
	if m.EntityID, err = optInt(it.fields["entity_id"], it.key("entity_id")); err != nil {
		return m, err
	}
	m.At, err = firstTime(it, "created_at")
	return m, err
}

func reqInt(it *item, field string) (int64, error) {
	s := it.fields[field]
	if s == "" {
		return 0, &RequestError{Status: 400, Field: it.key(field), Reason: "missing " + field, Err: onemin.ErrMissing}
	}
	v, err := optInt(s, it.key(field))
	if err == nil && v <= 0 {
		return 0, &RequestError{Status: 400, Field: it.key(field), Reason: field + " " + strconv.Quote(s) + " is not positive", Err: onemin.ErrInvalid}
	}
	return v, err
}

func optInt(s, key string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < 0 {
		return 0, &RequestError{Status: 400, Field: key, Reason: strconv.Quote(s) + " is not a non-negative integer", Err: onemin.ErrInvalid}
	}
	return v, nil
}

// maxUnix is the last second of year 9999, the end of RFC 3339.
const maxUnix = 253402300799

// firstTime returns the first of the fields that is set, as a Unix time in
// seconds.
func firstTime(it *item, fields ...string) (time.Time, error) {
	for _, f := range fields {
		s := it.fields[f]
		if s == "" {
			continue
		}
		sec, err := strconv.ParseInt(s, 10, 64)
		if err != nil || sec <= 0 || sec > maxUnix {
			return time.Time{}, &RequestError{Status: 400, Field: it.key(f), Reason: strconv.Quote(s) + " is not a Unix time in seconds", Err: onemin.ErrInvalid}
		}
		return time.Unix(sec, 0).UTC(), nil
	}
	return time.Time{}, &RequestError{Status: 400, Field: it.key(fields[0]), Reason: "missing time", Err: onemin.ErrMissing}
}
