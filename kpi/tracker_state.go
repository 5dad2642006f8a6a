package kpi

import (
	"encoding/binary"
	"hash/maphash"
)

// labelTable numbers the label strings (channels, agents, sources) of one
// tracker shard, so that an open conversation keeps four small numbers
// instead of four strings. Number 0 is the empty string. The table only
// grows: its size is the number of distinct labels, not of conversations.
// A small cache of recent numbers, checked by one string comparison,
// spares most look-ups of the map: a shard sees few labels, over and
// over.
type labelTable struct {
	ids    map[string]uint32
	names  []string
	recent [labelCache]uint32
}

// labelCache is the size of a labelTable's cache, a power of two.
const labelCache = 16

func newLabelTable() labelTable {
	return labelTable{ids: map[string]uint32{"": 0}, names: []string{""}}
}

// id returns the number of s, numbering it when new.
func (l *labelTable) id(s string) uint32 {
	if s == "" {
		return 0
	}
	slot := (len(s) ^ int(s[0]) ^ int(s[len(s)-1])<<2) & (labelCache - 1)
	if n := l.recent[slot]; l.names[n] == s {
		return n
	}
	n, ok := l.ids[s]
	if !ok {
		n = uint32(len(l.names))
		l.ids[s] = n
		l.names = append(l.names, s)
	}
	l.recent[slot] = n
	return n
}

// storedConv is what a [Tracker] keeps of one open conversation: the
// [convState] of the batch path, with its label strings numbered in the
// shard's labelTable, plus the place of the conversation's key, the next
// instant it needs looking at and the notices already sent. The batch
// state machine runs on the expanded form; storing it compactly is what
// keeps a million open conversations within 200 MB. It holds no pointer,
// so the garbage collector never reads the pages that hold it.
type storedConv struct {
	firstIn, firstReply, firstBot, handoff, handoffReply int64
	booking, confirmed, closed, waiting, lastAt          int64
	// wake is the instant of the conversation's live entry in the wake
	// heap: the next notice due, or the time it goes idle.
	wake int64
	// keyAt and keyLen place the encoded lead key (see encodeKey) in
	// the convTable's keys; keyLen 0 marks a free slot.
	keyAt, keyLen int
	greetings     int32
	channel       uint32
	agent         uint32
	anyAgent      uint32
	source        uint32
	lastRank      uint8
	stage         uint8 // notices sent: 0 none, stageAtRisk, stageBreach
}

// Notice stages of a storedConv.
const (
	stageNone   = 0
	stageAtRisk = 1
	stageBreach = 2
)

// expand returns the conversation's state for the batch state machine.
func (c *storedConv) expand(l *labelTable) convState {
	return convState{
		firstIn: c.firstIn, firstReply: c.firstReply, firstBot: c.firstBot, handoff: c.handoff,
		handoffReply: c.handoffReply, booking: c.booking, confirmed: c.confirmed, closed: c.closed,
		waiting: c.waiting, lastAt: c.lastAt, lastRank: c.lastRank, greetings: c.greetings,
		channel: l.names[c.channel], agent: l.names[c.agent], anyAgent: l.names[c.anyAgent],
		source: l.names[c.source],
	}
}

// store keeps st in c, numbering its labels in l. A state that was fed an
// event out of order is never stored: the caller drops it.
func (c *storedConv) store(st *convState, l *labelTable) {
	c.firstIn, c.firstReply, c.firstBot, c.handoff = st.firstIn, st.firstReply, st.firstBot, st.handoff
	c.handoffReply, c.booking, c.confirmed, c.closed = st.handoffReply, st.booking, st.confirmed, st.closed
	c.waiting, c.lastAt, c.lastRank, c.greetings = st.waiting, st.lastAt, st.lastRank, st.greetings
	// The state machine names a channel, a source and any agent only
	// where it had none (see convState.observe), so only an empty one
	// can change; the replying agent is compared in full.
	if c.channel == 0 {
		c.channel = l.id(st.channel)
	}
	if c.anyAgent == 0 {
		c.anyAgent = l.id(st.anyAgent)
	}
	if c.source == 0 {
		c.source = l.id(st.source)
	}
	if l.names[c.agent] != st.agent {
		c.agent = l.id(st.agent)
	}
}

