package attribution

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// ErrTooManyStates means a Markov chain of a high order would have more
// than [MaxMarkovStates] states.
var ErrTooManyStates = errors.New("attribution: too many Markov states")

// MaxMarkovStates bounds the transient states of a Markov chain of order
// above 1 (one per distinct run of up to Order channels seen in the
// paths): each removal effect solves a dense system of that size.
const MaxMarkovStates = 1500

// chain is an absorbing Markov chain over transient states 0..n−1 (0 is
// the start), with absorbing conversion and null.
type chain struct {
	n   int
	q   []float64 // n×n, row-major: probability of moving between transient states
	r   []float64 // probability of moving into conversion
	has [][]int32 // the channels each state remembers
}

// markov gathers the weights of the Markov model: every channel's
// removal effect, used for both conversions and value. It returns the
// removal effects by channel name.
//
// The chain has a start state, one state per channel (per run of up to
// order channels, for higher orders), and two absorbing states,
// conversion and null. Each path, with consecutive repeats of a channel
// collapsed into one touch, adds its weight (conversions + nulls) to the
// transitions start → s₁ → … → sₙ, and its conversions to sₙ → conversion
// and its nulls to sₙ → null. Transition probabilities are the counts of
// each row divided by the row's total. The probability P of reaching
// conversion from start solves the linear system p = Q·p + r over the
// transient states; removing channel c sends every transition into a state
// that remembers c to null, and its removal effect is 1 − P₋c / P.
func (a *accumulator) markov(paths []Path, order int) (map[string]float64, error) {
	var (
		ch  chain
		err error
	)
	if order <= 1 {
		ch = a.firstOrder(paths)
	} else if ch, err = a.higherOrder(paths, order); err != nil {
		return nil, err
	}
	base := absorption(&ch, nil)
	effects := make(map[string]float64, len(a.names))
	if !(base > 0) {
		for _, c := range a.names {
			effects[c] = 0
		}
		return effects, nil
	}
	removed := make([]bool, ch.n)
	for c := range a.names {
		for s := range removed {
			removed[s] = slices.Contains(ch.has[s], int32(c))
		}
		re := 1 - absorption(&ch, removed)/base
		re = math.Min(math.Max(re, 0), 1) // rounding can stray past the bounds
		effects[a.names[c]] = re
		a.conv[c].add(re)
		a.val[c].add(re)
	}
	return effects, nil
}

// firstOrder builds the chain whose states are the channels themselves:
// state c+1 for channel c, counted straight into a dense matrix.
func (a *accumulator) firstOrder(paths []Path) chain {
	n := len(a.names) + 1
	ch := chain{n: n, q: make([]float64, n*n), r: make([]float64, n), has: make([][]int32, n)}
	out := make([]float64, n)
	for c := range a.names {
		ch.has[c+1] = []int32{int32(c)}
	}
	for pi, ids := range a.touches(paths) {
		p := &paths[pi]
		w := float64(p.Conversions + p.Nulls)
		if w == 0 {
			continue
		}
		from := 0
		for _, id := range ids {
			to := int(id) + 1
			if to == from {
				continue // consecutive repeats collapse
			}
			ch.q[from*n+to] += w
			out[from] += w
			from = to
		}
		ch.r[from] += float64(p.Conversions)
		out[from] += w
	}
	ch.normalize(out)
	return ch
}

// higherOrder builds the chain whose states remember the last order
// channels of the collapsed path (fewer at its start).
func (a *accumulator) higherOrder(paths []Path, order int) (chain, error) {
	index := map[string]int{"": 0}
	has := [][]int32{nil}
	type edge struct{ from, to int }
	counts := map[edge]float64{}
	conv, out := []float64{0}, []float64{0}
	var seq []int32
	var key []byte
	for pi, ids := range a.touches(paths) {
		p := &paths[pi]
		w := float64(p.Conversions + p.Nulls)
		if w == 0 {
			continue
		}
		seq = seq[:0]
		for _, id := range ids {
			if len(seq) == 0 || seq[len(seq)-1] != id {
				seq = append(seq, id)
			}
		}
		from := 0
		for i := range seq {
			win := seq[max(0, i-order+1) : i+1]
			key = key[:0]
			for _, id := range win {
				key = binary.AppendUvarint(key, uint64(id))
			}
			to, ok := index[string(key)]
			if !ok {
				if len(has) >= MaxMarkovStates {
					return chain{}, fmt.Errorf("%w: a chain of order %d needs more than %d states", ErrTooManyStates, order, MaxMarkovStates)
				}
				to = len(has)
				index[string(key)] = to
				has = append(has, slices.Clone(win))
				conv, out = append(conv, 0), append(out, 0)
			}
			counts[edge{from, to}] += w
			out[from] += w
			from = to
		}
		conv[from] += float64(p.Conversions)
		out[from] += w
	}
	n := len(has)
	ch := chain{n: n, q: make([]float64, n*n), r: conv, has: has}
	for e, c := range counts {
		ch.q[e.from*n+e.to] = c
	}
	ch.normalize(out)
	return ch, nil
}

// normalize turns the counts of q and r into probabilities by the row
// totals out.
func (ch *chain) normalize(out []float64) {
	n := ch.n
	for i := 0; i < n; i++ {
		if out[i] == 0 {
			continue
		}
		for j := 0; j < n; j++ {
			ch.q[i*n+j] /= out[i]
		}
		ch.r[i] /= out[i]
	}
}

// absorption returns the probability of reaching conversion from the
// start state of ch, with the states marked in removed (nil for none)
// sent to null: their probability of conversion is forced to 0. It solves
// (I − Q)·p = r by Gaussian elimination with partial pivoting.
func absorption(ch *chain, removed []bool) float64 {
	n, q, r := ch.n, ch.q, ch.r
	gone := func(i int) bool { return removed != nil && removed[i] }
	m := make([]float64, n*(n+1)) // augmented [I − Q | r]
	for i := 0; i < n; i++ {
		row := m[i*(n+1) : (i+1)*(n+1)]
		if gone(i) {
			row[i] = 1 // p_removed = 0
			continue
		}
		for j := 0; j < n; j++ {
			if gone(j) {
				continue // transitions into the removed state go to null
			}
			row[j] = -q[i*n+j]
		}
		row[i]++
		row[n] = r[i]
	}
	w := n + 1
	for col := 0; col < n; col++ {
		piv := col
		for i := col + 1; i < n; i++ {
			if math.Abs(m[i*w+col]) > math.Abs(m[piv*w+col]) {
				piv = i
			}
		}
		if m[piv*w+col] == 0 {
			continue // a state that is never left for a transient one
		}
		if piv != col {
			a, b := m[piv*w:(piv+1)*w], m[col*w:(col+1)*w]
			tmp := slices.Clone(a)
			copy(a, b)
			copy(b, tmp)
		}
		pr := m[col*w : (col+1)*w]
		for i := col + 1; i < n; i++ {
			f := m[i*w+col] / pr[col]
			if f == 0 {
				continue
			}
			ri := m[i*w : (i+1)*w]
			for j := col; j <= n; j++ {
				ri[j] -= f * pr[j]
			}
		}
	}
	p := make([]float64, n)
	for i := n - 1; i >= 0; i-- {
		row := m[i*w : (i+1)*w]
		s := row[n]
		for j := i + 1; j < n; j++ {
			s -= row[j] * p[j]
		}
		if row[i] != 0 {
			p[i] = s / row[i]
		}
	}
	return p[0]
}
