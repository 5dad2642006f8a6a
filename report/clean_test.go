package report

import (
	"bytes"
	"strings"
	"testing"
)

func TestCleanText(t *testing.T) {
	tests := []struct{ reason, in, want string }{
		{"plain text stays", "Салон «Ромашка» & Co", "Салон «Ромашка» & Co"},
		{"a terminal escape loses its ESC", "\x1b[31mred\x1b[0m", " [31mred [0m"},
		{"line breaks and tabs become spaces", "a\nb\tc\r", "a b c "},
		{"C1 controls and DEL", "a\u0085b\x7fc", "a b c"},
		{"bytes that are not UTF-8", "a\xffb", "a\uFFFDb"},
	}
	for _, tc := range tests {
		if got := cleanText(tc.in); got != tc.want {
			t.Errorf("%s: cleanText(%q) = %q, want %q", tc.reason, tc.in, got, tc.want)
		}
	}
}

// A channel named with a terminal escape cannot recolour the owner's
// terminal: the text output carries no ESC.
func TestTextHasNoControlCharacters(t *testing.T) {
	reports := fixtureReports(t)
	reports[3].(*Dashboard).ByChannel[0].Key = "\x1b]0;pwned\x07whatsapp"
	reports[0].(*DailyDigest).Title = "Salon\x1b[2J"
	for _, f := range []Format{Text, Markdown, Message} {
		var b bytes.Buffer
		if err := Render(&b, f, reports[0], reports[3]); err != nil {
			t.Fatal(err)
		}
		if i := strings.IndexFunc(b.String(), func(r rune) bool { return r != '\n' && isControl(r) }); i >= 0 {
			t.Errorf("%v output has a control character at %d: %q", f, i, b.String()[max(0, i-10):i+10])
		}
	}
}
