package webhook

import (
	"fmt"
	"net/http"
)

// Error says why a webhook request was refused or failed: the HTTP status
// the handler answered and a short reason. It is what a handler hands to its
// OnError callback, for the caller to log; Reason never contains a secret.
type Error struct {
	// Status is the HTTP status code the handler answered: 400 for a bad
	// payload, 401 or 403 for failed authentication, 405 for a wrong
	// method, 413 for a body over the limit, 500 when the sink failed.
	Status int
	// Reason says what went wrong, in a few words.
	Reason string
	// Err is the underlying cause (a parse error, the sink's error), or
	// nil.
	Err error
}

// Error returns "status N: reason: cause".
func (e *Error) Error() string {
	s := fmt.Sprintf("status %d: %s", e.Status, e.Reason)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// write answers the request with the error's status and reason as plain
// text; a 4xx also carries the cause, which describes the request itself.
func (e *Error) write(w http.ResponseWriter) {
	msg := e.Reason
	if e.Status < 500 && e.Err != nil {
		msg += ": " + e.Err.Error() // the sender's own mistake, safe to tell it
	}
	http.Error(w, msg, e.Status)
}
