package report

import (
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/onemin/onemin/kpi"
)

// The HTML page is one file: inline CSS, inline SVG, no script, no font and
// no request to anywhere, so that it opens offline, from a mail attachment
// or a chat. html/template escapes every text. The markup is also
// well-formed XML (every element closed, no named entities), which the
// tests check with encoding/xml.

type htmlPage struct {
	Title string
	Docs  []htmlDoc
}

type htmlDoc struct {
	Title    string
	Lines    []string
	Alert    string
	Sections []htmlSection
}

type htmlSection struct {
	Heading string
	Facts   []htmlFact
	Chart   *svgImage
	Table   *htmlTable
	Notes   []string
}

type htmlFact struct {
	Label, Value, Change string
	Status               string // "green", "yellow", "red", "none"; "" without a light
	Word                 string
}

type htmlTable struct {
	Header  []htmlCell
	Rows    [][]htmlCell
	Numbers bool // the table repeats a chart's numbers: folded
}

type htmlCell struct {
	Text    string
	Class   string
	Status  string
	Numeric bool
}

func statusClass(s kpi.Status) string {
	if s == kpi.NoStatus {
		return "none"
	}
	return s.String()
}

func writeHTML(w io.Writer, docs []*document) error {
	page := htmlPage{}
	for i, d := range docs {
		if i == 0 {
			page.Title = d.title
		}
		hd := htmlDoc{Title: d.title, Lines: d.lines, Alert: d.alert}
		for _, s := range d.sections {
			hs := htmlSection{Heading: s.heading, Chart: s.chart, Notes: s.notes}
			for _, f := range s.facts {
				hf := htmlFact{Label: f.label, Value: f.value, Change: f.change}
				if f.hasStatus {
					hf.Status, hf.Word = statusClass(f.status), statusWord(f.status)
				}
				hs.Facts = append(hs.Facts, hf)
			}
			if t := s.table; t != nil {
				ht := &htmlTable{Numbers: s.chart != nil}
				for i, h := range t.header {
					ht.Header = append(ht.Header, htmlCell{Text: h, Numeric: i < len(t.numeric) && t.numeric[i]})
				}
				for _, r := range t.rows {
					var hr []htmlCell
					for i, c := range r {
						hc := htmlCell{Text: c.text, Numeric: i < len(t.numeric) && t.numeric[i]}
						if c.hasStatus {
							hc.Status = statusClass(c.status)
						}
						hr = append(hr, hc)
					}
					ht.Rows = append(ht.Rows, hr)
				}
				hs.Table = ht
			}
			hd.Sections = append(hd.Sections, hs)
		}
		page.Docs = append(page.Docs, hd)
	}
	if len(docs) > 1 {
		page.Title = "Owner's reports"
	}
	return pageTemplate.Execute(w, page)
}

// num writes a coordinate with at most one decimal.
func num(v float64) string {
	return strconv.FormatFloat(float64(int64(v*10+0.5*sign(v)))/10, 'f', -1, 64)
}

func sign(v float64) float64 {
	if v < 0 {
		return -1
	}
	return 1
}

var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"num":   num,
	"lower": strings.ToLower,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<title>{{.Title}}</title>
