package funnel

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// TestPropertyEntityIndexNumbersByFirstAppearance checks the index against
// a map, the reference: the same key gets the same number, a new key the
// next one, with tenants apart, through growth and, with every tag made
// equal, through collisions.
func TestPropertyEntityIndexNumbersByFirstAppearance(t *testing.T) {
	type key struct{ tenant, id string }
	rapid.Check(t, func(t *rapid.T) {
		keys := rapid.SliceOfN(rapid.Custom(func(t *rapid.T) key {
			return key{rapid.SampledFrom([]string{"", "", "t1", "t2"}).Draw(t, "tenant"),
				rapid.StringMatching(`[a-c]{0,3}`).Draw(t, "id")}
		}), 0, 3000).Draw(t, "keys")
		collide := rapid.Bool().Draw(t, "collide")
		x := newEntityIndex()
		want, got := make([]int32, len(keys)), make([]int32, len(keys))
		ref := map[key]int32{}
		for i, k := range keys {
			n, ok := ref[k]
			if !ok {
				n = int32(len(ref))
				ref[k] = n
			}
			want[i] = n
			tag := x.tag(k.tenant, k.id)
			if collide {
				tag = 7
			}
			got[i], _ = x.find(tag, int32(i), func(first int32) bool { return keys[first] == k })
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("numbers (-want +got):\n%s", diff)
		}
	})
}

func TestEntityIndexGrows(t *testing.T) {
	x := newEntityIndex()
	ids := make([]string, 5000)
	for i := range ids {
		ids[i] = string(rune('a'+i%26)) + string(rune('a'+i/26%26)) + string(rune('a'+i/676))
	}
	for round := range 2 {
		for i, id := range ids {
			n, added := x.find(x.tag("", id), int32(i), func(first int32) bool { return ids[first] == id })
			if n != int32(i) || added != (round == 0) {
				t.Fatalf("round %d: %q is %d (added %v), want %d (added %v)", round, id, n, added, i, round == 0)
			}
		}
	}
	if len(x.slots) < len(ids)*4/3 {
		t.Errorf("%d slots for %d entities: the table did not grow", len(x.slots), len(ids))
	}
}
