package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata from the current output")

// TestGolden renders the five reports of the fixture in text, Markdown and
// JSON and compares them with testdata/fixture.*. The numbers in them are
// the hand-checked ones of the *HandChecked tests; run with -update after a
// deliberate change of layout and read the diff.
func TestGolden(t *testing.T) {
	reports := fixtureReports(t)
	for _, tc := range []struct {
		format Format
		file   string
	}{
		{Text, "fixture.txt"},
		{Markdown, "fixture.md"},
		{JSON, "fixture.json"},
	} {
		var b bytes.Buffer
		if err := Render(&b, tc.format, reports...); err != nil {
			t.Fatalf("%v: %v", tc.format, err)
		}
		path := filepath.Join("testdata", tc.file)
		if *update {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if diff := cmp.Diff(string(want), b.String()); diff != "" {
			t.Errorf("%s differs (-want +got):\n%s", tc.file, diff)
		}
	}
}

func TestJSONIsValidAndUndefinedIsNull(t *testing.T) {
	var b bytes.Buffer
	if err := Render(&b, JSON, fixtureReports(t)...); err != nil {
		t.Fatal(err)
	}
	var v map[string]map[string]any
	if err := json.Unmarshal(b.Bytes(), &v); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if diff := cmp.Diff([]string{"bot", "daily", "dashboard", "monthly", "weekly"}, keys(v)); diff != "" {
		t.Errorf("kinds (-want +got):\n%s", diff)
	}
	// The previous week had no bookings: its no-show rate is null.
	prev := v["weekly"]["previous"].(map[string]any)
	if r, ok := prev["no_show_rate"]; !ok || r != nil {
		t.Errorf("previous no_show_rate = %v, want null", r)
	}
	// Money is a decimal string with its currency, never a float.
	spend := v["monthly"]["total"].(map[string]any)["spend"].(map[string]any)
	if diff := cmp.Diff(map[string]any{"amount": "9000.00", "currency": "RUB"}, spend); diff != "" {
		t.Errorf("spend (-want +got):\n%s", diff)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestMessage(t *testing.T) {
	reports := fixtureReports(t)
	daily, dash := reports[0].(*DailyDigest), reports[3].(*Dashboard)
	m := daily.Message()
	for _, want := range []string{"⚠ SLA rate 50.0% is below 70%", "New leads: 5 (+2 vs 3)", "Median first reply: 10s",
		"P90: 4m02s", "SLA rate: 50.0% 🔴 red", "Revenue: 3 500,00 ₽"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("digest message lacks %q:\n%s", want, m.Text)
		}
	}
	if m.Subject != "Test salon: Leads Tue 2026-03-03" {
		t.Errorf("subject = %q", m.Subject)
	}
	a := dash.Message()
	if !strings.HasPrefix(a.Subject, "Test salon: SLA alert: 57.1% < 70%") {
		t.Errorf("alert subject = %q", a.Subject)
	}
	if err := Render(io.Discard, Message, reports[1]); !errors.Is(err, ErrNoMessage) {
		t.Errorf("weekly as a message: err = %v, want ErrNoMessage", err)
	}
	// However long the business name, the message fits Telegram.
	daily.Title = strings.Repeat("Салон ", 2000)
	if n := utf8.RuneCountInString(daily.Message().Text); n > 4096 {
		t.Errorf("message of %d characters, over Telegram's 4096", n)
	}
	var b bytes.Buffer
	if err := Render(&b, Message, daily); err != nil || utf8.RuneCountInString(b.String()) > 4097 {
		t.Errorf("rendered message: %d characters, err %v", utf8.RuneCountInString(b.String()), err)
	}
}

// TestHTMLWellFormed parses the page as strict XML: every element closed,
// attributes quoted, no named entity; checks that nothing in it would make
// a request (no address in src, href or url(), no @import), and that the
// fixture's page names no URL at all.
func TestHTMLWellFormed(t *testing.T) {
	reports := fixtureReports(t)
	// A business name with markup in it must come out as text.
	reports[0].(*DailyDigest).Title = `<script>alert("x")</script> & Co`
	var b bytes.Buffer
	if err := Render(&b, HTML, reports...); err != nil {
		t.Fatal(err)
	}
	checkHTML(t, b.Bytes())
	if bytes.Contains(b.Bytes(), []byte("http://")) || bytes.Contains(b.Bytes(), []byte("https://")) {
		t.Error("the page names a URL")
	}
	if bytes.Contains(b.Bytes(), []byte("<script>")) {
		t.Error("the business name's <script> was not escaped")
	}
	for _, want := range []string{`<meta name="viewport"`, "<svg", "SLA 1m", "green ≥ 80%", "red</span>",
		"Weekly no-shows", "weekly retention", "funnel: dialogs, leads, deals, payments", "revenue by channel"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

// externalRef returns the first reference in page that would make a
// request: src=, href= or url( followed by a scheme-relative or http(s)
// address, or an @import; "" when there is none.
func externalRef(page []byte) string {
	lower := bytes.ToLower(page)
	if i := bytes.Index(lower, []byte("@import")); i >= 0 {
		return string(page[i:min(len(page), i+40)])
	}
	for _, attr := range []string{"src", "href", "url("} {
		for rest, off := lower, 0; ; {
			i := bytes.Index(rest, []byte(attr))
			if i < 0 {
				break
			}
			j := i + len(attr)
			v := bytes.TrimLeft(rest[j:], " \t\n=\"'(")
			if bytes.HasPrefix(v, []byte("//")) || bytes.HasPrefix(v, []byte("http:")) || bytes.HasPrefix(v, []byte("https:")) {
				return string(page[off+i : min(len(page), off+i+60)])
			}
			off += j
			rest = rest[j:]
		}
	}
	return ""
}

func TestExternalRef(t *testing.T) {
	tests := []struct {
		reason, page string
		found        bool
	}{
		{"an inline page", `<svg><rect fill="#fff"/></svg><a href="#top">top</a>`, false},
		{"a script from a CDN", `<script src="https://cdn.example/x.js"></script>`, true},
		{"a scheme-relative image", `<img SRC = '//img.example/a.png'>`, true},
		{"a link", `<a href=http://example.com>x</a>`, true},
		{"a font in CSS", `body { background: url( "https://x.example/f.woff") }`, true},
		{"an import", `<style>@import "a.css";</style>`, true},
	}
	for _, tc := range tests {
		if got := externalRef([]byte(tc.page)) != ""; got != tc.found {
			t.Errorf("%s: found %v, want %v", tc.reason, got, tc.found)
		}
	}
}

func checkHTML(t *testing.T, page []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict = true
	d.AutoClose = nil
	d.Entity = nil
	depth, elements, inStyle := 0, 0, false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed at offset %d: %v", d.InputOffset(), err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			depth++
			elements++
			inStyle = tok.Name.Local == "style"
			for _, a := range tok.Attr {
				switch strings.ToLower(a.Name.Local) {
				case "src", "href", "style", "srcset", "action", "poster", "data":
					if ref := externalRef([]byte(strings.ToLower(a.Name.Local) + "=" + a.Value)); ref != "" {
						t.Errorf("<%s> refers outside: %q", tok.Name.Local, ref)
					}
				}
			}
		case xml.EndElement:
			depth--
			inStyle = false
		case xml.CharData:
			if ref := externalRef(tok); inStyle && ref != "" {
				t.Errorf("the style sheet refers outside: %q", ref)
			}
		}
	}
	if depth != 0 || elements < 50 {
		t.Errorf("depth %d at the end, %d elements", depth, elements)
	}
}
