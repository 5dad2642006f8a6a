package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// decodeIDs turns a body like "a,b,!c" into message_in events with those
// ids; "!x" is an ignored item and "bad" a decoding error.
func decodeIDs(body []byte) (Batch, error) {
	var b Batch
	for _, id := range strings.Split(string(body), ",") {
		switch {
		case id == "bad":
			return Batch{}, errors.New("bad item")
		case id == "panic":
			panic("decoder bug")
		case strings.HasPrefix(id, "!"):
			b.Ignored = append(b.Ignored, id[1:])
		default:
			b.Events = append(b.Events, onemin.Event{ID: id, Kind: onemin.MessageIn, At: t0, ConversationID: "c"})
		}
	}
	return b, nil
}

type flakySink struct {
	onemin.Recorder
	fail bool
}

func (s *flakySink) Add(ctx context.Context, events ...onemin.Event) error {
	if s.fail {
		return errors.New("store is down")
	}
	return s.Recorder.Add(ctx, events...)
}

func ids(events []onemin.Event) []string {
	out := []string{}
	for _, e := range events {
		out = append(out, e.ID)
	}
	return out
}

func TestReceiver(t *testing.T) {
	sink := &flakySink{}
	var errs []*Error
	rc := &Receiver{
		Sink:   sink,
		Decode: decodeIDs,
		Authorize: func(r *http.Request) *Error {
			if !EqualToken(r.Header.Get("X-Token"), "tok") {
				return &Error{Status: http.StatusUnauthorized, Reason: "bad token"}
			}
			return nil
		},
		Verify: func(r *http.Request, body []byte) *Error {
			if strings.Contains(string(body), "forged") {
				return &Error{Status: http.StatusUnauthorized, Reason: "bad signature"}
			}
			return nil
		},
		MaxBodyBytes: 32,
		Replays:      NewReplays(100, time.Hour),
		OnError:      func(_ *http.Request, err *Error) { errs = append(errs, err) },
	}
	steps := []struct {
		reason     string
		method     string
		token      string
		body       string
		sinkDown   bool
		wantStatus int
		wantIDs    []string // everything the sink holds afterwards
	}{
		{"first delivery", "POST", "tok", "a,b,!read", false, 200, []string{"a", "b"}},
		{"the system's retry adds nothing", "POST", "tok", "a,b,!read", false, 200, []string{"a", "b"}},
		{"a new event next to a replayed one", "POST", "tok", "b,c", false, 200, []string{"a", "b", "c"}},
		{"wrong method", "GET", "tok", "d", false, 405, []string{"a", "b", "c"}},
		{"wrong token", "POST", "nope", "d", false, 401, []string{"a", "b", "c"}},
		{"forged body", "POST", "tok", "d,forged", false, 401, []string{"a", "b", "c"}},
		{"oversize body", "POST", "tok", strings.Repeat("d,", 20), false, 413, []string{"a", "b", "c"}},
		{"bad payload applies nothing", "POST", "tok", "d,bad", false, 400, []string{"a", "b", "c"}},
		{"a panicking decoder is a 500", "POST", "tok", "d,panic", false, 500, []string{"a", "b", "c"}},
		{"sink down: 500", "POST", "tok", "d,e", true, 500, []string{"a", "b", "c"}},
		{"the retry after a sink failure is accepted", "POST", "tok", "d,e", false, 200, []string{"a", "b", "c", "d", "e"}},
		{"only ignored items", "POST", "tok", "!seen", false, 200, []string{"a", "b", "c", "d", "e"}},
	}
	for _, s := range steps {
		sink.fail = s.sinkDown
		req := httptest.NewRequest(s.method, "/hook", strings.NewReader(s.body))
		req.Header.Set("X-Token", s.token)
		rec := httptest.NewRecorder()
		rc.ServeHTTP(rec, req)
		if rec.Code != s.wantStatus {
			t.Errorf("%s: status %d (%s), want %d", s.reason, rec.Code, rec.Body, s.wantStatus)
		}
		if diff := cmp.Diff(s.wantIDs, ids(sink.Events())); diff != "" {
			t.Errorf("%s: sink (-want +got):\n%s", s.reason, diff)
		}
	}
	wantStats := Stats{Deliveries: 12, Accepted: 5, Refused: 5, Failed: 2, Events: 5, Replays: 3, Ignored: 3}
	if diff := cmp.Diff(wantStats, rc.Stats()); diff != "" {
		t.Errorf("stats (-want +got):\n%s", diff)
	}
	var statuses []int
	for _, e := range errs {
		statuses = append(statuses, e.Status)
	}
	if diff := cmp.Diff([]int{405, 401, 401, 413, 400, 500, 500}, statuses); diff != "" {
		t.Errorf("OnError statuses (-want +got):\n%s", diff)
	}
}

