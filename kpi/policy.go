package kpi

import (
	"fmt"

	"github.com/onemin/onemin"
)

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

var policyNames = [...]string{AnyReply: "any", HumanReply: "human"}

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
func (p ReplyPolicy) String() string {
	if int(p) < len(policyNames) {
		return policyNames[p]
	}
	return fmt.Sprintf("ReplyPolicy(%d)", uint8(p))
}

// ParseReplyPolicy returns the policy named s: "any" (also "") or "human".
func ParseReplyPolicy(s string) (ReplyPolicy, error) {
	switch s {
	case "any", "":
		return AnyReply, nil
	case "human":
		return HumanReply, nil
	}
	return 0, fmt.Errorf("kpi: unknown reply policy %q (want any or human)", s)
}

// MarshalText implements [encoding.TextMarshaler].
func (p ReplyPolicy) MarshalText() ([]byte, error) {
	if int(p) >= len(policyNames) {
		return nil, fmt.Errorf("kpi: invalid reply policy %d", uint8(p))
	}
	return []byte(policyNames[p]), nil
}

// UnmarshalText implements [encoding.TextUnmarshaler].
func (p *ReplyPolicy) UnmarshalText(b []byte) error {
	v, err := ParseReplyPolicy(string(b))
	if err != nil {
		return err
	}
	*p = v
	return nil
}
