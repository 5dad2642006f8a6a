package kpi

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

// TestHeldQueueOrder checks that a heldQueue gives back its events in the
// order of heldEvent.before, the order one heap gives, one at a time or
// those due by a time, however pushes and takes interleave and however
// far out of order events come.
func TestHeldQueueOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var q heldQueue
		var want []heldEvent // what is held, kept sorted
		var seq uint64
		var buf []heldEvent
		for i := range rapid.IntRange(0, 300).Draw(t, "steps") {
			if rapid.IntRange(0, 4).Draw(t, fmt.Sprint("due", i)) == 0 {
				// Taking what is due, a chunk at a time, gives every
				// event due in order and then nothing.
				horizon := int64(rapid.IntRange(-1, 20).Draw(t, fmt.Sprint("horizon", i)))
				for {
					got, inRun := q.due(horizon, &buf)
					if len(got) > lookupChunk {
						t.Fatalf("due(%d) gave %d events, more than a chunk", horizon, len(got))
					}
					if len(got) == 0 {
						if len(want) > 0 && want[0].at <= horizon {
							t.Fatalf("due(%d) gave nothing, but arrival %d at %d is due", horizon, want[0].seq, want[0].at)
						}
						break
					}
					for j := range got {
						if j >= len(want) || got[j].seq != want[j].seq || got[j].at > horizon {
							t.Fatalf("due(%d)[%d] is arrival %d at %d, not the next due", horizon, j, got[j].seq, got[j].at)
						}
					}
					if inRun {
						q.drop(len(got))
					}
					want = want[len(got):]
				}
				continue
			}
			if len(want) > 0 && rapid.IntRange(0, 2).Draw(t, fmt.Sprint("pop", i)) == 0 {
				f, ok := q.first()
				if !ok {
					t.Fatalf("first: empty with %d held", len(want))
				}
				if f.seq != want[0].seq {
					t.Fatalf("first is arrival %d, want %d", f.seq, want[0].seq)
				}
				if got := q.pop(); got.seq != want[0].seq {
					t.Fatalf("pop gave arrival %d, want %d", got.seq, want[0].seq)
				}
				want = want[1:]
				continue
			}
			seq++
			e := heldEvent{at: int64(rapid.IntRange(0, 20).Draw(t, fmt.Sprint("at", i))),
				rank: uint8(rapid.IntRange(0, 6).Draw(t, fmt.Sprint("rank", i))), seq: seq}
			q.push(e)
			j, _ := slices.BinarySearchFunc(want, e, func(a, b heldEvent) int {
				if a.before(&b) {
					return -1
				}
				return 1
			})
			want = slices.Insert(want, j, e)
			if q.len() != len(want) {
				t.Fatalf("len %d, want %d", q.len(), len(want))
			}
		}
		var all []uint64
		q.each(func(e *heldEvent) { all = append(all, e.seq) })
		slices.Sort(all)
		var wantAll []uint64
		for _, e := range want {
			wantAll = append(wantAll, e.seq)
		}
		slices.Sort(wantAll)
		if diff := cmp.Diff(wantAll, all); diff != "" {
			t.Fatalf("each visits other events (-want +got):\n%s", diff)
		}
	})
}

// TestTrackerDeliverySize feeds one log of a few thousand conversations,
// some events of it delivered late, to trackers in deliveries of
// different sizes, over one shard and many: one event at a time takes a
// lock per event, one big delivery groups the events by shard and looks
// conversations up many at a time. All must end in the same state and
// name the same events too late, in the order of the delivery: the
// tracker's time, and so what is beyond the lateness, is the same
// however keys fall into shards (the hash seed is new for every
// tracker) and events into deliveries.
func TestTrackerDeliverySize(t *testing.T) {
	events := benchEvents(20_000)
	// Deliver a few hundred events up to 500 places (about 5 s of the
	// log, 25 s at its start) late: without lateness some are too late; with a minute
	// all are placed; with five seconds some are held while others,
	// beyond it, are applied at once, and some of those are too late.
	rng := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		i := rng.IntN(len(events) - 500)
		e := events[i]
		j := i + 1 + rng.IntN(499)
		copy(events[i:j], events[i+1:j+1])
		events[j] = e
	}
	for _, lateness := range []time.Duration{0, 5 * time.Second, time.Minute} {
		type outcome struct {
			Report Report
			Stats  TrackerStats
			Late   []int
		}
		run := func(shards, delivery int) outcome {
			tr, err := NewTracker(TrackerOptions{Lateness: lateness, Shards: shards, GroupBy: []Dimension{ByChannel, ByAgent}})
			if err != nil {
				t.Fatal(err)
			}
			late := addInDeliveries(t, tr, events, delivery)
			tr.AdvanceTo(events[len(events)-1].At.Add(lateness))
			return outcome{tr.Report(), tr.Stats(), late}
		}
		want := run(1, 1)
		if lateness < time.Minute && len(want.Late) == 0 {
			t.Fatalf("lateness %v: no event too late, the test shows nothing", lateness)
		}
		if lateness == time.Minute && len(want.Late) != 0 {
			t.Fatalf("lateness %v: %d events too late, want none", lateness, len(want.Late))
		}
		for _, c := range []struct{ shards, delivery int }{{1, 20_000}, {16, 1}, {16, 7}, {16, 1000}, {16, 20_000}} {
			got := run(c.shards, c.delivery)
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(Summary{})); diff != "" {
				t.Errorf("lateness %v, %d shards, deliveries of %d: differs from one shard, one event at a time (-want +got):\n%s",
					lateness, c.shards, c.delivery, diff)
			}
		}
	}
}

