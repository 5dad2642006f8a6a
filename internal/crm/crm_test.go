package crm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin/internal/ratelimit"
	"pgregory.net/rapid"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// apiError is a system's API error for the tests: 429 is temporary.
type apiError struct{ status int }

func (e *apiError) Error() string   { return "HTTP " + strconv.Itoa(e.status) }
func (e *apiError) Temporary() bool { return e.status == 429 }

// tempNetError says it is temporary but is no API error.
type tempNetError struct{}

func (tempNetError) Error() string   { return "connection reset" }
func (tempNetError) Timeout() bool   { return false }
func (tempNetError) Temporary() bool { return true }

var _ net.Error = tempNetError{}

func TestDo(t *testing.T) {
	tests := []struct {
		reason    string
		errs      []error       // what each attempt returns, in order
		after     time.Duration // the wait each failed attempt asks for
		wantCalls int           // attempts made
		wantSlept time.Duration // backoff slept on the fake clock
		wantErr   func(error) bool
	}{
		{"success at once", []error{nil}, 0, 1, 0, func(err error) bool { return err == nil }},
		{"a temporary API error is retried after the backoff", []error{&apiError{429}, &apiError{429}, nil}, 0, 3, 3 * time.Second,
			func(err error) bool { return err == nil }},
		{"wrapped, it is still retried", []error{fmt.Errorf("crm: x: %w", &apiError{429}), nil}, 0, 2, time.Second,
			func(err error) bool { return err == nil }},
		{"the server's wait overrides the backoff", []error{&apiError{429}, nil}, 7 * time.Second, 2, 7 * time.Second,
			func(err error) bool { return err == nil }},
		{"a permanent API error ends the call", []error{&apiError{401}, nil}, 0, 1, 0,
			func(err error) bool { var e *apiError; return errors.As(err, &e) && e.status == 401 }},
		{"a network error that calls itself temporary is not retried", []error{fmt.Errorf("x: %w", tempNetError{}), nil}, 0, 1, 0,
			func(err error) bool { return errors.Is(err, tempNetError{}) }},
		{"retries run out", []error{&apiError{429}, &apiError{429}, &apiError{429}}, 0, 3, 3 * time.Second,
			func(err error) bool { var e *apiError; return errors.As(err, &e) && e.status == 429 }},
	}
	for _, tt := range tests {
		clock := ratelimit.NewFakeClock(t0)
		// An interval of 1 ns: the pacing itself sleeps for nothing of note.
		p, err := ratelimit.NewPacer(ratelimit.Policy{Interval: time.Nanosecond, Burst: 100, Retries: 2,
			Now: clock.Now, Sleep: clock.Sleep})
		if err != nil {
			t.Fatal(err)
		}
		calls := 0
		err = Do[apiError](context.Background(), p, func(context.Context) (time.Duration, error) {
			calls++
			return tt.after, tt.errs[calls-1]
		})
		if calls != tt.wantCalls || clock.Slept() != tt.wantSlept || !tt.wantErr(err) {
			t.Errorf("%s: %d calls, slept %v, error %v; want %d calls, slept %v", tt.reason, calls, clock.Slept(), err, tt.wantCalls, tt.wantSlept)
		}
	}
}

func TestReadAnswer(t *testing.T) {
	got, err := ReadAnswer(strings.NewReader(`{"ok":true}`), "crm: /x")
	if err != nil || string(got) != `{"ok":true}` {
		t.Errorf("ReadAnswer = %q, %v", got, err)
	}
	if got, err := readAnswer(strings.NewReader("12345678"), "crm: /x", 8); err != nil || string(got) != "12345678" {
		t.Errorf("at the limit: %q, %v; want the whole body", got, err)
	}
	_, err = readAnswer(strings.NewReader("123456789"), "crm: /x", 8)
	if want := "crm: /x: answer is over 8 bytes"; err == nil || err.Error() != want {
		t.Errorf("one byte over the limit: error %v, want %q", err, want)
	}
	if !testing.Short() {
		_, err = ReadAnswer(io.MultiReader(bytes.NewReader(make([]byte, MaxAnswerBytes)), strings.NewReader("!")), "crm: /x")
		if want := "crm: /x: answer is over 33554432 bytes"; err == nil || err.Error() != want {
			t.Errorf("one byte over MaxAnswerBytes: error %v, want %q", err, want)
		}
	}
	_, err = ReadAnswer(io.MultiReader(strings.NewReader("{"), errReader{}), "crm: /x")
	if want := "crm: /x: reading answer: connection reset"; err == nil || err.Error() != want {
		t.Errorf("a failed read: error %v, want %q", err, want)
	}
}

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, tempNetError{} }

