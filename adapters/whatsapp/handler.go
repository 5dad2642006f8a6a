package whatsapp

import (
	"errors"
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
	// 100 000 (about 6 MiB). Negative turns the memory off.
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
	verifyToken string
	rc          *webhook.Receiver
}

// NewHandler returns a handler for o, or an error if the app secret or the
// sink is missing.
func NewHandler(o Options) (*Handler, error) {
	if o.AppSecret == "" {
		return nil, errors.New("whatsapp: Options.AppSecret is required: deliveries cannot be verified without it")
	}
	if o.Sink == nil {
		return nil, errors.New("whatsapp: Options.Sink is required")
	}
	var replays *webhook.Replays
	if o.ReplayCapacity >= 0 {
		replays = webhook.NewReplays(o.ReplayCapacity, o.ReplayTTL)
	}
	parser := o.Parser
	secret := o.AppSecret
	return &Handler{
		verifyToken: o.VerifyToken,
		rc: &webhook.Receiver{
			Sink:   o.Sink,
			Decode: parser.Decode,
			Verify: func(r *http.Request, body []byte) *webhook.Error {
				return webhook.CheckMetaSignature(r, body, secret)
			},
			MaxBodyBytes: o.MaxBodyBytes,
			Replays:      replays,
			OnError:      o.OnError,
		},
	}, nil
}

// ServeHTTP answers the handshake (GET) or takes a delivery (POST): it
// verifies the signature over the raw body, decodes the whole payload, drops
// messages already delivered, and hands the rest to the sink in one call.
// It answers 200 once the sink accepts; 401 for a bad signature, 403 for a
// bad handshake, 400 for a bad payload, 413 for a body over the limit, 500
// when the sink fails (Meta then retries).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		if err := webhook.MetaHandshake(w, r, h.verifyToken); err != nil {
			h.rc.Fail(w, r, err)
		}
		return
	}
	h.rc.ServeHTTP(w, r)
}

// Stats returns what the handler has done so far.
func (h *Handler) Stats() Stats { return h.rc.Stats() }
