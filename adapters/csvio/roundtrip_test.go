package csvio

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genText draws a field value that CSV must quote now and then: commas,
// semicolons, quotes, newlines and non-ASCII letters.
func genText(t *rapid.T, label string) string {
	return rapid.OneOf(
		rapid.Just(""),
		rapid.StringMatching(`[a-z0-9_]{1,8}`),
		rapid.SampledFrom([]string{"Анна", "a,b", "a;b", `say "hi"`, "two\nlines", " padded"}),
	).Draw(t, label)
}

// genEvent draws a valid, normalized event.
func genEvent(t *rapid.T, i int) onemin.Event {
	kind := rapid.SampledFrom(onemin.Kinds()).Draw(t, "kind")
	zone := time.FixedZone("", rapid.IntRange(-12, 14).Draw(t, "offset")*3600)
	at := time.Unix(rapid.Int64Range(1e9, 2e9).Draw(t, "unix"), rapid.SampledFrom([]int64{0, 5e8, 123456789}).Draw(t, "ns")).In(zone)
	e := onemin.Event{
		ID:             fmt.Sprintf("e%d", i),
		Tenant:         rapid.SampledFrom([]string{"", "salon", "clinic"}).Draw(t, "tenant"),
		Kind:           kind,
		At:             at,
		ConversationID: "c" + rapid.StringMatching(`[0-9]{1,3}`).Draw(t, "conv"),
		ContactID:      genText(t, "contact"),
		Channel:        rapid.SampledFrom([]string{"", "whatsapp", "telegram", "web"}).Draw(t, "channel"),
		Agent:          genText(t, "agent"),
		Source:         genText(t, "source"),
		Campaign:       genText(t, "campaign"),
		Product:        genText(t, "product"),
	}
	// Values are read trimmed, so a padded value comes back trimmed.
	for _, p := range []*string{&e.ContactID, &e.Agent, &e.Source, &e.Campaign, &e.Product} {
		*p = strings.TrimSpace(*p)
	}
	switch kind {
	case onemin.MessageIn:
		e.Actor = onemin.Customer
	case onemin.MessageOut:
		e.Actor = rapid.SampledFrom([]onemin.Actor{onemin.Bot, onemin.Human, onemin.Automation}).Draw(t, "actor")
	case onemin.Payment, onemin.Refund, onemin.Cost, onemin.DealWon:
		e.Amount = decimal.New(rapid.Int64Range(0, 1e9).Draw(t, "minor"), -int32(rapid.IntRange(0, 2).Draw(t, "scale")))
		e.Currency = rapid.SampledFrom([]string{"RUB", "KZT", "USD"}).Draw(t, "currency")
	case onemin.CSAT:
		e.Score = rapid.IntRange(1, 5).Draw(t, "csat")
	case onemin.NPS:
		e.Score = rapid.IntRange(0, 10).Draw(t, "nps")
	}
	if err := e.Validate(); err != nil {
		t.Fatalf("generator made an invalid event: %v", err)
	}
	return e
}

// TestRoundTrip writes events in each format and reads them back: the same
// events, in the same order, with the same instants, wall clocks and
// amounts (digits included).
func TestRoundTrip(t *testing.T) {
	for _, f := range []Format{FormatCSV, FormatJSONLines} {
		t.Run(f.String(), func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				n := rapid.IntRange(0, 30).Draw(t, "n")
				events := make([]onemin.Event, n)
				for i := range events {
					events[i] = genEvent(t, i)
				}
				comma := rapid.SampledFrom([]rune{',', ';', '\t'}).Draw(t, "comma")
				var buf bytes.Buffer
				w := NewWriter(&buf, f)
				w.Comma = comma
				for _, e := range events {
					if err := w.Write(e); err != nil {
						t.Fatal(err)
					}
				}
				if err := w.Flush(); err != nil {
					t.Fatal(err)
				}
				var got []onemin.Event
				r := NewReader(&buf, Options{})
				for e, err := range r.All() {
					if err != nil {
						t.Fatalf("reading back: %v\n%s", err, buf.String())
					}
					got = append(got, e)
				}
				if diff := cmp.Diff(events, got, eventCmp, cmpopts.EquateEmpty()); diff != "" {
					t.Fatalf("round trip (-wrote +read):\n%s", diff)
				}
				for i := range got {
					_, o1 := events[i].At.Zone()
					_, o2 := got[i].At.Zone()
					if o1 != o2 || events[i].Amount.String() != got[i].Amount.String() ||
						fixed(events[i].Amount) != fixed(got[i].Amount) {
						t.Fatalf("event %d: offset %d→%d, amount %s→%s", i, o1, o2, fixed(events[i].Amount), fixed(got[i].Amount))
					}
				}
				if c := r.Counts(); c != (onemin.Counts{Read: n, Accepted: n}) {
					t.Fatalf("counts %+v, want %d accepted", c, n)
				}
			})
		})
	}
}

func TestWriterRefusesInvalid(t *testing.T) {
	var buf bytes.Buffer
	err := WriteAll(&buf, FormatCSV, []onemin.Event{{Kind: onemin.Lead}})
	if err == nil {
		t.Fatal("WriteAll wrote an event without a time")
	}
}

func TestWriterEmptyCSVHasHeader(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteAll(&buf, FormatCSV, nil); err != nil {
		t.Fatal(err)
	}
	want := strings.Join(EventColumns(), ",") + "\n"
	if diff := cmp.Diff(want, buf.String()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestCountsBalance feeds rows, valid or not, through both formats: every
// row is accepted, a duplicate or rejected, once.
func TestCountsBalance(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "rows")
		var csvIn, jsonIn strings.Builder
		csvIn.WriteString("event_id,kind,at,conversation_id,actor\n")
		ids := []string{"a", "b", "c", "d", ""}
		kinds := []string{"message_in", "message_out", "lead", "bogus", ""}
		times := []string{"2026-10-01T12:00:00Z", "45931.5", "2026-10-01 12:00", "nope", ""}
		actors := []string{"", "bot", "customer", "robot"}
		for i := 0; i < n; i++ {
			id := rapid.SampledFrom(ids).Draw(t, "id")
			k := rapid.SampledFrom(kinds).Draw(t, "kind")
			at := rapid.SampledFrom(times).Draw(t, "at")
			conv := rapid.SampledFrom([]string{"", "c1"}).Draw(t, "conv")
			actor := rapid.SampledFrom(actors).Draw(t, "actor")
			fmt.Fprintf(&csvIn, "%s,%s,%s,%s,%s\n", id, k, at, conv, actor)
			fmt.Fprintf(&jsonIn, `{"event_id":%q,"kind":%q,"at":%q,"conversation_id":%q,"actor":%q}`+"\n", id, k, at, conv, actor)
		}
		for _, in := range []string{csvIn.String(), jsonIn.String()} {
			res, err := ReadAll(strings.NewReader(in), Options{Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			c := res.Counts
			if !c.Balanced() || c.Read != n || c.Accepted != len(res.Events) || c.Rejected+c.Duplicates != len(res.Rejected) {
				t.Fatalf("counts %+v for %d rows, %d events, %d rejected", c, n, len(res.Events), len(res.Rejected))
			}
		}
	})
}
