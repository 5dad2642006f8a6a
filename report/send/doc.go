// Package send delivers the owner's short reports (the daily lead digest,
// the SLA alert) to a Telegram chat or a mailbox, behind one interface:
//
//	type Sender interface {
//		Send(ctx context.Context, m Message) error
//	}
//
// [Telegram] posts to the Bot API's sendMessage method:
//
//	POST https://api.telegram.org/bot<token>/sendMessage
//	{"chat_id": "<chat>", "text": "<subject>\n\n<text>"}
//
// with the text cut to Telegram's 4096 characters. [Mail] sends an e-mail
// over SMTP with net/smtp, with STARTTLS when the server offers it.
//
// Both are thin: no retries and no queue. A caller that must not lose an
// alert wraps a Sender in its own retry, or sends to both (see [All]).
//
// # Example
//
//	tg := &send.Telegram{Token: os.Getenv("TELEGRAM_TOKEN"), ChatID: "-100123"}
//	err := tg.Send(ctx, send.Message{Subject: "Daily digest", Text: text})
//
// Telegram and Mail are safe for concurrent use once configured.
package send
