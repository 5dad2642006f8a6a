package bitrix24

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync/atomic"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// HandlerConfig configures a [Handler]. ApplicationToken is required;
// every other zero field means the documented default.
type HandlerConfig struct {
	// ApplicationToken is the token Bitrix24 shows for the outbound
	// webhook (and sends as auth[application_token]). Required.
	ApplicationToken string
	// OnNotification, when set, receives every accepted notification
	// before its events go to Sink. An error refuses the delivery (HTTP
	// 500) and nothing is sent to Sink.
	OnNotification func(ctx context.Context, n Notification) error
	// Sink, when set, receives the events of each accepted notification
	// in one Add call. An error refuses the delivery (HTTP 500).
	Sink onemin.Sink
	// Events maps a notification to events for Sink; nil means
	// [NotificationEvents].
	Events func(Notification) []onemin.Event
	// Tenant is set on every event sent to Sink; empty for a single
	// business.
	Tenant string
	// MaxBodyBytes limits a delivery's body; a larger one is refused with
	// HTTP 413. Zero means 64 KiB.
	MaxBodyBytes int64
	// ReplayWindow is how many recent deliveries are remembered to answer
	// a retry without applying it twice; a delivery is also forgotten once
	// deliveries seven days newer (by their ts) arrive. Zero means
	// 100 000, about 7 MiB.
	ReplayWindow int
	// OnError, when set, is told of every refused delivery, for logging;
	// err is a *[RequestError] or the error of OnNotification or Sink.
	OnError func(r *http.Request, err error)
}

// HandlerStats counts the deliveries a [Handler] has seen: Received =
// Accepted + Replayed + Rejected + Failed, once every request has been
// answered.
type HandlerStats struct {
	// Received counts requests.
	Received int64
	// Accepted counts deliveries applied.
	Accepted int64
	// Replayed counts repeats of an accepted delivery, answered 200 and
	// not applied again.
	Replayed int64
	// Rejected counts deliveries refused with 4xx: wrong token, bad or
	// oversize body, missing fields, wrong method.
	Rejected int64
	// Failed counts deliveries refused with 500 because OnNotification or
	// Sink failed.
	Failed int64
}

// Handler is an http.Handler for Bitrix24 outbound webhook deliveries. It
// answers 200 to a delivery it applied or has already applied; 401 for a
// wrong token; 400 for a malformed delivery; 413 for an oversize body; 405
// for a method other than POST; 500 when OnNotification or Sink fails or
// panics (so that the retry is applied). A refused delivery applies nothing. It is
// safe for concurrent use.
type Handler struct {
	cfg    HandlerConfig
	replay *webhook.Replays
	stats  struct{ received, accepted, replayed, rejected, failed atomic.Int64 }
}

// NewHandler returns a handler for cfg, or an error when cfg has no
// ApplicationToken or a negative limit.
func NewHandler(cfg HandlerConfig) (*Handler, error) {
	if cfg.ApplicationToken == "" {
		return nil, errors.New("bitrix24: HandlerConfig.ApplicationToken is required")
	}
	if cfg.MaxBodyBytes < 0 || cfg.ReplayWindow < 0 {
		return nil, errors.New("bitrix24: HandlerConfig limits must not be negative")
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 64 << 10
	}
	if cfg.Events == nil {
		cfg.Events = NotificationEvents
	}
	return &Handler{cfg: cfg, replay: webhook.NewReplays(cfg.ReplayWindow, 0)}, nil
}

// Stats returns the handler's counts so far.
func (h *Handler) Stats() HandlerStats {
	return HandlerStats{
		Received: h.stats.received.Load(),
		Accepted: h.stats.accepted.Load(),
		Replayed: h.stats.replayed.Load(),
		Rejected: h.stats.rejected.Load(),
		Failed:   h.stats.failed.Load(),
	}
}

// ServeHTTP handles one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.stats.received.Add(1)
	n, err := h.read(w, r)
	if err != nil {
		h.stats.rejected.Add(1)
		h.refuse(w, r, err.Status, err)
		return
	}
	key := n.key()
	if !h.replay.Claim(key, n.At) {
		h.stats.replayed.Add(1)
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.apply(r.Context(), n); err != nil {
		h.replay.Release(key)
		h.stats.failed.Add(1)
		h.refuse(w, r, http.StatusInternalServerError, err)
		return
	}
	h.stats.accepted.Add(1)
	w.WriteHeader(http.StatusOK)
}

func (h *Handler) read(w http.ResponseWriter, r *http.Request) (Notification, *RequestError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return Notification{}, &RequestError{Status: http.StatusMethodNotAllowed, Reason: "method " + r.Method + " is not POST", Err: ErrMethod}
	}
	body, werr := webhook.ReadBody(w, r, h.cfg.MaxBodyBytes)
	if werr != nil {
		if werr.Status == http.StatusRequestEntityTooLarge {
			return Notification{}, &RequestError{Status: werr.Status, Reason: fmt.Sprintf("body is over %d bytes", h.cfg.MaxBodyBytes), Err: ErrTooLarge}
		}
		return Notification{}, &RequestError{Status: http.StatusBadRequest, Reason: werr.Error(), Err: onemin.ErrInvalid}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return Notification{}, &RequestError{Status: http.StatusBadRequest, Reason: "malformed form body: " + err.Error(), Err: onemin.ErrInvalid}
	}
	n, err := ParseNotification(form, h.cfg.ApplicationToken)
	if err != nil {
		return Notification{}, err.(*RequestError)
	}
	return n, nil
}

func (h *Handler) apply(ctx context.Context, n Notification) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("bitrix24: panic while applying a delivery: %v", p)
		}
	}()
	if h.cfg.OnNotification != nil {
		if err := h.cfg.OnNotification(ctx, n); err != nil {
			return fmt.Errorf("bitrix24: notification handler: %w", err)
		}
	}
	if h.cfg.Sink == nil {
		return nil
	}
	events := h.cfg.Events(n)
	if len(events) == 0 {
		return nil
	}
	for i := range events {
		events[i].Tenant = h.cfg.Tenant
	}
	if err := h.cfg.Sink.Add(ctx, events...); err != nil {
		return fmt.Errorf("bitrix24: sink: %w", err)
	}
	return nil
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.cfg.OnError != nil {
		h.cfg.OnError(r, err)
	}
	http.Error(w, http.StatusText(status), status)
}
