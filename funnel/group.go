package funnel

import (
	"cmp"
	"slices"

	"github.com/onemin/onemin"
)

// contactID and conversationID are the ids that make an entity.
func contactID(e *onemin.Event) string      { return e.ContactID }
func conversationID(e *onemin.Event) string { return e.ConversationID }

// entities groups the indices of events by the id that id returns (the
// contact or the conversation), with the tenant, without
// copying the events: the indices of entity k are order[start[k]:start[k+1]],
// each entity's in time order, ties broken by kind, then id, then position,
// so that the result does not depend on the order of the input. It returns
// the number of events that name no entity.
func entities(events []onemin.Event, id func(*onemin.Event) string, keep func(*onemin.Event) bool) (order, start []int32, skipped int) {
	ids := make([]int32, len(events))
	x := newEntityIndex()
	var sizes []int32
	// An entity's events often come one after another (an export by
	// dialog, a contact's day): the last entity is tried first.
	lastTenant, lastID, last := "", "", int32(-1)
	for i := range events {
		e := &events[i]
		if keep != nil && !keep(e) {
			ids[i] = -1
			continue
		}
		key := id(e)
		if key == "" {
			ids[i] = -1
			skipped++
			continue
		}
		if last >= 0 && key == lastID && e.Tenant == lastTenant {
			ids[i] = last
			sizes[last]++
			continue
		}
		n, added := x.find(x.tag(e.Tenant, key), int32(i), func(first int32) bool {
			f := &events[first]
			return id(f) == key && f.Tenant == e.Tenant
		})
		if added {
			sizes = push(sizes, 0)
		}
		ids[i] = n
		sizes[n]++
		lastTenant, lastID, last = e.Tenant, key, n
	}
	start = make([]int32, len(sizes)+1)
	for k, s := range sizes {
		start[k+1] = start[k] + s
	}
	next := slices.Clone(start[:len(sizes)])
	order = make([]int32, start[len(sizes)])
	for i, n := range ids {
		if n < 0 {
			continue
		}
		order[next[n]] = int32(i)
		next[n]++
	}
	less := func(a, b int32) int {
		x, y := &events[a], &events[b]
		if c := x.At.Compare(y.At); c != 0 {
			return c
		}
		if c := cmp.Compare(x.Kind, y.Kind); c != 0 {
			return c
		}
		if c := cmp.Compare(x.ID, y.ID); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	}
	for k := range sizes {
		ent := order[start[k]:start[k+1]]
		if !slices.IsSortedFunc(ent, less) {
			slices.SortFunc(ent, less)
		}
	}
	return order, start, skipped
}
