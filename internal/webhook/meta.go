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

// MetaConfig is what [NewMetaHandler] needs; the adapters' Options map
// onto it.
type MetaConfig struct {
	AppSecret      string                            // signs deliveries; required
	VerifyToken    string                            // for the handshake; empty refuses it
	Sink           onemin.Sink                       // required
	Decode         func(body []byte) (Batch, error)  // the adapter's parser
	MaxBodyBytes   int64                             // 0: DefaultMaxBodyBytes
	ReplayCapacity int                               // 0: DefaultReplayCapacity; negative: no replay memory
	ReplayTTL      time.Duration                     // 0: DefaultReplayTTL
	OnError        func(r *http.Request, err *Error) // optional
}

// NewMetaHandler returns a handler for c, or an error naming the missing
// app secret or sink; pkg prefixes the error ("whatsapp").
func NewMetaHandler(pkg string, c MetaConfig) (*MetaHandler, error) {
	if c.AppSecret == "" {
		return nil, errors.New(pkg + ": Options.AppSecret is required: deliveries cannot be verified without it")
	}
	if c.Sink == nil {
		return nil, errors.New(pkg + ": Options.Sink is required")
	}
	var replays *Replays
	if c.ReplayCapacity >= 0 {
		replays = NewReplays(c.ReplayCapacity, c.ReplayTTL)
	}
	secret := c.AppSecret
	return &MetaHandler{
		verifyToken: c.VerifyToken,
		Receiver: Receiver{
			Sink:   c.Sink,
			Decode: c.Decode,
			Verify: func(r *http.Request, body []byte) *Error {
				return CheckMetaSignature(r, body, secret)
			},
			MaxBodyBytes: c.MaxBodyBytes,
			Replays:      replays,
			OnError:      c.OnError,
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
