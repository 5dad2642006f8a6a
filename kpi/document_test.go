package kpi

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// TestDocumentJSON checks the document's JSON contract: an empty report
// writes null for as_of and [] (never null) for rejected and groups, a
// group row is one flat object with "by" and "value" first, and what
// Encode writes reads back into the same document.
func TestDocumentJSON(t *testing.T) {
	empty := Summarize(nil, Options{})
	d := NewDocument(&empty, &Options{})
	b, err := d.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"rejected": []`, `"groups": []`, `"as_of": null`, `"time_zone": "UTC"`, `"clock": "calendar"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("empty document lacks %s:\n%s", want, b)
		}
	}

	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	events := []onemin.Event{
		{ConversationID: "a", Kind: onemin.MessageIn, Actor: onemin.Customer, At: at, Channel: "tg <&>"},
		{ConversationID: "a", Kind: onemin.MessageOut, Actor: onemin.Human, At: at.Add(30 * time.Second), Channel: "tg <&>"},
	}
	opts := Options{Clock: AlwaysOpen, GroupBy: []Dimension{ByChannel}}
	rep := Summarize(events, opts)
	d = NewDocument(&rep, &opts)
	d.Rows = onemin.Counts{Read: 3, Accepted: 2, Rejected: 1}
	d.Rejected = append(d.Rejected, RejectedRow{File: "in.csv", Line: 4, Field: "kind", Error: "unknown kind"})
	if b, err = d.Encode(); err != nil {
		t.Fatal(err)
	}
	out := string(b)
	for _, want := range []string{`"clock": "business"`, `"by": "channel",` + "\n      " + `"value": "tg <&>",` + "\n      " + `"leads": 1`,
		`"as_of": "2026-03-02T09:00:30Z"`} {
		if !strings.Contains(out, want) {
			t.Errorf("document lacks %q:\n%s", want, out)
		}
	}
	// json.Marshal escapes HTML characters in the groups as everywhere.
	if esc, err := json.Marshal(d.Groups[0]); err != nil || !strings.Contains(string(esc), `"value":"tg \u003c\u0026\u003e"`) {
		t.Errorf("json.Marshal of a group = %s, %v; want the value HTML-escaped", esc, err)
	}
	var back Document
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(d, back); diff != "" {
		t.Errorf("read back (-wrote +read):\n%s", diff)
	}
}
