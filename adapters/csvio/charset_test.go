package csvio

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

// cp1251 holds Windows-1251 bytes, as Python's cp1251 codec encodes
// "Привет, Ёлка №5": an independent reference for the table.
var cp1251Greeting = []byte("\xcf\xf0\xe8\xe2\xe5\xf2, \xa8\xeb\xea\xe0 \xb95")

func decode1251(b []byte) string {
	var out bytes.Buffer
	out.ReadFrom(&win1251Reader{r: bytes.NewReader(b)})
	return out.String()
}

func TestWindows1251(t *testing.T) {
	if got := decode1251(cp1251Greeting); got != "Привет, Ёлка №5" {
		t.Errorf("decoded %q", got)
	}
	// Every byte decodes to one rune: А…я is 0xC0…0xFF in order.
	var all []byte
	for c := 0xC0; c <= 0xFF; c++ {
		all = append(all, byte(c))
	}
	if got := decode1251(all); got != "АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдежзийклмнопрстуфхцчшщъыьэюя" {
		t.Errorf("0xC0–0xFF decoded to %q", got)
	}
}

func TestReadWindows1251(t *testing.T) {
	sheet := []byte("lead_id;channel;received_at;first_reply_at;handler;transfer_at;source;agent\n" +
		"L1;whatsapp;2026-10-01 10:00:00;2026-10-01 10:00:30;\xec\xe5\xed\xe5\xe4\xe6\xe5\xf0;;;\xc0\xeb\xe8\xed\xe0\n") // менеджер, Алина
	for _, tt := range []struct {
		reason   string
		encoding Encoding
		agent    string
		rejected int
	}{
		{"detected", EncodingAuto, "Алина", 0},
		{"named", EncodingWindows1251, "Алина", 0},
		{"forced UTF-8 rejects the row rather than pass on garbage", EncodingUTF8, "", 1},
	} {
		t.Run(tt.reason, func(t *testing.T) {
			r := NewReader(bytes.NewReader(sheet), Options{Location: time.UTC, Encoding: tt.encoding})
			var agents []string
			rejected := 0
			for e, err := range r.All() {
				switch {
				case IsRowError(err):
					rejected++
					if !strings.Contains(err.Error(), "UTF-8") {
						t.Errorf("rejection %q does not say why", err)
					}
				case err != nil:
					t.Fatal(err)
				case e.Kind == onemin.MessageOut:
					agents = append(agents, e.Agent)
					if e.Actor != onemin.Human {
						t.Errorf("handler менеджер read as %v", e.Actor)
					}
				}
			}
			var want []string
			if tt.agent != "" {
				want = []string{tt.agent}
			}
			if diff := cmp.Diff(want, agents); diff != "" || rejected != tt.rejected {
				t.Errorf("agents (-want +got):\n%s, %d rejected, want %d", diff, rejected, tt.rejected)
			}
		})
	}
}

func TestLooksUTF8(t *testing.T) {
	ya := []byte("я") // 0xD1 0x8F
	tests := []struct {
		reason string
		head   []byte
		more   bool
		want   bool
	}{
		{"ASCII", []byte("kind,at\n"), false, true},
		{"Cyrillic UTF-8", []byte("agent\nАлина\n"), false, true},
		{"a rune cut by the buffer's end, more to come", append([]byte("a,"), ya[0]), true, true},
		{"a rune cut at the end of the input", append([]byte("a,"), ya[0]), false, false},
		{"Windows-1251", cp1251Greeting, true, false},
	}
	for _, tt := range tests {
		if got := looksUTF8(tt.head, tt.more); got != tt.want {
			t.Errorf("%s: looksUTF8 = %v", tt.reason, got)
		}
	}
	if !utf8.Valid([]byte(decode1251(cp1251Greeting))) {
		t.Error("decoded text is not UTF-8")
	}
}
