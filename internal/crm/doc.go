// Package crm holds what the REST clients of the CRM adapters (amoCRM,
// Bitrix24) share, so that both read answers, retry and walk pages alike.
//
// [ReadAnswer] reads an answer body of at most [MaxAnswerBytes] (32 MiB),
// so that a runaway server cannot exhaust memory.
//
// [Do] runs one request under a [ratelimit.Pacer]: it waits for the
// pacing, and repeats the request after a backoff (1 s, 2 s, 4 s, … up to
// the pacer's cap, or the server's Retry-After) only while it fails with
// the system's own API error saying the server turned it away for now
// (amoCRM's HTTP 429 and 503, Bitrix24's QUERY_LIMIT_EXCEEDED and 503).
//
// [Records] turns a walk over the pages of a list into an iterator of
// decoded records, iter.Seq2[T, error]: every record of every page in
// order, then, if anything failed, one zero T with the error. Breaking out
// of the loop stops the walk, so no page is read that nobody asked for:
//
//	for lead, err := range client.Leads(ctx, nil) {
//		if err != nil {
//			return err
//		}
//		…
//	}
//
// The package is internal: the adapters export what users need.
package crm
