package kpi

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// FuzzSummaryJSON reads summaries as another tool would: no input panics,
// and what is read writes back to JSON that reads the same.
func FuzzSummaryJSON(f *testing.F) {
	f.Add([]byte(`{"leads":5,"answered":4,"unanswered":1,"pending":0,"met":3,"breached":2,"median_seconds":25,"p90_seconds":72,"p99_seconds":88.2,"mean_seconds":37.5,"sla_seconds":60,"sla_rate":60,"status":"red"}`))
	f.Add([]byte(`{"leads":0,"median_seconds":null,"sla_rate":null,"status":null}`))
	f.Add([]byte(`{"status":"purple"}`))
	f.Add([]byte(`{"sla_seconds":1e300}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var s Summary
		if err := json.Unmarshal(b, &s); err != nil {
			return
		}
		out, err := json.Marshal(s)
		if err != nil {
			t.Fatalf("a summary read from %q does not write: %v", b, err)
		}
		var back Summary
		if err := json.Unmarshal(out, &back); err != nil {
			t.Fatalf("written %s does not read back: %v", out, err)
		}
		again, _ := json.Marshal(back)
		if diff := cmp.Diff(string(out), string(again)); diff != "" {
			t.Fatalf("JSON not stable (-first +second):\n%s", diff)
		}
	})
}

// FuzzSummarize feeds arbitrary event sequences: nothing panics and the
// counts always add up. Each 4 bytes are one event: conversation, kind,
// actor and a time step in seconds.
func FuzzSummarize(f *testing.F) {
	f.Add([]byte{0, 1, 1, 0, 0, 2, 2, 10}, uint8(0), int16(100))
	f.Add([]byte{1, 2, 3, 0, 1, 1, 1, 0, 1, 2, 4, 5, 1, 4, 0, 200}, uint8(1), int16(-5))
	f.Fuzz(func(t *testing.T, b []byte, step uint8, asOf int16) {
		var events []onemin.Event
		for i := 0; i+3 < len(b); i += 4 {
			events = append(events, onemin.Event{
				ConversationID: string(rune('a' + b[i]%4)),
				Kind:           onemin.Kind(b[i+1] % 20),
				Actor:          onemin.Actor(b[i+2] % 6),
				Channel:        [...]string{"", "web", "vk"}[b[i+2]/6%3],
				At:             at(int(b[i+3]) * 7),
			})
		}
		opts := Options{Step: Step(step % uint8(stepCount)), AsOf: at(int(asOf)), KeepLeads: true,
			GroupBy: Dimensions(), Clock: fuzzClock{}}
		rep := Summarize(events, opts)
		c := rep.Summary.Counts
		if c.Met+c.Breached+c.Pending != c.Leads || c.Answered+c.Unanswered != c.Leads || len(rep.Leads) != c.Leads {
			t.Fatalf("counts do not add up: %+v, %d rows", c, len(rep.Leads))
		}
		if _, err := json.Marshal(rep); err != nil {
			t.Fatalf("report does not marshal: %v", err)
		}
	})
}

// fuzzClock counts only even minutes: a business clock unlike calendar
// time, to exercise the Clock paths.
type fuzzClock struct{}

func (fuzzClock) Between(from, to time.Time) time.Duration {
	var d time.Duration
	for t := from; t.Before(to); {
		next := t.Truncate(time.Minute).Add(time.Minute)
		if next.After(to) {
			next = to
		}
		if t.Minute()%2 == 0 {
			d += next.Sub(t)
		}
		t = next
	}
	return d
}

func (c fuzzClock) Add(from time.Time, d time.Duration) time.Time {
	t := from
	for d > 0 {
		next := t.Truncate(time.Minute).Add(time.Minute)
		if t.Minute()%2 == 0 {
			if step := next.Sub(t); step >= d {
				return t.Add(d)
			} else {
				d -= step
			}
		}
		t = next
	}
	return t
}

func TestSummaryJSONRejectsBadTarget(t *testing.T) {
	for _, in := range []string{`{"sla_seconds":-1}`, `{"sla_seconds":1e300}`, `{"status":"purple"}`, `{"sla_rate":"high"}`} {
		var s Summary
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s: read as %+v, want an error", in, s)
		}
	}
}
