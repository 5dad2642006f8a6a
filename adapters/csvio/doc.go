// Package csvio reads events from files and writes them back: CSV (comma,
// semicolon or tab separated) and JSON Lines, in two layouts told apart by
// their column names.
//
// # The event layout
//
// One event per row, the columns named after the fields of [onemin.Event]:
//
//	event_id,tenant,kind,at,conversation_id,contact_id,channel,actor,agent,
//	source,medium,campaign,scenario,product,amount,currency,score
//
// Columns may come in any order, and only kind and at are required; a
// missing column is an empty value. Names are matched without regard to
// case or surrounding space. Unknown columns are ignored and listed by
// [Reader.Ignored] (a spreadsheet often has a name or a comment column);
// [Options.StrictColumns] makes them an error instead. In JSON Lines the
// keys are the same names; a number is accepted where a string is (a
// serial date, an amount, a score).
//
// # The one-row-per-lead layout
//
// The sheet an owner keeps by hand or exports from a CRM:
//
//	lead_id,channel,received_at,first_reply_at,handler,transfer_at,source,agent
//
// Each row expands to up to three events of conversation lead_id: a
// message_in at received_at, a message_out by the handler (bot or human;
// also "manager", "operator", "бот", "менеджер") at first_reply_at when it is
// set, and a handoff at transfer_at when it is set. Their ids are lead_id
// with "/in", "/reply" and "/handoff" appended, and the row's channel,
// source, agent (and tenant, contact_id, medium, campaign, scenario and
// product, if present) are on each of them. A reply or a transfer before
// the message is an error, as is a reply without its handler.
//
// # Text
//
// Input is UTF-8 (a byte-order mark is skipped) or, as Excel saves a
// Russian sheet, Windows-1251: unless [Options.Encoding] says which, a
// reader takes an input whose first 64 KiB are not valid UTF-8 for
// Windows-1251. A row that is not valid text is rejected, never passed on
// as garbage.
//
// # Times
//
// A time is RFC 3339 with an offset (2026-10-01T12:00:00+04:00). With
// [Options.Location] set, a reader also takes local wall-clock times
// (2026-10-01 12:00:00, 01.10.2026 12:00) and spreadsheet serial numbers:
// days since 1899-12-30, the fraction being the time of day, so that
// 45931.5 is 2025-10-01 12:00 in that zone. Without a location these are
// rejected rather than guessed. See [ParseTime].
//
// # Bad rows
//
// Every row is normalized and validated ([onemin.Event.Normalize],
// [onemin.Event.Validate]). A row that fails, that CSV cannot parse (bad
// quoting, a wrong number of fields), or that repeats an event already read
// (same tenant and event_id, or same lead_id) is returned as a
// *[onemin.ValidationError] naming its line (the physical line in the
// file, the header being line 1), field and reason, and reading goes on.
// Counts are of rows and always balance:
//
//	read = accepted + duplicates + rejected
//
// # Streaming
//
// A [Reader] holds one row at a time (and the set of ids seen, for
// de-duplication), so a file larger than memory streams through
// [Reader.Next] or [Reader.All]; [ReadAll] collects everything and orders
// it by time:
//
//	res, err := csvio.ReadAll(f, csvio.Options{Location: samara})
//	if err != nil {
//		return err // unreadable input, or a header that names no layout
//	}
//	for _, bad := range res.Rejected {
//		log.Println(bad) // line 12: field at: "yesterday": not a time …
//	}
//	report := kpi.Summarize(res.Events, kpi.Options{})
//
// A [Writer] writes events in the event layout, as CSV or JSON Lines; what
// it writes reads back to the same events.
package csvio
