package csvio

import (
	"fmt"
	"hash/fnv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// refSeen is the plain reference for Seen: a map from the key to where
// it was first read.
type refSeen map[seenKey]seenAt

func (m refSeen) check(tenant, id, name string, line int) string {
	if id == "" {
		return ""
	}
	if at, ok := m[seenKey{tenant, id}]; ok {
		return repeats(at.line, at.name, name)
	}
	m[seenKey{tenant, id}] = seenAt{name, line}
	return ""
}

// TestSeenMatchesMap checks Seen against a map on random streams of keys
// with many repeats, with the real hash and with hashes that collide
// always or often, so that the byte comparison and the fallback for
// colliding keys are exercised as much as the common path.
func TestSeenMatchesMap(t *testing.T) {
	hashes := []struct {
		name string
		sum  func(tenant, id string) uint64
	}{
		{"maphash", nil},
		{"every key collides", func(string, string) uint64 { return 42 }},
		{"4 hashes", func(tenant, id string) uint64 { return uint64(len(tenant)+len(id)) % 4 }},
		{"512 hashes", func(tenant, id string) uint64 {
			h := uint64(len(tenant))
			for _, c := range []byte(id) {
				h = h*31 + uint64(c)
			}
			return h % 512
		}},
	}
	for _, h := range hashes {
		t.Run(h.name, func(t *testing.T) {
			rapid.Check(t, func(t *rapid.T) {
				s := &Seen{sum: h.sum}
				ref := refSeen{}
				key := rapid.StringMatching(`[ab]{0,3}`)
				name := rapid.SampledFrom([]string{"", "a.csv", "b.csv"})
				n := rapid.IntRange(0, 300).Draw(t, "n")
				for line := 1; line <= n; line++ {
					tenant, id := key.Draw(t, "tenant"), key.Draw(t, "id")
					if rapid.Bool().Draw(t, "fresh") {
						id = fmt.Sprintf("e%d", line) // grow the table
					}
					in := name.Draw(t, "name")
					want := ref.check(tenant, id, in, line)
					if got := s.check(tenant, id, in, line); got != want {
						t.Fatalf("line %d: check(%q, %q, %q) = %q, want %q", line, tenant, id, in, got, want)
					}
				}
				if s.Len() != len(ref) {
					t.Fatalf("Len() = %d, want %d", s.Len(), len(ref))
				}
			})
		})
	}
}

func TestSeenKeys(t *testing.T) {
	tests := []struct {
		reason string
		keys   [][2]string // tenant, id
		want   []string
	}{
		{
			reason: "the tenant and the id are not run together",
			keys:   [][2]string{{"ab", "c"}, {"a", "bc"}, {"", "abc"}, {"abc", ""}},
			want:   []string{"", "", "", ""},
		},
		{
			reason: "swapping tenant and id makes another key",
			keys:   [][2]string{{"x", "y"}, {"y", "x"}, {"x", "y"}},
			want:   []string{"", "", "repeats the row on line 1"},
		},
		{
			reason: "an empty id is never a duplicate",
			keys:   [][2]string{{"t", ""}, {"t", ""}},
			want:   []string{"", ""},
		},
		{
			reason: "ids are compared byte for byte",
			keys:   [][2]string{{"", "e1"}, {"", "E1"}, {"", "e1 "}, {"", "e1"}},
			want:   []string{"", "", "", "repeats the row on line 1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			var s Seen
			var got []string
			for i, k := range tt.keys {
				got = append(got, s.check(k[0], k[1], "", i+1))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
		})
	}
}

// TestSeenGrows fills the table well past its first size, then repeats
// every key: each is found, at its own line. With a hash of 4096 values,
// many keys collide as the table grows.
func TestSeenGrows(t *testing.T) {
	const n = 10000
	fnv4096 := func(_, id string) uint64 {
		h := fnv.New32a()
		h.Write([]byte(id))
		return uint64(h.Sum32() % 4096)
	}
	testSeenGrows(t, n, nil)
	testSeenGrows(t, n, fnv4096)
}

func testSeenGrows(t *testing.T, n int, sum func(tenant, id string) uint64) {
	s := Seen{sum: sum}
	for i := range n {
		if got := s.check("t", fmt.Sprint(i), "", i+1); got != "" {
			t.Fatalf("key %d is new, got %q", i, got)
		}
	}
	for i := range n {
		want := fmt.Sprintf("repeats the row on line %d", i+1)
		if got := s.check("t", fmt.Sprint(i), "", n+i+1); got != want {
			t.Fatalf("key %d: got %q, want %q", i, got, want)
		}
	}
	if s.Len() != n {
		t.Errorf("Len() = %d, want %d", s.Len(), n)
	}
	if sum != nil && (len(s.ents) < 3000 || len(s.more) < 3000) {
		t.Errorf("%d keys in the table, %d colliding: the test hash should give both plenty", len(s.ents), len(s.more))
	}
}
