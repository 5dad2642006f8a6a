package report

import (
	"strings"
	"unicode/utf8"
)

// cleanText makes text from the data safe to show: control characters
// (which could drive a terminal, or make the page ill-formed) become
// spaces, and bytes that are not UTF-8 become U+FFFD. JSON keeps the
// data as it is, escaped.
func cleanText(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for _, r := range s {
			if isControl(r) {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// isControl reports C0 and C1 controls, DEL, and the non-characters XML
// forbids.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r <= 0x9f) || r == 0xfffe || r == 0xffff
}

// clean applies cleanText to every text of the document.
func (d *document) clean() {
	d.title = cleanText(d.title)
	d.alert = cleanText(d.alert)
	cleanAll(d.lines)
	for i := range d.sections {
		s := &d.sections[i]
		s.heading = cleanText(s.heading)
		cleanAll(s.notes)
		for j := range s.facts {
			f := &s.facts[j]
			f.label, f.value, f.change = cleanText(f.label), cleanText(f.value), cleanText(f.change)
		}
		if s.table != nil {
			cleanAll(s.table.header)
			for _, r := range s.table.rows {
				for k := range r {
					r[k].text = cleanText(r[k].text)
				}
			}
		}
		if s.chart != nil {
			s.chart.Label = cleanText(s.chart.Label)
			for k := range s.chart.Texts {
				s.chart.Texts[k].Text = cleanText(s.chart.Texts[k].Text)
			}
			for k := range s.chart.Rects {
				s.chart.Rects[k].Title = cleanText(s.chart.Rects[k].Title)
			}
		}
	}
}

func cleanAll(ss []string) {
	for i := range ss {
		ss[i] = cleanText(ss[i])
	}
}

// cleanLines cleans each line of a text, keeping its line breaks.
func cleanLines(text string) []string {
	lines := strings.Split(text, "\n")
	cleanAll(lines)
	return lines
}
