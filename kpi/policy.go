package kpi

import "github.com/onemin/onemin"

// ReplyPolicy says which replies stop a response clock. The zero
// ReplyPolicy is [AnyReply]. Under every policy a reply by an automation
// (auto-responder, campaign) never stops the clock, and a reply sent before
// the conversation's first customer message (a bot greeting) is not a reply
// to anything.
type ReplyPolicy uint8

const (
	// AnyReply: a message_out by a bot or a human stops the clock.
	AnyReply ReplyPolicy = iota
	// HumanReply: only a message_out by a human stops the clock; the
	// bot's answers do not count as a reply.
	HumanReply
)

var policies = enum[ReplyPolicy]{"ReplyPolicy", "reply policy", []string{AnyReply: "any", HumanReply: "human"}}

// Stops reports whether a reply by actor a stops the clock under p.
func (p ReplyPolicy) Stops(a onemin.Actor) bool {
	switch a {
	case onemin.Human:
		return true
	case onemin.Bot:
		return p == AnyReply
	}
	return false
}

// String returns "any" or "human".
func (p ReplyPolicy) String() string { return policies.String(p) }

// ParseReplyPolicy returns the policy named s: "any" (also "") or "human".
func ParseReplyPolicy(s string) (ReplyPolicy, error) {
	if s == "" {
		return AnyReply, nil
	}
	return policies.parse(s, "any or human")
}

// MarshalText implements [encoding.TextMarshaler].
func (p ReplyPolicy) MarshalText() ([]byte, error) { return policies.marshal(p) }

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *ReplyPolicy) UnmarshalText(b []byte) (err error) {
	*p, err = ParseReplyPolicy(string(b))
	return err
}
