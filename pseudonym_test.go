package onemin

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The HMAC-SHA256 test vectors of RFC 4231, section 4 (test cases 1, 3, 4, 6
// and 7; cases 2 and 5 use keys shorter than MinPseudonymKeyLen or truncate
// the output themselves). The pseudonym must be the first 32 hex digits.
func TestPseudonymizeRFC4231(t *testing.T) {
	tests := []struct {
		reason string
		key    []byte
		data   []byte
		hmac   string
	}{
		{"test case 1", bytes.Repeat([]byte{0x0b}, 20), []byte("Hi There"),
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
		{"test case 3", bytes.Repeat([]byte{0xaa}, 20), bytes.Repeat([]byte{0xdd}, 50),
			"773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
		{"test case 4", mustHex(t, "0102030405060708090a0b0c0d0e0f10111213141516171819"), bytes.Repeat([]byte{0xcd}, 50),
			"82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
		{"test case 6", bytes.Repeat([]byte{0xaa}, 131), []byte("Test Using Larger Than Block-Size Key - Hash Key First"),
			"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
		{"test case 7", bytes.Repeat([]byte{0xaa}, 131),
			[]byte("This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm."),
			"9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
	}
	for _, tt := range tests {
		p, err := NewPseudonymizer(tt.key)
		if err != nil {
			t.Fatalf("%s: %v", tt.reason, err)
		}
		if diff := cmp.Diff(tt.hmac[:PseudonymLen], p.Pseudonymize(string(tt.data))); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestNewPseudonymizerKey(t *testing.T) {
	if _, err := NewPseudonymizer([]byte("Jefe")); !errors.Is(err, ErrInvalid) {
		t.Errorf("a 4-byte key: error %v, want one wrapping ErrInvalid", err)
	}
	key := []byte("0123456789abcdef")
	p, err := NewPseudonymizer(key)
	if err != nil {
		t.Fatal(err)
	}
	before := p.Pseudonymize("+79161234567")
	key[0] = 'X' // the caller's slice changes; the pseudonymizer must not
	if after := p.Pseudonymize("+79161234567"); after != before {
		t.Errorf("changing the caller's key changed the pseudonym: %s → %s", before, after)
	}
}

func TestPseudonymizeEventAndSink(t *testing.T) {
	p, err := NewPseudonymizer([]byte("a key of thirty-two bytes length"))
	if err != nil {
		t.Fatal(err)
	}
	e := Event{ID: "e1", Kind: Payment, ContactID: "+79161234567"}
	want := e
	want.ContactID = p.Pseudonymize("+79161234567")
	p.PseudonymizeEvent(&e)
	if diff := cmp.Diff(want, e); diff != "" {
		t.Errorf("PseudonymizeEvent (-want +got):\n%s", diff)
	}
	anonymous := Event{ID: "e2", Kind: Touch}
	p.PseudonymizeEvent(&anonymous)
	if anonymous.ContactID != "" {
		t.Errorf("an event without a contact got contact %q", anonymous.ContactID)
	}

	var rec Recorder
	in := []Event{{ID: "e1", Kind: Touch, ContactID: "c1"}, {ID: "e2", Kind: Touch, ContactID: "c2"}}
	if err := p.Sink(&rec).Add(context.Background(), in...); err != nil {
		t.Fatal(err)
	}
	if in[0].ContactID != "c1" {
		t.Errorf("Sink changed the caller's events: %q", in[0].ContactID)
	}
	got := rec.Events()
	if len(got) != 2 || got[0].ContactID != p.Pseudonymize("c1") || got[1].ContactID != p.Pseudonymize("c2") {
		t.Errorf("Sink passed on %+v", got)
	}
}

func TestPseudonymizeProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		key := rapid.SliceOfN(rapid.Byte(), MinPseudonymKeyLen, 64).Draw(t, "key")
		id := rapid.StringN(1, 40, -1).Draw(t, "id")
		other := rapid.StringN(1, 40, -1).Draw(t, "other")
		p, err := NewPseudonymizer(key)
		if err != nil {
			t.Fatal(err)
		}
		got := p.Pseudonymize(id)
		if len(got) != PseudonymLen || strings.Trim(got, "0123456789abcdef") != "" {
			t.Fatalf("pseudonym %q is not %d lower-case hex digits", got, PseudonymLen)
		}
		if again := p.Pseudonymize(id); again != got {
			t.Fatalf("not stable: %q then %q", got, again)
		}
		if id != other && p.Pseudonymize(other) == got {
			t.Fatalf("%q and %q share pseudonym %q", id, other, got)
		}
		otherKey := append([]byte{key[0] ^ 1}, key[1:]...)
		q, _ := NewPseudonymizer(otherKey)
		if q.Pseudonymize(id) == got {
			t.Fatalf("two keys give the same pseudonym %q", got)
		}
	})
}
