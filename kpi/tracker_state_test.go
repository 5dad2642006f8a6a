package kpi

import (
	"context"
	"fmt"
	"hash/maphash"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
	"pgregory.net/rapid"
)

// TestConvTableModel opens conversations, closes most of them in a random
// order (so that the keys of closed ones are dropped along the way) and
// then opens and closes them at random, checking the table against a map
// after every step: each open key found in its slot, by find and findAll,
// with its own bytes, and no closed key found.
func TestConvTableModel(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		seed := maphash.MakeSeed()
		tb := newConvTable(seed)
		model := map[string]int32{}
		pool := make([]string, rapid.IntRange(1, 150).Draw(t, "keys"))
		for i := range pool {
			pool[i] = fmt.Sprintf("k%d-%s", i, strings.Repeat("x", 150+rapid.IntRange(0, 150).Draw(t, fmt.Sprint("len", i))))
		}
		check := func() {
			if tb.used != len(model) {
				t.Fatalf("used %d, want %d", tb.used, len(model))
			}
			items := make([]batchItem, len(pool))
			for j, k := range pool {
				items[j] = batchItem{hash: maphash.String(seed, k), key: k}
				s, ok := tb.find(k, items[j].hash)
				want, open := model[k]
				if ok != open || (ok && s != want) {
					t.Fatalf("find(%.12q) = %d, %v; want %d, %v", k, s, ok, want, open)
				}
				if ok && string(tb.key(tb.at(s))) != k {
					t.Fatalf("slot %d holds key %.12q, want %.12q", s, tb.key(tb.at(s)), k)
				}
			}
			tb.findAll(items)
			for _, it := range items {
				want, open := model[it.key]
				if !open {
					want = -1
				}
				if it.slot != want {
					t.Fatalf("findAll: %.12q in slot %d, want %d", it.key, it.slot, want)
				}
			}
		}
		toggle := func(k string) {
			if s, ok := model[k]; ok {
				tb.remove(s)
				delete(model, k)
			} else {
				model[k] = tb.insert(k, maphash.String(seed, k))
			}
			check()
		}
		for _, k := range pool {
			toggle(k)
		}
		order := rapid.Permutation(pool).Draw(t, "close order")
		for _, k := range order[:rapid.IntRange(0, len(order)).Draw(t, "closed")] {
			toggle(k)
		}
		for i := range rapid.IntRange(0, 200).Draw(t, "steps") {
			toggle(rapid.SampledFrom(pool).Draw(t, fmt.Sprint("key", i)))
		}
	})
}

// TestTrackerKeysOutliveCloseOut closes most conversations of a tracker
// out, so that their keys are dropped and the others' moved, and checks
// that replies then find the conversations still open: the tracker still
// agrees with Summarize, whose greetings would count a reply that opened
// a conversation of its own.
func TestTrackerKeysOutliveCloseOut(t *testing.T) {
	const n, idle = 6000, time.Hour
	base := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	tr, err := NewTracker(TrackerOptions{Shards: 1, IdleAfter: idle, Notices: -1, GroupBy: []Dimension{ByTenant}})
	if err != nil {
		t.Fatal(err)
	}
	var all []onemin.Event
	add := func(events ...onemin.Event) {
		t.Helper()
		if err := tr.Add(context.Background(), events...); err != nil {
			t.Fatal(err)
		}
		all = append(all, events...)
	}
	conv := func(i int) (tenant, id string) {
		return []string{"", "salon", "clinic"}[i%3], fmt.Sprintf("conversation-%06d-%s", i, strings.Repeat("z", i%40))
	}
	for i := range n {
		tenant, id := conv(i)
		add(onemin.Event{Tenant: tenant, ConversationID: id, Kind: onemin.MessageIn, Actor: onemin.Customer,
			Channel: "web", At: base.Add(time.Duration(i) * time.Second)})
	}
	keyBytes := len(tr.shards[0].convs.keys)
	const closed = 5000 // the first 5 000 are idle at the horizon below
	tr.AdvanceTo(base.Add(closed*time.Second - time.Second + idle))
	if s := tr.Stats(); s.Open != n-closed || s.Closed != closed {
		t.Fatalf("after close-out: %d open, %d closed; want %d, %d", s.Open, s.Closed, n-closed, closed)
	}
	if got := len(tr.shards[0].convs.keys); got >= keyBytes {
		t.Fatalf("the keys of closed conversations were not dropped: %d bytes, %d before", got, keyBytes)
	}
	for i := closed; i < n; i++ {
		tenant, id := conv(i)
		add(onemin.Event{Tenant: tenant, ConversationID: id, Kind: onemin.MessageOut, Actor: onemin.Human,
			Agent: "anna", At: base.Add(time.Duration(i)*time.Second + 30*time.Second)})
	}
	if s := tr.Stats(); s.Open != n-closed {
		t.Fatalf("replies opened conversations of their own: %d open, want %d", s.Open, n-closed)
	}
	live := tr.Report()
	batch := Summarize(all, Options{AsOf: live.AsOf, GroupBy: []Dimension{ByTenant}})
	agreeReports(t, batch, live, tr.newAccumulator().RelativeError())
	if diff := cmp.Diff(3, len(live.Groups[0].Groups)); diff != "" {
		t.Errorf("tenant groups (-want +got):\n%s", diff)
	}
}

// TestLabelTable checks that a labelTable, with its cache, numbers each
// label once: equal labels get equal numbers, different ones different
// numbers, and a number names its label.
func TestLabelTable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		l := newLabelTable()
		seen := map[string]uint32{"": 0}
		names := rapid.SliceOfN(rapid.StringMatching(`[a-c]{0,3}`), 1, 40).Draw(t, "labels")
		for i := range rapid.IntRange(0, 200).Draw(t, "steps") {
			s := rapid.SampledFrom(names).Draw(t, fmt.Sprint("label", i))
			// A fresh copy: the cache must compare contents, not where
			// a string lives.
			s = strings.Clone(s)
			n := l.id(s)
			if l.names[n] != s {
				t.Fatalf("id(%q) = %d, which names %q", s, n, l.names[n])
			}
			if m, ok := seen[s]; ok && m != n {
				t.Fatalf("id(%q) = %d, earlier %d", s, n, m)
			}
			seen[s] = n
		}
		if len(l.names) != len(seen) {
			t.Fatalf("%d numbers for %d labels", len(l.names), len(seen))
		}
	})
}
