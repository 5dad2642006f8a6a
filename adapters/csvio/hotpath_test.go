package csvio

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
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

// TestParseRFC3339 checks the fast path of the time parser against the
// general one (the very same time.Time: instant, zone and all) and against
// time.Parse, on times of every field's range and beyond it, in the
// shapes the fast path takes and in others next to them.
func TestParseRFC3339(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		y := rapid.IntRange(0, 9999).Draw(t, "year")
		mo := rapid.IntRange(0, 13).Draw(t, "month")
		d := rapid.IntRange(0, 32).Draw(t, "day")
		h := rapid.IntRange(0, 24).Draw(t, "hour")
		mi := rapid.IntRange(0, 60).Draw(t, "minute")
		sec := rapid.IntRange(0, 60).Draw(t, "second")
		sep := rapid.SampledFrom([]string{"T", " ", "t", "_"}).Draw(t, "sep")
		zone := rapid.OneOf(
			rapid.SampledFrom([]string{"Z", "z", "+00:00", "-00:00", "", "+0300", "+03", ".5Z", "Z "}),
			rapid.Custom(func(t *rapid.T) string {
				return fmt.Sprintf("%s%02d:%02d", rapid.SampledFrom([]string{"+", "-"}).Draw(t, "sign"),
					rapid.IntRange(0, 24).Draw(t, "oh"), rapid.IntRange(0, 60).Draw(t, "om"))
			}),
		).Draw(t, "zone")
		s := fmt.Sprintf("%04d-%02d-%02d%s%02d:%02d:%02d%s", y, mo, d, sep, h, mi, sec, zone)

		var z zoneCache
		fast, ok := parseRFC3339(s, &z)
		general, why := parseISO(s, nil, &z)
		if !ok {
			if len(s) == 20 && (s[19] == 'Z' || s[19] == 'z') || len(s) == 25 && s[22] == ':' {
				if why == "" {
					t.Fatalf("%q: the general parser reads %v, the fast path refuses it", s, general)
				}
			}
			return
		}
		if why != "" {
			t.Fatalf("%q: the fast path reads %v, the general parser refuses it: %s", s, fast, why)
		}
		if fast != general {
			t.Fatalf("%q: fast path %#v, general parser %#v", s, fast, general)
		}
		std, err := time.Parse(time.RFC3339, strings.ToUpper(strings.Replace(s, " ", "T", 1)))
		if err != nil {
			t.Fatalf("%q: read as %v, but time.Parse says %v", s, fast, err)
		}
		_, fastOff := fast.Zone()
		_, stdOff := std.Zone()
		if !fast.Equal(std) || fastOff != stdOff {
			t.Fatalf("%q: read as %v, time.Parse gives %v", s, fast, std)
		}
	})
}

func TestDaysSinceEpoch(t *testing.T) {
	tests := []struct {
		reason  string
		y, m, d int
		want    int64
	}{
		{"the epoch", 1970, 1, 1, 0},
		{"the day before", 1969, 12, 31, -1},
		{"a leap day", 2024, 2, 29, 19782},
		{"the day after a leap day", 2024, 3, 1, 19783},
		{"2000 is a leap year", 2000, 3, 1, 11017},
		{"1900 is not", 1900, 3, 1, -25508},
		{"the first day of year 1", 1, 1, 1, -719162},
		{"the last day of 9999", 9999, 12, 31, 2932896},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			// The wants are what Python gives for (date(y, m, d) - date(1970, 1, 1)).days.
			if got := daysSinceEpoch(tt.y, tt.m, tt.d); got != tt.want {
				t.Errorf("daysSinceEpoch(%d, %d, %d) = %d, want %d", tt.y, tt.m, tt.d, got, tt.want)
			}
		})
	}
}

