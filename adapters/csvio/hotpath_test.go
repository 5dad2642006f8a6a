package csvio

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

// splitRef is the plain reference for splitUnquoted: the ends of the
// fields strings.Split finds.
func splitRef(b []byte, comma byte) []int {
	var ends []int
	at := 0
	for _, f := range bytes.Split(b, []byte{comma}) {
		at += len(f)
		ends = append(ends, at)
		at++
	}
	return ends
}

// TestSplitUnquoted checks the eight-bytes-at-a-time splitter against
// bytes.Split on rows of every length around the word size, with bytes
// next to the separator's value (where a careless bit trick borrows or
// carries into the next byte) and bytes of every value.
func TestSplitUnquoted(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		comma := rapid.SampledFrom([]byte{',', ';', '\t', '|', 0x01, 0x7f}).Draw(t, "comma")
		b := rapid.SliceOfN(rapid.OneOf(
			rapid.SampledFrom([]byte{comma, comma - 1, comma + 1, comma | 0x80, 0, 0x80, 0xff, 'a'}),
			rapid.Byte(),
		), 0, 40).Draw(t, "row")
		want := splitRef(b, comma)
		got := splitUnquoted(nil, b, comma)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("splitUnquoted(%q, %q) (-bytes.Split +got):\n%s", b, comma, diff)
		}
	})
}

func TestSplitUnquotedCases(t *testing.T) {
	tests := []struct {
		reason string
		row    string
		want   []int
	}{
		{"an empty row is one empty field", "", []int{0}},
		{"separators only", ",,,", []int{0, 1, 2, 3}},
		{"a separator as the eighth byte", "abcdefg,h", []int{7, 9}},
		{"a separator as the ninth byte", "abcdefgh,i", []int{8, 10}},
		{"separators in both words and the tail", "a,cdef,hij,lmnopq,rs", []int{1, 6, 10, 17, 20}},
		{"eight separators in one word", ",,,,,,,,", []int{0, 1, 2, 3, 4, 5, 6, 7, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			if diff := cmp.Diff(tt.want, splitUnquoted(nil, []byte(tt.row), ',')); diff != "" {
				t.Errorf("splitUnquoted(%q) (-want +got):\n%s", tt.row, diff)
			}
		})
	}
}

// TestMayTrim checks that strings.TrimSpace leaves alone every field that
// mayTrim lets through, on fields with ASCII and Unicode spaces (no-break,
// ideographic, next-line) at either end, and non-space letters that share
// their bytes.
func TestMayTrim(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		part := rapid.SampledFrom([]string{"", " ", "\t", "\r", "\v", "\f", "\n", "\u00a0", "\u3000", "\u0085", "\u2028",
			"a", "Анна", "\u00e0", "\u3001", "\u0100", "x y"})
		s := strings.Join(rapid.SliceOfN(part, 0, 6).Draw(t, "parts"), "")
		if trimmed := strings.TrimSpace(s); !mayTrim(s) && trimmed != s {
			t.Fatalf("mayTrim(%q) = false, but strings.TrimSpace gives %q", s, trimmed)
		}
	})
}

// FuzzSplitUnquoted compares the splitter with bytes.Split on any bytes.
func FuzzSplitUnquoted(f *testing.F) {
	f.Add([]byte("a,b,,c"), byte(','))
	f.Add([]byte("abcdefgh;ijklmnop;"), byte(';'))
	f.Fuzz(func(t *testing.T, b []byte, comma byte) {
		if diff := cmp.Diff(splitRef(b, comma), splitUnquoted(nil, b, comma)); diff != "" {
			t.Fatalf("splitUnquoted(%q, %q) (-bytes.Split +got):\n%s", b, comma, diff)
		}
	})
}
