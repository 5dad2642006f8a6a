package whatsapp

import (
	"net/http"

	"github.com/onemin/onemin/internal/webhook"
)

// Error is what the handler hands to [Options.OnError] for every refused or
// failed request: the HTTP status it answered, a reason, and the cause (a
// *[onemin.ValidationError] for a bad payload, the sink's error).
type Error = webhook.Error

// Stats counts what a [Handler] has done; see [Handler.Stats].
type Stats = webhook.Stats

// Options configure a [Handler]; the package documentation's Handler
// section lists the fields. Zero fields other than AppSecret and Sink mean
// the defaults given there.
type Options = webhook.MetaOptions[Parser]

// Handler is the http.Handler of a WhatsApp Cloud API webhook: GET answers
// Meta's subscription handshake, POST takes deliveries. It is safe for
// concurrent use.
type Handler struct {
	h *webhook.MetaHandler
}

// NewHandler returns a handler for o, or an error if the app secret or the
// sink is missing.
func NewHandler(o Options) (*Handler, error) {
	h, err := webhook.NewMetaHandler("whatsapp", o, o.Parser.Decode)
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
