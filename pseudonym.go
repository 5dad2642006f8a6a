package onemin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// PseudonymLen is the length of a pseudonym in characters: the first 16
// bytes (128 bits) of an HMAC-SHA256, in lower-case hexadecimal. At 128 bits
// two contacts share a pseudonym with probability about n²/2¹²⁹, which is
// negligible for any number of contacts a business has.
const PseudonymLen = 32

// MinPseudonymKeyLen is the shortest key, in bytes, that [NewPseudonymizer]
// accepts. Use 32 random bytes, kept secret and kept stable: the same key
// gives the same pseudonyms in every run, which is what lets reports over
// different exports link the same contact.
const MinPseudonymKeyLen = 16

// Pseudonymizer replaces contact ids (phones, e-mails, CRM ids) by keyed
// pseudonyms, so that data can be analysed and shared without the personal
// data in it, while the same contact keeps the same pseudonym and dialogs,
// deals and payments still link up.
//
// A pseudonym is HMAC-SHA256(key, contact id) truncated to its first 16
// bytes and written as [PseudonymLen] hexadecimal digits. Without the key it
// cannot be reversed or recomputed from a guessed phone number, unlike a
// plain hash. The contact id is used byte for byte, so normalize phones
// first ([NormalizePhone]) for "8 916 123-45-67" and "+79161234567" to get
// the same pseudonym.
//
// A Pseudonymizer is safe for concurrent use.
type Pseudonymizer struct {
	key []byte
}

// NewPseudonymizer returns a Pseudonymizer with a copy of key. It returns
// an error wrapping [ErrInvalid] if key is shorter than
// [MinPseudonymKeyLen] bytes.
func NewPseudonymizer(key []byte) (*Pseudonymizer, error) {
	if len(key) < MinPseudonymKeyLen {
		return nil, fmt.Errorf("%w: pseudonym key of %d bytes, want at least %d", ErrInvalid, len(key), MinPseudonymKeyLen)
	}
	return &Pseudonymizer{key: append([]byte(nil), key...)}, nil
}

// Pseudonymize returns the pseudonym of contactID; the empty id stays
// empty, since an absent contact is not a contact.
func (p *Pseudonymizer) Pseudonymize(contactID string) string {
	if contactID == "" {
		return ""
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(p.mac(sum[:0], contactID)[:PseudonymLen/2])
}

// mac appends HMAC-SHA256(key, msg) to dst.
func (p *Pseudonymizer) mac(dst []byte, msg string) []byte {
	h := hmac.New(sha256.New, p.key)
	h.Write([]byte(msg))
	return h.Sum(dst)
}

// PseudonymizeEvent replaces e.ContactID by its pseudonym, in place.
func (p *Pseudonymizer) PseudonymizeEvent(e *Event) {
	e.ContactID = p.Pseudonymize(e.ContactID)
}

// Sink returns a [Sink] that passes events on to next with their contact
// ids pseudonymized. It copies the events and leaves the caller's slice
// as it was.
func (p *Pseudonymizer) Sink(next Sink) Sink {
	return SinkFunc(func(ctx context.Context, events ...Event) error {
		out := make([]Event, len(events))
		for i := range events {
			out[i] = events[i]
			p.PseudonymizeEvent(&out[i])
		}
		return next.Add(ctx, out...)
	})
}
