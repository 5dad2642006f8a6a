package report

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRender puts arbitrary text where the data's names go (the business,
// a channel, an employee) and checks that the HTML page stays well-formed
// and makes no request, that the text output carries no control
// character, and that the message fits Telegram.
func FuzzRender(f *testing.F) {
	for _, s := range []string{"whatsapp", "<script>alert(1)</script>", "a]]>b", "\x1b[31m", "&amp;", "\xff\xfe", `" onload="x`, "url(https://x)", "канал"} {
		f.Add(s, s)
	}
	reports := fixtureReports(f)
	daily, weekly, dash := reports[0].(*DailyDigest), reports[1].(*NoShowReport), reports[3].(*Dashboard)
	f.Fuzz(func(t *testing.T, title, name string) {
		daily.Title, dash.Title = title, title
		dash.ByChannel[0].Key = name
		weekly.ByAgent[0].Key = name
		var page bytes.Buffer
		if err := Render(&page, HTML, daily, weekly, dash); err != nil {
			t.Fatal(err)
		}
		checkHTML(t, page.Bytes())
		var text bytes.Buffer
		if err := Render(&text, Text, daily, weekly, dash); err != nil {
			t.Fatal(err)
		}
		if i := strings.IndexFunc(text.String(), func(r rune) bool { return r != '\n' && isControl(r) }); i >= 0 {
			t.Fatalf("control character in the text at %d", i)
		}
		if !utf8.Valid(text.Bytes()) {
			t.Fatal("the text is not UTF-8")
		}
		if n := utf8.RuneCountInString(daily.Message().Text); n > 4096 {
			t.Fatalf("message of %d characters", n)
		}
	})
}
