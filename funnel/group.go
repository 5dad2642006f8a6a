package funnel

import (
	"cmp"
	"slices"

	"github.com/onemin/onemin"
)

type entityKey struct{ tenant, id string }

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
	// Most event sets have one tenant: a map keyed by the id alone hashes
	// half as much and is half the size.
	plain := make(map[string]int32)
	var tenants map[entityKey]int32
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
		id := id(e)
		if id == "" {
			ids[i] = -1
			skipped++
			continue
		}
		if last >= 0 && id == lastID && e.Tenant == lastTenant {
			ids[i] = last
			sizes[last]++
			continue
		}
		var (
			n  int32
			ok bool
		)
		if e.Tenant == "" {
			if n, ok = plain[id]; !ok {
				n = int32(len(sizes))
				plain[id] = n
				sizes = push(sizes, 0)
			}
		} else {
			if tenants == nil {
				tenants = make(map[entityKey]int32)
			}
			k := entityKey{e.Tenant, id}
			if n, ok = tenants[k]; !ok {
				n = int32(len(sizes))
				tenants[k] = n
				sizes = push(sizes, 0)
			}
		}
		ids[i] = n
		sizes[n]++
		lastTenant, lastID, last = e.Tenant, id, n
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
