package webhook

import (
	"errors"
	"net/http"
	"time"

	"github.com/onemin/onemin"
)

// maxChallenge bounds the hub.challenge a Meta handshake echoes.
const maxChallenge = 1024

// MetaHandshake answers Meta's subscription handshake (a GET with
// hub.mode=subscribe, hub.verify_token and hub.challenge): when the mode is
// "subscribe" and the token equals verifyToken (compared in constant time)
// it writes the challenge back with status 200 and returns nil; otherwise
// it writes nothing and returns a 403 *Error (400 when the query is
// malformed). An empty verifyToken refuses every handshake.
func MetaHandshake(w http.ResponseWriter, r *http.Request, verifyToken string) *Error {
	q := r.URL.Query()
	switch {
	case q.Get("hub.mode") != "subscribe":
		return &Error{Status: http.StatusForbidden, Reason: `hub.mode is not "subscribe"`}
	case !EqualToken(q.Get("hub.verify_token"), verifyToken):
		return &Error{Status: http.StatusForbidden, Reason: "hub.verify_token does not match"}
	}
	challenge := q.Get("hub.challenge")
	if challenge == "" || len(challenge) > maxChallenge {
		return &Error{Status: http.StatusBadRequest, Reason: "hub.challenge is missing or too long"}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(challenge))
	return nil
}

// CheckMetaSignature verifies the X-Hub-Signature-256 header of a Meta
// delivery against the raw body and the app secret, returning nil or a 401
// *Error. It must run before the body is decoded.
func CheckMetaSignature(r *http.Request, body []byte, appSecret string) *Error {
	h := r.Header.Get("X-Hub-Signature-256")
	if h == "" {
		return &Error{Status: http.StatusUnauthorized, Reason: "missing X-Hub-Signature-256"}
	}
	if !CheckSHA256([]byte(appSecret), body, h) {
		return &Error{Status: http.StatusUnauthorized, Reason: "X-Hub-Signature-256 does not match the body"}
	}
	return nil
}

// MetaHandler serves a Meta webhook (WhatsApp Cloud API, Instagram
// messaging): GET answers the subscription handshake, every other method
// goes to the embedded [Receiver], whose Verify checks X-Hub-Signature-256.
// It is safe for concurrent use.
type MetaHandler struct {
	Receiver
	verifyToken string
}

// MetaOptions configure the webhook handler of a Meta product (WhatsApp
// Cloud API, Instagram messaging) whose payload parser is a P; the
// adapters export it as their Options. Zero fields other than AppSecret
// and Sink mean the documented defaults.
type MetaOptions[P any] struct {
	// AppSecret is the Meta app secret that signs every delivery
	// (X-Hub-Signature-256). Required.
	AppSecret string
	// VerifyToken is the token entered in the app dashboard for the
	// subscription handshake (GET). Empty refuses every handshake.
	VerifyToken string
	// Sink receives the events of each delivery in one Add call.
	// Required.
	Sink onemin.Sink
	// Parser sets the tenant and the rules that tell bot replies from
	// human ones.
	Parser P
	// MaxBodyBytes limits a delivery's body; zero means 1 MiB
	// ([DefaultMaxBodyBytes]).
	MaxBodyBytes int64
	// ReplayCapacity is how many message ids the handler remembers to
	// answer Meta's retries without feeding an event twice; zero means
	// 100 000 (about 7 MiB, [DefaultReplayCapacity]). Negative turns the
	// memory off.
	ReplayCapacity int
	// ReplayTTL is how long, on the clock of the events themselves, an id
	// is remembered; zero means seven days ([DefaultReplayTTL]), Meta's
	// retry window.
	ReplayTTL time.Duration
	// OnError, when set, receives every refused or failed request, for
	// logging. It must be safe for concurrent use.
	OnError func(r *http.Request, err *Error)
}

// NewMetaHandler returns a handler for o that decodes deliveries with
// decode (the method value of o's parser), or an error naming the missing
// app secret or sink; pkg prefixes the error ("whatsapp").
func NewMetaHandler[P any](pkg string, o MetaOptions[P], decode func(body []byte) (Batch, error)) (*MetaHandler, error) {
	if o.AppSecret == "" {
		return nil, errors.New(pkg + ": Options.AppSecret is required: deliveries cannot be verified without it")
	}
	if o.Sink == nil {
		return nil, errors.New(pkg + ": Options.Sink is required")
	}
	secret := o.AppSecret
	return &MetaHandler{
		verifyToken: o.VerifyToken,
		Receiver: Receiver{
			Sink:   o.Sink,
			Decode: decode,
			Verify: func(r *http.Request, body []byte) *Error {
				return CheckMetaSignature(r, body, secret)
			},
			MaxBodyBytes: o.MaxBodyBytes,
			Replays:      ReplayMemory(o.ReplayCapacity, o.ReplayTTL),
			OnError:      o.OnError,
		},
	}, nil
}

// ServeHTTP answers the handshake (GET) or takes a delivery.
func (h *MetaHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		if err := MetaHandshake(w, r, h.verifyToken); err != nil {
			h.Fail(w, r, err)
		}
		return
	}
	h.Receiver.ServeHTTP(w, r)
}
