package report

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/onemin/onemin/kpi"
	"github.com/onemin/onemin/report/send"
)

// Format is an output form of the reports.
type Format uint8

// The formats. The zero Format is Text.
const (
	// Text is plain text for a terminal: aligned tables, statuses in words.
	Text Format = iota
	// Markdown is GitHub-flavoured Markdown: headings, lists and tables.
	Markdown
	// Message is a short plain text for Telegram or e-mail, within
	// Telegram's 4096-character limit: the daily digest and the SLA alert.
	Message
	// JSON is the reports' data, keyed by kind; undefined values are null
	// and money is a decimal string with its currency.
	JSON
	// HTML is one self-contained page: inline CSS and inline SVG charts,
	// no script and no external request, readable on a phone.
	HTML
)

var formatNames = [...]string{"text", "markdown", "message", "json", "html"}

// String returns "text", "markdown", "message", "json" or "html".
func (f Format) String() string {
	if int(f) < len(formatNames) {
		return formatNames[f]
	}
	return fmt.Sprintf("Format(%d)", uint8(f))
}

// ParseFormat returns the format named s (see Format.String); "md" is
// Markdown too.
func ParseFormat(s string) (Format, error) {
	if s == "md" {
		return Markdown, nil
	}
	for i, n := range formatNames {
		if s == n {
			return Format(i), nil
		}
	}
	return 0, fmt.Errorf("report: unknown format %q (want %s)", s, strings.Join(formatNames[:], ", "))
}

// ErrNoMessage is returned by Render in the Message format for a report that
// has no short message (only the daily digest and the dashboards have one).
var ErrNoMessage = errors.New("report: no short message for this report")

// Render writes the reports to w in format f, one after the other (in JSON,
// one object with each report under its kind). It returns the first error
// of w, or ErrNoMessage.
func Render(w io.Writer, f Format, reports ...Report) error {
	switch f {
	case JSON:
		return writeJSON(w, reports)
	case HTML:
		docs := make([]*document, len(reports))
		for i, r := range reports {
			docs[i] = r.document()
			docs[i].clean()
		}
		return writeHTML(w, docs)
	case Message:
		var texts []string
		for _, r := range reports {
			m, ok := r.(interface{ Message() send.Message })
			if !ok {
				return fmt.Errorf("%w: %s", ErrNoMessage, r.Kind())
			}
			msg := m.Message()
			texts = append(texts, cleanText(msg.Subject)+"\n"+strings.Join(cleanLines(msg.Text), "\n"))
		}
		_, err := io.WriteString(w, fitMessage(strings.Join(texts, "\n\n"))+"\n")
		return err
	case Text, Markdown:
		var b strings.Builder
		for i, r := range reports {
			if i > 0 {
				b.WriteString("\n")
			}
			d := r.document()
			d.clean()
			if f == Text {
				writeText(&b, d)
			} else {
				writeMarkdown(&b, d)
			}
		}
		_, err := io.WriteString(w, b.String())
		return err
	}
	return fmt.Errorf("report: unknown format %v", f)
}

