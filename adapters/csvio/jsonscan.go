package csvio

import (
	"strings"
	"unicode/utf8"
)

// scanJSON is the fast path of JSON Lines: it reads a flat object whose
// keys are the layout's own names and whose values are strings without
// escapes, numbers or null, into v, with one allocation for the whole line.
// It reports false for anything else (escapes, other keys, nested values,
// malformed text), and the caller then decodes the line with encoding/json,
// which handles, or names the fault in, everything. On the lines it takes,
// it gives what encoding/json gives.
func scanJSON(b []byte, v *row) bool {
	s := string(b) // the one allocation: every value is a substring of it
	i := skipSpace(s, 0)
	if i >= len(s) || s[i] != '{' {
		return false
	}
	i = skipSpace(s, i+1)
	if i < len(s) && s[i] == '}' {
		return skipSpace(s, i+1) == len(s)
	}
	for {
		// "key"
		if i >= len(s) || s[i] != '"' {
			return false
		}
		key, j, ok := plainString(s, i)
		if !ok {
			return false
		}
		c, known := jsonKeys[key]
		if !known {
			return false
		}
		i = skipSpace(s, j)
		if i >= len(s) || s[i] != ':' {
			return false
		}
		i = skipSpace(s, i+1)
		if i >= len(s) {
			return false
		}
		// value
		var val string
		switch ch := s[i]; {
		case ch == '"':
			if val, j, ok = plainString(s, i); !ok {
				return false
			}
		case ch == '-' || (ch >= '0' && ch <= '9'):
			if j, ok = jsonNumber(s, i); !ok {
				return false
			}
			val = s[i:j]
		case ch == 'n' && len(s)-i >= 4 && s[i:i+4] == "null":
			j = i + 4
		default:
			return false
		}
		v[c] = strings.TrimSpace(val)
		i = skipSpace(s, j)
		if i >= len(s) {
			return false
		}
		switch s[i] {
		case ',':
			i = skipSpace(s, i+1)
		case '}':
			return skipSpace(s, i+1) == len(s)
		default:
			return false
		}
	}
}

// jsonKeys maps the layouts' names to their columns.
var jsonKeys = func() map[string]column {
	m := make(map[string]column, columnCount)
	for c := colEventID; c < columnCount; c++ {
		m[columnNames[c]] = c
	}
	return m
}()

func skipSpace(s string, i int) int {
	for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n') {
		i++
	}
	return i
}

// plainString reads the JSON string at s[i] (a quote) if it has no escape,
// no control character and valid UTF-8; it returns its text and the index
// after the closing quote.
func plainString(s string, i int) (string, int, bool) {
	for j := i + 1; j < len(s); j++ {
		switch c := s[j]; {
		case c == '"':
			str := s[i+1 : j]
			return str, j + 1, utf8.ValidString(str)
		case c == '\\' || c < 0x20:
			return "", 0, false
		}
	}
	return "", 0, false
}

// jsonNumber checks the JSON number at s[i] and returns the index after it:
// -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
func jsonNumber(s string, i int) (int, bool) {
	if s[i] == '-' {
		i++
	}
	digits := func() bool {
		j := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i > j
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case !digits():
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if !digits() {
			return 0, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if !digits() {
			return 0, false
		}
	}
	return i, true
}
