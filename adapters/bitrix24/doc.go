// Package bitrix24 connects Bitrix24 CRM to onemin: it receives the
// portal's outbound webhooks, reads deals, leads, stage history and
// open-line sessions over its REST API, maps them to onemin events, and
// writes the first-reply time back into a custom deal field.
//
// # Receiving events
//
// An outbound webhook (Developer resources → Other → Outbound webhook)
// POSTs a form for each event it is subscribed to: event (ONCRMDEALADD,
// ONCRMDEALUPDATE, ONCRMLEADADD, …), data[FIELDS][ID], ts and
// auth[application_token]. A [Handler] checks the token in constant time,
// limits the body (64 KiB by default, 413 beyond), parses the form into a
// [Notification], gives it to a callback and its events
// ([NotificationEvents] by default: a lead event for ONCRMLEADADD) to an
// onemin.Sink, and answers 200. A retried delivery (same portal, event,
// entity and second) is answered 200 and not applied again; the handler
// remembers up to 100 000 deliveries of the last seven days. A refused delivery (401, 400, 413,
// 405) applies nothing and is counted in [Handler.Stats]; its
// *[RequestError] names the field and the reason.
//
//	h, err := bitrix24.NewHandler(bitrix24.HandlerConfig{
//		ApplicationToken: os.Getenv("B24_APP_TOKEN"),
//		Sink:             tracker,
//	})
//	http.Handle("/hooks/bitrix24", h)
//
// # Reading the CRM
//
// A [Client] calls methods through an inbound webhook URL,
// https://PORTAL/rest/USER/CODE/. [Client.Deals], [Client.Leads] and
// [Client.StageHistory] walk every page (50 records, "start" and "next")
// as iterators; [Client.Call] calls any method. The portal limits callers
// with a leaky bucket (a burst of 50, then 2 requests a second; 250 and 5
// on Enterprise): the client paces itself under it and, when the bucket is
// shared and the portal still answers QUERY_LIMIT_EXCEEDED or HTTP 503,
// waits 1 s, 2 s, 4 s, … (up to 30 s) and retries, five times by default.
// Errors from the portal are *[APIError] values carrying its error and
// error_description. Every call takes a context.Context.
//
// # Mapping to events
//
// [StageEvent] maps a stage-history record: a lead's creation to lead, a
// deal's success stage (semantic S) to deal_won and failure stage (F) to
// deal_lost, and any stage listed in [StageKinds] to its kind (a booking
// stage to booking, for example). [SessionEvents] maps an open-line
// [Session] to the dialog's messages: the customer's first message at
// dateCreate, the bot's answer at dateFirstAnswer when it came before any
// operator's, a handoff, and the operator's answer at dateOperatorAnswer.
// The first reply time is then
//
//	first reply = min(dateFirstAnswer, dateOperatorAnswer) − dateCreate
//
// and a policy that asks for a human reply gets dateOperatorAnswer −
// dateCreate.
//
// # Writing the first reply back
//
// [Client.SetFirstReply] writes the first-reply time in whole seconds
// (rounded down) into a custom deal field such as UF_CRM_FIRST_REPLY, so
// that the CRM's own reports can filter and sort by it.
package bitrix24
