package amocrm

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onemin/onemin/internal/webhook"
)

// Sentinel errors a [RequestError] wraps besides onemin.ErrMissing and
// onemin.ErrInvalid, for callers that branch with errors.Is.
var (
	// ErrUnauthorized means the webhook URL's secret is missing or wrong.
	ErrUnauthorized = errors.New("amocrm: webhook secret does not match")
	// ErrTooLarge means the delivery's body is over the handler's limit.
	ErrTooLarge = errors.New("amocrm: body too large")
	// ErrMethod means the delivery was not a POST.
	ErrMethod = errors.New("amocrm: method not allowed")
)

// RequestError says why the [Handler] refused a delivery: Status, the HTTP
// status it answered (400, 401, 405, 413); Field, the form key at fault,
// such as "leads[status][0][status_id]" ("" for the whole request);
// Reason, what is wrong in words; and Err, the sentinel it wraps:
// [ErrUnauthorized], [ErrTooLarge], [ErrMethod], onemin.ErrMissing or
// onemin.ErrInvalid. Its message reads "amocrm: field F: reason".
type RequestError = webhook.RequestError[system]

// system names amoCRM in the messages of [RequestError] and [Handler].
type system struct{}

func (system) Name() string { return "amocrm" }

// APIError is an error answered by the amoCRM REST API: the path asked
// for, the HTTP status, and the problem's title and detail (amoCRM answers
// errors as application/problem+json).
type APIError struct {
	// Path is the API path, such as "/api/v4/leads".
	Path string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Title and Detail are the problem's fields; empty when the body had
	// none.
	Title  string
	Detail string
}

// Error returns "amocrm: PATH: title: detail (HTTP status)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "amocrm: %s: ", e.Path)
	parts := make([]string, 0, 2)
	for _, s := range []string{e.Title, e.Detail} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	b.WriteString(strings.Join(parts, ": "))
	fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	return b.String()
}

// Temporary reports whether repeating the request later may succeed: HTTP
// 429 (over 7 requests a second) or 503.
func (e *APIError) Temporary() bool { return e.StatusCode == 429 || e.StatusCode == 503 }
