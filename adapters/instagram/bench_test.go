package instagram

import (
	"encoding/json"
	"testing"
)

// BenchmarkDecode decodes one delivery; the peer, BenchmarkDecodeGenericJSON,
// only unmarshals the same bytes into map[string]any.
func BenchmarkDecode(b *testing.B) {
	body := fixture(b, "messages.json")
	p := &Parser{}
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, err := p.Decode(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeGenericJSON(b *testing.B) {
	body := fixture(b, "messages.json")
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		var v map[string]any
		if err := json.Unmarshal(body, &v); err != nil {
			b.Fatal(err)
		}
	}
}
