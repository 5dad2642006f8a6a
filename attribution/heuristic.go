package attribution

import (
	"fmt"
	"math"
)

// heuristic gathers the weights of a rule-based model (every model but
// Markov): each converting path's conversions and value are shared over
// its touches by the model's per-path shares.
func (a *accumulator) heuristic(paths []Path, m Model, opt Options) error {
	first, last, err := opt.positions()
	if err != nil {
		return err
	}
	h := opt.halfLife().Seconds()
	var (
		share []float64                   // per touch of the current path
		seen  = make([]int, len(a.names)) // path number + 1 that last saw a channel, for Shapley
	)
	for pi, ids := range a.touches(paths) {
		p := &paths[pi]
		n := len(ids)
		if p.Conversions == 0 {
			continue
		}
		share = share[:0]
		for range ids {
			share = append(share, 0)
		}
		switch m {
		case FirstTouch:
			share[0] = 1
		case LastTouch:
			share[n-1] = 1
		case Linear:
			for i := range share {
				share[i] = 1 / float64(n)
			}
		case PositionBased:
			positionShares(share, first, last)
		case TimeDecay:
			if p.At == nil || p.ConvertedAt.IsZero() {
				return fmt.Errorf("%w (path %d)", ErrNoTimes, pi+1)
			}
			// Weights are taken relative to the newest touch,
			// 2^(−(Δtᵢ − Δt_min)/H): the same shares once normalized,
			// and no underflow for touches years old.
			newest := math.Inf(1)
			for _, t := range p.At {
				dt := p.ConvertedAt.Sub(t).Seconds()
				if dt < 0 {
					return fmt.Errorf("%w: path %d has a touch after its conversion", ErrBadPath, pi+1)
				}
				newest = math.Min(newest, dt)
			}
			var sum float64
			for i, t := range p.At {
				share[i] = math.Exp2(-(p.ConvertedAt.Sub(t).Seconds() - newest) / h)
				sum += share[i]
			}
			for i := range share {
				share[i] /= sum
			}
		case Shapley:
			k := 0
			for i, id := range ids {
				if seen[id] != pi+1 {
					seen[id] = pi + 1
					share[i] = 1
					k++
				}
			}
			for i := range share {
				share[i] /= float64(k)
			}
		}
		c, v := float64(p.Conversions), a.value(p)
		for i, id := range ids {
			if share[i] == 0 {
				continue
			}
			a.conv[id].add(c * share[i])
			if v != 0 {
				a.val[id].add(v * share[i])
			}
		}
	}
	return nil
}

// positionShares fills share (one per touch) by the position-based rule:
// one touch gets 1; two touches 1/2 each; more get first and last at the
// ends and the rest equally in between.
func positionShares(share []float64, first, last float64) {
	n := len(share)
	switch n {
	case 1:
		share[0] = 1
		return
	case 2:
		share[0], share[1] = 0.5, 0.5
		return
	}
	mid := (1 - first - last) / float64(n-2)
	for i := range share {
		share[i] = mid
	}
	share[0], share[n-1] = first, last
}
