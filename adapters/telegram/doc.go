// Package telegram turns Telegram Bot API updates into onemin events: a
// customer writing to the bot, or to a business account the bot is
// connected to (Telegram Business), becomes a message_in; a reply by the
// bot or by the business owner becomes a message_out, so that first-reply
// times in Telegram can be measured live.
//
// # What is read
//
// Telegram posts one Update per request (update_id and one optional field
// per kind of update):
//
//   - message: a message to the bot → message_in by the customer. Messages
//     from other bots and on behalf of a chat are ignored.
//   - business_message: a message in a chat of a connected business
//     account (it carries business_connection_id). With
//     sender_business_bot set, the bot replied on the business's behalf →
//     message_out by the bot; from the customer (in a private chat, the
//     chat's id is the customer's user id) → message_in; from the business
//     account itself → message_out by a human, or what the caller's
//     [Parser].Actor rule says (an owner's away messages can be marked
//     automation).
//   - every other update (edits, callback queries, channel posts,
//     reactions, deleted business messages) → no event; each is counted in
//     [Batch].Ignored.
//
// The bot's own replies to its chats never come back as updates: record
// them from what the send call returned with [Parser.Sent] or
// [Parser.RecordSent], which read the Message object (alone or in the
// {"ok": true, "result": …} envelope) as a message_out by the bot.
//
// date is Unix seconds and becomes a UTC time. Ids are read as int64 and
// written in decimal; they never pass through float64, so chat ids such as
// -1001987654321 stay exact.
//
// # Ids
//
//	event_id        = "tg:" + conversation_id + ":" + message_id   (see [EventID])
//	conversation_id = chat_id, or business_connection_id + "/" + chat_id  (see [ConversationID])
//	contact_id      = the customer's user id, channel = "telegram"
//
// Telegram redelivers an update until it gets a 200; the event id comes
// from the message, so a redelivery, and a reply recorded both from its
// send result and from its business_message update, are the same event.
//
// # Handler
//
// [NewHandler] returns the http.Handler to register with setWebhook. It
// compares the X-Telegram-Bot-Api-Secret-Token header with the
// secret_token in constant time before reading the body (401 on a
// mismatch), limits the body (1 MiB by default, 413 past it), decodes the
// whole update or refuses it with 400, drops a message it already
// delivered, and calls the sink once, answering 200 when it accepts and
// 500 when it fails, so Telegram redelivers. Every refusal reaches
// [Options].OnError as an *[Error].
//
// [Parse] and [Parser.Decode] do the decoding alone, without HTTP; they
// also take a JSON array of updates, as getUpdates returns them.
package telegram
