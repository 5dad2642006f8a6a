package attribution

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// benchPaths generates n journeys over k channels: 1 to 8 touches, one in
// five converting with a value in kopecks, the rest null.
func benchPaths(n, k int) []Path {
	r := rand.New(rand.NewPCG(1, 2))
	names := make([]string, k)
	for i := range names {
		names[i] = fmt.Sprintf("channel-%02d", i)
	}
	paths := make([]Path, n)
	for i := range paths {
		t := 1 + r.IntN(8)
		p := Path{Channels: make([]string, t), Value: decimal.Zero}
		for j := range p.Channels {
			p.Channels[j] = names[r.IntN(k)]
		}
		if r.IntN(5) == 0 {
			p.Conversions = 1
			p.Value = decimal.New(int64(r.IntN(1_000_000)), -2)
		} else {
			p.Nulls = 1
		}
		paths[i] = p
	}
	return paths
}

func benchmarkModel(b *testing.B, m Model) {
	paths := benchPaths(1_000_000, 20)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Attribute(paths, m, Options{Currency: "RUB"}); err != nil {
			b.Fatal(err)
		}
	}
}

// The brief's scale: a million journeys over 20 channels.
func BenchmarkMarkov1M(b *testing.B)    { benchmarkModel(b, Markov) }
func BenchmarkShapley1M(b *testing.B)   { benchmarkModel(b, Shapley) }
func BenchmarkLinear1M(b *testing.B)    { benchmarkModel(b, Linear) }
func BenchmarkLastTouch1M(b *testing.B) { benchmarkModel(b, LastTouch) }
