// Package webhook holds what the webhook handlers of the adapters share:
// constant-time checks of tokens and HMAC signatures, Meta's subscription
// handshake, a body limit, a bounded cache of delivered event ids that makes
// a system's retries harmless, and [Receiver], the POST path that ties them
// together in the one safe order:
//
//  1. method: only POST (405 otherwise);
//  2. authorize: a header token, before the body is read (401/403);
//  3. read: at most MaxBodyBytes, 1 MiB by default (413 past it);
//  4. verify: a signature over the raw bytes, before any decoding (401);
//  5. decode: the whole delivery into events, or nothing (400);
//  6. drop replays: events whose (tenant, event id) an earlier delivery
//     already handed over;
//  7. hand the rest to the [onemin.Sink] in one Add call; 200 once it
//     accepts, 500 (and the ids released, so the retry gets through) if it
//     fails.
//
// Every refusal is an *[Error] with the status answered and a reason,
// passed to the caller's OnError. [MetaHandler] adds Meta's GET handshake
// in front of a Receiver whose verification is Meta's X-Hub-Signature-256:
// "sha256=" + hex(HMAC-SHA256(app secret, raw body)). [NewMetaHandler]
// builds one from [MetaOptions], which the Meta adapters export as their
// Options; [ReplayMemory] reads the ReplayCapacity and ReplayTTL options
// every adapter shares (a negative capacity: no memory).
//
// The CRM webhooks (amoCRM, Bitrix24) post a form that parses, as a whole,
// into one typed notification. [FormHandler] is their POST path: method
// (405), an optional check of the request before the body is read (401),
// the body limit (413), the form (400), the adapter's Parse (400, or 401
// for a credential inside the form); then a delivery whose key was already
// applied is answered 200 and skipped, and any other goes to the adapter's
// callback and its events to the [onemin.Sink], 200 once both accept and
// 500 (the key released for the retry) when either fails or panics. Its
// refusals are *[RequestError] values whose messages begin with the
// [System]'s name; [FormStats] counts what it did.
//
// Payload helpers give every adapter the same errors: [Unmarshal],
// [Missing] and [Invalid] make *[onemin.ValidationError] values whose Field
// is the JSON path ("entry[0].changes[1].value.messages[2].timestamp");
// [Text] reads a scalar sent as a string or a number; [Marker] reads the
// "bot" / "human:anna" convention for tags a business puts on the messages
// it sends.
//
// [Replays] is the retry memory: a ring of hashed keys (about 70 bytes
// each) bounded by a capacity and by a TTL measured on the events' own
// timestamps, never on the clock.
//
// The package is internal: the adapters export what users need.
package webhook
