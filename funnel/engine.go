package funnel

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/internal/quantile"
)

// attempt is one pass of an entity through the funnel.
type attempt struct {
	entry   int       // position of the entry event in the entity's events
	reached int       // number of steps reached
	dropped bool      // an exclusion dropped it
	secs    []float64 // secs[s]: seconds from entry to step s, for s < reached
}

// outcome is what an event did to the attempt in progress.
type outcome uint8

const (
	kept      outcome = iota // the attempt goes on
	completed                // the event reached the last step
	ended                    // the attempt ended (dropped or broken) without using the event
)

// walker follows one entity's events through the funnel.
type walker struct {
	f     *Funnel
	a     attempt
	start time.Time
	// startSec and startNsec are start in Unix seconds and nanoseconds;
	// wall says start carries no monotonic reading, so that the time
	// since it is a difference of wall clocks.
	startSec  int64
	startNsec int
	wall      bool
	after     uint64 // bit s: an After event of step s was seen in the attempt
	done      uint64 // AnyOrder: bit s: step s happened
	active    bool
}

// walk calls emit for every attempt of the entity whose events are
// events[ent[0]], events[ent[1]], … in time order. emit must not keep a.
func (w *walker) walk(events []onemin.Event, ent []int32, emit func(a *attempt)) {
	f := w.f
	w.active = false
	for p, i := range ent {
		e := &events[i]
		if w.active && f.Window > 0 && w.since(e.At) > f.Window {
			emit(&w.a)
			w.active = false
		}
		if w.active {
			switch w.step(e) {
			case kept:
				continue
			case completed:
				emit(&w.a)
				w.active = false
				continue
			case ended:
				emit(&w.a)
				w.active = false
			}
		}
		if !w.enters(e) {
			continue
		}
		w.active = true
		w.begin(e.At)
		w.a.entry, w.a.reached, w.a.dropped = p, 0, false
		w.after, w.done = 0, 0
		if w.step(e) == completed {
			emit(&w.a)
			w.active = false
		}
	}
	if w.active {
		emit(&w.a)
		w.active = false
	}
}

// enters reports whether e starts an attempt.
func (w *walker) enters(e *onemin.Event) bool {
	if w.f.Order != AnyOrder {
		return w.f.Steps[0].Match(e)
	}
	for s := range w.f.Steps {
		if w.f.Steps[s].Match(e) {
			return true
		}
	}
	return false
}

// step applies e to the attempt in progress.
func (w *walker) step(e *onemin.Event) outcome {
	if w.f.Order == AnyOrder {
		return w.stepAnyOrder(e)
	}
	f, a := w.f, &w.a
	r := a.reached
	st := &f.Steps[r]
	if st.Match(e) && (r == 0 || st.After == nil || w.after&(1<<r) != 0) {
		a.secs[r] = w.since(e.At).Seconds()
		a.reached++
		if a.reached == len(f.Steps) {
			return completed
		}
		return kept
	}
	if st.After != nil && st.After(e) {
		w.after |= 1 << r
	}
	if w.excluded(e) {
		a.dropped = true
		return ended
	}
	if f.Order == StrictOrder {
		for s := range f.Steps {
			if f.Steps[s].Match(e) {
				return ended
			}
		}
	}
	return kept
}

func (w *walker) stepAnyOrder(e *onemin.Event) outcome {
	f, a := w.f, &w.a
	progressed := false
	for s := range f.Steps {
		st := &f.Steps[s]
		if w.done&(1<<s) == 0 && st.Match(e) && (st.After == nil || w.after&(1<<s) != 0) {
			w.done |= 1 << s
			progressed = true
		}
	}
	for s := range f.Steps {
		if st := &f.Steps[s]; st.After != nil && st.After(e) {
			w.after |= 1 << s
		}
	}
	if progressed {
		prefix := bits.TrailingZeros64(^w.done)
		secs := w.since(e.At).Seconds()
		for s := a.reached; s < prefix; s++ {
			a.secs[s] = secs
		}
		a.reached = prefix
		if a.reached == len(f.Steps) {
			return completed
		}
		return kept
	}
	if w.excluded(e) {
		a.dropped = true
		return ended
	}
	return kept
}

// begin starts the clock of an attempt at t.
func (w *walker) begin(t time.Time) {
	w.start, w.startSec, w.startNsec = t, t.Unix(), t.Nanosecond()
	w.wall = t == t.Round(0)
}

// since returns t.Sub(w.start) without Sub's overflow checks when the two
// are less than 2³³ s (272 years) apart, which cannot overflow a Duration,
// and the start carries no monotonic reading (which Sub would use).
func (w *walker) since(t time.Time) time.Duration {
	if s := t.Unix() - w.startSec; w.wall && s > -1<<33 && s < 1<<33 {
		return time.Duration(s)*time.Second + time.Duration(t.Nanosecond()-w.startNsec)
	}
	return t.Sub(w.start)
}

