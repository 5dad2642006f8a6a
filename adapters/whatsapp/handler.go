package whatsapp

import (
	"net/http"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Error is what the handler hands to [Options.OnError] for every refused or
// failed request: the HTTP status it answered, a reason, and the cause (a
// *[onemin.ValidationError] for a bad payload, the sink's error).
type Error = webhook.Error

// Stats counts what a [Handler] has done; see [Handler.Stats].
type Stats = webhook.Stats

// Options configure a [Handler]. Zero fields other than AppSecret and Sink
// mean the documented defaults.
type Options struct {
	// AppSecret is the Meta app secret that signs every delivery
	// (X-Hub-Signature-256). Required.
	AppSecret string
	// VerifyToken is the token entered in the app dashboard for the
	// subscription handshake (GET). Empty refuses every handshake.
	VerifyToken string
	// Sink receives the events of each delivery in one Add call.
	// Required.
	Sink onemin.Sink
	// Parser sets the tenant and the rule that tells bot replies from
	// human ones.
	Parser Parser
	// MaxBodyBytes limits a delivery's body; zero means 1 MiB.
	MaxBodyBytes int64
	// ReplayCapacity is how many message ids the handler remembers to
	// answer Meta's retries without feeding an event twice; zero means
	// 100 000 (about 7 MiB). Negative turns the memory off.
	ReplayCapacity int
	// ReplayTTL is how long, on the clock of the events themselves, an id
	// is remembered; zero means seven days, Meta's retry window.
	ReplayTTL time.Duration
	// OnError, when set, receives every refused or failed request, for
	// logging. It must be safe for concurrent use.
	OnError func(r *http.Request, err *Error)
}

// Handler is the http.Handler of a WhatsApp Cloud API webhook: GET answers
// Meta's subscription handshake, POST takes deliveries. It is safe for
// concurrent use.
type Handler struct {
	h *webhook.MetaHandler
}

// NewHandler returns a handler for o, or an error if the app secret or the
// sink is missing.
func NewHandler(o Options) (*Handler, error) {
	parser := o.Parser
	h, err := webhook.NewMetaHandler("whatsapp", webhook.MetaConfig{
		AppSecret: o.AppSecret, VerifyToken: o.VerifyToken, Sink: o.Sink, Decode: parser.Decode,
		MaxBodyBytes: o.MaxBodyBytes, ReplayCapacity: o.ReplayCapacity, ReplayTTL: o.ReplayTTL, OnError: o.OnError,
	})
	if err != nil {
		return nil, err
	}
	return &Handler{h}, nil
}

// ServeHTTP answers the handshake (GET) or takes a delivery (POST): it
// verifies the signature over the raw body, decodes the whole payload, drops
// messages already delivered, and hands the rest to the sink in one call.
// It answers 200 once the sink accepts; 401 for a bad signature, 403 for a
// bad handshake, 400 for a bad payload, 405 for another method, 413 for a
// body over the limit, 500 when the sink fails (Meta then retries).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.h.ServeHTTP(w, r) }

// Stats returns what the handler has done so far.
func (h *Handler) Stats() Stats { return h.h.Stats() }
