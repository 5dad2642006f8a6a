package webhook

import (
	"net/http"
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
