package instagram

import (
	"errors"
	"testing"

	"github.com/onemin/onemin"
)

// FuzzParse: no payload panics the parser; a payload is either refused with
// a ValidationError or yields only valid events.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"messages.json", "echoes.json", "postback_standby.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"object":"instagram","entry":[{"messaging":[{"sender":{"id":"1"},"timestamp":"1","message":{"mid":"m"}}]}]}`))
	f.Add([]byte(`{"object":"instagram","entry":[{"id":"","standby":[{"recipient":{"id":"2"},"timestamp":1e3,"message":{"mid":"m","is_echo":true}}]}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Parse(body)
		if err != nil {
			var ve *onemin.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("error %v is not a ValidationError", err)
			}
			if events != nil {
				t.Fatalf("error %v with %d events", err, len(events))
			}
			return
		}
		for i := range events {
			if err := events[i].Validate(); err != nil {
				t.Fatalf("event %d invalid: %v", i, err)
			}
		}
	})
}
