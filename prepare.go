package onemin

import (
	"cmp"
	"slices"
)

// Counts accounts for every row or event read: Read = Accepted + Duplicates
// + Rejected, always.
type Counts struct {
	Read       int `json:"read"`
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
}

// Balanced reports whether the counts add up.
func (c Counts) Balanced() bool { return c.Read == c.Accepted+c.Duplicates+c.Rejected }

// Add returns the sum of c and o, for counts of several files or shards.
func (c Counts) Add(o Counts) Counts {
	return Counts{c.Read + o.Read, c.Accepted + o.Accepted, c.Duplicates + o.Duplicates, c.Rejected + o.Rejected}
}

// dedupKey is what makes an event a duplicate of another.
type dedupKey struct{ tenant, id string }

// Deduper drops repeated events by (tenant, event_id); the first one seen
// wins. Events with an empty ID are never duplicates. The zero Deduper is
// ready to use. It is not safe for concurrent use; its memory grows with the
// number of distinct ids seen.
type Deduper struct {
	seen map[dedupKey]struct{}
}

// Seen records e and reports whether an event with its tenant and id was
// recorded before.
func (d *Deduper) Seen(e *Event) bool {
	if e.ID == "" {
		return false
	}
	if d.seen == nil {
		d.seen = make(map[dedupKey]struct{})
	}
	k := dedupKey{e.Tenant, e.ID}
	if _, ok := d.seen[k]; ok {
		return true
	}
	d.seen[k] = struct{}{}
	return false
}

// Len returns the number of distinct ids recorded.
func (d *Deduper) Len() int { return len(d.seen) }

// Prepare turns raw events into the input the metric packages expect: each
// event is normalized ([Event.Normalize]) and validated; invalid ones are
// rejected, repeated ids dropped, and the rest returned ordered by time (a
// stable sort: events at the same instant keep their input order). The
// input slice is not changed.
//
// Every rejected or duplicate event yields a *[ValidationError] whose Line
// is the event's 1-based position in events; the counts add up
// ([Counts.Balanced]).
func Prepare(events []Event) ([]Event, Counts, []error) {
	out := make([]Event, 0, len(events))
	var (
		c    Counts
		errs []error
		d    Deduper
	)
	for i := range events {
		c.Read++
		e := events[i]
		e.Normalize()
		if err := e.Validate(); err != nil {
			c.Rejected++
			ve := err.(*ValidationError)
			ve.Line = i + 1
			errs = append(errs, ve)
			continue
		}
		if d.Seen(&e) {
			c.Duplicates++
			errs = append(errs, &ValidationError{Line: i + 1, EventID: e.ID, Field: "event_id",
				Reason: "repeats an earlier event", Err: ErrDuplicate})
			continue
		}
		c.Accepted++
		out = append(out, e)
	}
	SortByTime(out)
	return out, c, errs
}

// SortByTime orders events by time, stably: events at the same instant keep
// their order.
func SortByTime(events []Event) {
	slices.SortStableFunc(events, func(a, b Event) int { return a.At.Compare(b.At) })
}

// compareKeys orders two (tenant, id) pairs.
func compareKeys(t1, id1, t2, id2 string) int {
	if c := cmp.Compare(t1, t2); c != 0 {
		return c
	}
	return cmp.Compare(id1, id2)
}
