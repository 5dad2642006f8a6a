// Package whatsapp turns WhatsApp Cloud API webhooks into onemin events:
// a customer's message becomes a message_in, a reply the business sent
// becomes a message_out by a bot, a human or an automation, so that the
// first-reply time of every WhatsApp dialog can be measured live.
//
// # What is read
//
// A delivery is a whatsapp_business_account object whose
// entry[].changes[] carry:
//
//   - field "messages", value.messages[]: a customer's message →
//     message_in. Reactions, system notices and request_welcome are not a
//     turn of the dialog and are ignored (counted in [Batch].Ignored).
//   - field "messages", value.statuses[] with status "sent": a message the
//     business sent through the API → message_out. Other statuses
//     (delivered, read, failed) are ignored: the reply happened when it was
//     sent.
//   - field "smb_message_echoes", value.message_echoes[]: a message typed
//     in the WhatsApp Business app or a linked device → message_out by a
//     human.
//   - any other field is ignored, and so are group chats (a message with
//     group_id, a status with recipient_type "group"): a group is not one
//     customer's dialog.
//
// Timestamps are Unix seconds (a string or a number) and become UTC times.
// The customer's contact id is the phone number in E.164 with a plus
// ("16505551234" → "+16505551234") when the payload has it, else the
// business-scoped user id (BSUID, "US.13491208655302741918") that Meta
// sends for users who hide their number behind a username.
//
// # Ids
//
//	event_id        = "wa:" + wamid                   (see [EventID])
//	conversation_id = phone_number_id + "/" + customer (see [ConversationID])
//	contact_id      = customer, channel = "whatsapp"
//
// Meta retries a delivery until it gets a 200, and may repeat a status in
// several deliveries; the event id comes from the message id, so a repeat
// is the same event, dropped by the handler's replay memory and by any
// downstream de-duplication ([onemin.Prepare]). One business number and one
// customer make one conversation; a customer known first by phone and later
// only by BSUID shows up as two.
//
// # Bot or human
//
// A reply's actor is decided, first match wins, by: the caller's
// [Parser].Actor rule; an app echo → human; the message's
// biz_opaque_callback_data, when it reads "bot", "human" or "automation",
// optionally followed by ":agent" ("human:anna" also sets the agent) — the
// sender sets it when it calls the send API; a marketing or authentication
// template → automation, which never stops a reply clock; otherwise → bot.
//
// # Handler
//
// [NewHandler] returns an http.Handler that answers Meta's GET handshake
// (hub.verify_token compared in constant time, hub.challenge echoed) and
// takes POST deliveries: it checks X-Hub-Signature-256 ("sha256=" +
// hex HMAC-SHA256 of the raw body under the app secret) in constant time
// before decoding, limits the body (1 MiB by default, 413 past it),
// decodes the whole delivery (400 and nothing applied if any field is
// wrong), drops events it already delivered, and calls the sink once,
// answering 200 when it accepts and 500 when it fails, so Meta retries.
// Every refusal reaches [Options].OnError as an *[Error].
//
// [Options] hold, besides Parser (the tenant and the bot-or-human rules):
//
//   - AppSecret, the Meta app secret that signs every delivery; required;
//   - VerifyToken, the token entered in the app dashboard for the
//     handshake; empty refuses every handshake;
//   - Sink, which receives the events of each delivery in one Add call;
//     required;
//   - MaxBodyBytes, the body limit; zero means 1 MiB;
//   - ReplayCapacity, how many message ids are remembered to answer
//     Meta's retries without feeding an event twice; zero means 100 000
//     (about 7 MiB), negative turns the memory off;
//   - ReplayTTL, how long an id is remembered, on the clock of the events
//     themselves; zero means seven days, Meta's retry window;
//   - OnError, told of every refused or failed request as an *[Error];
//     it must be safe for concurrent use.
//
// [Parse] and [Parser.Decode] do the decoding alone, without HTTP.
package whatsapp
