package kpi

import (
	"fmt"
	"time"
)

// NoticeKind says what a [Notice] warns of.
type NoticeKind uint8

const (
	// AtRisk: a share of the lead's SLA target ([TrackerOptions.AtRisk],
	// 75 % by default) has gone by on the clock and nobody has replied.
	AtRisk NoticeKind = iota + 1
	// Breach: the lead's deadline has passed and nobody has replied.
	Breach
)

// String returns "at_risk" or "breach".
func (k NoticeKind) String() string {
	switch k {
	case AtRisk:
		return "at_risk"
	case Breach:
		return "breach"
	}
	return fmt.Sprintf("NoticeKind(%d)", uint8(k))
}

// MarshalText implements [encoding.TextMarshaler].
func (k NoticeKind) MarshalText() ([]byte, error) {
	if k != AtRisk && k != Breach {
		return nil, fmt.Errorf("kpi: invalid notice kind %d", uint8(k))
	}
	return []byte(k.String()), nil
}

// Notice is a warning about one lead that the [Tracker] sends when the
// time passed to [Tracker.AdvanceTo] reaches it: at risk when a share of
// the target is gone, breach when the deadline has passed, in both cases
// with no reply. Times are in the tracker's time zone. A Notice is a plain
// value.
type Notice struct {
	Kind NoticeKind `json:"kind"`
	Step Step       `json:"step"`
	// Tenant and Conversation name the dialog; Contact is set instead of
	// Conversation for a booking that names no dialog.
	Tenant       string `json:"tenant,omitempty"`
	Conversation string `json:"conversation_id,omitempty"`
	Contact      string `json:"contact_id,omitempty"`
	Channel      string `json:"channel"`
	// Agent is the first agent named in the conversation, if any.
	Agent string `json:"agent"`
	// Start is when the step's clock started (the customer's first
	// message for the first reply).
	Start time.Time `json:"start"`
	// Due is the instant the notice became due: the at-risk instant, or
	// the deadline for a breach. Deadline is the instant the target runs
	// out on the clock.
	Due      time.Time `json:"due"`
	Deadline time.Time `json:"deadline"`
	// Target is the lead's SLA target and Elapsed the clock time gone
	// from Start to At (business time on a calendar).
	Target  time.Duration `json:"-"`
	Elapsed time.Duration `json:"-"`
	// At is the tracker time at which the notice was sent: the time given
	// to AdvanceTo, less the tracker's lateness.
	At time.Time `json:"at"`
}

// String returns a one-line text for a messenger, such as
// "at risk: conversation c1 (whatsapp): 45s of 1m0s gone and nobody has replied".
func (n Notice) String() string {
	who := "conversation " + n.Conversation
	if n.Conversation == "" {
		who = "contact " + n.Contact
	}
	if n.Tenant != "" {
		who = n.Tenant + " " + who
	}
	if n.Channel != "" {
		who += " (" + n.Channel + ")"
	}
	what := "at risk"
	if n.Kind == Breach {
		what = "breach"
	}
	return fmt.Sprintf("%s: %s: %s of %s gone and nobody has replied", what, who, n.Elapsed, n.Target)
}

// wakeItem is an entry of a shard's wake heap: the conversation in slot
// is to be looked at when the tracker's time reaches due. An entry is
// live while due equals the conversation's wake; others are skipped.
type wakeItem struct {
	due  int64
	slot int32
}

func (a *wakeItem) before(b *wakeItem) bool { return a.due < b.due }

// wakeHeap is a min-heap of wakeItems by due.
type wakeHeap []wakeItem

func (h *wakeHeap) push(w wakeItem) { heapPush((*[]wakeItem)(h), w) }
func (h *wakeHeap) pop() wakeItem   { return heapPop((*[]wakeItem)(h)) }