// addInDeliveries adds events to tr in deliveries of the given size and
// returns the positions in events of those Add named too late; any other
// error fails the test.
func addInDeliveries(t testing.TB, tr *Tracker, events []onemin.Event, delivery int) []int {
	t.Helper()
	var late []int
	for i := 0; i < len(events); i += delivery {
		err := tr.Add(context.Background(), events[i:min(i+delivery, len(events))]...)
		var ve *onemin.ValidationError
		for _, e := range joined(err) {
			if !errors.As(e, &ve) || !errors.Is(e, ErrTooLate) {
				t.Fatalf("error %v is not a too-late ValidationError", e)
			}
			late = append(late, i+ve.Line-1)
		}
	}
	return late
}

// joined returns the errors err joins under its message (nil for nil).
func joined(err error) []error {
	if err == nil {
		return nil
	}
	if u, ok := errors.Unwrap(err).(interface{ Unwrap() []error }); ok {
		return u.Unwrap()
	}
	return []error{err}
}

// TestFitsInstant checks the quick test of whether a time fits in Unix
// nanoseconds against the exact one, at the edges of the range and at
// random.
func TestFitsInstant(t *testing.T) {
	for _, c := range []struct {
		name string
		at   time.Time
		want bool
	}{
		{"earliest", time.Unix(0, math.MinInt64+1), true},
		{"before the earliest", time.Unix(0, math.MinInt64+1).Add(-1), false},
		{"latest", time.Unix(0, math.MaxInt64), true},
		{"after the latest", time.Unix(0, math.MaxInt64).Add(1), false},
		{"a second after the earliest", time.Unix(0, math.MinInt64+1).Add(time.Second), true},
		{"a second before the latest", time.Unix(0, math.MaxInt64).Add(-time.Second), true},
		{"year 1", time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"year 9999", time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"2026 in Moscow", time.Date(2026, 11, 2, 9, 0, 0, 5, time.FixedZone("MSK", 3*3600)), true},
	} {
		if got := fitsInstant(c.at); got != c.want {
			t.Errorf("%s: fitsInstant(%v) = %v, want %v", c.name, c.at, got, c.want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		at := time.Unix(rapid.Int64Range(-instantSeconds-5, instantSeconds+5).Draw(t, "seconds"),
			rapid.Int64Range(0, 999_999_999).Draw(t, "nanoseconds"))
		if got, want := fitsInstant(at), instantFits(at); got != want {
			t.Fatalf("fitsInstant(%v) = %v, instantFits says %v", at, got, want)
		}
	})
}

// TestTrackerTimeSpansShards checks by hand that the tracker's time, from
// which the lateness is counted, is the latest event given to any shard:
// a message of conversation a that comes after b's message four minutes
// later is beyond a lateness of one minute, so it is applied at once and
// is too late, a's reply at 10:00:40 having been released and applied;
// b, held, is not open yet. And so whatever shards a and b fall into,
// in one delivery or four.
func TestTrackerTimeSpansShards(t *testing.T) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	events := []onemin.Event{
		liveMsg("a", onemin.MessageIn, onemin.Customer, t0),
		liveMsg("a", onemin.MessageOut, onemin.Bot, t0.Add(40*time.Second)),
		liveMsg("b", onemin.MessageIn, onemin.Customer, t0.Add(5*time.Minute)),
		liveMsg("a", onemin.MessageIn, onemin.Customer, t0.Add(20*time.Second)),
	}
	for _, c := range []struct {
		name     string
		shards   int
		delivery int
	}{
		{"one shard, one delivery", 1, 4},
		{"one shard, one event at a time", 1, 1},
		{"many shards, one delivery", 1024, 4},
		{"many shards, one event at a time", 1024, 1},
	} {
		for range 20 { // a new hash seed each time: a and b fall into shards anew
			tr, err := NewTracker(TrackerOptions{Lateness: time.Minute, Shards: c.shards})
			if err != nil {
				t.Fatal(err)
			}
			late := addInDeliveries(t, tr, events, c.delivery)
			if diff := cmp.Diff([]int{3}, late); diff != "" {
				t.Fatalf("%s: events too late (-want +got):\n%s", c.name, diff)
			}
			s := tr.Stats()
			if diff := cmp.Diff(TrackerStats{TooLate: 1, Held: 1, Applied: 2, Open: 1}, s); diff != "" {
				t.Fatalf("%s: stats (-want +got):\n%s", c.name, diff)
			}
		}
	}
}
