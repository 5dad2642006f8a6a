package bitrix24

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"

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
// answered. Received counts requests; Accepted, deliveries applied;
// Replayed, repeats of an accepted delivery, answered 200 and not applied
// again; Rejected, deliveries refused with 4xx (wrong token, bad or
// oversize body, missing fields, wrong method); Failed, deliveries refused
// with 500 because OnNotification or Sink failed.
type HandlerStats = webhook.FormStats

// Handler is an http.Handler for Bitrix24 outbound webhook deliveries. It
// answers 200 to a delivery it applied or has already applied; 401 for a
// wrong token; 400 for a malformed delivery; 413 for an oversize body; 405
// for a method other than POST; 500 when OnNotification or Sink fails or
// panics (so that the retry is applied). A refused delivery applies
// nothing. It is safe for concurrent use.
type Handler struct {
	fh *webhook.FormHandler[system, Notification]
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
	if cfg.Events == nil {
		cfg.Events = NotificationEvents
	}
	token := cfg.ApplicationToken
	return &Handler{&webhook.FormHandler[system, Notification]{
		ErrMethod:    ErrMethod,
		ErrTooLarge:  ErrTooLarge,
		MaxBodyBytes: cmp.Or(cfg.MaxBodyBytes, 64<<10),
		Parse: func(form url.Values, _ []byte) (Notification, string, time.Time, *RequestError) {
			n, err := ParseNotification(form, token)
			if err != nil {
				return Notification{}, "", time.Time{}, err.(*RequestError)
			}
			return n, n.key(), n.At, nil
		},
		OnNotification: cfg.OnNotification,
		Sink:           cfg.Sink,
		Events:         cfg.Events,
		Tenant:         cfg.Tenant,
		Replays:        webhook.NewReplays(cfg.ReplayWindow, 0),
		OnError:        cfg.OnError,
	}}, nil
}

// Stats returns the handler's counts so far.
func (h *Handler) Stats() HandlerStats { return h.fh.Stats() }

// ServeHTTP handles one delivery.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.fh.ServeHTTP(w, r) }
