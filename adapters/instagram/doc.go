// Package instagram turns Instagram messaging webhooks (Messenger Platform
// for Instagram) into onemin events: a customer's direct message becomes a
// message_in, a message the business sent becomes a message_out by a bot
// or a human, so that first-reply times in Instagram Direct can be
// measured live.
//
// # What is read
//
// A delivery is an "instagram" object whose entry[].messaging[] (and
// entry[].standby[], the messages seen while another app holds the thread)
// carry one item each:
//
//   - message from the customer → message_in; a postback (a tapped
//     button) is the customer's turn too → message_in;
//   - message with is_echo: true, sent by the business → message_out;
//   - message_edit, read, reaction, referral, optin, a deleted message,
//     and entry[].changes[] (comments, mentions) → no event; each is
//     counted in [Batch].Ignored.
//
// The timestamp is in Unix milliseconds and becomes a UTC time.
//
// # Ids
//
//	event_id        = "ig:" + mid                     (see [EventID])
//	conversation_id = account + "/" + customer IGSID   (see [ConversationID])
//	contact_id      = customer IGSID, channel = "instagram"
//
// where account is entry[].id, the professional account. Meta retries a
// delivery until it gets a 200; the event id comes from the message id, so
// a retry is the same event.
//
// # Bot or human
//
// An echo's actor is decided, first match wins, by: the caller's
// [Parser].Actor rule; the message's metadata, when it reads "bot",
// "human" or "automation", optionally followed by ":agent"
// ("human:oleg" also sets the agent); its app_id listed in
// [Parser].HumanAppIDs (an inbox or CRM where managers type) → human; any
// other app_id → bot; no app_id (typed in the Instagram app) → human.
//
// # Handler
//
// [NewHandler] returns an http.Handler that answers Meta's GET handshake
// (hub.verify_token compared in constant time, hub.challenge echoed) and
// takes POST deliveries: X-Hub-Signature-256 ("sha256=" + hex HMAC-SHA256
// of the raw body under the app secret) is checked in constant time before
// decoding; the body is limited (1 MiB by default, 413 past it); the whole
// delivery is decoded or refused with 400; events already delivered are
// dropped; the sink gets the rest in one call, and the handler answers 200
// when it accepts, 500 when it fails, so Meta retries. Every refusal
// reaches [Options].OnError as an *[Error].
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
package instagram
