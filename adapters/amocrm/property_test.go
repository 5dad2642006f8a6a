package amocrm

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

// TestFormRoundTrip: messages and status changes written as amoCRM's form
// keys parse back to what was written, and map to valid events, one per
// message and one per lead whose status has a kind, with distinct ids.
func TestFormRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		form := url.Values{"account[id]": {"1"}}
		var wantMsgs []Message
		for i := range rapid.IntRange(0, 12).Draw(t, "messages") {
			m := Message{
				ID:         fmt.Sprintf("m-%d", i),
				TalkID:     strconv.Itoa(rapid.IntRange(1, 5).Draw(t, "talk")),
				ContactID:  int64(rapid.IntRange(0, 3).Draw(t, "contact")),
				Incoming:   rapid.Bool().Draw(t, "incoming"),
				AuthorType: rapid.SampledFrom([]string{"", "bot", "user", "external"}).Draw(t, "author"),
				Origin:     rapid.SampledFrom([]string{"telegram", "instagram", ""}).Draw(t, "origin"),
				At:         time.Unix(int64(rapid.IntRange(1, 1<<31).Draw(t, "at")), 0).UTC(),
			}
			p := "message[add][" + strconv.Itoa(i) + "]"
			form.Set(p+"[id]", m.ID)
			form.Set(p+"[talk_id]", m.TalkID)
			if m.ContactID > 0 {
				form.Set(p+"[contact_id]", strconv.FormatInt(m.ContactID, 10))
			}
			form.Set(p+"[type]", map[bool]string{true: "incoming", false: "outgoing"}[m.Incoming])
			if m.AuthorType != "" {
				form.Set(p+"[author][type]", m.AuthorType)
			}
			if m.Origin != "" {
				form.Set(p+"[origin]", m.Origin)
			}
			form.Set(p+"[created_at]", strconv.FormatInt(m.At.Unix(), 10))
			wantMsgs = append(wantMsgs, m)
		}
		var wantLeads []LeadChange
		withKind := 0
		for i := range rapid.IntRange(0, 12).Draw(t, "leads") {
			l := LeadChange{Action: "status", ID: int64(i + 1),
				StatusID: rapid.SampledFrom([]int64{142, 143, 5508001}).Draw(t, "status"),
				At:       time.Unix(int64(rapid.IntRange(1, 1<<31).Draw(t, "updated")), 0).UTC()}
			p := "leads[status][" + strconv.Itoa(i) + "]"
			form.Set(p+"[id]", strconv.FormatInt(l.ID, 10))
			form.Set(p+"[status_id]", strconv.FormatInt(l.StatusID, 10))
			form.Set(p+"[updated_at]", strconv.FormatInt(l.At.Unix(), 10))
			wantLeads = append(wantLeads, l)
			if l.StatusID != 5508001 {
				withKind++
			}
		}
		n, err := ParseNotification(form)
		if err != nil {
			t.Fatal(err)
		}
		if d := cmp.Diff(wantMsgs, n.Messages); d != "" {
			t.Fatalf("messages (-want +got):\n%s", d)
		}
		if d := cmp.Diff(wantLeads, n.Leads); d != "" {
			t.Fatalf("leads (-want +got):\n%s", d)
		}
		var m Mapping
		events := m.Events(n)
		if len(events) != len(wantMsgs)+withKind {
			t.Fatalf("%d events for %d messages and %d mapped statuses", len(events), len(wantMsgs), withKind)
		}
		ids := map[string]bool{}
		for _, e := range events {
			if err := e.Validate(); err != nil {
				t.Fatalf("invalid event %+v: %v", e, err)
			}
			if ids[e.ID] {
				t.Fatalf("repeated id %s", e.ID)
			}
			ids[e.ID] = true
			if e.Kind == onemin.MessageOut && e.Actor == onemin.Customer {
				t.Fatalf("reply by the customer: %+v", e)
			}
		}
	})
}
