package instagram

import (
	"testing"

	"github.com/onemin/onemin/internal/webhook/webhooktest"
)

// BenchmarkDecode decodes one delivery, beside a generic JSON unmarshal of
// the same bytes.
func BenchmarkDecode(b *testing.B) {
	p := &Parser{}
	webhooktest.BenchDecode(b, fixture(b, "messages.json"), func(body []byte) error {
		_, err := p.Decode(body)
		return err
	})
}
