// Package webhooktest holds the checks that the webhook adapters' tests
// share: reading a fixture, asserting that a payload was refused with the
// right field and sentinel, that a parse result is sound, and a decode
// benchmark beside a generic JSON peer.
package webhooktest

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/webhook"
)

// Fixture returns the contents of testdata/name, failing tb if it cannot
// be read.
func Fixture(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		tb.Fatal(err)
	}
	return b
}

// CheckRefused fails t unless a parse gave no events and an error that is a
// *onemin.ValidationError naming wantField and wrapping wantErr.
func CheckRefused(t testing.TB, reason string, events []onemin.Event, err error, wantField string, wantErr error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: no error, events %v", reason, events)
		return
	}
	var ve *onemin.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, wantErr) {
		t.Errorf("%s: got %v, want a ValidationError wrapping %v", reason, err, wantErr)
		return
	}
	if ve.Field != wantField {
		t.Errorf("%s: field %q, want %q (%v)", reason, ve.Field, wantField, err)
	}
	if events != nil {
		t.Errorf("%s: a refused payload must yield no events, got %d", reason, len(events))
	}
}

// CheckSound fails t unless a parse result is one of the two allowed: an
// error that is a *onemin.ValidationError with no events, or events that
// all pass [onemin.Event.Validate]. Fuzz targets call it on every input.
func CheckSound(t testing.TB, events []onemin.Event, err error) {
	t.Helper()
	if err != nil {
		if !errors.As(err, new(*onemin.ValidationError)) {
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
}

// BenchDecode runs decode on body as sub-benchmark "adapter", beside
// "generic_json", an unmarshal of the same bytes into map[string]any: the
// least any handler does, measured in the same run.
func BenchDecode(b *testing.B, body []byte, decode func([]byte) error) {
	b.Run("adapter", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			if err := decode(body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("generic_json", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			var v map[string]any
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// CheckBatch fails t unless a decode succeeded with exactly wantEvents (all
// valid) and wantIgnored; diff reports the difference of two values, ""
// when equal (the tests pass go-cmp's).
func CheckBatch(t testing.TB, name string, got webhook.Batch, err error, wantEvents []onemin.Event, wantIgnored []string, diff func(want, got any) string) {
	t.Helper()
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return
	}
	if d := diff(wantEvents, got.Events); d != "" {
		t.Errorf("%s: events (-want +got):\n%s", name, d)
	}
	if d := diff(wantIgnored, got.Ignored); d != "" {
		t.Errorf("%s: ignored (-want +got):\n%s", name, d)
	}
	for i := range got.Events {
		if err := got.Events[i].Validate(); err != nil {
			t.Errorf("%s: event %d is not valid: %v", name, i, err)
		}
	}
}
