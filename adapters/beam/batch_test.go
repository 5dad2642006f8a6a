package onebeam

import (
	"cmp"
	"slices"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/passert"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/internal/sample"
	"pgregory.net/rapid"
)

func init() {
	register.Function1x1(batchLen)
	register.Function1x1(fitsBatch)
}

func batchLen(b Batch) int { return len(b.Events) }

func fitsBatch(n int) bool { return n >= 1 && n <= BatchSize }

// TestBatchesAndEvents checks that events batched and unbatched again
// are the events, in batches of at most BatchSize.
func TestBatchesAndEvents(t *testing.T) {
	res, err := csvio.ReadAll(sample.Open(), csvio.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// More events than a batch holds: the sample three times over.
	events := append(append(res.Events[:len(res.Events):len(res.Events)], res.Events...), res.Events...)
	if len(events) <= BatchSize {
		t.Fatalf("%d events: want more than a batch", len(events))
	}
	p, s := beam.NewPipelineWithRoot()
	col := beam.CreateList(s, events)
	batches := Batches(s, col)
	passert.Equals(s, Events(s, batches), col)
	sizes := beam.ParDo(s, batchLen, batches)
	passert.True(s, sizes, fitsBatch)
	passert.Equals(s, stats.Sum(s, sizes), len(events))
	run(t, p)
}

// TestShardOf checks that a key's shard is in range and the same for the
// same key, and that keys spread over the shards.
func TestShardOf(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 1000).Draw(t, "shards")
		parts := rapid.SliceOfN(rapid.String(), 1, 4).Draw(t, "parts")
		s := shardOf(n, parts...)
		if s < 0 || s >= n || s != shardOf(n, parts...) {
			t.Fatalf("shard %d of %d, then %d", s, n, shardOf(n, parts...))
		}
	})
	// The separator keeps ("ab", "c") and ("a", "bc") apart.
	if shardOf(1<<30, "ab", "c") == shardOf(1<<30, "a", "bc") {
		t.Errorf("(ab, c) and (a, bc) share a shard of 2^30")
	}
	counts := make([]int, 16)
	for i := range 16000 {
		counts[shardOf(16, "acme", "conversation-"+string(rune('a'+i%26))+string(rune('a'+i/26%26))+string(rune('a'+i/676)))]++
	}
	for s, c := range counts {
		if c < 500 || c > 1500 {
			t.Errorf("shard %d of 16 holds %d of 16,000 keys: want about 1,000", s, c)
		}
	}
}

// TestSortEventsIsStable holds sortEvents to slices.SortStableFunc.
func TestSortEventsIsStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		events := rapid.SliceOfN(eventGen(), 0, 40).Draw(t, "events")
		for i := range events {
			// Few distinct times and ids, so that many compare equal.
			events[i].At = time.Unix(int64(rapid.IntRange(0, 3).Draw(t, "at")), 0)
			events[i].ID = rapid.SampledFrom([]string{"a", "b", ""}).Draw(t, "id")
			events[i].Score = i // tells equal events apart
		}
		byTimeAndID := func(a, b *onemin.Event) int {
			return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.ID, b.ID))
		}
		want := slices.Clone(events)
		slices.SortStableFunc(want, func(a, b onemin.Event) int { return byTimeAndID(&a, &b) })
		sortEvents(events, byTimeAndID)
		for i := range want {
			if want[i].Score != events[i].Score {
				t.Fatalf("position %d holds event %d, want %d", i, events[i].Score, want[i].Score)
			}
		}
	})
}
