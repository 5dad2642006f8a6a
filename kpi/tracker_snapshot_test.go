package kpi

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

// TestTrackerSnapshotRestore checks that a restart loses nothing: a
// tracker snapshotted part-way, restored into a new tracker (with another
// shard count) and fed the rest reports what a tracker fed everything
// reports, and sends the notices it would have sent.
func TestTrackerSnapshotRestore(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := inTimeOrder(genLiveEvents(t))
		lateness := rapid.SampledFrom([]time.Duration{0, time.Hour}).Draw(t, "lateness")
		opts := TrackerOptions{GroupBy: Dimensions(), Lateness: lateness, IdleAfter: 2 * time.Hour, Shards: 1,
			Notices: 1000}
		whole, err := NewTracker(opts)
		if err != nil {
			t.Fatal(err)
		}
		part, _ := NewTracker(opts)
		opts.Shards = 8
		restored, _ := NewTracker(opts)
		cut := rapid.IntRange(0, len(events)).Draw(t, "cut")
		var advance time.Time
		if len(events) > 0 && cut > 0 {
			advance = events[cut-1].At.Add(rapid.SampledFrom([]time.Duration{0, time.Minute, 3 * time.Hour}).Draw(t, "advance"))
		}
		ctx := context.Background()
		feed := func(tr *Tracker, evs []onemin.Event) {
			if err := tr.Add(ctx, evs...); err != nil && !errors.Is(err, ErrTooLate) {
				t.Fatal(err)
			}
		}
		feed(whole, events[:cut])
		feed(part, events[:cut])
		whole.AdvanceTo(advance)
		part.AdvanceTo(advance)
		snap, err := part.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if err := restored.UnmarshalBinary(snap); err != nil {
			t.Fatalf("restoring the snapshot: %v", err)
		}
		if diff := cmp.Diff(part.Report(), restored.Report()); diff != "" {
			t.Fatalf("restored report (-snapshotted +restored):\n%s", diff)
		}
		feed(whole, events[cut:])
		feed(restored, events[cut:])
		end := advance.Add(5 * time.Hour)
		if len(events) > 0 {
			end = events[len(events)-1].At.Add(5 * time.Hour)
		}
		for _, to := range []time.Time{end.Add(-4 * time.Hour), end} {
			whole.AdvanceTo(to)
			restored.AdvanceTo(to)
			if diff := cmp.Diff(whole.Report(), restored.Report()); diff != "" {
				t.Fatalf("as of %v (-uninterrupted +restored):\n%s", to, diff)
			}
		}
		// The notices of the restored tracker are those the uninterrupted
		// one sent after the snapshot: none twice, none lost.
		sentBefore := len(drain(part))
		all := drain(whole)
		if diff := cmp.Diff(all[sentBefore:], drain(restored), cmpopts.EquateEmpty(), cmp.Comparer(func(a, b time.Time) bool { return a.Equal(b) })); diff != "" {
			t.Fatalf("notices after the snapshot (-uninterrupted +restored):\n%s", diff)
		}
		ws, rs := whole.Stats(), restored.Stats()
		ws.Notices, rs.Notices = 0, 0
		if diff := cmp.Diff(ws, rs); diff != "" {
			t.Fatalf("stats (-uninterrupted +restored):\n%s", diff)
		}
	})
}

func TestTrackerSnapshotRejects(t *testing.T) {
	tr, err := NewTracker(TrackerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	if err := tr.Add(context.Background(), liveMsg("a", onemin.MessageIn, onemin.Customer, t0)); err != nil {
		t.Fatal(err)
	}
	good, _ := tr.MarshalBinary()
	human, _ := NewTracker(TrackerOptions{Policy: HumanReply})
	tests := []struct {
		reason string
		into   *Tracker
		data   []byte
		want   error
	}{
		{"empty", tr, nil, ErrSnapshotCorrupt},
		{"wrong magic", tr, append([]byte("XXXX"), good[4:]...), ErrSnapshotCorrupt},
		{"unknown version", tr, append(append([]byte(snapshotMagic), 9), good[5:]...), ErrSnapshotCorrupt},
		{"truncated", tr, good[:len(good)-1], ErrSnapshotCorrupt},
		{"trailing byte", tr, append(append([]byte{}, good...), 0), ErrSnapshotCorrupt},
		{"another reply policy", human, good, ErrSnapshotMismatch},
	}
	for _, tt := range tests {
		before := tt.into.Report()
		if err := tt.into.UnmarshalBinary(tt.data); !errors.Is(err, tt.want) {
			t.Errorf("%s: UnmarshalBinary = %v, want %v", tt.reason, err, tt.want)
		}
		if diff := cmp.Diff(before, tt.into.Report()); diff != "" {
			t.Errorf("%s: a failed restore changed the tracker:\n%s", tt.reason, diff)
		}
	}
}

func FuzzTrackerSnapshot(f *testing.F) {
	t0 := time.Date(2026, 11, 2, 10, 0, 0, 0, time.UTC)
	seed, _ := NewTracker(TrackerOptions{Lateness: time.Minute, GroupBy: []Dimension{ByChannel, ByDay}})
	empty, _ := seed.MarshalBinary()
	f.Add(empty)
	_ = seed.Add(context.Background(),
		liveMsg("a", onemin.MessageIn, onemin.Customer, t0),
		liveMsg("a", onemin.MessageOut, onemin.Bot, t0.Add(3*time.Second)),
		liveMsg("b", onemin.MessageIn, onemin.Customer, t0.Add(time.Second)),
		onemin.Event{Tenant: "x", ContactID: "p", Kind: onemin.Booking, At: t0.Add(2 * time.Minute)},
		// Held, and lending conversation c its labels before c has a
		// customer message.
		onemin.Event{ConversationID: "c", Kind: onemin.Lead, At: t0.Add(time.Minute), Channel: "web", Source: "ads"})
	seed.AdvanceTo(t0.Add(90 * time.Second))
	some, _ := seed.MarshalBinary()
	f.Add(some)
	seed.AdvanceTo(t0.Add(48 * time.Hour))
	closed, _ := seed.MarshalBinary()
	f.Add(closed)
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, err := NewTracker(TrackerOptions{Lateness: time.Minute, GroupBy: []Dimension{ByChannel, ByDay}, Shards: 2})
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.UnmarshalBinary(data); err != nil {
			if !errors.Is(err, ErrSnapshotCorrupt) && !errors.Is(err, ErrSnapshotMismatch) {
				t.Fatalf("error %v wraps neither ErrSnapshotCorrupt nor ErrSnapshotMismatch", err)
			}
			return
		}
		rep := tr.Report()
		again, err := tr.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		tr2, _ := NewTracker(TrackerOptions{Lateness: time.Minute, GroupBy: []Dimension{ByChannel, ByDay}, Shards: 4})
		if err := tr2.UnmarshalBinary(again); err != nil {
			t.Fatalf("a snapshot of a restored tracker does not restore: %v", err)
		}
		if diff := cmp.Diff(rep, tr2.Report()); diff != "" {
			t.Fatalf("report changed on a second round trip:\n%s", diff)
		}
		tr.AdvanceTo(t0.Add(72 * time.Hour))
		_ = tr.Report()
	})
}
