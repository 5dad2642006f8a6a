package onemin

import (
	"slices"
	"time"
)

// ConversationKey identifies a dialog: conversation ids are unique within
// a tenant.
type ConversationKey struct {
	Tenant string
	ID     string
}

// Conversation is the per-dialog view of events: every event that names
// the conversation, ordered by time.
type Conversation struct {
	Key    ConversationKey
	Events []Event
}

// ContactKey identifies a person: contact ids are unique within a tenant.
type ContactKey struct {
	Tenant string
	ID     string
}

// Contact is the per-person view of events: every event that names the
// contact (its dialogs, touches, deals and payments), ordered by time.
type Contact struct {
	Key    ContactKey
	Events []Event
}

// Conversations groups events by (tenant, conversation_id). Events without
// a conversation id are left out. Each conversation's events are ordered by
// time, stably; conversations are ordered by their first event's time, then
// by key, so the result does not depend on the input's order beyond ties of
// identical instants within one conversation.
func Conversations(events []Event) []Conversation {
	groups := groupBy(events, func(e *Event) string { return e.ConversationID })
	out := make([]Conversation, len(groups))
	for i, g := range groups {
		out[i] = Conversation{Key: ConversationKey(g.key), Events: g.events}
	}
	return out
}

// Contacts groups events by (tenant, contact_id), as [Conversations] does
// by conversation. Events without a contact id are left out.
func Contacts(events []Event) []Contact {
	groups := groupBy(events, func(e *Event) string { return e.ContactID })
	out := make([]Contact, len(groups))
	for i, g := range groups {
		out[i] = Contact{Key: ContactKey(g.key), Events: g.events}
	}
	return out
}

// group is one (tenant, id) and its events, as groupBy returns them.
type group struct {
	key    struct{ Tenant, ID string }
	events []Event
}

// groupBy groups events by tenant and the id that id picks, skipping events
// where it is empty; each group is ordered by time and the groups by their
// first event's time, then key.
func groupBy(events []Event, id func(*Event) string) []group {
	idx := make(map[struct{ Tenant, ID string }]int)
	var out []group
	for i := range events {
		e := &events[i]
		v := id(e)
		if v == "" {
			continue
		}
		k := struct{ Tenant, ID string }{e.Tenant, v}
		j, ok := idx[k]
		if !ok {
			j = len(out)
			idx[k] = j
			out = append(out, group{key: k})
		}
		out[j].events = append(out[j].events, *e)
	}
	for i := range out {
		SortByTime(out[i].events)
	}
	slices.SortFunc(out, func(a, b group) int {
		if c := a.events[0].At.Compare(b.events[0].At); c != 0 {
			return c
		}
		return compareKeys(a.key.Tenant, a.key.ID, b.key.Tenant, b.key.ID)
	})
	return out
}

// First returns the first event of the conversation with kind k, and
// whether there is one.
func (c *Conversation) First(k Kind) (Event, bool) { return firstOf(c.Events, k) }

// Started returns the time of the conversation's first event.
func (c *Conversation) Started() time.Time { return c.Events[0].At }

// Attr returns the first non-empty value of a field over the conversation's
// events, such as its channel or its contact: get picks the field.
func (c *Conversation) Attr(get func(*Event) string) string { return firstAttr(c.Events, get) }

// First returns the contact's first event of kind k, and whether there is one.
func (c *Contact) First(k Kind) (Event, bool) { return firstOf(c.Events, k) }

// Attr returns the first non-empty value of a field over the contact's
// events, such as the source of their first touch: get picks the field.
func (c *Contact) Attr(get func(*Event) string) string { return firstAttr(c.Events, get) }

func firstOf(events []Event, k Kind) (Event, bool) {
	for i := range events {
		if events[i].Kind == k {
			return events[i], true
		}
	}
	return Event{}, false
}

func firstAttr(events []Event, get func(*Event) string) string {
	for i := range events {
		if v := get(&events[i]); v != "" {
			return v
		}
	}
	return ""
}
