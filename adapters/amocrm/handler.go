package amocrm

import (
	"cmp"
	"context"
	"crypto/sha256"
	"errors"
	"net/http"
	"net/url"
	"path"
	"time"

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
// answered. Received counts requests; Accepted, deliveries applied;
// Replayed, repeats of an accepted delivery, answered 200 and not applied
// again; Rejected, deliveries refused with 4xx; Failed, deliveries refused
// with 500 because OnNotification or Sink failed.
type HandlerStats = webhook.FormStats

// Handler is an http.Handler for amoCRM account webhooks. It answers 200
// to a delivery it applied or has already applied (the same body again);
// 401 for a wrong secret; 400 for a malformed delivery; 413 for an
// oversize body; 405 for a method other than POST; 500 when
// OnNotification or Sink fails or panics. A refused delivery applies
// nothing. It is safe for concurrent use.
type Handler struct {
	fh *webhook.FormHandler[system, Notification]
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
	param, secret := cmp.Or(cfg.SecretParam, "secret"), cfg.Secret
	return &Handler{&webhook.FormHandler[system, Notification]{
		ErrMethod:    ErrMethod,
		ErrTooLarge:  ErrTooLarge,
		MaxBodyBytes: cmp.Or(cfg.MaxBodyBytes, 1<<20),
		Authorize: func(r *http.Request) *RequestError {
			if !secretOK(r.URL, param, secret) {
				return &RequestError{Status: http.StatusUnauthorized, Field: param, Reason: "webhook secret does not match", Err: ErrUnauthorized}
			}
			return nil
		},
		Parse:          parseDelivery,
		OnNotification: cfg.OnNotification,
		Sink:           cfg.Sink,
		Events:         cfg.Mapping.Events,
		Tenant:         cfg.Tenant,
		Replays:        webhook.NewReplays(cfg.ReplayWindow, 0),
		OnError:        cfg.OnError,
	}}, nil
}

// Stats returns the handler's counts so far.
func (h *Handler) Stats() HandlerStats { return h.fh.Stats() }

// ServeHTTP handles one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.fh.ServeHTTP(w, r) }

// secretOK checks the URL's secret, in the query parameter param or as the
// last path segment, in constant time.
func secretOK(u *url.URL, param, secret string) bool {
	got := u.Query().Get(param)
	if got == "" {
		got = path.Base(u.Path)
	}
	return webhook.EqualToken(got, secret)
}

// parseDelivery parses a delivery's form; its replay key is the SHA-256 of
// the body (amoCRM repeats a delivery byte for byte) and its time the
// latest of its items.
func parseDelivery(form url.Values, body []byte) (Notification, string, time.Time, *RequestError) {
	n, err := ParseNotification(form)
	if err != nil {
		return Notification{}, "", time.Time{}, err.(*RequestError)
	}
	if len(n.Leads) == 0 && len(n.Messages) == 0 && n.AccountID == 0 && n.Subdomain == "" {
		return Notification{}, "", time.Time{}, &RequestError{Status: http.StatusBadRequest, Reason: "delivery names no account, lead or message", Err: onemin.ErrMissing}
	}
	sum := sha256.Sum256(body)
	return n, string(sum[:]), n.latest(), nil
}
