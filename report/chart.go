package report

import (
	"fmt"
	"math"

	"github.com/onemin/onemin/kpi"
)

// svgImage is a chart reduced to shapes: rectangles, lines and texts in a
// viewBox of Width × Height. The HTML template writes it as inline SVG,
// escaping every text, so a chart needs no script and no request.
type svgImage struct {
	Width, Height float64
	// Label describes the chart for screen readers.
	Label string
	Rects []svgRect
	Lines []svgLine
	Texts []svgText
}

type svgRect struct {
	X, Y, W, H float64
	Fill       string
	Opacity    float64
	Title      string // tooltip and accessible name
}

type svgLine struct {
	X1, Y1, X2, Y2 float64
	Stroke         string
	Dash           bool
}

type svgText struct {
	X, Y   float64
	Text   string
	Anchor string // start, middle, end
	Size   float64
	Fill   string
	Bold   bool
	Halo   bool // a white outline, to stay readable over bars
}

// Colours of the charts. Status colours come with the status in words
// everywhere they are used.
const (
	colourBar    = "#1e88e5"
	colourAxis   = "#9e9e9e"
	colourText   = "#37474f"
	colourGrid   = "#eceff1"
	colourTarget = "#c62828"
	colourGreen  = "#2e7d32"
	colourYellow = "#f9a825"
	colourRed    = "#c62828"
	colourNone   = "#9e9e9e"
)

func statusColour(s kpi.Status) string {
	switch s {
	case kpi.Green:
		return colourGreen
	case kpi.Yellow:
		return colourYellow
	case kpi.Red:
		return colourRed
	}
	return colourNone
}

// column is one vertical bar; an undefined value (ok false) draws no bar.
type column struct {
	label  string
	value  float64
	ok     bool
	text   string // the value as people read it, for the tooltip
	colour string
}

// yRef is a horizontal reference line at a value (a threshold).
type yRef struct {
	value  float64
	label  string
	colour string
}

// columnSpec lays out a column chart: bars, an optional fixed top of the
// scale (100 for percentages), horizontal reference lines, and a vertical
// line after bar index xRefAfter (−1 for none) labelled xRefLabel.
type columnSpec struct {
	label     string
	bars      []column
	top       float64
	yRefs     []yRef
	xRefAfter int
	xRefLabel string
	axis      func(float64) string  // writes a y-axis value
	nice      func(float64) float64 // rounds the top of the scale up; nil: niceCeil
	every     int                   // label every n-th bar; 0 picks
}

const (
	chartWidth  = 640.0
	chartHeight = 240.0
	plotLeft    = 52.0
	plotRight   = 12.0
	plotTop     = 18.0
	plotBottom  = 40.0
)

func columnChart(s columnSpec) *svgImage {
	img := &svgImage{Width: chartWidth, Height: chartHeight, Label: s.label}
	top := s.top
	for _, b := range s.bars {
		if b.ok && b.value > top {
			top = b.value
		}
	}
	for _, r := range s.yRefs {
		top = math.Max(top, r.value)
	}
	if top <= 0 {
		top = 1
	}
	if s.top == 0 {
		nice := s.nice
		if nice == nil {
			nice = niceCeil
		}
		top = nice(top)
	}
	w := chartWidth - plotLeft - plotRight
	h := chartHeight - plotTop - plotBottom
	base := plotTop + h
	y := func(v float64) float64 { return base - v/top*h }
	for _, v := range []float64{0, top / 2, top} {
		img.Lines = append(img.Lines, svgLine{X1: plotLeft, Y1: y(v), X2: plotLeft + w, Y2: y(v), Stroke: colourGrid})
		img.Texts = append(img.Texts, svgText{X: plotLeft - 6, Y: y(v) + 4, Text: s.axis(v), Anchor: "end", Size: 11, Fill: colourText})
	}
	n := len(s.bars)
	if n == 0 {
		img.Texts = append(img.Texts, svgText{X: plotLeft + w/2, Y: plotTop + h/2, Text: "no data", Anchor: "middle", Size: 13, Fill: colourAxis})
		return img
	}
	step := w / float64(n)
	every := s.every
	if every == 0 {
		every = int(math.Ceil(float64(n) / 12))
	}
	for i, b := range s.bars {
		x := plotLeft + float64(i)*step
		if b.ok {
			colour := b.colour
			if colour == "" {
				colour = colourBar
			}
			bh := math.Max(b.value/top*h, 0)
			if b.value > 0 && bh < 1 {
				bh = 1
			}
			img.Rects = append(img.Rects, svgRect{X: x + step*0.15, Y: base - bh, W: step * 0.7, H: bh, Fill: colour, Opacity: 1,
				Title: b.label + ": " + b.text})
		}
		if i%every == 0 {
			img.Texts = append(img.Texts, svgText{X: x + step/2, Y: base + 16, Text: b.label, Anchor: "middle", Size: 11, Fill: colourText})
		}
	}
	img.Lines = append(img.Lines, svgLine{X1: plotLeft, Y1: base, X2: plotLeft + w, Y2: base, Stroke: colourAxis})
	for _, r := range s.yRefs {
		img.Lines = append(img.Lines, svgLine{X1: plotLeft, Y1: y(r.value), X2: plotLeft + w, Y2: y(r.value), Stroke: r.colour, Dash: true})
		img.Texts = append(img.Texts, svgText{X: plotLeft + w - 2, Y: y(r.value) - 4, Text: r.label, Anchor: "end", Size: 11, Fill: r.colour, Bold: true, Halo: true})
	}
	if s.xRefAfter >= 0 && s.xRefAfter < n {
		x := plotLeft + float64(s.xRefAfter+1)*step
		img.Lines = append(img.Lines, svgLine{X1: x, Y1: plotTop - 6, X2: x, Y2: base + 4, Stroke: colourTarget, Dash: true})
		img.Texts = append(img.Texts, svgText{X: x + 4, Y: plotTop + 4, Text: s.xRefLabel, Anchor: "start", Size: 12, Fill: colourTarget, Bold: true, Halo: true})
	}
	img.Texts = append(img.Texts, svgText{X: plotLeft + w/2, Y: chartHeight - 6, Text: s.label, Anchor: "middle", Size: 11, Fill: colourAxis})
	return img
}