// encodeKey turns a lead key into one string: the conversation id itself
// for the common case (no tenant, no contact, not starting with a zero
// byte), otherwise a zero byte, a kind byte ('c' conversation, 'p'
// contact), the tenant's length as a uvarint, the tenant and the id.
func encodeKey(k leadKey) string {
	if k.tenant == "" && k.contact == "" && (k.conversation == "" || k.conversation[0] != 0) {
		return k.conversation
	}
	kind, id := byte('c'), k.conversation
	if k.contact != "" {
		kind, id = 'p', k.contact
	}
	b := make([]byte, 0, 2+binary.MaxVarintLen64+len(k.tenant)+len(id))
	b = append(b, 0, kind)
	b = binary.AppendUvarint(b, uint64(len(k.tenant)))
	b = append(b, k.tenant...)
	b = append(b, id...)
	return string(b)
}

// decodeKey reverses encodeKey; ok is false for a string encodeKey never
// returns.
func decodeKey(s string) (k leadKey, ok bool) {
	if s == "" || s[0] != 0 {
		return leadKey{conversation: s}, true
	}
	if len(s) < 2 {
		return leadKey{}, false
	}
	kind := s[1]
	n, w := binary.Uvarint([]byte(s[2:min(len(s), 2+binary.MaxVarintLen64)]))
	if w <= 0 || n > uint64(len(s)-2-w) {
		return leadKey{}, false
	}
	rest := s[2+w:]
	k.tenant, rest = rest[:n], rest[n:]
	switch kind {
	case 'c':
		k.conversation = rest
		if k.tenant == "" && (rest == "" || rest[0] != 0) {
			return leadKey{}, false // encodeKey writes this one plain
		}
	case 'p':
		k.contact = rest
		if rest == "" {
			return leadKey{}, false
		}
	default:
		return leadKey{}, false
	}
	return k, true
}

// convPageBits sets the size of a page of stored conversations: 1 024.
// Pages never move, so growth copies nothing and wastes at most a page.
const convPageBits = 10

// convTable holds the open conversations of one shard: stored states in
// fixed pages, a free list of slots, their keys one after another in one
// byte slice (keys of closed conversations are dropped when they are
// half of it), and an open-addressing index from key to slot (linear
// probing; each cell holds the high 32 bits of the key's hash, whose low
// bits are the cell's home, and the slot + 1, 0 meaning empty), at most
// three quarters full. Nothing in it holds a pointer but the slices
// themselves, and a new conversation allocates nothing once they have
// grown.
type convTable struct {
	pages    [][]storedConv
	free     []int32
	used     int
	keys     []byte
	deadKeys int // bytes of keys that are no conversation's
	cells    []uint64
	seed     maphash.Seed
	// touched sums what findAll reads only to bring it into the
	// cache, so that the reads are not left out.
	touched int64
}

func newConvTable(seed maphash.Seed) convTable {
	return convTable{seed: seed, cells: make([]uint64, 16)}
}

// at returns the conversation in slot i.
func (t *convTable) at(i int32) *storedConv {
	return &t.pages[i>>convPageBits][i&(1<<convPageBits-1)]
}

// slots returns the number of slots ever made (open or free).
func (t *convTable) slots() int { return len(t.pages) << convPageBits }

// key returns the encoded key of the open conversation c. The bytes are
// the table's: they change when conversations are closed.
func (t *convTable) key(c *storedConv) []byte {
	return t.keys[c.keyAt : c.keyAt+c.keyLen : c.keyAt+c.keyLen]
}

// find returns the slot of key and whether it is there.
func (t *convTable) find(key string, h uint64) (int32, bool) {
	mask := uint64(len(t.cells) - 1)
	tag := h >> 32
	for i := tag & mask; ; i = (i + 1) & mask {
		c := t.cells[i]
		if c == 0 {
			return 0, false
		}
		if c>>32 == tag {
			s := int32(uint32(c)) - 1
			if string(t.key(t.at(s))) == key {
				return s, true
			}
		}
	}
}

