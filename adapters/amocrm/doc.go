// Package amocrm connects amoCRM to onemin: it receives the account's
// webhooks about leads and chat messages, reads leads, contacts and the
// event log over the v4 REST API, and maps both to onemin events.
//
// # Receiving webhooks
//
// amoCRM POSTs account webhooks as a form whose keys name the entity, the
// action and the item: leads[add][0][id], leads[status][0][status_id],
// leads[status][0][old_status_id], leads[status][0][pipeline_id],
// message[add][0][type] (incoming or outgoing),
// message[add][0][author][type], message[add][0][talk_id], …. A [Handler]
// checks the shared secret of the URL you registered (a query parameter,
// "secret" by default, or the last path segment) in constant time, limits
// the body (1 MiB by default, 413 beyond), parses the whole delivery into
// a [Notification] or refuses it with 400 naming the first bad key, gives
// it to a callback and its events to an onemin.Sink, and answers 200. A
// delivery repeated byte for byte is answered 200 and not applied again
// (up to 100 000 deliveries of the last seven days are remembered). Refused deliveries apply nothing and
// are counted in [Handler.Stats]; their *[RequestError] says why.
//
//	h, err := amocrm.NewHandler(amocrm.HandlerConfig{
//		Secret: os.Getenv("AMO_HOOK_SECRET"),
//		Mapping: amocrm.Mapping{Statuses: map[int64]onemin.Kind{
//			5508004: onemin.Booking, // the pipeline's "booked" stage
//		}},
//		Sink: tracker,
//	})
//	http.Handle("/hooks/amocrm/", h)
//
// # Mapping to events
//
// [Mapping.Events] turns a notification into events: a lead added into
// lead; a lead moved to status 142 (won) into deal_won, to 143 (lost) into
// deal_lost, and to any status listed in Mapping.Statuses into its kind; an
// incoming message into message_in by the customer; an outgoing one into
// message_out by the actor of its author type ("bot" a bot, "user" a
// human, anything else an automation, which does not stop the reply
// clock). Messages are in conversation "talk:ID", so the first reply time
// of a talk is
//
//	first reply = first outgoing message by a bot or a human − first incoming message
//
// [Mapping.Event] does the same for a record of the event log, with the
// same event ids, so that events read later de-duplicate against those
// received live.
//
// # Reading the account
//
// A [Client] reads /api/v4/leads, /api/v4/contacts and /api/v4/events
// with a bearer token as iterators ([Client.Leads], [Client.Contacts],
// [Client.Events]), following _links.next.href from page to page (250
// records a page) until a page has no next link or the API answers 204 No
// Content. It keeps under amoCRM's 7 requests a second, retries answers
// 429 and 503 (after Retry-After when given, else 1 s, 2 s, 4 s, … up to
// 30 s), never follows a next link to another host, and reports errors as
// *[APIError] values with the problem's title and detail.
package amocrm
