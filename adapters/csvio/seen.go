package csvio

import (
	"fmt"
	"hash/maphash"
	"math"
	"strings"
)

// Seen remembers the (tenant, event_id) pairs read so far, and where each
// was first read, so that a repeated event is dropped as a duplicate and the
// error says which row it repeats. Share one Seen between the readers of
// several files through [Options.Seen].
//
// The zero Seen is ready to use. Its memory grows with the number of
// distinct ids: 45 to 70 bytes each besides the bytes of the tenant and
// the id, and none of it pointers for the garbage collector to follow. It
// is not safe for concurrent use.
type Seen struct {
	// slots is an open-addressing hash table (linear probing, a power of
	// two long, at most three quarters full) of the 64-bit hashes of the
	// keys, each with its entry. Two keys that share a hash are told
	// apart by comparing their bytes, so a collision never makes a
	// duplicate of a new event: the later key goes to more.
	slots []seenSlot
	ents  []seenEntry
	keys  []byte // every entry's tenant and id, back to back
	more  map[seenKey]seenAt

	names    []string // the inputs entries were read from
	nameIdx  map[string]uint32
	lastName uint32 // the index of the name of the latest entry

	seed maphash.Seed
	// sum, when set, replaces the hash: tests use it to force collisions.
	sum func(tenant, id string) uint64
}

type seenSlot struct {
	hash uint64
	ent  int // 1 + the index of the entry in ents; 0 is an empty slot
}

// seenEntry is a key of the table: its tenant and id are
// keys[start:start+tenant] and keys[start+tenant:end], where start is the
// previous entry's end.
type seenEntry struct {
	end    int
	line   int
	tenant uint32 // the length of the tenant
	name   uint32 // the index of the input's name in names
}

type seenKey struct{ tenant, id string }

type seenAt struct {
	name string
	line int
}

// Len returns the number of distinct ids recorded.
func (s *Seen) Len() int { return len(s.ents) + len(s.more) }

// check records the id read at line of name and returns "" if it is new,
// or a reason naming the earlier row if it is a repeat. The key's bytes
// are copied, so that the table does not keep whole rows alive.
func (s *Seen) check(tenant, id, name string, line int) string {
	if id == "" {
		return ""
	}
	if s.slots == nil {
		s.seed = maphash.MakeSeed()
		s.slots = make([]seenSlot, 1024)
	}
	h := s.hash(tenant, id)
	mask := len(s.slots) - 1
	i := int(h) & mask
	for ; s.slots[i].ent != 0; i = (i + 1) & mask {
		if s.slots[i].hash != h {
			continue
		}
		e := s.slots[i].ent - 1
		if t, d := s.key(e); string(t) == tenant && string(d) == id {
			return repeats(s.ents[e].line, s.names[s.ents[e].name], name)
		}
		// Another key has this hash: keep this one, and look it up,
		// by its text.
		return s.checkMore(tenant, id, name, line)
	}
	if uint64(len(tenant)) > math.MaxUint32 {
		return s.checkMore(tenant, id, name, line)
	}
	s.keys = append(s.keys, tenant...)
	s.keys = append(s.keys, id...)
	s.ents = append(s.ents, seenEntry{end: len(s.keys), line: line, tenant: uint32(len(tenant)), name: s.nameIndex(name)})
	s.slots[i] = seenSlot{hash: h, ent: len(s.ents)}
	if len(s.ents) > len(s.slots)/4*3 {
		s.grow()
	}
	return ""
}

// checkMore is check for the keys whose hash an earlier key has.
func (s *Seen) checkMore(tenant, id, name string, line int) string {
	if at, ok := s.more[seenKey{tenant, id}]; ok {
		return repeats(at.line, at.name, name)
	}
	if s.more == nil {
		s.more = make(map[seenKey]seenAt)
	}
	s.more[seenKey{strings.Clone(tenant), strings.Clone(id)}] = seenAt{name, line}
	return ""
}

// repeats is the reason a row read from name repeats the row at line of
// first.
func repeats(line int, first, name string) string {
	if first == name || first == "" {
		return fmt.Sprintf("repeats the row on line %d", line)
	}
	return fmt.Sprintf("repeats the row on line %d of %s", line, first)
}

// hash returns the 64-bit hash of a key.
func (s *Seen) hash(tenant, id string) uint64 {
	if s.sum != nil {
		return s.sum(tenant, id)
	}
	h := maphash.String(s.seed, id)
	if tenant != "" {
		// Mixed in unevenly, so that swapping tenant and id changes the
		// hash.
		h ^= maphash.String(s.seed, tenant) * 0x9e3779b97f4a7c15
	}
	return h
}

// key returns the bytes of the tenant and id of entry e.
func (s *Seen) key(e int) (tenant, id []byte) {
	start := 0
	if e > 0 {
		start = s.ents[e-1].end
	}
	k := s.keys[start:s.ents[e].end]
	t := int(s.ents[e].tenant)
	return k[:t], k[t:]
}

// nameIndex returns the index of name in names, adding it if need be.
func (s *Seen) nameIndex(name string) uint32 {
	if int(s.lastName) < len(s.names) && s.names[s.lastName] == name {
		return s.lastName
	}
	i, ok := s.nameIdx[name]
	if !ok {
		if s.nameIdx == nil {
			s.nameIdx = make(map[string]uint32)
		}
		i = uint32(len(s.names))
		s.names = append(s.names, name)
		s.nameIdx[name] = i
	}
	s.lastName = i
	return i
}

// grow doubles the table, placing each key again by its stored hash.
func (s *Seen) grow() {
	slots := make([]seenSlot, 2*len(s.slots))
	mask := len(slots) - 1
	for _, sl := range s.slots {
		if sl.ent == 0 {
			continue
		}
		i := int(sl.hash) & mask
		for slots[i].ent != 0 {
			i = (i + 1) & mask
		}
		slots[i] = sl
	}
	s.slots = slots
}
