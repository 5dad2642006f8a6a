package telegram

import (
	"errors"
	"net/http"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// SecretHeader is the header in which Telegram sends the secret_token given
// to setWebhook.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// Error is what the handler hands to [Options.OnError] for every refused or
// failed request: the HTTP status it answered, a reason, and the cause (a
// *[onemin.ValidationError] for a bad payload, the sink's error).
type Error = webhook.Error

// Stats counts what a [Handler] has done; see [Handler.Stats].
type Stats = webhook.Stats

// Options configure a [Handler]. Zero fields other than SecretToken and
// Sink mean the documented defaults.
type Options struct {
	// SecretToken is the secret_token passed to setWebhook: 1 to 256
	// characters A–Z, a–z, 0–9, "_" and "-". Telegram sends it in every
	// request's [SecretHeader]. Required.
	SecretToken string
	// Sink receives the events of each update in one Add call. Required.
	Sink onemin.Sink
	// Parser sets the tenant and the rule for business-side messages.
	Parser Parser
	// MaxBodyBytes limits an update's body; zero means 1 MiB.
	MaxBodyBytes int64
	// ReplayCapacity is how many message ids the handler remembers to
	// answer Telegram's redeliveries without feeding an event twice; zero
	// means 100 000 (about 7 MiB). Negative turns the memory off.
	ReplayCapacity int
	// ReplayTTL is how long, on the clock of the messages themselves, an
	// id is remembered; zero means seven days (Telegram keeps an
	// undelivered update for a day).
	ReplayTTL time.Duration
	// OnError, when set, receives every refused or failed request, for
	// logging. It must be safe for concurrent use.
	OnError func(r *http.Request, err *Error)
}

// Handler is the http.Handler of a Telegram bot's webhook (setWebhook). It
// is safe for concurrent use.
type Handler struct {
	rc *webhook.Receiver
}

// NewHandler returns a handler for o, or an error if the secret token is
// missing or malformed or the sink is missing.
func NewHandler(o Options) (*Handler, error) {
	if !validSecret(o.SecretToken) {
		return nil, errors.New("telegram: Options.SecretToken must be 1 to 256 characters of A-Z, a-z, 0-9, _ and -")
	}
	if o.Sink == nil {
		return nil, errors.New("telegram: Options.Sink is required")
	}
	secret := o.SecretToken
	return &Handler{&webhook.Receiver{
		Sink:   o.Sink,
		Decode: o.Parser.Decode,
		Authorize: func(r *http.Request) *webhook.Error {
			if !webhook.EqualToken(r.Header.Get(SecretHeader), secret) {
				return &webhook.Error{Status: http.StatusUnauthorized, Reason: SecretHeader + " does not match"}
			}
			return nil
		},
		MaxBodyBytes: o.MaxBodyBytes,
		Replays:      webhook.ReplayMemory(o.ReplayCapacity, o.ReplayTTL),
		OnError:      o.OnError,
	}}, nil
}

// ServeHTTP takes one update: it checks the secret token in constant time
// before reading the body, decodes the whole update, drops a message
// already delivered, and hands the rest to the sink in one call. It
// answers 200 once the sink accepts; 401 for a wrong token, 400 for a bad
// update, 405 for a method other than POST, 413 for a body over the limit,
// 500 when the sink fails (Telegram then redelivers).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.rc.ServeHTTP(w, r) }

// Stats returns what the handler has done so far.
func (h *Handler) Stats() Stats { return h.rc.Stats() }

func validSecret(s string) bool {
	if len(s) < 1 || len(s) > 256 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
