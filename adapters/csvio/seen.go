package csvio

import (
	"fmt"
	"strings"
)

// Seen remembers the (tenant, event_id) pairs read so far, and where each
// was first read, so that a repeated event is dropped as a duplicate and the
// error says which row it repeats. Share one Seen between the readers of
// several files through [Options.Seen].
//
// The zero Seen is ready to use. Its memory grows with the number of
// distinct ids. It is not safe for concurrent use.
type Seen struct {
	first map[seenKey]seenAt
}

type seenKey struct{ tenant, id string }

type seenAt struct {
	name string
	line int
}

// Len returns the number of distinct ids recorded.
func (s *Seen) Len() int { return len(s.first) }

// check records the id read at line of name and returns "" if it is new,
// or a reason naming the earlier row if it is a repeat. The key strings are
// cloned so that the map does not keep whole rows alive.
func (s *Seen) check(tenant, id, name string, line int) string {
	if id == "" {
		return ""
	}
	if s.first == nil {
		s.first = make(map[seenKey]seenAt)
	}
	if at, ok := s.first[seenKey{tenant, id}]; ok {
		switch {
		case at.name == name || at.name == "":
			return fmt.Sprintf("repeats the row on line %d", at.line)
		default:
			return fmt.Sprintf("repeats the row on line %d of %s", at.line, at.name)
		}
	}
	s.first[seenKey{strings.Clone(tenant), strings.Clone(id)}] = seenAt{name, line}
	return ""
}
