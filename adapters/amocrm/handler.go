package amocrm

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"sync/atomic"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// HandlerConfig configures a [Handler]. Secret is required; every other
// zero field means the documented default.
type HandlerConfig struct {
	// Secret is the shared secret of the webhook URL you register in
	// amoCRM, as a query parameter (https://host/hooks/amocrm?secret=S)
	// or as the last path segment (https://host/hooks/amocrm/S). amoCRM
	// account webhooks carry no signature, so the URL is the credential:
	// use a long random secret and keep it out of access logs.
	Secret string
	// SecretParam is the query parameter that holds the secret; empty
	// means "secret".
	SecretParam string
	// Mapping maps statuses and author types to kinds and actors; the
	// zero Mapping means the defaults described there.
	Mapping Mapping
	// OnNotification, when set, receives every accepted notification
	// before its events go to Sink. An error refuses the delivery (HTTP
	// 500) and nothing is sent to Sink; if Sink then fails, the retry
	// reaches OnNotification again, so it should be idempotent.
	OnNotification func(ctx context.Context, n Notification) error
	// Sink, when set, receives the events of each accepted delivery in
	// one Add call. An error refuses the delivery (HTTP 500).
	Sink onemin.Sink
	// Tenant is set on every event sent to Sink.
	Tenant string
	// MaxBodyBytes limits a delivery's body; a larger one is refused with
	// HTTP 413. Zero means 1 MiB (amoCRM batches several entities in one
	// delivery).
	MaxBodyBytes int64
	// ReplayWindow is how many recent deliveries are remembered to answer
	// a retry without applying it twice; a delivery is also forgotten once
	// deliveries seven days newer (by the times they carry) arrive. Zero
	// means 100 000, about 7 MiB.
	ReplayWindow int
	// OnError, when set, is told of every refused delivery, for logging.
	OnError func(r *http.Request, err error)
}

// HandlerStats counts the deliveries a [Handler] has seen: Received =
// Accepted + Replayed + Rejected + Failed, once every request has been
// answered.
type HandlerStats struct {
	Received int64 // requests
	Accepted int64 // deliveries applied
	Replayed int64 // repeats of an accepted delivery, answered 200, not applied
	Rejected int64 // refused with 4xx
	Failed   int64 // refused with 500: OnNotification or Sink failed
}

// Handler is an http.Handler for amoCRM account webhooks. It answers 200
// to a delivery it applied or has already applied (the same body again);
// 401 for a wrong secret; 400 for a malformed delivery; 413 for an
// oversize body; 405 for a method other than POST; 500 when
// OnNotification or Sink fails or panics. A refused delivery applies
// nothing. It is safe for concurrent use.
type Handler struct {
	cfg    HandlerConfig
	replay *webhook.Replays
	stats  struct{ received, accepted, replayed, rejected, failed atomic.Int64 }
}

// NewHandler returns a handler for cfg, or an error when cfg has no Secret
// or a negative limit.
func NewHandler(cfg HandlerConfig) (*Handler, error) {
	if cfg.Secret == "" {
		return nil, errors.New("amocrm: HandlerConfig.Secret is required")
	}
	if cfg.MaxBodyBytes < 0 || cfg.ReplayWindow < 0 {
		return nil, errors.New("amocrm: HandlerConfig limits must not be negative")
	}
	if cfg.SecretParam == "" {
		cfg.SecretParam = "secret"
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = 1 << 20
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
	n, key, rerr := h.read(w, r)
	if rerr != nil {
		h.stats.rejected.Add(1)
		h.refuse(w, r, rerr.Status, rerr)
		return
	}
	if !h.replay.Claim(key, n.latest()) {
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

// secretOK checks the URL's secret in constant time.
func (h *Handler) secretOK(u *url.URL) bool {
	got := u.Query().Get(h.cfg.SecretParam)
	if got == "" {
		got = path.Base(u.Path)
	}
	return webhook.EqualToken(got, h.cfg.Secret)
}

func (h *Handler) read(w http.ResponseWriter, r *http.Request) (Notification, string, *RequestError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return Notification{}, "", &RequestError{Status: http.StatusMethodNotAllowed, Reason: "method " + r.Method + " is not POST", Err: ErrMethod}
	}
	if !h.secretOK(r.URL) {
		return Notification{}, "", &RequestError{Status: http.StatusUnauthorized, Field: h.cfg.SecretParam, Reason: "webhook secret does not match", Err: ErrUnauthorized}
	}
	body, werr := webhook.ReadBody(w, r, h.cfg.MaxBodyBytes)
	if werr != nil {
		if werr.Status == http.StatusRequestEntityTooLarge {
			return Notification{}, "", &RequestError{Status: werr.Status, Reason: fmt.Sprintf("body is over %d bytes", h.cfg.MaxBodyBytes), Err: ErrTooLarge}
		}
		return Notification{}, "", &RequestError{Status: http.StatusBadRequest, Reason: werr.Error(), Err: onemin.ErrInvalid}
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return Notification{}, "", &RequestError{Status: http.StatusBadRequest, Reason: "malformed form body: " + err.Error(), Err: onemin.ErrInvalid}
	}
	n, err := ParseNotification(form)
	if err != nil {
		return Notification{}, "", err.(*RequestError)
	}
	if len(n.Leads) == 0 && len(n.Messages) == 0 && n.AccountID == 0 && n.Subdomain == "" {
		return Notification{}, "", &RequestError{Status: http.StatusBadRequest, Reason: "delivery names no account, lead or message", Err: onemin.ErrMissing}
	}
	sum := sha256.Sum256(body)
	return n, string(sum[:]), nil
}

func (h *Handler) apply(ctx context.Context, n Notification) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("amocrm: panic while applying a delivery: %v", p)
		}
	}()
	if h.cfg.OnNotification != nil {
		if err := h.cfg.OnNotification(ctx, n); err != nil {
			return fmt.Errorf("amocrm: notification handler: %w", err)
		}
	}
	if h.cfg.Sink == nil {
		return nil
	}
	events := h.cfg.Mapping.Events(n)
	if len(events) == 0 {
		return nil
	}
	for i := range events {
		events[i].Tenant = h.cfg.Tenant
	}
	if err := h.cfg.Sink.Add(ctx, events...); err != nil {
		return fmt.Errorf("amocrm: sink: %w", err)
	}
	return nil
}

func (h *Handler) refuse(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.cfg.OnError != nil {
		h.cfg.OnError(r, err)
	}
	http.Error(w, http.StatusText(status), status)
}
