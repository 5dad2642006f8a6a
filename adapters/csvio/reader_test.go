package csvio

import (
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

// eventCmp compares events by instant (not by *time.Location) and by
// decimal value.
var eventCmp = cmp.Options{
	cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
}

// rejection is what a test checks of a rejected row.
type rejection struct {
	Line  int
	Field string
	Err   error
}

func rejections(errs []*onemin.ValidationError) []rejection {
	var out []rejection
	for _, e := range errs {
		out = append(out, rejection{e.Line, e.Field, e.Err})
	}
	return out
}

var cmpSentinels = cmpopts.EquateErrors()

func utc(y int, mo time.Month, d, h, mi, s int) time.Time {
	return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
}

func TestReadEventLayout(t *testing.T) {
	tests := []struct {
		reason   string
		in       string
		opt      Options
		want     []onemin.Event
		counts   onemin.Counts
		rejected []rejection
	}{
		{
			reason: "columns in any order, optional ones missing, values normalized",
			in: "at,kind,conversation_id,event_id,channel,actor\n" +
				"2026-10-01T12:00:28Z,message_out,c1,e2,WhatsApp,bot\n" +
				"2026-10-01T12:00:00Z,MESSAGE_IN,c1,e1, whatsapp ,\n",
			want: []onemin.Event{
				{ID: "e1", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Channel: "whatsapp", Actor: onemin.Customer},
				{ID: "e2", Kind: onemin.MessageOut, At: utc(2026, 10, 1, 12, 0, 28), ConversationID: "c1", Channel: "whatsapp", Actor: onemin.Bot},
			},
			counts: onemin.Counts{Read: 2, Accepted: 2},
		},
		{
			reason: "money and scores",
			in: "event_id,kind,at,contact_id,amount,currency,score\n" +
				"p1,payment,2026-10-02T10:00:00Z,+79270000000,1500.50,rub,\n" +
				"n1,nps,2026-10-02T11:00:00Z,+79270000000,,,0\n",
			want: []onemin.Event{
				{ID: "p1", Kind: onemin.Payment, At: utc(2026, 10, 2, 10, 0, 0), ContactID: "+79270000000", Amount: decimal.RequireFromString("1500.50"), Currency: "RUB"},
				{ID: "n1", Kind: onemin.NPS, At: utc(2026, 10, 2, 11, 0, 0), ContactID: "+79270000000"},
			},
			counts: onemin.Counts{Read: 2, Accepted: 2},
		},
		{
			reason: "semicolons, a BOM and serial dates, as a Russian spreadsheet exports",
			in:     "\ufeffevent_id;kind;at;conversation_id\ne1;message_in;45931,5;c1\n",
			opt:    Options{Location: time.UTC},
			want:   []onemin.Event{{ID: "e1", Kind: onemin.MessageIn, At: utc(2025, 10, 1, 12, 0, 0), ConversationID: "c1", Actor: onemin.Customer}},
			counts: onemin.Counts{Read: 1, Accepted: 1},
		},
		{
			reason: "tabs",
			in:     "event_id\tkind\tat\tconversation_id\ne1\tmessage_in\t2026-10-01T12:00:00Z\tc1\n",
			want:   []onemin.Event{{ID: "e1", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Actor: onemin.Customer}},
			counts: onemin.Counts{Read: 1, Accepted: 1},
		},
		{
			reason: "every bad row is named by line and field, and the good ones are kept",
			in: "event_id,kind,at,conversation_id,actor,amount,currency,score\n" + // 1
				"e1,message_in,2026-10-01T12:00:00Z,c1,,,,\n" + // 2 ok
				"e2,mesage_in,2026-10-01T12:00:00Z,c1,,,,\n" + // 3 unknown kind
				"e3,message_in,,c1,,,,\n" + // 4 missing time
				"e4,message_in,2026-13-01T12:00:00Z,c1,,,,\n" + // 5 bad time
				"e5,message_out,2026-10-01T12:00:10Z,c1,,,,\n" + // 6 reply without actor
				"e6,message_out,2026-10-01T12:00:10Z,c1,robot,,,\n" + // 7 unknown actor
				"e7,payment,2026-10-01T12:00:10Z,,,\"1,500.00\",RUB,\n" + // 8 amount with a comma
				"e8,payment,2026-10-01T12:00:10Z,,,1500,,\n" + // 9 money without currency
				"e9,csat,2026-10-01T12:00:10Z,,,,,9\n" + // 10 csat out of range
				"e10,csat,2026-10-01T12:00:10Z,,,,,four\n" + // 11 score not a number
				"e11,message_in,2026-10-01T12:00:00Z,,,,,\n" + // 12 no conversation
				"e1,message_in,2026-10-01T12:00:00Z,c1,,,,\n" + // 13 duplicate
				"e12,message_in,2026-10-01T12:00:00Z,c1\n" + // 14 too few fields
				"e13,message_out,2026-10-01T12:00:20Z,c1,human,,,\n", // 15 ok
			want: []onemin.Event{
				{ID: "e1", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Actor: onemin.Customer},
				{ID: "e13", Kind: onemin.MessageOut, At: utc(2026, 10, 1, 12, 0, 20), ConversationID: "c1", Actor: onemin.Human},
			},
			counts: onemin.Counts{Read: 14, Accepted: 2, Duplicates: 1, Rejected: 11},
			rejected: []rejection{
				{3, "kind", onemin.ErrInvalid},
				{4, "at", onemin.ErrMissing},
				{5, "at", onemin.ErrInvalid},
				{6, "actor", onemin.ErrMissing},
				{7, "actor", onemin.ErrInvalid},
				{8, "amount", onemin.ErrInvalid},
				{9, "currency", onemin.ErrMissing},
				{10, "score", onemin.ErrInvalid},
				{11, "score", onemin.ErrInvalid},
				{12, "conversation_id", onemin.ErrMissing},
				{13, "event_id", onemin.ErrDuplicate},
				{14, "", onemin.ErrInvalid},
			},
		},
		{
			reason: "malformed quoting rejects its row and the reader goes on; a quoted newline keeps line numbers physical",
			in: "event_id,kind,at,conversation_id,agent\n" + // 1
				"e1,message_in,2026-10-01T12:00:00Z,c1,\"Anna\nSmith\"\n" + // 2-3
				"e2,message_in,2026-10-01T12:00:00Z,c2,An\"na\n" + // 4 bare quote
				"e3,message_in,2026-10-01T12:00:00Z,c3,\n", // 5
			want: []onemin.Event{
				{ID: "e1", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Actor: onemin.Customer, Agent: "Anna\nSmith"},
				{ID: "e3", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c3", Actor: onemin.Customer},
			},
			counts:   onemin.Counts{Read: 3, Accepted: 2, Rejected: 1},
			rejected: []rejection{{4, "", onemin.ErrInvalid}},
		},
		{
			reason: "blank lines are not rows but still count as lines",
			in:     "event_id,kind,at,conversation_id\n\ne1,message_in,2026-10-01T12:00:00Z,\n",
			counts: onemin.Counts{Read: 1, Rejected: 1},
			rejected: []rejection{
				{3, "conversation_id", onemin.ErrMissing},
			},
		},
		{
			reason: "the same id in another tenant is not a duplicate",
			in:     "event_id,tenant,kind,at,conversation_id\ne1,a,message_in,2026-10-01T12:00:00Z,c1\ne1,b,message_in,2026-10-01T12:00:00Z,c1\n",
			want: []onemin.Event{
				{ID: "e1", Tenant: "a", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Actor: onemin.Customer},
				{ID: "e1", Tenant: "b", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Actor: onemin.Customer},
			},
			counts: onemin.Counts{Read: 2, Accepted: 2},
		},
		{
			reason: "a header alone is an empty file",
			in:     "event_id,kind,at\n",
			counts: onemin.Counts{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			res, err := ReadAll(strings.NewReader(tt.in), tt.opt)
			if err != nil {
				t.Fatalf("ReadAll: %v", err)
			}
			if diff := cmp.Diff(tt.want, res.Events, eventCmp, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("events (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.counts, res.Counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.rejected, rejections(res.Rejected), cmpSentinels); diff != "" {
				t.Errorf("rejected (-want +got):\n%s", diff)
				for _, r := range res.Rejected {
					t.Log(r)
				}
			}
			if !res.Counts.Balanced() {
				t.Errorf("counts %+v do not balance", res.Counts)
			}
		})
	}
}

func TestReadLeadLayout(t *testing.T) {
	samara := mustZone(t, "Europe/Samara")
	at := func(h, m, s int) time.Time { return time.Date(2026, 10, 1, h, m, s, 0, samara) }
	in := "lead_id,channel,received_at,first_reply_at,handler,transfer_at,source,agent,comment\n" + // 1
		"L1,WhatsApp,2026-10-01 10:00:00,2026-10-01 10:00:28,bot,2026-10-01 10:01:00,instagram_ads,Alisa,VIP\n" + // 2
		"L2,web,2026-10-01 11:00:00,,,,site,,\n" + // 3 unanswered
		"L3,web,2026-10-01 12:00:00,2026-10-01 11:59:00,human,,site,Oleg,\n" + // 4 reply before message
		"L4,web,2026-10-01 12:00:00,2026-10-01 12:10:00,,,site,Oleg,\n" + // 5 reply without handler
		"L5,web,2026-10-01 12:00:00,2026-10-01 12:10:00,intern,,site,Oleg,\n" + // 6 unknown handler
		"L6,web,,2026-10-01 12:10:00,human,,site,Oleg,\n" + // 7 no received_at
		",web,2026-10-01 12:00:00,,,,site,,\n" + // 8 no lead id
		"L7,web,2026-10-01 12:00:00,,,2026-10-01 11:00:00,site,,\n" + // 9 transfer before message
		"L1,WhatsApp,2026-10-01 10:00:00,2026-10-01 10:00:28,bot,,instagram_ads,Alisa,\n" + // 10 duplicate lead
		"L8,phone,01.10.2026 13:00,01.10.2026 13:05,Менеджер,,,Oleg,\n" // 11 Russian handler, day-first
	res, err := ReadAll(strings.NewReader(in), Options{Location: samara})
	if err != nil {
		t.Fatal(err)
	}
	lead := func(id, ch, src, agent string) onemin.Event {
		return onemin.Event{ConversationID: id, Channel: ch, Source: src, Agent: agent}
	}
	ev := func(base onemin.Event, suffix string, k onemin.Kind, t time.Time, a onemin.Actor) onemin.Event {
		base.ID, base.Kind, base.At, base.Actor = base.ConversationID+suffix, k, t, a
		return base
	}
	l1, l2, l8 := lead("L1", "whatsapp", "instagram_ads", "Alisa"), lead("L2", "web", "site", ""), lead("L8", "phone", "", "Oleg")
	want := []onemin.Event{
		ev(l1, "/in", onemin.MessageIn, at(10, 0, 0), onemin.Customer),
		ev(l1, "/reply", onemin.MessageOut, at(10, 0, 28), onemin.Bot),
		ev(l1, "/handoff", onemin.Handoff, at(10, 1, 0), onemin.Bot),
		ev(l2, "/in", onemin.MessageIn, at(11, 0, 0), onemin.Customer),
		ev(l8, "/in", onemin.MessageIn, at(13, 0, 0), onemin.Customer),
		ev(l8, "/reply", onemin.MessageOut, at(13, 5, 0), onemin.Human),
	}
	if diff := cmp.Diff(want, res.Events, eventCmp); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantRejected := []rejection{
		{4, "first_reply_at", onemin.ErrInvalid},
		{5, "handler", onemin.ErrMissing},
		{6, "handler", onemin.ErrInvalid},
		{7, "received_at", onemin.ErrMissing},
		{8, "lead_id", onemin.ErrMissing},
		{9, "transfer_at", onemin.ErrInvalid},
		{10, "lead_id", onemin.ErrDuplicate},
	}
	if diff := cmp.Diff(wantRejected, rejections(res.Rejected), cmpSentinels); diff != "" {
		t.Errorf("rejected (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(onemin.Counts{Read: 10, Accepted: 3, Duplicates: 1, Rejected: 6}, res.Counts); diff != "" {
		t.Errorf("counts are of rows (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"comment"}, res.Ignored); diff != "" {
		t.Errorf("ignored columns (-want +got):\n%s", diff)
	}
	if res.Layout != LayoutLeads {
		t.Errorf("layout = %v, want leads", res.Layout)
	}
}

func TestReadJSONLines(t *testing.T) {
	in := `{"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c1","channel":"Telegram"}

{"event_id":"e2","kind":"payment","at":45931.5,"contact_id":"x","amount":1500.5,"currency":"RUB"}
{"event_id":"e3","kind":"csat","at":"2026-10-01T12:00:00Z","score":"5","unknown_key":[1,2]}
{"lead_id":"L1","received_at":"2026-10-01T12:00:00Z","first_reply_at":"2026-10-01T12:01:00Z","handler":"human"}
not json
{"event_id":"e4","kind":true,"at":"2026-10-01T12:00:00Z"}
{"event_id":"e5","kind":"message_in","at":"2026-10-01T12:00:00Z"}
{"channel":"web"}
{"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c1"}
`
	res, err := ReadAll(strings.NewReader(in), Options{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	want := []onemin.Event{
		{ID: "e1", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "c1", Channel: "telegram", Actor: onemin.Customer},
		{ID: "e3", Kind: onemin.CSAT, At: utc(2026, 10, 1, 12, 0, 0), Score: 5},
		{ID: "L1/in", Kind: onemin.MessageIn, At: utc(2026, 10, 1, 12, 0, 0), ConversationID: "L1", Actor: onemin.Customer},
		{ID: "L1/reply", Kind: onemin.MessageOut, At: utc(2026, 10, 1, 12, 1, 0), ConversationID: "L1", Actor: onemin.Human},
		{ID: "e2", Kind: onemin.Payment, At: utc(2025, 10, 1, 12, 0, 0) /* sorted: serial is 2025 */, ContactID: "x", Amount: decimal.RequireFromString("1500.5"), Currency: "RUB"},
	}
	// ReadAll orders by time: 2025 comes first.
	want = append(want[len(want)-1:], want[:len(want)-1]...)
	if diff := cmp.Diff(want, res.Events, eventCmp); diff != "" {
		t.Errorf("events (-want +got):\n%s", diff)
	}
	wantRejected := []rejection{
		{6, "", onemin.ErrInvalid},
		{7, "kind", onemin.ErrInvalid},
		{8, "conversation_id", onemin.ErrMissing},
		{9, "", onemin.ErrMissing},
		{10, "event_id", onemin.ErrDuplicate},
	}
	if diff := cmp.Diff(wantRejected, rejections(res.Rejected), cmpSentinels); diff != "" {
		t.Errorf("rejected (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(onemin.Counts{Read: 9, Accepted: 4, Duplicates: 1, Rejected: 4}, res.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if res.Format != FormatJSONLines {
		t.Errorf("format = %v, want jsonl", res.Format)
	}
}

func TestJSONLineTooLong(t *testing.T) {
	long := `{"event_id":"e0","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"` + strings.Repeat("x", 200) + `"}`
	in := long + "\n" + `{"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c"}` + "\n"
	res, err := ReadAll(strings.NewReader(in), Options{MaxLineBytes: 100})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]rejection{{1, "", onemin.ErrInvalid}}, rejections(res.Rejected), cmpSentinels); diff != "" {
		t.Errorf("rejected (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(onemin.Counts{Read: 2, Accepted: 1, Rejected: 1}, res.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
}

func TestStrictColumns(t *testing.T) {
	tests := []struct {
		reason string
		in     string
		fatal  bool
		counts onemin.Counts
	}{
		{"a typo in the CSV header stops the reader", "event_id,kind,at,chanel\ne1,lead,2026-10-01T12:00:00Z,web\n", true, onemin.Counts{}},
		{"an unknown JSON key rejects its row", `{"kind":"touch","at":"2026-10-01T12:00:00Z","chanel":"web"}` + "\n", false, onemin.Counts{Read: 1, Rejected: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			res, err := ReadAll(strings.NewReader(tt.in), Options{StrictColumns: true})
			if (err != nil) != tt.fatal {
				t.Errorf("error = %v, want fatal %v", err, tt.fatal)
			}
			if diff := cmp.Diff(tt.counts, res.Counts); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFatalHeaders(t *testing.T) {
	tests := []struct {
		reason string
		in     string
	}{
		{"no layout", "name,phone\nAnna,+7\n"},
		{"event layout without at", "event_id,kind,conversation_id\ne1,lead,c\n"},
		{"lead layout without received_at", "lead_id,channel\nL1,web\n"},
		{"a column twice", "kind,at,at\nlead,2026-10-01T12:00:00Z,2026-10-01T12:00:00Z\n"},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			r := NewReader(strings.NewReader(tt.in), Options{})
			_, err := r.Next()
			if err == nil || err == io.EOF || IsRowError(err) {
				t.Fatalf("Next() error = %v, want a fatal error", err)
			}
			if _, err2 := r.Next(); !errors.Is(err2, err) {
				t.Errorf("second Next() = %v, want the same fatal error", err2)
			}
		})
	}
}

func TestEmptyInput(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\ufeff"} {
		res, err := ReadAll(strings.NewReader(in), Options{})
		if err != nil || len(res.Events) != 0 || res.Counts != (onemin.Counts{}) {
			t.Errorf("ReadAll(%q) = %+v, %v; want nothing and no error", in, res, err)
		}
	}
}

func TestSeenAcrossReaders(t *testing.T) {
	var seen Seen
	a := "event_id,kind,at,conversation_id\ne1,message_in,2026-10-01T12:00:00Z,c1\n"
	b := "event_id,kind,at,conversation_id\ne2,message_in,2026-10-01T12:00:00Z,c1\ne1,message_in,2026-10-01T12:00:00Z,c1\n"
	if _, err := ReadAll(strings.NewReader(a), Options{Seen: &seen, Name: "a.csv"}); err != nil {
		t.Fatal(err)
	}
	res, err := ReadAll(strings.NewReader(b), Options{Seen: &seen, Name: "b.csv"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Rejected) != 1 {
		t.Fatalf("rejected = %v, want one duplicate", res.Rejected)
	}
	got := res.Rejected[0].Error()
	want := `line 3: event "e1": field event_id: repeats the row on line 2 of a.csv`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("duplicate error (-want +got):\n%s", diff)
	}
	if seen.Len() != 2 {
		t.Errorf("seen.Len() = %d, want 2", seen.Len())
	}
}

func TestAllStopsEarly(t *testing.T) {
	in := "kind,at\ntouch,2026-10-01T12:00:00Z\ntouch,2026-10-01T12:00:01Z\ntouch,2026-10-01T12:00:02Z\n"
	r := NewReader(strings.NewReader(in), Options{})
	n := 0
	for _, err := range r.All() {
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n == 2 {
			break
		}
	}
	if diff := cmp.Diff(onemin.Counts{Read: 2, Accepted: 2}, r.Counts()); diff != "" {
		t.Errorf("counts after stopping at 2 (-want +got):\n%s", diff)
	}
}

func TestDetectComma(t *testing.T) {
	tests := []struct {
		reason string
		head   string
		want   rune
	}{
		{"commas", "a,b,c\n", ','},
		{"semicolons", "a;b;c\n", ';'},
		{"tabs", "a\tb\tc\n", '\t'},
		{"semicolons inside quotes do not count", "\"a;b;c\",d,e\n", ','},
		{"only the first line counts", "a,b\nc;d;e;f\n", ','},
		{"a single column", "kind\n", ','},
	}
	for _, tt := range tests {
		if got := detectComma([]byte(tt.head)); got != tt.want {
			t.Errorf("%s: detectComma(%q) = %q, want %q", tt.reason, tt.head, got, tt.want)
		}
	}
}

// rowSource makes an event-layout CSV of n rows on the fly, so a test
// reads a file that never exists in memory as a whole.
type rowSource struct {
	n, i int
	buf  []byte
}

func (s *rowSource) Read(p []byte) (int, error) {
	for len(s.buf) == 0 {
		switch {
		case s.i == 0:
			s.buf = []byte("event_id,kind,at,conversation_id\n")
		case s.i > s.n:
			return 0, io.EOF
		default:
			// every 1000th row repeats the one before it
			id := s.i
			if id%1000 == 0 {
				id--
			}
			s.buf = []byte("e" + strconv.Itoa(id) + ",message_in,2026-10-01T12:00:00Z,c" + strconv.Itoa(id) + "\n")
		}
		s.i++
	}
	n := copy(p, s.buf)
	s.buf = s.buf[n:]
	return n, nil
}

func TestStreaming(t *testing.T) {
	n := 50_000
	if testing.Short() {
		n = 10_000
	}
	r := NewReader(&rowSource{n: n}, Options{})
	events := 0
	for _, err := range r.All() {
		if err != nil && !errors.Is(err, onemin.ErrDuplicate) {
			t.Fatal(err)
		}
		if err == nil {
			events++
		}
	}
	want := onemin.Counts{Read: n, Accepted: n - n/1000, Duplicates: n / 1000}
	if diff := cmp.Diff(want, r.Counts()); diff != "" || events != want.Accepted {
		t.Errorf("counts (-want +got):\n%s; %d events", diff, events)
	}
}