func TestReadBodyDeclaredLength(t *testing.T) {
	req := httptest.NewRequest("POST", "/", strings.NewReader("tiny"))
	req.ContentLength = DefaultMaxBodyBytes + 1
	if _, err := ReadBody(httptest.NewRecorder(), req, 0); err == nil || err.Status != 413 {
		t.Fatalf("declared length over the default limit: got %v, want a 413", err)
	}
	req = httptest.NewRequest("POST", "/", strings.NewReader(strings.Repeat("x", 100)))
	body, err := ReadBody(httptest.NewRecorder(), req, 100)
	if err != nil || len(body) != 100 {
		t.Fatalf("a body of exactly the limit: got %d bytes, %v", len(body), err)
	}
}

func TestMetaHandshake(t *testing.T) {
	tests := []struct {
		reason     string
		query      string
		wantStatus int
		wantBody   string
	}{
		{"good", "hub.mode=subscribe&hub.verify_token=vt&hub.challenge=1158201444", 200, "1158201444"},
		{"wrong token", "hub.mode=subscribe&hub.verify_token=VT&hub.challenge=1", 403, ""},
		{"wrong mode", "hub.mode=unsubscribe&hub.verify_token=vt&hub.challenge=1", 403, ""},
		{"no challenge", "hub.mode=subscribe&hub.verify_token=vt", 400, ""},
	}
	for _, tt := range tests {
		rec := httptest.NewRecorder()
		status, body := 200, ""
		if err := MetaHandshake(rec, httptest.NewRequest("GET", "/?"+tt.query, nil), "vt"); err != nil {
			status = err.Status
		} else {
			body = rec.Body.String()
		}
		if status != tt.wantStatus || body != tt.wantBody {
			t.Errorf("%s: got %d %q, want %d %q", tt.reason, status, body, tt.wantStatus, tt.wantBody)
		}
	}
	rec := httptest.NewRecorder()
	if err := MetaHandshake(rec, httptest.NewRequest("GET", "/?hub.mode=subscribe&hub.verify_token=&hub.challenge=1", nil), ""); err == nil {
		t.Error("an unset verify token must refuse the handshake")
	}
}

func TestErrorMessage(t *testing.T) {
	err := &Error{Status: 400, Reason: "bad payload", Err: errors.New("field x")}
	if got, want := err.Error(), "status 400: bad payload: field x"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, err.Err) {
		t.Error("Error must unwrap to its cause")
	}
	b, _ := json.Marshal(Stats{Events: 1})
	if !strings.Contains(string(b), `"events":1`) {
		t.Errorf("Stats JSON %s lacks events", b)
	}
}

func TestMarker(t *testing.T) {
	type result struct {
		Actor onemin.Actor
		Agent string
		OK    bool
	}
	tests := []struct {
		tag  string
		want result
	}{
		{"bot", result{onemin.Bot, "", true}},
		{"human:anna", result{onemin.Human, "anna", true}},
		{" Automation ", result{onemin.Automation, "", true}},
		{"customer", result{}},
		{"", result{}},
		{"campaign-42", result{}},
	}
	for _, tt := range tests {
		a, agent, ok := Marker(tt.tag)
		if diff := cmp.Diff(tt.want, result{a, agent, ok}); diff != "" {
			t.Errorf("Marker(%q) (-want +got):\n%s", tt.tag, diff)
		}
	}
}

func TestText(t *testing.T) {
	var v struct{ A, B, C, D Text }
	if err := Unmarshal([]byte(`{"A":"1739321024","B":1739321024,"C":null}`), &v); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([4]Text{"1739321024", "1739321024", "", ""}, [4]Text{v.A, v.B, v.C, v.D}); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	err := Unmarshal([]byte(`{"A":{"x":1}}`), &v)
	var ve *onemin.ValidationError
	if !errors.As(err, &ve) || !errors.Is(err, onemin.ErrInvalid) {
		t.Errorf("an object where a scalar belongs: got %v, want a ValidationError wrapping ErrInvalid", err)
	}
}

func TestTextTypeErrorNamesTheField(t *testing.T) {
	var v struct {
		Sender struct {
			ID Text `json:"id"`
		} `json:"sender"`
	}
	err := Unmarshal([]byte(`{"sender":{"id":[1]}}`), &v)
	var ve *onemin.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("got %v, want a ValidationError", err)
	}
	if want := (&onemin.ValidationError{Field: "sender.id", Reason: "JSON array where a string or a number was expected"}); ve.Field != want.Field || ve.Reason != want.Reason {
		t.Errorf("got field %q reason %q, want %q %q", ve.Field, ve.Reason, want.Field, want.Reason)
	}
}
