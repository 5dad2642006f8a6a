package attribution

import (
	"math"
	"slices"
)

// markov gathers the weights of the Markov model: every channel's
// removal effect, used for both conversions and value. It returns the
// removal effects by channel name.
//
// The chain has a start state, one state per channel, and two absorbing
// states, conversion and null. Each path, with consecutive repeats of a
// channel collapsed into one touch, adds its weight (conversions + nulls)
// to the transitions start → c₁ → … → cₙ, and its conversions to cₙ →
// conversion and its nulls to cₙ → null. Transition probabilities are the
// counts of each row divided by the row's total. The probability P of
// reaching conversion from start solves the linear system p = Q·p + r over
// the transient states; removing channel c sends every transition into c
// to null, and its removal effect is 1 − P₋c / P.
func (a *accumulator) markov(paths []Path) (map[string]float64, error) {
	k := len(a.names)
	// Transient states: 0 = start, 1..k = channels. Counts of
	// transient → transient in t, and into conversion in conv; the row
	// totals (including null) in out.
	n := k + 1
	t := make([]float64, n*n)
	conv := make([]float64, n)
	out := make([]float64, n)
	next := 0 // the first touch of the path in a.ids
	for pi := range paths {
		p := &paths[pi]
		ids := a.ids[next : next+len(p.Channels)]
		next += len(ids)
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
			t[from*n+to] += w
			out[from] += w
			from = to
		}
		conv[from] += float64(p.Conversions)
		out[from] += w
	}
	// Probabilities.
	for i := 0; i < n; i++ {
		if out[i] == 0 {
			continue
		}
		for j := 0; j < n; j++ {
			t[i*n+j] /= out[i]
		}
		conv[i] /= out[i]
	}
	base := absorption(t, conv, n, -1)
	effects := make(map[string]float64, k)
	if !(base > 0) {
		for _, c := range a.names {
			effects[c] = 0
		}
		return effects, nil
	}
	for c := 0; c < k; c++ {
		re := 1 - absorption(t, conv, n, c+1)/base
		re = math.Min(math.Max(re, 0), 1) // rounding can stray past the bounds
		effects[a.names[c]] = re
		a.conv[c].add(re)
		a.val[c].add(re)
	}
	return effects, nil
}

// absorption returns the probability of reaching conversion from the
// start state of the chain with transient-to-transient probabilities q
// (n×n, row-major) and probabilities into conversion r, with state
// removed (its probability of conversion forced to 0) unless removed < 0.
// It solves (I − Q)·p = r by Gaussian elimination with partial pivoting.
func absorption(q, r []float64, n, removed int) float64 {
	m := make([]float64, n*(n+1)) // augmented [I − Q | r]
	for i := 0; i < n; i++ {
		row := m[i*(n+1) : (i+1)*(n+1)]
		if i == removed {
			row[i] = 1 // p_removed = 0
			continue
		}
		for j := 0; j < n; j++ {
			if j == removed {
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
