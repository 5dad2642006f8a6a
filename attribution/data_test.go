package attribution

import (
	"bufio"
	"errors"
	"math"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// sharedData returns the path of a file in the public reference data,
// ../shared/data beside the repository root, or skips the test.
func sharedData(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.Contains(string(b), "module github.com/onemin/onemin\n") {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repository root not found")
		}
		dir = parent
	}
	p := filepath.Join(dir, "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("reference data absent: %v", err)
	}
	return p
}

// tally is an independent reading of Data.csv: split each line by hand
// and add exact numbers, with none of the package's code.
type tally struct {
	conv, value map[string]*big.Rat
	paths       int
	totalConv   int64
	totalValue  *big.Rat
	nulls       int64
}

// share is a channel's exact share of a path: num/den.
type share struct{ num, den int64 }

func tallyFile(t *testing.T, name string, shares func(channels []string) map[string]share) tally {
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	// Sums by channel and denominator, exact in decimal and int64; the
	// division by each denominator happens once, at the end, in rationals.
	type key struct {
		channel string
		den     int64
	}
	convSum := map[key]int64{}
	valueSum := map[key]decimal.Decimal{}
	ty := tally{conv: map[string]*big.Rat{}, value: map[string]*big.Rat{}}
	total := decimal.Zero
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for line := 0; sc.Scan(); line++ {
		if line == 0 {
			continue
		}
		f := strings.Split(sc.Text(), ";")
		chans := strings.Split(f[0], " > ")
		conv, err1 := strconv.ParseInt(f[1], 10, 64)
		val, err2 := decimal.NewFromString(f[2])
		null, err3 := strconv.ParseInt(f[3], 10, 64)
		if err := errors.Join(err1, err2, err3); err != nil {
			t.Fatalf("line %d: %v", line+1, err)
		}
		ty.paths++
		ty.totalConv += conv
		ty.nulls += null
		total = total.Add(val)
		for _, c := range chans {
			if ty.conv[c] == nil {
				ty.conv[c], ty.value[c] = new(big.Rat), new(big.Rat)
			}
		}
		if conv == 0 {
			continue
		}
		for c, s := range shares(chans) {
			k := key{c, s.den}
			convSum[k] += conv * s.num
			valueSum[k] = valueSum[k].Add(val.Mul(decimal.NewFromInt(s.num)))
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for k, n := range convSum {
		ty.conv[k.channel].Add(ty.conv[k.channel], big.NewRat(n, k.den))
		v := valueSum[k].Rat()
		ty.value[k.channel].Add(ty.value[k.channel], v.Quo(v, big.NewRat(k.den, 1)))
	}
	ty.totalValue = total.Rat()
	return ty
}

func TestChannelAttributionData(t *testing.T) {
	name := sharedData(t, "channelattribution/Data.csv")
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	paths, bad, err := ReadPaths(f)
	f.Close()
	if err != nil || len(bad) > 0 {
		t.Fatalf("ReadPaths: %v, %d bad lines (first %v)", err, len(bad), bad)
	}

	heuristics := map[Model]func([]string) map[string]share{
		FirstTouch: func(c []string) map[string]share { return map[string]share{c[0]: {1, 1}} },
		LastTouch:  func(c []string) map[string]share { return map[string]share{c[len(c)-1]: {1, 1}} },
		Linear: func(c []string) map[string]share {
			m := map[string]share{}
			for _, ch := range c {
				m[ch] = share{m[ch].num + 1, int64(len(c))}
			}
			return m
		},
	}
	// The README's totals.
	ref := tallyFile(t, name, heuristics[FirstTouch])
	if ref.paths != 10000 || len(ref.conv) != 12 || ref.totalConv != 19785 || ref.nulls != 68602 || ref.totalValue.FloatString(6) != "74802.971587" {
		t.Fatalf("the file is not the one described: %d paths, %d channels, %d conversions, value %s, %d nulls",
			ref.paths, len(ref.conv), ref.totalConv, ref.totalValue.FloatString(6), ref.nulls)
	}
	if len(paths) != ref.paths {
		t.Fatalf("ReadPaths read %d paths, want %d", len(paths), ref.paths)
	}

	// The file's values have up to 17 decimal places, so the exact total
	// is 74802.97158721083751036 (the README rounds it).
	total := decimal.NewFromBigRat(ref.totalValue, 17)
	for _, m := range Models() {
		res, err := Attribute(paths, m, Options{})
		if m == TimeDecay {
			if err == nil {
				t.Error("time decay on paths without times: got no error")
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", m, err)
			continue
		}
		if len(res.Channels) != 12 {
			t.Errorf("%s: %d channels, want 12", m, len(res.Channels))
		}
		// Parts sum exactly to the totals.
		sumConv, sumValue := decimal.Zero, decimal.Zero
		for _, c := range res.Channels {
			sumConv = sumConv.Add(decimal.NewFromFloat(c.Conversions))
			sumValue = sumValue.Add(c.Value)
			if c.Conversions < 0 || c.Value.IsNegative() {
				t.Errorf("%s: %s has a negative credit %v / %s", m, c.Channel, c.Conversions, c.Value)
			}
		}
		if !sumConv.Equal(decimal.NewFromInt(19785)) || res.TotalConversions != 19785 {
			t.Errorf("%s: conversions sum to %s (total %v), want 19785", m, sumConv, res.TotalConversions)
		}
		if !sumValue.Equal(total) || !res.TotalValue.Equal(total) {
			t.Errorf("%s: values sum to %s (total %s), want %s", m, sumValue, res.TotalValue, total)
		}
		shares, ok := heuristics[m]
		if !ok {
			continue
		}
		want := tallyFile(t, name, shares)
		for _, c := range res.Channels {
			// Shares are weighed in float64, so a channel's value is
			// its exact share to about 1e-15 of the total; its
			// conversions are exact to the millionth they are kept in.
			for _, chk := range []struct {
				what  string
				got   *big.Rat
				exact *big.Rat
			}{
				{"conversions", new(big.Rat).SetFloat64(c.Conversions), want.conv[c.Channel]},
				{"value", c.Value.Rat(), want.value[c.Channel]},
			} {
				diff := new(big.Rat).Sub(chk.got, chk.exact)
				diff.Abs(diff)
				limit := big.NewRat(1, 1e9)
				if chk.what == "conversions" {
					limit = big.NewRat(1, 1e6) // one unit
					if m != Linear {
						limit = new(big.Rat) // whole numbers: exact
					}
				}
				if diff.Cmp(limit) > 0 {
					g, _ := chk.got.Float64()
					e, _ := chk.exact.Float64()
					t.Errorf("%s: %s %s = %.6f, independent tally %.6f", m, c.Channel, chk.what, g, e)
				}
			}
		}
	}

	// Markov: credits are non-negative, and the removal effects agree
	// with an independent solution by iterating the chain.
	res, err := Attribute(paths, Markov, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := iteratedRemovalEffects(paths, 1)
	for c, re := range res.RemovalEffects {
		if math.Abs(re-want[c]) > 1e-9 {
			t.Errorf("markov: removal effect of %s = %.12f, iterated chain gives %.12f", c, re, want[c])
		}
	}
}

// iteratedRemovalEffects computes removal effects by a method independent
// of the package's: build the chain of the given order over string states
// (the last order channels joined) and iterate p ← Q·p + r (value
// iteration) until it settles.
func iteratedRemovalEffects(paths []Path, order int) map[string]float64 {
	type edge struct{ from, to string }
	count := map[edge]float64{}
	out := map[string]float64{}
	members := map[string][]string{}
	for _, p := range paths {
		w := float64(p.Conversions + p.Nulls)
		if w == 0 {
			continue
		}
		var seq []string
		for _, c := range p.Channels {
			if len(seq) == 0 || seq[len(seq)-1] != c {
				seq = append(seq, c)
			}
		}
		prev := "(start)"
		for i := range seq {
			win := seq[max(0, i-order+1) : i+1]
			state := strings.Join(win, "\x1f")
			members[state] = win
			count[edge{prev, state}] += w
			out[prev] += w
			prev = state
		}
		count[edge{prev, "(conversion)"}] += float64(p.Conversions)
		out[prev] += w
	}
	solve := func(removed string) float64 {
		gone := func(state string) bool { return removed != "" && slices.Contains(members[state], removed) }
		p := map[string]float64{"(conversion)": 1}
		for iter := 0; iter < 100000; iter++ {
			next := map[string]float64{"(conversion)": 1}
			for e, n := range count {
				if gone(e.to) || gone(e.from) {
					continue
				}
				next[e.from] += n / out[e.from] * p[e.to]
			}
			delta := 0.0
			for k, v := range next {
				delta = math.Max(delta, math.Abs(v-p[k]))
			}
			p = next
			if delta < 1e-15 {
				break
			}
		}
		return p["(start)"]
	}
	base := solve("")
	res := map[string]float64{}
	for _, p := range paths {
		for _, c := range p.Channels {
			if _, ok := res[c]; !ok && base > 0 {
				res[c] = 1 - solve(c)/base
			}
		}
	}
	return res
}