// TestReadTrimsFields reads rows whose fields have spaces around them,
// ASCII and Unicode, quoted and not, and rows with none, and checks that
// every field is trimmed as strings.TrimSpace trims it.
func TestReadTrimsFields(t *testing.T) {
	const header = "event_id,kind,at,conversation_id,channel,agent,source\n"
	tests := []struct {
		reason string
		row    string
		want   onemin.Event
	}{
		{
			reason: "no spaces",
			row:    "e1,message_in,2026-10-01T12:00:00Z,c1,web,bot,ads",
			want:   onemin.Event{ID: "e1", Kind: onemin.MessageIn, ConversationID: "c1", Channel: "web", Agent: "bot", Source: "ads"},
		},
		{
			reason: "ASCII spaces and tabs around unquoted fields",
			row:    " e1 ,\tmessage_in , 2026-10-01T12:00:00Z,c1 ,  web,bot\t, ads",
			want:   onemin.Event{ID: "e1", Kind: onemin.MessageIn, ConversationID: "c1", Channel: "web", Agent: "bot", Source: "ads"},
		},
		{
			reason: "no-break and ideographic spaces; a Cyrillic name keeps its letters",
			row:    "\u00a0e1,message_in,2026-10-01T12:00:00Z,c1\u3000,web, Анна\u00a0,ads",
			want:   onemin.Event{ID: "e1", Kind: onemin.MessageIn, ConversationID: "c1", Channel: "web", Agent: "Анна", Source: "ads"},
		},
		{
			reason: "spaces inside a field stay; quoted fields are trimmed too",
			row:    `" e1 ",message_in,2026-10-01T12:00:00Z,c1,web,"Anna K",  direct ads `,
			want:   onemin.Event{ID: "e1", Kind: onemin.MessageIn, ConversationID: "c1", Channel: "web", Agent: "Anna K", Source: "direct ads"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.reason, func(t *testing.T) {
			res, err := ReadAll(strings.NewReader(header+tt.row+"\n"), Options{})
			if err != nil || len(res.Events) != 1 {
				t.Fatalf("ReadAll: %v, %d events, rejected %v", err, len(res.Events), res.Rejected)
			}
			want := tt.want
			want.Actor = onemin.Customer
			want.At = time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)
			if diff := cmp.Diff(want, res.Events[0]); diff != "" {
				t.Errorf("event (-want +got):\n%s", diff)
			}
		})
	}
}

// TestKindAndActorText checks the name lookups against onemin.ParseKind
// and onemin.ParseActor of the lower-cased text, on every name in random
// case and on text that is no name.
func TestKindAndActorText(t *testing.T) {
	var names []string
	for _, k := range onemin.Kinds() {
		names = append(names, k.String())
	}
	for a := onemin.ActorNone + 1; a.Valid(); a++ {
		names = append(names, a.String())
	}
	if len(kinds) != len(onemin.Kinds()) || len(actors) < 4 {
		t.Fatalf("%d kind names for %d kinds, %d actor names", len(kinds), len(onemin.Kinds()), len(actors))
	}
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.OneOf(rapid.SampledFrom(names), rapid.SampledFrom([]string{"", "message", "Bot ", "ВОТ", "human\x00"})).Draw(t, "name")
		b := []byte(s)
		for i := range b {
			if b[i] >= 'a' && b[i] <= 'z' && rapid.Bool().Draw(t, "upper") {
				b[i] -= 'a' - 'A'
			}
		}
		s = string(b)
		wantK, errK := onemin.ParseKind(strings.ToLower(s))
		if k, ok := parseKindText(s); k != wantK || ok != (errK == nil) {
			t.Fatalf("parseKindText(%q) = %v, %v; ParseKind gives %v, %v", s, k, ok, wantK, errK)
		}
		wantA, errA := onemin.ParseActor(strings.ToLower(s))
		if a, ok := parseActorText(s); a != wantA || ok != (errA == nil) {
			t.Fatalf("parseActorText(%q) = %v, %v; ParseActor gives %v, %v", s, a, ok, wantA, errA)
		}
	})
}
