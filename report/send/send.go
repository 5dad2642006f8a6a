package send

import (
	"context"
	"errors"
	"unicode/utf8"
)

// Message is what a Sender delivers: a subject (the e-mail's subject line;
// Telegram puts it on the first line) and a plain text.
type Message struct {
	Subject string
	Text    string
}

// Sender delivers a message somewhere: a Telegram chat, a mailbox. Send
// returns when the message has been handed over, or with the reason it was
// not; it gives up when ctx ends.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SenderFunc adapts a function to a Sender.
type SenderFunc func(ctx context.Context, m Message) error

// Send calls f(ctx, m).
func (f SenderFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }

// ErrEmpty is returned for a message with no text.
var ErrEmpty = errors.New("send: empty message")

// MaxTelegramText is the longest text, in characters (Unicode code points),
// that Telegram's sendMessage accepts.
const MaxTelegramText = 4096

// Truncate returns text cut to at most n characters, ending in "…" when it
// was cut; it never splits a character.
func Truncate(text string, n int) string {
	if n <= 0 {
		return ""
	}
	if utf8.RuneCountInString(text) <= n {
		return text
	}
	i, k := 0, 0
	for j := range text {
		if k == n-1 {
			i = j
			break
		}
		k++
	}
	return text[:i] + "…"
}
