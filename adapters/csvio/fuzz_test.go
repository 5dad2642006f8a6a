package csvio

import (
	"bytes"
	"testing"
	"time"
	"unicode/utf8"
)

// checkRead reads data to the end and checks the reader's promises: no
// panic, counts that balance, every event valid, every rejection named.
func checkRead(t *testing.T, data []byte, format Format) {
	res, err := ReadAll(bytes.NewReader(data), Options{Location: time.UTC, Format: format})
	if err != nil && res.Counts.Read != 0 && format == FormatJSONLines {
		t.Fatalf("JSON Lines has no fatal row errors, got %v after %+v", err, res.Counts)
	}
	c := res.Counts
	if !c.Balanced() || c.Accepted > len(res.Events) || c.Rejected+c.Duplicates != len(res.Rejected) {
		t.Fatalf("counts %+v, %d events, %d rejected", c, len(res.Events), len(res.Rejected))
	}
	for i := range res.Events {
		e := &res.Events[i]
		if verr := e.Validate(); verr != nil {
			t.Fatalf("accepted an invalid event %+v: %v", *e, verr)
		}
		for _, s := range []string{e.ID, e.Tenant, e.ConversationID, e.ContactID, e.Channel, e.Agent,
			e.Source, e.Medium, e.Campaign, e.Scenario, e.Product, e.Currency} {
			if !utf8.ValidString(s) {
				t.Fatalf("accepted an event with text that is not UTF-8: %+v", *e)
			}
		}
	}
	for _, r := range res.Rejected {
		if r.Line < 1 || r.Reason == "" || r.Err == nil {
			t.Fatalf("rejection without line, reason or sentinel: %#v", r)
		}
	}
}

var fuzzSeeds = []string{
	"event_id,kind,at,conversation_id,actor,amount,currency,score\ne1,message_in,2026-10-01T12:00:00Z,c1,,,,\ne2,message_out,45931.5,c1,bot,,,\ne2,payment,2026-10-01 12:00,,,1.5,rub,\n",
	"event_id;kind;at\n\"e1\";lead;\"2026-10-01T12:00:00+03:00\"\n\"bad\"x;1\n",
	"lead_id,channel,received_at,first_reply_at,handler,transfer_at,source,agent\nL1,web,2026-10-01 10:00:00,2026-10-01 10:00:28,bot,,ads,Ann\nL2,web,2026-10-01 10:00:00,2026-10-01 09:00:00,human,,,\n",
	`{"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c1"}` + "\n" + `{"lead_id":"L1","received_at":45931.5,"first_reply_at":45931.6,"handler":"bot"}` + "\nnot json\n",
	"\ufeffkind\tat\ntouch\t01.10.2026 12:00\n",
	"kind,at\n\"unterminated,2026\n",
	"kind;at;conversation_id;agent\nmessage_in;2026-10-01T12:00:00Z;c1;\xc0\xeb\xe8\xed\xe0\n",
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, data, FormatCSV) })
}

func FuzzReadJSONL(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) { checkRead(t, data, FormatJSONLines) })
}

// slowJSON decodes a line the way the reader does when the fast path
// declines it.
func slowJSON(b []byte) (row, error) {
	var v row
	r := &Reader{}
	err := r.decodeJSONSlow(b, &v)
	return v, err
}

// FuzzScanJSON checks the fast JSON path against encoding/json: on every
// line the fast path takes, the slow one gives the same row.
func FuzzScanJSON(f *testing.F) {
	for _, s := range []string{
		`{"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c1"}`,
		`{"at":45931.5,"amount":-1.5e3,"score":null}`,
		`{"kind":"lead","kind":"touch"}`,
		`{"kind":"le\"ad"}`,
		`{}`,
		` { "tenant" : " a " } `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var fast row
		if !scanJSON(b, &fast) {
			return
		}
		slow, err := slowJSON(b)
		if err != nil {
			t.Fatalf("fast path took %q, encoding/json rejects it: %v", b, err)
		}
		if fast != slow {
			t.Fatalf("%q:\nfast %q\nslow %q", b, fast, slow)
		}
	})
}
