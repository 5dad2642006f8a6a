package bitrix24

import (
	"errors"
	"fmt"
	"strings"

	"github.com/onemin/onemin/internal/webhook"
)

// Sentinel errors a [RequestError] wraps besides onemin.ErrMissing and
// onemin.ErrInvalid, for callers that branch with errors.Is.
var (
	// ErrUnauthorized means the delivery's application token is missing
	// or is not the configured one.
	ErrUnauthorized = errors.New("bitrix24: application token does not match")
	// ErrTooLarge means the delivery's body is over the handler's limit.
	ErrTooLarge = errors.New("bitrix24: body too large")
	// ErrMethod means the delivery was not a POST.
	ErrMethod = errors.New("bitrix24: method not allowed")
)

// RequestError says why the [Handler] refused a delivery: Status, the HTTP
// status it answered (400, 401, 405, 413); Field, the form key at fault,
// such as "data[FIELDS][ID]" ("" for the whole request); Reason, what is
// wrong in words; and Err, the sentinel it wraps: [ErrUnauthorized],
// [ErrTooLarge], [ErrMethod], onemin.ErrMissing or onemin.ErrInvalid. Its
// message reads "bitrix24: field F: reason".
type RequestError = webhook.RequestError[system]

// system names Bitrix24 in the messages of [RequestError] and [Handler].
type system struct{}

func (system) Name() string { return "bitrix24" }

// CodeQueryLimitExceeded is the error code Bitrix24 answers when a caller
// goes over its request rate; the [Client] waits and retries it.
const CodeQueryLimitExceeded = "QUERY_LIMIT_EXCEEDED"

// APIError is an error answered by the Bitrix24 REST API: the method
// called, the HTTP status, and Bitrix24's own "error" and
// "error_description".
type APIError struct {
	// Method is the REST method called, such as "crm.deal.list".
	Method string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Code is Bitrix24's "error" field, such as "QUERY_LIMIT_EXCEEDED" or
	// "ACCESS_DENIED"; empty when the body had none.
	Code string
	// Description is Bitrix24's "error_description".
	Description string
}

// Error returns "bitrix24: METHOD: CODE: description (HTTP status)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "bitrix24: %s: ", e.Method)
	if e.Code != "" {
		b.WriteString(e.Code)
		if e.Description != "" {
			b.WriteString(": ")
		}
	}
	b.WriteString(e.Description)
	fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	return b.String()
}

// Temporary reports whether repeating the call later may succeed: the rate
// limit was exceeded or the portal was unavailable (HTTP 503).
func (e *APIError) Temporary() bool {
	return e.Code == CodeQueryLimitExceeded || e.StatusCode == 503
}
