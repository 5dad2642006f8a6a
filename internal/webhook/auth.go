package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"strings"
)

// EqualToken reports whether got equals want, in time that does not depend
// on where they differ. An empty want never matches: an unset secret must
// not let an empty header through.
func EqualToken(got, want string) bool {
	if want == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// SignatureSHA256 returns the lower-case hex HMAC-SHA256 of body under
// secret: the value Meta sends after "sha256=" in X-Hub-Signature-256.
func SignatureSHA256(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// CheckSHA256 reports whether header, of the form "sha256=<hex>" (the
// prefix is matched without regard to case, the hex digits in either case),
// is the HMAC-SHA256 of body under secret. The comparison takes constant
// time. An empty secret never matches.
func CheckSHA256(secret, body []byte, header string) bool {
	if len(secret) == 0 {
		return false
	}
	const prefix = "sha256="
	if len(header) < len(prefix) || !strings.EqualFold(header[:len(prefix)], prefix) {
		return false
	}
	got, err := hex.DecodeString(strings.TrimSpace(header[len(prefix):]))
	if err != nil || len(got) != sha256.Size {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(got, m.Sum(nil))
}
