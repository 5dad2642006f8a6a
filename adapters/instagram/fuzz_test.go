package instagram

import (
	"testing"

	"github.com/onemin/onemin/internal/webhook/webhooktest"
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
		webhooktest.CheckSound(t, events, err)
	})
}