// walkPages returns a walk over pages of JSON arrays of ints, counting the
// pages it reads.
func walkPages(pages []string, read *int) func(func(json.RawMessage) error) error {
	return func(page func(json.RawMessage) error) error {
		for _, p := range pages {
			*read++
			if err := page(json.RawMessage(p)); err != nil {
				return err
			}
		}
		return nil
	}
}

func splitArray(raw json.RawMessage) ([]int, error) {
	var v []int
	err := json.Unmarshal(raw, &v)
	return v, err
}

func decodePositive(n int) (string, error) {
	if n <= 0 {
		return "", fmt.Errorf("%d is not positive", n)
	}
	return strconv.Itoa(n), nil
}

func TestRecords(t *testing.T) {
	tests := []struct {
		reason    string
		pages     []string
		want      []string
		wantErr   string
		wantPages int
	}{
		{"every record of every page, in order", []string{"[1,2]", "[]", "[3]"}, []string{"1", "2", "3"}, "", 3},
		{"a bad record ends the walk after those before it", []string{"[1,-2,3]", "[4]"}, []string{"1"}, "crm: /x: record 2: -2 is not positive", 1},
		{"a page that does not split", []string{"[1]", "{}", "[4]"}, []string{"1"}, "crm: /x: decoding result: json: cannot unmarshal object into Go value of type []int", 2},
	}
	for _, tt := range tests {
		read := 0
		var got []string
		var gotErr string
		for v, err := range Records("crm: /x", walkPages(tt.pages, &read), "decoding result", splitArray, decodePositive) {
			if err != nil {
				if v != "" {
					t.Errorf("%s: error yielded with %q, want the zero value", tt.reason, v)
				}
				gotErr = err.Error()
				continue
			}
			got = append(got, v)
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: records (-want +got):\n%s", tt.reason, d)
		}
		if gotErr != tt.wantErr || read != tt.wantPages {
			t.Errorf("%s: error %q after %d pages, want %q after %d", tt.reason, gotErr, read, tt.wantErr, tt.wantPages)
		}
	}
}

// TestRecordsStopEarly checks on random pages that the iterator yields
// the records in order, and that breaking after k records reads only the
// pages up to the one holding the k-th.
func TestRecordsStopEarly(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sizes := rapid.SliceOfN(rapid.IntRange(0, 4), 1, 6).Draw(t, "sizes")
		var pages []string
		var all []string
		next := 1
		for _, n := range sizes {
			var p []int
			for range n {
				p = append(p, next)
				all = append(all, strconv.Itoa(next))
				next++
			}
			b, _ := json.Marshal(p)
			if p == nil {
				b = []byte("[]")
			}
			pages = append(pages, string(b))
		}
		k := rapid.IntRange(1, len(all)+1).Draw(t, "k")
		read := 0
		var got []string
		for v, err := range Records("crm: /x", walkPages(pages, &read), "decoding result", splitArray, decodePositive) {
			if err != nil {
				t.Fatalf("error %v", err)
			}
			got = append(got, v)
			if len(got) == k {
				break
			}
		}
		want := all[:min(k, len(all))]
		if !cmp.Equal(got, want) {
			t.Fatalf("got %v, want %v", got, want)
		}
		// Pages read: all when the consumer never broke, else up to the
		// page of the k-th record.
		wantRead := len(pages)
		if k <= len(all) {
			seen := 0
			for i, n := range sizes {
				seen += n
				if seen >= k {
					wantRead = i + 1
					break
				}
			}
		}
		if read != wantRead {
			t.Fatalf("read %d pages, want %d (sizes %v, k %d)", read, wantRead, sizes, k)
		}
	})
}
