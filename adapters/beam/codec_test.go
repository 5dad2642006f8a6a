package onebeam

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// eventGen draws events with every field set or empty, times in any zone
// and amounts of any scale.
func eventGen() *rapid.Generator[onemin.Event] {
	return rapid.Custom(func(t *rapid.T) onemin.Event {
		str := rapid.StringMatching(`[a-zа-я0-9 _+-]{0,12}`)
		e := onemin.Event{
			ID: str.Draw(t, "id"), Tenant: str.Draw(t, "tenant"), Kind: onemin.Kind(rapid.Uint8().Draw(t, "kind")),
			ConversationID: str.Draw(t, "conv"), ContactID: str.Draw(t, "contact"), Channel: str.Draw(t, "channel"),
			Actor: onemin.Actor(rapid.Uint8().Draw(t, "actor")), Agent: str.Draw(t, "agent"),
			Source: str.Draw(t, "source"), Medium: str.Draw(t, "medium"), Campaign: str.Draw(t, "campaign"),
			Scenario: str.Draw(t, "scenario"), Product: str.Draw(t, "product"), Currency: str.Draw(t, "currency"),
			Score: rapid.IntRange(-1000, 1000).Draw(t, "score"),
		}
		if rapid.Bool().Draw(t, "timed") {
			off := rapid.IntRange(-14*3600, 14*3600).Draw(t, "offset")
			e.At = time.Unix(rapid.Int64Range(-1e11, 1e11).Draw(t, "sec"), rapid.Int64Range(0, 1e9-1).Draw(t, "nsec")).
				In(time.FixedZone("", off))
		}
		e.Amount = decimal.New(rapid.Int64().Draw(t, "coef"), int32(rapid.IntRange(-20, 20).Draw(t, "exp")))
		return e
	})
}

// sameEvent compares events by instant, offset, exact amount and fields.
func sameEvent(a, b onemin.Event) string {
	_, oa := a.At.Zone()
	_, ob := b.At.Zone()
	if !a.At.Equal(b.At) || oa != ob {
		return "time " + a.At.String() + " != " + b.At.String()
	}
	if a.Amount.Coefficient().Cmp(b.Amount.Coefficient()) != 0 || a.Amount.Exponent() != b.Amount.Exponent() {
		return "amount " + a.Amount.String() + " != " + b.Amount.String()
	}
	a.At, b.At, a.Amount, b.Amount = time.Time{}, time.Time{}, decimal.Zero, decimal.Zero
	return cmp.Diff(a, b, cmp.Comparer(func(x, y decimal.Decimal) bool { return x.Equal(y) }))
}

func TestEventCodecRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		e := eventGen().Draw(t, "event")
		b, err := encodeEvent(e)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeEvent(b)
		if err != nil {
			t.Fatal(err)
		}
		if d := sameEvent(e, got); d != "" {
			t.Fatalf("round trip changed the event: %s", d)
		}
	})
}

func TestBatchCodecRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := rapid.SliceOfN(eventGen(), 0, 20).Draw(t, "events")
		b, err := encodeBatch(Batch{Events: events})
		if err != nil {
			t.Fatal(err)
		}
		got, err := decodeBatch(b)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Events) != len(events) {
			t.Fatalf("%d events back, want %d", len(got.Events), len(events))
		}
		for i := range events {
			if d := sameEvent(events[i], got.Events[i]); d != "" {
				t.Fatalf("event %d: round trip changed it: %s", i, d)
			}
		}
	})
}

func TestLocatedBatchRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		file := rapid.StringMatching(`[a-z/._-]{0,20}`).Draw(t, "file")
		events := rapid.SliceOfN(eventGen(), 1, 20).Draw(t, "events")
		lines := rapid.SliceOfN(rapid.IntRange(1, 1<<30), len(events), len(events)).Draw(t, "lines")
		lb := locatedBatch{file: file}
		for i := range events {
			lb.add(lines[i], &events[i])
		}
		// Twice: bytes empties the batch for the next.
		for range 2 {
			got, err := appendLocatedBatch(nil, lb.bytes())
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(events) {
				t.Fatalf("%d events back, want %d", len(got), len(events))
			}
			for i, l := range got {
				if l.File != file || l.Line != lines[i] || sameEvent(events[i], l.Event) != "" {
					t.Fatalf("event %d: %+v, want %s:%d %+v", i, l, file, lines[i], events[i])
				}
			}
			for i := range events {
				lb.file = file
				lb.add(lines[i], &events[i])
			}
		}
	})
}

func TestCellKeyRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		labels := rapid.SliceOfN(rapid.String(), 2, 6).Draw(t, "labels")
		got, err := parseCellKey(cellKey(labels))
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(labels, got); diff != "" {
			t.Fatalf("(-want +got):\n%s", diff)
		}
	})
}

func TestExactDecimalKeepsScale(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1.50", "150e-2"}, {"0", "0e0"}, {"-12.345", "-12345e-3"}, {"1000", "1000e0"},
	}
	for _, tc := range tests {
		d := decimal.RequireFromString(tc.in)
		got := exactDecimal(d)
		back, err := decimal.NewFromString(got)
		if got != tc.want || err != nil || !back.Equal(d) || back.Exponent() != d.Exponent() {
			t.Errorf("%s: %q (%v), back %v exp %d; want %q", tc.in, got, err, back, back.Exponent(), tc.want)
		}
	}
}

// fuzzEvents are the seeds of the fuzzed decoders.
var fuzzEvents = []onemin.Event{
	{},
	{ID: "e1", Kind: onemin.Payment, At: time.Date(2026, 10, 1, 10, 0, 0, 5, time.FixedZone("", 3*3600)),
		ContactID: "p1", Amount: decimal.RequireFromString("1500.50"), Currency: "RUB"},
}

func FuzzDecodeLocatedBatch(f *testing.F) {
	lb := locatedBatch{file: "a.csv"}
	for i := range fuzzEvents {
		lb.add(3+i, &fuzzEvents[i])
	}
	f.Add(lb.bytes())
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := appendLocatedBatch(nil, data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		var again locatedBatch
		for i := range got {
			again.file = got[i].File
			again.add(got[i].Line, &got[i].Event)
		}
		back, err := appendLocatedBatch(nil, again.bytes())
		if err != nil || len(back) != len(got) {
			t.Fatalf("re-encoding %d events gives %d: %v", len(got), len(back), err)
		}
		for i := range got {
			if got[i].File != back[i].File || got[i].Line != back[i].Line || sameEvent(got[i].Event, back[i].Event) != "" {
				t.Fatalf("decode(encode(x)) != x: %+v, %+v", got[i], back[i])
			}
		}
	})
}

func FuzzDecodeBatch(f *testing.F) {
	b, _ := encodeBatch(Batch{Events: fuzzEvents})
	f.Add(b)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := decodeBatch(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error %v does not wrap ErrCorrupt", err)
			}
			return
		}
		enc, _ := encodeBatch(got)
		back, err := decodeBatch(enc)
		if err != nil || len(back.Events) != len(got.Events) {
			t.Fatalf("re-encoding %d events gives %d: %v", len(got.Events), len(back.Events), err)
		}
		for i := range got.Events {
			if d := sameEvent(got.Events[i], back.Events[i]); d != "" {
				t.Fatalf("event %d: decode(encode(x)) != x: %s", i, d)
			}
		}
	})
}
