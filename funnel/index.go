package funnel

import "hash/maphash"

// entityIndex numbers the entities (tenant, id) of a set of events in the
// order they first appear. It is an open-addressing hash table of 8-byte
// slots, each a 32-bit hash and an entity number, whose keys stay in the
// events: the table is a third of the size of a map of strings, and a new
// entity costs one probe of one cache line, where a map is looked up and
// then assigned. The numbering does not depend on the hash seed. An
// entityIndex is not safe for concurrent use.
type entityIndex struct {
	seed  maphash.Seed
	slots []entitySlot // a power of two in length
	used  int
	// first[n] is the position of entity n's first event.
	first []int32
}

// entitySlot is a slot of the table: ent is the entity number plus one, 0
// for an empty slot; tag is the key's hash, from whose low bits the slot's
// position follows, so the table grows without looking at the keys.
type entitySlot struct{ tag, ent uint32 }

func newEntityIndex() *entityIndex {
	return &entityIndex{seed: maphash.MakeSeed(), slots: make([]entitySlot, 1024)}
}

// tag returns the hash of the key (tenant, id).
func (x *entityIndex) tag(tenant, id string) uint32 {
	h := maphash.String(x.seed, id)
	if tenant != "" {
		h = h*0x9E3779B97F4A7C15 ^ maphash.String(x.seed, tenant)
	}
	return uint32(h ^ h>>32)
}

// find returns the number of the entity with the given tag for which same
// reports true (same is asked of entity numbers whose tag matches), or
// adds the entity first seen at event position i and returns its new
// number and true.
func (x *entityIndex) find(tag uint32, i int32, same func(first int32) bool) (n int32, added bool) {
	mask := uint32(len(x.slots) - 1)
	for p := tag & mask; ; p = (p + 1) & mask {
		s := &x.slots[p]
		if s.ent == 0 {
			n = int32(len(x.first))
			*s = entitySlot{tag, uint32(n) + 1}
			x.first = push(x.first, i)
			if x.used++; x.used*4 >= len(x.slots)*3 {
				x.grow()
			}
			return n, true
		}
		if s.tag == tag && same(x.first[s.ent-1]) {
			return int32(s.ent - 1), false
		}
	}
}

// grow doubles the table.
func (x *entityIndex) grow() {
	slots := make([]entitySlot, 2*len(x.slots))
	mask := uint32(len(slots) - 1)
	for _, s := range x.slots {
		if s.ent == 0 {
			continue
		}
		p := s.tag & mask
		for slots[p].ent != 0 {
			p = (p + 1) & mask
		}
		slots[p] = s
	}
	x.slots = slots
}