func writeJSON(w io.Writer, reports []Report) error {
	// An ordered object: kinds in the order given.
	var b strings.Builder
	b.WriteString("{")
	for i, r := range reports {
		v, err := json.MarshalIndent(r, "  ", "  ")
		if err != nil {
			return err
		}
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "\n  %q: %s", r.Kind(), v)
	}
	b.WriteString("\n}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// width is the number of characters s takes in a terminal.
func width(s string) int { return utf8.RuneCountInString(s) }

func pad(s string, n int, right bool) string {
	gap := n - width(s)
	if gap <= 0 {
		return s
	}
	if right {
		return strings.Repeat(" ", gap) + s
	}
	return s + strings.Repeat(" ", gap)
}

func writeText(b *strings.Builder, d *document) {
	b.WriteString(d.title + "\n")
	b.WriteString(strings.Repeat("=", width(d.title)) + "\n")
	for _, l := range d.lines {
		b.WriteString(l + "\n")
	}
	if d.alert != "" {
		b.WriteString("\n!! ALERT: " + d.alert + "\n")
	}
	for _, s := range d.sections {
		b.WriteString("\n" + s.heading + "\n")
		b.WriteString(strings.Repeat("-", width(s.heading)) + "\n")
		lw, vw := 0, 0
		for _, f := range s.facts {
			lw, vw = max(lw, width(f.label)), max(vw, width(f.value))
		}
		for _, f := range s.facts {
			line := "  " + pad(f.label, lw, false) + "  " + pad(f.value, vw, true)
			if f.hasStatus && f.status != kpi.NoStatus {
				line += "  [" + statusWord(f.status) + "]"
			}
			if f.change != "" {
				line += "  (" + f.change + ")"
			}
			b.WriteString(strings.TrimRight(line, " ") + "\n")
		}
		if s.table != nil {
			writeTextTable(b, s.table)
		}
		for _, n := range s.notes {
			b.WriteString("  " + n + "\n")
		}
	}
}

func writeTextTable(b *strings.Builder, t *table) {
	ws := make([]int, len(t.header))
	for i, h := range t.header {
		ws[i] = width(h)
	}
	for _, r := range t.rows {
		for i, c := range r {
			ws[i] = max(ws[i], width(c.text))
		}
	}
	line := func(texts []string) {
		var l strings.Builder
		l.WriteString(" ")
		for i, s := range texts {
			l.WriteString(" ")
			l.WriteString(pad(s, ws[i], i < len(t.numeric) && t.numeric[i]))
			if i < len(texts)-1 {
				l.WriteString(" ")
			}
		}
		b.WriteString(strings.TrimRight(l.String(), " ") + "\n")
	}
	line(t.header)
	for _, r := range t.rows {
		texts := make([]string, len(r))
		for i, c := range r {
			texts[i] = c.text
		}
		line(texts)
	}
}

// mdEscape keeps a cell's text from breaking a Markdown table or turning
// into markup.
func mdEscape(s string) string { return mdEscaper.Replace(s) }

var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "\n", " ")

func writeMarkdown(b *strings.Builder, d *document) {
	b.WriteString("# " + mdEscape(d.title) + "\n\n")
	parts := make([]string, len(d.lines))
	for i, l := range d.lines {
		parts[i] = mdEscape(l)
	}
	b.WriteString(strings.Join(parts, " · ") + "\n")
	if d.alert != "" {
		b.WriteString("\n> **Alert:** " + mdEscape(d.alert) + "\n")
	}
	for _, s := range d.sections {
		b.WriteString("\n## " + mdEscape(s.heading) + "\n\n")
		for _, f := range s.facts {
			line := "- " + mdEscape(f.label) + ": **" + mdEscape(f.value) + "**"
			if f.hasStatus && f.status != kpi.NoStatus {
				line += " " + statusBadge(f.status)
			}
			if f.change != "" {
				line += " (" + mdEscape(f.change) + ")"
			}
			b.WriteString(line + "\n")
		}
		if s.table != nil {
			if len(s.facts) > 0 {
				b.WriteString("\n")
			}
			t := s.table
			row := func(texts []string) {
				b.WriteString("|")
				for _, x := range texts {
					b.WriteString(" " + x + " |")
				}
				b.WriteString("\n")
			}
			hs := make([]string, len(t.header))
			al := make([]string, len(t.header))
			for i, h := range t.header {
				hs[i] = mdEscape(h)
				al[i] = "---"
				if i < len(t.numeric) && t.numeric[i] {
					al[i] = "--:"
				}
			}
			row(hs)
			row(al)
			for _, r := range t.rows {
				cs := make([]string, len(r))
				for i, c := range r {
					cs[i] = mdEscape(c.text)
					if c.hasStatus {
						cs[i] = statusBadge(c.status)
					}
				}
				row(cs)
			}
		}
		if len(s.notes) > 0 {
			b.WriteString("\n")
			for i, n := range s.notes {
				if i > 0 {
					b.WriteString("\n")
				}
				b.WriteString("_" + mdEscape(n) + "_\n")
			}
		}
	}
}

// statusBadge is the traffic light in Markdown: a coloured circle and the
// word, so the colour is never the only sign.
func statusBadge(s kpi.Status) string {
	switch s {
	case kpi.Green:
		return "🟢 green"
	case kpi.Yellow:
		return "🟡 yellow"
	case kpi.Red:
		return "🔴 red"
	}
	return "n/a"
}