// niceCeil rounds v up to 1, 2, 2.5 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// niceDuration rounds seconds up to a duration people use on an axis:
// 10 s, 30 s, 1 m, 5 m, 10 m, 30 m, 1 h, 2 h, 3 h, 6 h, 12 h, 1 d, then
// whole days.
func niceDuration(v float64) float64 {
	for _, d := range []float64{10, 30, 60, 300, 600, 1800, 3600, 7200, 3 * 3600, 6 * 3600, 12 * 3600, 86400} {
		if d >= v {
			return d
		}
	}
	return math.Ceil(v/86400) * 86400
}

// hbar is one horizontal bar: a label, a value scaled to the largest, and
// the text written after it.
type hbar struct {
	label string
	value float64
	text  string
}

func barChart(label string, bars []hbar) *svgImage {
	const rowH, labelW, pad = 30.0, 150.0, 8.0
	img := &svgImage{Width: chartWidth, Height: math.Max(rowH*float64(len(bars))+2*pad, 40), Label: label}
	top := 0.0
	for _, b := range bars {
		top = math.Max(top, b.value)
	}
	if len(bars) == 0 {
		img.Texts = append(img.Texts, svgText{X: chartWidth / 2, Y: 24, Text: "no data", Anchor: "middle", Size: 13, Fill: colourAxis})
		return img
	}
	w := chartWidth - labelW - 170
	for i, b := range bars {
		y := pad + float64(i)*rowH
		img.Texts = append(img.Texts, svgText{X: labelW - 8, Y: y + rowH/2 + 4, Text: b.label, Anchor: "end", Size: 12, Fill: colourText})
		bw := 0.0
		if top > 0 {
			bw = math.Max(b.value, 0) / top * w
		}
		if b.value > 0 && bw < 1 {
			bw = 1
		}
		img.Rects = append(img.Rects, svgRect{X: labelW, Y: y + 5, W: bw, H: rowH - 10, Fill: colourBar, Opacity: 1, Title: b.label + ": " + b.text})
		img.Texts = append(img.Texts, svgText{X: labelW + bw + 6, Y: y + rowH/2 + 4, Text: b.text, Anchor: "start", Size: 12, Fill: colourText})
	}
	return img
}

// heatCell is one cell of a heat map: a ratio 0–1 (ok false: undefined),
// its text, and whether it is final.
type heatCell struct {
	value    float64
	ok       bool
	text     string
	complete bool
}

func heatMap(label string, rows []string, cols []string, cells [][]heatCell) *svgImage {
	const labelW, headH, rowH = 110.0, 24.0, 26.0
	img := &svgImage{Width: chartWidth, Height: headH + rowH*float64(len(rows)) + 24, Label: label}
	if len(cols) == 0 || len(rows) == 0 {
		img.Texts = append(img.Texts, svgText{X: chartWidth / 2, Y: 24, Text: "no data", Anchor: "middle", Size: 13, Fill: colourAxis})
		return img
	}
	cw := (chartWidth - labelW - 4) / float64(len(cols))
	for j, c := range cols {
		img.Texts = append(img.Texts, svgText{X: labelW + cw*float64(j) + cw/2, Y: headH - 8, Text: c, Anchor: "middle", Size: 11, Fill: colourText})
	}
	for i, r := range rows {
		y := headH + rowH*float64(i)
		img.Texts = append(img.Texts, svgText{X: labelW - 8, Y: y + rowH/2 + 4, Text: r, Anchor: "end", Size: 11, Fill: colourText})
		for j, c := range cells[i] {
			if !c.ok {
				continue
			}
			x := labelW + cw*float64(j)
			op := 1.0
			if !c.complete {
				op = 0.45
			}
			img.Rects = append(img.Rects, svgRect{X: x + 1, Y: y + 1, W: cw - 2, H: rowH - 2, Fill: heatColour(c.value), Opacity: op,
				Title: r + ", " + cols[j] + ": " + c.text})
			fill := colourText
			if c.value > 0.5 {
				fill = "#ffffff"
			}
			img.Texts = append(img.Texts, svgText{X: x + cw/2, Y: y + rowH/2 + 4, Text: c.text, Anchor: "middle", Size: 10, Fill: fill})
		}
	}
	img.Texts = append(img.Texts, svgText{X: labelW, Y: img.Height - 6, Text: "pale cells are not complete yet", Anchor: "start", Size: 11, Fill: colourAxis})
	return img
}

// heatColour runs from a pale to a deep blue as v goes from 0 to 1.
func heatColour(v float64) string {
	v = math.Min(math.Max(v, 0), 1)
	lerp := func(a, b float64) int { return int(math.Round(a + (b-a)*v)) }
	return fmt.Sprintf("#%02x%02x%02x", lerp(0xe3, 0x0d), lerp(0xf2, 0x47), lerp(0xfd, 0xa1))
}