// excluded reports whether e is an exclusion that applies at the attempt's
// progress: step From reached and step To not yet.
func (w *walker) excluded(e *onemin.Event) bool {
	r := w.a.reached
	for i := range w.f.Exclusions {
		x := &w.f.Exclusions[i]
		if x.From < r && r <= x.To && x.Match(e) {
			return true
		}
	}
	return false
}

// tally accumulates the attempts counted at each step.
type tally struct {
	counts []int
	secs   [][]float64
}

func newTally(n int) *tally {
	return &tally{counts: make([]int, n), secs: make([][]float64, n)}
}

func (t *tally) add(a *attempt) {
	for s := 0; s < a.reached; s++ {
		t.counts[s]++
		t.secs[s] = push(t.secs[s], a.secs[s])
	}
}

// push appends v to s, doubling the capacity when s is full. append grows
// a large slice by a quarter at a time, which allocates five times the
// final size over the growth; doubling allocates twice.
func push[T any](s []T, v T) []T {
	if len(s) == cap(s) {
		s = slices.Grow(s, max(len(s), 8))
	}
	return append(s, v)
}

// rows turns the tally into one row per step.
func (t *tally) rows(steps []Step) []StepResult {
	out := make([]StepResult, len(steps))
	for s := range steps {
		c := t.counts[s]
		row := StepResult{Step: steps[s].Name, Count: c, ConversionFromStart: onemin.Ratio{Num: c, Den: t.counts[0]}}
		if s == 0 {
			row.ConversionFromPrevious = onemin.Ratio{Num: c, Den: c}
		} else {
			row.ConversionFromPrevious = onemin.Ratio{Num: c, Den: t.counts[s-1]}
			row.Dropoff = t.counts[s-1] - c
		}
		if sorted := t.secs[s]; len(sorted) > 0 {
			if !slices.IsSorted(sorted) { // the first step's are all 0 in this and strict order
				slices.Sort(sorted)
			}
			med, p90 := quantile.Linear(sorted, 0.5), quantile.Linear(sorted, 0.9)
			row.MedianSecondsToStep, row.P90SecondsToStep = &med, &p90
		}
		out[s] = row
	}
	return out
}

// Compute runs the funnel over events, which need not be sorted: each
// entity's events are put in time order (ties by kind, then event id). The
// events are not changed. The error wraps [ErrConfig] for a funnel that
// cannot be computed, or says that events has more than 2³¹−1 elements
// (compute per tenant or per period). Bad events are not its concern (see
// [onemin.Prepare]): events without the unit's id are counted in Skipped.
func (f *Funnel) Compute(events []onemin.Event) (*Result, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if len(events) > math.MaxInt32 {
		return nil, fmt.Errorf("funnel: %d events in one call, at most %d: compute per tenant or per period", len(events), math.MaxInt32)
	}
	n := len(f.Steps)
	id := contactID
	if f.Unit == ByConversation {
		id = conversationID
	}
	order, start, skipped := entities(events, id, f.Filter)
	res := &Result{Entities: len(start) - 1, Skipped: skipped}
	overall := newTally(n)
	var groups map[string]*tally
	if !f.By.IsZero() {
		groups = make(map[string]*tally)
	}
	var ent []int32
	count := func(a *attempt) {
		overall.add(a)
		if groups != nil {
			k := f.By.key(events, ent, a.entry)
			g := groups[k]
			if g == nil {
				g = newTally(n)
				groups[k] = g
			}
			g.add(a)
		}
	}
	w := &walker{f: f, a: attempt{secs: make([]float64, n)}}
	best := attempt{secs: make([]float64, n)}
	var hasBest, anyDropped bool
	keepBest := func(a *attempt) {
		switch {
		case a.dropped:
			anyDropped = true
		case !hasBest || a.reached > best.reached:
			best.entry, best.reached, best.dropped = a.entry, a.reached, false
			copy(best.secs, a.secs[:a.reached])
			hasBest = true
		}
	}
	countTotal := func(a *attempt) {
		if a.dropped {
			res.Excluded++
			return
		}
		count(a)
	}
	for k := 0; k+1 < len(start); k++ {
		ent = order[start[k]:start[k+1]]
		if f.Count == Totals {
			w.walk(events, ent, countTotal)
			continue
		}
		hasBest, anyDropped = false, false
		w.walk(events, ent, keepBest)
		switch {
		case anyDropped:
			res.Excluded++
		case hasBest:
			count(&best)
		}
	}
	res.Steps = overall.rows(f.Steps)
	if groups != nil {
		keys := make([]string, 0, len(groups))
		for k := range groups {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		res.Groups = make([]Group, len(keys))
		for i, k := range keys {
			res.Groups[i] = Group{Key: k, Steps: groups[k].rows(f.Steps)}
		}
	}
	return res, nil
}
