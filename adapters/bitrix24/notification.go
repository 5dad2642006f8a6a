package bitrix24

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Notification is one delivery of a Bitrix24 outbound webhook (an event
// handler): which event fired, for which CRM entity, and when. Bitrix24
// sends only the entity's ID; read the entity with the [Client] for more.
type Notification struct {
	// Event is the event's code in upper case, such as "ONCRMDEALADD",
	// "ONCRMDEALUPDATE" or "ONCRMLEADADD".
	Event string
	// EntityID is data[FIELDS][ID]: the ID of the deal, lead or other
	// entity the event is about; always positive.
	EntityID int64
	// At is ts: when Bitrix24 sent the event, to the second, in UTC.
	At time.Time
	// Domain is auth[domain], the portal's host ("example.bitrix24.ru");
	// empty when not sent.
	Domain string
	// MemberID is auth[member_id], the portal's unique id; empty when not
	// sent.
	MemberID string
	// HandlerID is event_handler_id; empty when not sent.
	HandlerID string
}

// The form keys of an outbound webhook delivery.
const (
	keyEvent     = "event"
	keyEntityID  = "data[FIELDS][ID]"
	keyTS        = "ts"
	keyToken     = "auth[application_token]"
	keyDomain    = "auth[domain]"
	keyMemberID  = "auth[member_id]"
	keyHandlerID = "event_handler_id"
)

// ParseNotification reads a delivery's decoded form and checks its
// application token against token in constant time. It returns a
// *[RequestError] with status 401 when the token is missing or wrong
// (whatever else is wrong), and 400 when a field is missing or malformed.
// An empty token never matches.
func ParseNotification(form url.Values, token string) (Notification, error) {
	got := form.Get(keyToken)
	if !webhook.EqualToken(got, token) {
		return Notification{}, &RequestError{Status: 401, Field: keyToken, Reason: "application token does not match", Err: ErrUnauthorized}
	}
	return parseFields(form)
}

func parseFields(form url.Values) (Notification, error) {
	bad := func(field, reason string, err error) (Notification, error) {
		return Notification{}, &RequestError{Status: 400, Field: field, Reason: reason, Err: err}
	}
	var n Notification
	n.Event = strings.ToUpper(strings.TrimSpace(form.Get(keyEvent)))
	switch {
	case n.Event == "":
		return bad(keyEvent, "missing event", onemin.ErrMissing)
	case !isEventCode(n.Event):
		return bad(keyEvent, "event "+strconv.Quote(n.Event)+" is not an event code", onemin.ErrInvalid)
	}
	id := strings.TrimSpace(form.Get(keyEntityID))
	if id == "" {
		return bad(keyEntityID, "missing entity ID", onemin.ErrMissing)
	}
	v, err := strconv.ParseInt(id, 10, 64)
	if err != nil || v <= 0 {
		return bad(keyEntityID, "entity ID "+strconv.Quote(id)+" is not a positive integer", onemin.ErrInvalid)
	}
	n.EntityID = v
	ts := strings.TrimSpace(form.Get(keyTS))
	if ts == "" {
		return bad(keyTS, "missing timestamp", onemin.ErrMissing)
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || sec <= 0 || sec > maxUnix {
		return bad(keyTS, "timestamp "+strconv.Quote(ts)+" is not a Unix time in seconds", onemin.ErrInvalid)
	}
	n.At = time.Unix(sec, 0).UTC()
	n.Domain = form.Get(keyDomain)
	n.MemberID = form.Get(keyMemberID)
	n.HandlerID = form.Get(keyHandlerID)
	return n, nil
}

// maxUnix is the last second of year 9999, the end of RFC 3339.
const maxUnix = 253402300799

func isEventCode(s string) bool {
	if len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}

// key is the delivery's idempotency key: Bitrix24 repeats the same event,
// entity and second when it retries.
func (n *Notification) key() string {
	return n.MemberID + "|" + n.Domain + "|" + n.Event + "|" + strconv.FormatInt(n.EntityID, 10) + "|" + strconv.FormatInt(n.At.Unix(), 10)
}

// NotificationEvents is the default mapping of a notification to onemin
// events: ONCRMLEADADD becomes a lead event in conversation "lead:ID" at
// the notification's time, with event_id "bitrix24:lead:ID:add". Other
// events carry no more than an ID and map to nothing; read the entity
// with the [Client] (for deals, [Client.StageHistory] and [StageEvent])
// to learn what happened.
func NotificationEvents(n Notification) []onemin.Event {
	switch n.Event {
	case "ONCRMLEADADD":
		id := strconv.FormatInt(n.EntityID, 10)
		return []onemin.Event{{
			ID:             "bitrix24:lead:" + id + ":add",
			Kind:           onemin.Lead,
			At:             n.At,
			ConversationID: "lead:" + id,
		}}
	}
	return nil
}
