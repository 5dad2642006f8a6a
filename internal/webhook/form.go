package webhook

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/onemin/onemin"
)

// System names the system a [RequestError] and a [FormHandler] belong to:
// an adapter declares an empty struct type whose Name returns its package
// name ("amocrm"), and its errors read "amocrm: …".
type System interface {
	// Name returns the prefix of the system's messages.
	Name() string
}

// RequestError says why a [FormHandler] refused a delivery: the HTTP
// status it answered, the form key at fault ("" for the whole request) and
// the reason. S names the system in the message. The adapters export it
// under their own name (amocrm.RequestError) with their sentinels.
type RequestError[S System] struct {
	// Status is the HTTP status the handler answered (400, 401, 405, 413).
	Status int
	// Field is the form key at fault, such as "data[FIELDS][ID]"; empty
	// when the request as a whole is at fault.
	Field string
	// Reason says what is wrong, in words.
	Reason string
	// Err is the sentinel the error wraps: the system's own
	// (unauthorized, too large, method) or onemin.ErrMissing or
	// onemin.ErrInvalid.
	Err error
}

// Error returns "SYSTEM: field F: reason", or "SYSTEM: reason" when no
// field is at fault.
func (e *RequestError[S]) Error() string {
	var s S
	var b strings.Builder
	b.WriteString(s.Name())
	b.WriteString(": ")
	if e.Field != "" {
		fmt.Fprintf(&b, "field %s: ", e.Field)
	}
	b.WriteString(e.Reason)
	return b.String()
}

// Unwrap returns the sentinel error.
func (e *RequestError[S]) Unwrap() error { return e.Err }

// FormStats counts the deliveries a [FormHandler] has seen: Received =
// Accepted + Replayed + Rejected + Failed, once every request has been
// answered.
type FormStats struct {
	// Received counts requests.
	Received int64
	// Accepted counts deliveries applied.
	Accepted int64
	// Replayed counts repeats of an accepted delivery, answered 200 and
	// not applied again.
	Replayed int64
	// Rejected counts deliveries refused with 4xx: wrong credential, bad
	// or oversize body, missing fields, wrong method.
	Rejected int64
	// Failed counts deliveries refused with 500 because OnNotification or
	// Sink failed.
	Failed int64
}

// FormHandler is the POST path of a CRM webhook (amoCRM, Bitrix24) whose
// delivery is a form that parses, as a whole, into one notification of
// type N. In order it checks the method (405), authorizes the request
// (Authorize, before the body is read), reads at most MaxBodyBytes (413),
// decodes the form (400) and parses it (Parse: 400, or 401 for a
// credential inside the form). A delivery whose key Replays already holds
// is answered 200 and not applied again; any other is applied: given to
// OnNotification, then its Events, each with Tenant set, to Sink in one
// Add call, and answered 200. When OnNotification or Sink fails or panics
// the key is released, so that the system's retry is applied, and the
// delivery is answered 500. A refused delivery applies nothing; every
// refusal reaches OnError and is answered with its status text only.
//
// A FormHandler is safe for concurrent use once its fields are set; they
// must not change while it serves.
type FormHandler[S System, N any] struct {
	// ErrMethod and ErrTooLarge are the system's sentinels for a method
	// other than POST and a body over MaxBodyBytes.
	ErrMethod, ErrTooLarge error
	// MaxBodyBytes limits a delivery's body; it must be positive.
	MaxBodyBytes int64
	// Authorize checks the request before its body is read (a secret in
	// the URL); nil accepts every request.
	Authorize func(r *http.Request) *RequestError[S]
	// Parse turns a delivery's decoded form and raw body into its
	// notification, the key under which Replays files it, and its time
	// on the system's own clock. Required.
	Parse func(form url.Values, body []byte) (n N, key string, at time.Time, err *RequestError[S])
	// OnNotification, when set, receives every notification applied,
	// before its events go to Sink.
	OnNotification func(ctx context.Context, n N) error
	// Sink, when set, receives the events of each notification applied.
	Sink onemin.Sink
	// Events maps a notification to its events; required when Sink is
	// set.
	Events func(n N) []onemin.Event
	// Tenant is set on every event sent to Sink.
	Tenant string
	// Replays remembers the keys of the deliveries applied; nil applies
	// every repeat again.
	Replays *Replays
	// OnError, when set, is told of every refused delivery: err is a
	// *RequestError[S], or the error of OnNotification or Sink.
	OnError func(r *http.Request, err error)

	n struct{ received, accepted, replayed, rejected, failed atomic.Int64 }
}

// Stats returns the counts so far.
func (h *FormHandler[S, N]) Stats() FormStats {
	return FormStats{
		Received: h.n.received.Load(),
		Accepted: h.n.accepted.Load(),
		Replayed: h.n.replayed.Load(),
		Rejected: h.n.rejected.Load(),
		Failed:   h.n.failed.Load(),
	}
}

// ServeHTTP handles one delivery.
func (h *FormHandler[S, N]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.n.received.Add(1)
	n, key, at, rerr := h.read(w, r)
	if rerr != nil {
		h.n.rejected.Add(1)
		h.refuse(w, r, rerr.Status, rerr)
		return
	}
	if !h.Replays.Claim(key, at) {
		h.n.replayed.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.apply(r.Context(), n); err != nil {
		h.Replays.Release(key)
		h.n.failed.Add(1)
		h.refuse(w, r, http.StatusInternalServerError, err)
		return
	}
	h.n.accepted.Add(1)
	w.WriteHeader(http.StatusOK)
}

func (h *FormHandler[S, N]) read(w http.ResponseWriter, r *http.Request) (n N, key string, at time.Time, _ *RequestError[S]) {
	refuse := func(status int, reason string, err error) (N, string, time.Time, *RequestError[S]) {
		return n, "", time.Time{}, &RequestError[S]{Status: status, Reason: reason, Err: err}
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return refuse(http.StatusMethodNotAllowed, "method "+r.Method+" is not POST", h.ErrMethod)
	}
	if h.Authorize != nil {
		if err := h.Authorize(r); err != nil {
			return n, "", time.Time{}, err
		}
	}
	body, werr := ReadBody(w, r, h.MaxBodyBytes)
	if werr != nil {
		if werr.Status == http.StatusRequestEntityTooLarge {
			return refuse(werr.Status, fmt.Sprintf("body is over %d bytes", h.MaxBodyBytes), h.ErrTooLarge)
		}
		return refuse(http.StatusBadRequest, werr.Error(), onemin.ErrInvalid)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return refuse(http.StatusBadRequest, "malformed form body: "+err.Error(), onemin.ErrInvalid)
	}
	return h.Parse(form, body)
}

func (h *FormHandler[S, N]) apply(ctx context.Context, n N) (err error) {
	var sys S
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%s: panic while applying a delivery: %v", sys.Name(), p)
		}
	}()
	if h.OnNotification != nil {
		if err := h.OnNotification(ctx, n); err != nil {
			return fmt.Errorf("%s: notification handler: %w", sys.Name(), err)
		}
	}
	if h.Sink == nil {
		return nil
	}
	events := h.Events(n)
	if len(events) == 0 {
		return nil
	}
	for i := range events {
		events[i].Tenant = h.Tenant
	}
	if err := h.Sink.Add(ctx, events...); err != nil {
		return fmt.Errorf("%s: sink: %w", sys.Name(), err)
	}
	return nil
}

func (h *FormHandler[S, N]) refuse(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.OnError != nil {
		h.OnError(r, err)
	}
	http.Error(w, http.StatusText(status), status)
}