<style>
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f6f8; color: #263238; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 16px; }
article { background: #fff; border-radius: 10px; padding: 18px 20px; margin: 0 0 20px; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
h1 { font-size: 1.45em; margin: 0 0 4px; }
h2 { font-size: 1.1em; margin: 22px 0 10px; padding-bottom: 4px; border-bottom: 1px solid #eceff1; }
.sub { margin: 0; color: #607d8b; }
.alert { margin: 14px 0 0; padding: 10px 14px; border-radius: 8px; background: #ffebee; border-left: 6px solid #c62828; color: #b71c1c; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(175px, 1fr)); gap: 10px; }
.fact { border: 1px solid #e0e6ea; border-left: 6px solid #90a4ae; border-radius: 8px; padding: 8px 10px; }
.fact .label { color: #607d8b; font-size: .85em; }
.fact .value { font-size: 1.35em; font-weight: 600; }
.fact .change { color: #78909c; font-size: .8em; }
.pill { display: inline-block; border-radius: 10px; padding: 0 8px; font-size: .8em; font-weight: 600; color: #fff; background: #9e9e9e; }
.s-green { border-left-color: #2e7d32; } .s-green .pill, .pill.s-green { background: #2e7d32; }
.s-yellow { border-left-color: #f9a825; } .s-yellow .pill, .pill.s-yellow { background: #f9a825; color: #212121; }
.s-red { border-left-color: #c62828; } .s-red .pill, .pill.s-red { background: #c62828; }
figure { margin: 0; overflow-x: auto; }
svg { width: 100%; height: auto; display: block; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: .9em; margin-top: 6px; }
th, td { padding: 4px 8px; border-bottom: 1px solid #eceff1; text-align: left; white-space: nowrap; }
th { color: #607d8b; font-weight: 600; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
details { margin-top: 6px; } summary { cursor: pointer; color: #1e88e5; }
.note { color: #78909c; font-size: .85em; margin: 6px 0 0; }
footer { color: #90a4ae; font-size: .8em; text-align: center; padding: 8px; }
@media (max-width: 600px) { main { padding: 6px; } article { padding: 12px; border-radius: 0; } .facts { grid-template-columns: repeat(2, 1fr); } .fact .value { font-size: 1.15em; } figure svg { min-width: 520px; } }
</style>
</head>
<body>
<main>
{{- range .Docs}}
<article>
<header>
<h1>{{.Title}}</h1>
{{- range .Lines}}
<p class="sub">{{.}}</p>
{{- end}}
{{- if .Alert}}
<div class="alert" role="alert"><strong>Alert:</strong> {{.Alert}}</div>
{{- end}}
</header>
{{- range .Sections}}
<section>
<h2>{{.Heading}}</h2>
{{- if .Facts}}
<div class="facts">
{{- range .Facts}}
<div class="fact{{if .Status}} s-{{.Status}}{{end}}"><div class="label">{{.Label}}</div><div class="value">{{.Value}}</div>{{if .Status}}<span class="pill">{{.Word}}</span>{{end}}{{if .Change}}<div class="change">{{.Change}}</div>{{end}}</div>
{{- end}}
</div>
{{- end}}
{{- with .Chart}}
<figure>
<svg viewBox="0 0 {{num .Width}} {{num .Height}}" role="img" aria-label="{{.Label}}">
<title>{{.Label}}</title>
{{- range .Lines}}
<line x1="{{num .X1}}" y1="{{num .Y1}}" x2="{{num .X2}}" y2="{{num .Y2}}" stroke="{{.Stroke}}" stroke-width="1.5"{{if .Dash}} stroke-dasharray="5 4"{{end}} />
{{- end}}
{{- range .Rects}}
<rect x="{{num .X}}" y="{{num .Y}}" width="{{num .W}}" height="{{num .H}}" fill="{{.Fill}}" fill-opacity="{{num .Opacity}}" rx="2"><title>{{.Title}}</title></rect>
{{- end}}
{{- range .Texts}}
<text x="{{num .X}}" y="{{num .Y}}" text-anchor="{{.Anchor}}" font-size="{{num .Size}}" fill="{{.Fill}}"{{if .Bold}} font-weight="bold"{{end}}{{if .Halo}} stroke="#ffffff" stroke-width="3" paint-order="stroke"{{end}}>{{.Text}}</text>
{{- end}}
</svg>
</figure>
{{- end}}
{{- with .Table}}
{{- if .Numbers}}
<details><summary>Numbers</summary>
{{- end}}
<div class="scroll"><table>
<thead><tr>{{range .Header}}<th{{if .Numeric}} class="num"{{end}}>{{.Text}}</th>{{end}}</tr></thead>
<tbody>
{{- range .Rows}}
<tr>{{range .}}<td{{if .Numeric}} class="num"{{end}}>{{if .Status}}<span class="pill s-{{.Status}}">{{.Text}}</span>{{else}}{{.Text}}{{end}}</td>{{end}}</tr>
{{- end}}
</tbody>
</table></div>
{{- if .Numbers}}
</details>
{{- end}}
{{- end}}
{{- range .Notes}}
<p class="note">{{.}}</p>
{{- end}}
</section>
{{- end}}
</article>
{{- end}}
<footer>onemin</footer>
</main>
</body>
</html>
`))
