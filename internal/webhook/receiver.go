package webhook

import (
	"fmt"
	"net/http"
	"sync/atomic"

	"github.com/onemin/onemin"
)

// Batch is what one delivery holds once decoded: the events it yields and
// what it carried that yields none (read receipts, reactions, delivery
// statuses, edits), each named in a few words, for counting.
type Batch struct {
	// Events are the delivery's events, in payload order.
	Events []onemin.Event
	// Ignored names each item of the payload that was understood and
	// deliberately turned into no event, such as "status delivered".
	Ignored []string
}

// Stats counts what a handler has done since it was made. Every delivery
// is accepted, refused or failed: Deliveries = Accepted + Refused + Failed.
type Stats struct {
	// Deliveries is the number of requests handled, handshakes aside.
	Deliveries uint64 `json:"deliveries"`
	// Accepted is the number of deliveries answered 200.
	Accepted uint64 `json:"accepted"`
	// Refused is the number of deliveries answered 4xx: bad method,
	// authentication, size or payload.
	Refused uint64 `json:"refused"`
	// Failed is the number of deliveries answered 5xx because the sink
	// failed; the system retries them.
	Failed uint64 `json:"failed"`
	// Events is the number of events handed to the sink.
	Events uint64 `json:"events"`
	// Replays is the number of events dropped because an earlier delivery
	// already handed them to the sink.
	Replays uint64 `json:"replays"`
	// Ignored is the number of payload items that yield no event.
	Ignored uint64 `json:"ignored"`
}

type counters struct {
	deliveries, accepted, refused, failed, events, replays, ignored atomic.Uint64
}

// Receiver is the POST path shared by the webhook handlers: it checks the
// method, authenticates, reads the body under a limit, verifies it, decodes
// the whole delivery, drops events already delivered, and hands the rest to
// the sink in one call, answering 200 only once the sink has accepted them.
// A failure at any step answers the matching 4xx or 5xx, reaches OnError,
// and leaves the sink untouched. A panic in the sink or a caller's rule is
// recovered and answered 500.
//
// A Receiver is safe for concurrent use once its fields are set; they must
// not change while it serves.
type Receiver struct {
	// Sink receives the events. Required.
	Sink onemin.Sink
	// Decode turns a verified body into a batch, or fails with an error
	// that is answered 400. Required.
	Decode func(body []byte) (Batch, error)
	// Authorize checks the request before its body is read (a header
	// token); nil accepts every request.
	Authorize func(r *http.Request) *Error
	// Verify checks the raw body before it is decoded (a signature); nil
	// accepts every body.
	Verify func(r *http.Request, body []byte) *Error
	// MaxBodyBytes limits the body; zero means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// Replays remembers delivered event ids; nil turns replay detection
	// off.
	Replays *Replays
	// OnError, when set, is called with every refused or failed request.
	OnError func(r *http.Request, err *Error)

	n counters
}

// Stats returns the counts so far.
func (rc *Receiver) Stats() Stats {
	return Stats{
		Deliveries: rc.n.deliveries.Load(),
		Accepted:   rc.n.accepted.Load(),
		Refused:    rc.n.refused.Load(),
		Failed:     rc.n.failed.Load(),
		Events:     rc.n.events.Load(),
		Replays:    rc.n.replays.Load(),
		Ignored:    rc.n.ignored.Load(),
	}
}

// Fail answers the request with err and reports it to OnError. Handlers
// use it for the requests they answer themselves (a failed handshake).
func (rc *Receiver) Fail(w http.ResponseWriter, r *http.Request, err *Error) {
	err.write(w)
	if rc.OnError != nil {
		rc.OnError(r, err)
	}
}

// ServeHTTP handles one delivery.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc.n.deliveries.Add(1)
	if err := rc.serve(w, r); err != nil {
		if err.Status >= 500 {
			rc.n.failed.Add(1)
		} else {
			rc.n.refused.Add(1)
		}
		rc.Fail(w, r, err)
		return
	}
	rc.n.accepted.Add(1)
	w.WriteHeader(http.StatusOK)
}

func (rc *Receiver) serve(w http.ResponseWriter, r *http.Request) (failure *Error) {
	var claimed []string
	defer func() {
		if p := recover(); p != nil {
			failure = &Error{Status: http.StatusInternalServerError, Reason: "internal error",
				Err: fmt.Errorf("panic: %v", p)}
		}
		if failure != nil {
			for _, k := range claimed {
				rc.Replays.Release(k)
			}
		}
	}()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return &Error{Status: http.StatusMethodNotAllowed, Reason: "method " + r.Method + " not allowed"}
	}
	if rc.Authorize != nil {
		if err := rc.Authorize(r); err != nil {
			return err
		}
	}
	body, err := ReadBody(w, r, rc.MaxBodyBytes)
	if err != nil {
		return err
	}
	if rc.Verify != nil {
		if err := rc.Verify(r, body); err != nil {
			return err
		}
	}
	batch, derr := rc.Decode(body)
	if derr != nil {
		return &Error{Status: http.StatusBadRequest, Reason: "bad payload", Err: derr}
	}
	fresh, replayed := batch.Events[:0], 0 // filtered in place
	for i := range batch.Events {
		e := batch.Events[i]
		if e.ID != "" {
			key := e.Tenant + "\x00" + e.ID
			if !rc.Replays.Claim(key, e.At) {
				replayed++
				continue
			}
			claimed = append(claimed, key)
		}
		fresh = append(fresh, e)
	}
	if len(fresh) > 0 {
		if err := rc.Sink.Add(r.Context(), fresh...); err != nil {
			return &Error{Status: http.StatusInternalServerError, Reason: "sink refused the events", Err: err}
		}
	}
	rc.n.events.Add(uint64(len(fresh)))
	rc.n.replays.Add(uint64(replayed))
	rc.n.ignored.Add(uint64(len(batch.Ignored)))
	return nil
}
