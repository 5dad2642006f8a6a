package kpi

import (
	"encoding/json"
	"time"
)

// Result is one lead's measurement for one step: who and where, when the
// step started and stopped, how long it took in calendar and in business
// time, and its SLA outcome as of the report's as-of time. It is a plain
// value.
type Result struct {
	// Tenant and Conversation name the dialog. Contact is set instead of
	// Conversation for a booking or confirmation that names no dialog.
	Tenant       string
	Conversation string
	Contact      string
	// Channel and Source are the first ones named in the conversation.
	Channel string
	Source  string
	// Agent is who sent the first clock-stopping reply, or else the first
	// agent named in the conversation.
	Agent string
	// Start is when the step's clock started: the first customer message
	// for the first reply (the lead's received_at), the handoff, or the
	// booking. It is in the report's time zone.
	Start time.Time
	// Stop is when the clock stopped (the first reply's first_reply_at,
	// …); the zero time when it has not stopped by the as-of time.
	Stop time.Time
	// Calendar is Stop − Start; Business the same interval measured on
	// the report's [Clock] (equal to Calendar without one). Both are zero
	// when Stop is zero.
	Calendar time.Duration
	Business time.Duration
	// Target is the SLA target the lead was held to, and Deadline the
	// instant Target of clock time after Start.
	Target   time.Duration
	Deadline time.Time
	// Outcome is met, breached or pending as of the as-of time.
	Outcome Outcome
}

// Answered reports whether the step stopped by the as-of time.
func (r *Result) Answered() bool { return !r.Stop.IsZero() }

type resultJSON struct {
	Tenant       string     `json:"tenant,omitempty"`
	Conversation string     `json:"conversation_id,omitempty"`
	Contact      string     `json:"contact_id,omitempty"`
	Channel      string     `json:"channel"`
	Source       string     `json:"source"`
	Agent        string     `json:"agent"`
	Start        time.Time  `json:"start"`
	Stop         *time.Time `json:"stop"`
	Calendar     NullFloat  `json:"calendar_seconds"`
	Business     NullFloat  `json:"business_seconds"`
	Target       float64    `json:"sla_seconds"`
	Deadline     time.Time  `json:"deadline"`
	Outcome      Outcome    `json:"outcome"`
}

// MarshalJSON writes the result with the keys tenant, conversation_id,
// contact_id, channel, source, agent, start, stop, calendar_seconds,
// business_seconds, sla_seconds, deadline and outcome; stop and the
// durations are null when the step has not stopped.
func (r Result) MarshalJSON() ([]byte, error) {
	j := resultJSON{Tenant: r.Tenant, Conversation: r.Conversation, Contact: r.Contact,
		Channel: r.Channel, Source: r.Source, Agent: r.Agent, Start: r.Start,
		Target: r.Target.Seconds(), Deadline: r.Deadline, Outcome: r.Outcome}
	if r.Answered() {
		stop := r.Stop
		j.Stop = &stop
		j.Calendar = Some(r.Calendar.Seconds())
		j.Business = Some(r.Business.Seconds())
	}
	return json.Marshal(j)
}
