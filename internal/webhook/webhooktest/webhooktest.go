// Package webhooktest holds the checks that the webhook adapters' tests
// share: reading a fixture, asserting that a payload was refused with the
// right field and sentinel, that a parse result is sound, a decode
// benchmark beside a generic JSON peer, and for the form webhooks of the
// CRM adapters a [Collector] of what a handler delivered, [PostForm], and
// the form benchmarks.
package webhooktest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// FixtureText returns the contents of testdata/name as a string, for the
// form bodies of the CRM adapters, failing tb if it cannot be read.
func FixtureText(tb testing.TB, name string) string {
	tb.Helper()
	return string(Fixture(tb, name))
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

// Collector records what a form handler delivered: the notifications its
// OnNotification saw, the events its Sink received and the errors its
// OnError was told. Its methods are the callbacks of a handler's
// configuration, and it is the Sink itself. It is safe for concurrent use;
// read the fields once the requests have been answered.
type Collector[N any] struct {
	mu     sync.Mutex
	Notes  []N
	Events []onemin.Event
	Errs   []error
}

// OnNotification records n and accepts it.
func (c *Collector[N]) OnNotification(_ context.Context, n N) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Notes = append(c.Notes, n)
	return nil
}

// Add records events and accepts them.
func (c *Collector[N]) Add(_ context.Context, events ...onemin.Event) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Events = append(c.Events, events...)
	return nil
}

// OnError records err.
func (c *Collector[N]) OnError(_ *http.Request, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.Errs = append(c.Errs, err)
}

// PostForm posts body to h at target as a form and returns the answer.
func PostForm(h http.Handler, target, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// BenchParseQuery decodes bodies in turn with url.ParseQuery: the floor
// under a form handler, for [BenchForm] to be read against.
func BenchParseQuery(b *testing.B, bodies []string) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := url.ParseQuery(bodies[i%len(bodies)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchForm serves bodies in turn to h at target, each a whole delivery
// that must be answered 200.
func BenchForm(b *testing.B, h http.Handler, target string, bodies []string) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(bodies[i%len(bodies)]))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body.String())
		}
		i++
	}
}
