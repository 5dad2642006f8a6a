// Package ratelimit paces calls to a remote API that limits its callers
// with a leaky bucket, and retries the calls it turns away.
//
// A [Bucket] models the server's counter: every request adds one unit, the
// bucket leaks one unit every interval, and a request that would raise the
// level above the burst must wait. For Bitrix24 (burst 50, 2 requests a
// second) the interval is 500 ms: fifty requests may go at once, the
// fifty-first waits 500 ms. In the terms of the generic cell rate
// algorithm, with T the interval and b the burst, a request may be sent at
//
//	max(now, TAT + T − b·T)
//
// where TAT ("theoretical arrival time") is the instant the bucket would be
// empty; sending it moves TAT to max(TAT, now) + T. Arithmetic is in whole
// nanoseconds, so there is no rounding drift.
//
// A Bucket never reads the clock: [Bucket.Reserve] takes the time. A
// [Limiter] joins a Bucket to a [Clock] (the time and a sleep), which tests
// replace by a fake so that a minute of pacing runs in microseconds.
// [Retry] repeats a call with exponential [Backoff] while it says the
// server turned it away, and a [Pacer] joins the two for one server, as a
// REST client holds it.
//
// This package is internal: the REST clients of the CRM adapters share it.
package ratelimit
