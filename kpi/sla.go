package kpi

import "time"

// DefaultTarget is the SLA target used where none is configured: the
// One-Minute KPI's 60 seconds.
const DefaultTarget = 60 * time.Second

// Step is a stage of handling whose duration an SLA bounds. Each step has a
// start and a stop event in a conversation; the zero Step is [FirstReply].
type Step uint8

const (
	// FirstReply runs from the first customer message to the first reply
	// that stops the clock under the [ReplyPolicy].
	FirstReply Step = iota
	// BotReply runs from the first customer message to the bot's first
	// reply: the "AI answers a lead in a messenger in 3 s" rule.
	BotReply
	// HandoffReply runs from the first handoff to the first human reply at
	// or after it: the handoff wait.
	HandoffReply
	// Confirmation runs from the first booking to the first confirmed
	// event at or after it.
	Confirmation
	// Closing runs from the first customer message to the first closed
	// event at or after it: the handle time.
	Closing
	stepCount
)

var steps = enum[Step]{"Step", "step", []string{
	FirstReply:   "first_reply",
	BotReply:     "bot_reply",
	HandoffReply: "handoff_reply",
	Confirmation: "confirmation",
	Closing:      "closing",
}}

// Steps returns every step in declaration order.
func Steps() []Step { return []Step{FirstReply, BotReply, HandoffReply, Confirmation, Closing} }

// String returns the step's text form: "first_reply", "bot_reply",
// "handoff_reply", "confirmation" or "closing".
func (s Step) String() string { return steps.String(s) }

// ParseStep returns the step whose text form is s ("" is [FirstReply]).
func ParseStep(s string) (Step, error) {
	if s == "" {
		return FirstReply, nil
	}
	return steps.parse(s, "first_reply, bot_reply, handoff_reply, confirmation or closing")
}

// MarshalText implements [encoding.TextMarshaler].
func (s Step) MarshalText() ([]byte, error) { return steps.marshal(s) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (s *Step) UnmarshalText(b []byte) (err error) {
	*s, err = ParseStep(string(b))
	return err
}

// Scope names what an SLA target applies to: a step, and a channel or ""
// for every channel.
type Scope struct {
	Step    Step
	Channel string
}

// SLA holds response-time targets by step and channel. Target looks a
// target up from the most specific scope to the least: (step, channel),
// then (step, ""), then Default. The zero SLA gives 60 s ([DefaultTarget])
// for every step and channel. An SLA is read-only once in use and then safe
// for concurrent use.
type SLA struct {
	// Default is the target where Targets has none; zero means
	// [DefaultTarget].
	Default time.Duration
	// Targets maps a scope to its target. Channels are lower case, as
	// in events. Zero or negative targets are ignored.
	Targets map[Scope]time.Duration
}

// Target returns the target for a step in a channel.
func (s SLA) Target(step Step, channel string) time.Duration {
	if d := s.Targets[Scope{step, channel}]; d > 0 {
		return d
	}
	if channel != "" {
		if d := s.Targets[Scope{step, ""}]; d > 0 {
			return d
		}
	}
	if s.Default > 0 {
		return s.Default
	}
	return DefaultTarget
}

// Messengers lists the channels that the ready-made targets of
// [RecommendedSLA] treat as messengers.
var Messengers = []string{"whatsapp", "instagram", "telegram", "vk", "web", "max", "viber"}

// RecommendedSLA returns the targets a small business starts with:
//
//   - first reply: 3 min in messengers ([Messengers]) and any other
//     channel, 15 min for e-mail;
//   - the bot's first answer to a lead: 3 s;
//   - the human reply after a handoff: 3 min, 15 min for e-mail;
//   - a manager's confirmation of a booking: 30 min;
//   - closing a request: 24 h.
//
// Each call returns a new SLA that the caller may change.
func RecommendedSLA() SLA {
	t := map[Scope]time.Duration{
		{FirstReply, ""}:        3 * time.Minute,
		{FirstReply, "email"}:   15 * time.Minute,
		{BotReply, ""}:          3 * time.Second,
		{HandoffReply, ""}:      3 * time.Minute,
		{HandoffReply, "email"}: 15 * time.Minute,
		{Confirmation, ""}:      30 * time.Minute,
		{Closing, ""}:           24 * time.Hour,
	}
	for _, ch := range Messengers {
		t[Scope{FirstReply, ch}] = 3 * time.Minute
	}
	return SLA{Default: DefaultTarget, Targets: t}
}

// Outcome is how one lead stands against its SLA target at a given time.
// The zero Outcome is not an outcome.
type Outcome uint8

const (
	// Met: the step stopped within the target (duration ≤ target).
	Met Outcome = iota + 1
	// Breached: the step stopped late, or has not stopped and its
	// deadline has passed.
	Breached
	// Pending: the step has not stopped yet and its deadline has not
	// passed; it may still be met.
	Pending
)

var outcomes = enum[Outcome]{"Outcome", "outcome", []string{Met: "met", Breached: "breached", Pending: "pending"}}

// String returns "met", "breached" or "pending".
func (o Outcome) String() string { return outcomes.String(o) }

// MarshalText implements [encoding.TextMarshaler].
func (o Outcome) MarshalText() ([]byte, error) { return outcomes.marshal(o) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (o *Outcome) UnmarshalText(b []byte) (err error) {
	*o, err = outcomes.parse(string(b), "met, breached or pending")
	return err
}

// Evaluate returns the outcome, as of asOf, of a step that started at
// start and stopped at stop (the zero time when it has not stopped by
// asOf), against target measured on clock (nil for calendar time):
//
//   - stopped, and clock.Between(start, stop) ≤ target: [Met];
//   - stopped later than that: [Breached];
//   - not stopped, and asOf is not after the deadline
//     clock.Add(start, target): [Pending];
//   - not stopped, and asOf is after the deadline: [Breached].
//
// A stop after asOf counts as no stop yet. The deadline is returned too;
// it is the zero time when the clock never gets there (a calendar that
// never opens again), and a lead without a stop then stays [Pending].
func Evaluate(start, stop time.Time, target time.Duration, clock Clock, asOf time.Time) (Outcome, time.Time) {
	o, _, _, dl := judge(clock, start, stop, target, asOf)
	return o, dl
}
