package kpi

import "fmt"

// enum is the text form of one of this package's small enumerations:
// names[v] is the text of value v, and "" marks a value that has none.
type enum[T ~uint8] struct {
	typ   string // the Go type's name, for String of an unknown value
	what  string // what it is in words, for errors
	names []string
}

// String returns the text of v, or "Type(N)" for a value without one.
func (e enum[T]) String(v T) string {
	if int(v) < len(e.names) && e.names[v] != "" {
		return e.names[v]
	}
	return fmt.Sprintf("%s(%d)", e.typ, uint8(v))
}

// marshal returns the text of v, or an error for a value without one.
func (e enum[T]) marshal(v T) ([]byte, error) {
	if int(v) < len(e.names) && e.names[v] != "" {
		return []byte(e.names[v]), nil
	}
	return nil, fmt.Errorf("kpi: invalid %s %d", e.what, uint8(v))
}

// parse returns the value whose text is s; want lists the accepted texts
// for the error.
func (e enum[T]) parse(s, want string) (T, error) {
	for v, n := range e.names {
		if n != "" && n == s {
			return T(v), nil
		}
	}
	return 0, fmt.Errorf("kpi: unknown %s %q (want %s)", e.what, s, want)
}