// insert makes a new conversation for key (which is not there) and
// returns its slot, zeroed but for the key.
func (t *convTable) insert(key string, h uint64) int32 {
	if (t.used+1)*4 > len(t.cells)*3 {
		t.grow()
	}
	var s int32
	if n := len(t.free); n > 0 {
		s = t.free[n-1]
		t.free = t.free[:n-1]
	} else {
		s = int32(t.slots())
		t.pages = append(t.pages, make([]storedConv, 1<<convPageBits))
		for i := int32(1<<convPageBits) - 1; i > 0; i-- {
			t.free = append(t.free, s+i)
		}
	}
	*t.at(s) = storedConv{keyAt: len(t.keys), keyLen: len(key)}
	t.keys = append(t.keys, key...)
	t.place(h, s)
	t.used++
	return s
}

// place puts slot s, whose key hashes to h, in the index.
func (t *convTable) place(h uint64, s int32) {
	mask := uint64(len(t.cells) - 1)
	i := h >> 32 & mask
	for t.cells[i] != 0 {
		i = (i + 1) & mask
	}
	t.cells[i] = h>>32<<32 | uint64(uint32(s+1))
}

// grow doubles the index. A cell's home is its tag's low bits, so cells
// move without hashing a key or reading a conversation.
func (t *convTable) grow() {
	old := t.cells
	t.cells = make([]uint64, 2*len(old))
	for _, c := range old {
		if c != 0 {
			t.place(c, int32(uint32(c))-1)
		}
	}
}

// remove deletes the conversation in slot s and frees the slot; cells
// after it in its probe run shift back so no tombstone is left.
func (t *convTable) remove(s int32) {
	mask := uint64(len(t.cells) - 1)
	c := t.at(s)
	i := maphash.Bytes(t.seed, t.key(c)) >> 32 & mask
	for int32(uint32(t.cells[i]))-1 != s {
		i = (i + 1) & mask
	}
	for j := (i + 1) & mask; t.cells[j] != 0; j = (j + 1) & mask {
		home := t.cells[j] >> 32 & mask
		// The cell at j may move to the hole at i when its home is not
		// in the cyclic range (i, j].
		if (j > i && (home <= i || home > j)) || (j < i && home <= i && home > j) {
			t.cells[i] = t.cells[j]
			i = j
		}
	}
	t.cells[i] = 0
	t.deadKeys += c.keyLen
	*c = storedConv{}
	t.free = append(t.free, s)
	t.used--
	switch {
	case t.used == 0:
		t.keys, t.deadKeys = t.keys[:0], 0
	case t.deadKeys > len(t.keys)/2 && t.deadKeys >= 8*t.slots():
		// Dropping the dead keys reads every slot: after at least one
		// byte of dead key per eight slots, and as much as is live.
		t.compactKeys()
	}
}

// compactKeys copies the keys of the open conversations to a new slice,
// leaving out those of closed ones.
func (t *convTable) compactKeys() {
	live := len(t.keys) - t.deadKeys
	keys := make([]byte, 0, live+live/4)
	for _, page := range t.pages {
		for i := range page {
			c := &page[i]
			if c.keyLen > 0 {
				at := len(keys)
				keys = append(keys, t.key(c)...)
				c.keyAt = at
			}
		}
	}
	t.keys, t.deadKeys = keys, 0
}

// tenantOf returns the tenant of the open conversation c, allocating only
// for a tenant the shard has not seen: the shard keeps one string per
// tenant (the tenants of a platform are few next to its conversations).
func (sh *trackerShard) tenantOf(c *storedConv) string {
	k := sh.convs.key(c)
	if len(k) < 2 || k[0] != 0 {
		return "" // a plain conversation id, see encodeKey
	}
	n, w := binary.Uvarint(k[2:])
	if w <= 0 || n > uint64(len(k)-2-w) {
		return "" // never stored: keys are encodeKey's
	}
	b := k[2+w : 2+w+int(n)]
	if s, ok := sh.tenants[string(b)]; ok {
		return s
	}
	s := string(b)
	sh.tenants[s] = s
	return s
}
