package whatsapp

import (
	"testing"

	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// FuzzParse: no payload panics the parser; a payload is either refused with
// a ValidationError or yields only valid events.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"message_text.json", "status_sent.json", "smb_message_echoes.json", "bsuid_only.json"} {
		f.Add(fixture(f, name))
	}
	f.Add([]byte(`{"object":"whatsapp_business_account","entry":[{"changes":[{"field":"messages","value":{"metadata":{"phone_number_id":"1"},"messages":[{"from":"","id":"x","timestamp":1}]}}]}]}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := Parse(body)
		webhooktest.CheckSound(t, events, err)
	})
}
