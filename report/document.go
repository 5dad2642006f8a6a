package report

import (
	"strconv"

	"github.com/onemin/onemin/kpi"
)

// Report is one of the reports of this package, ready to render:
// *DailyDigest, *NoShowReport, *MarketingReport, *Dashboard or
// *BotDashboard. Each is a data structure first; Render writes it.
type Report interface {
	// Kind names the report: "daily", "weekly", "monthly", "dashboard"
	// or "bot"; it is the report's key in the JSON output.
	Kind() string
	document() *document
}

// document is what the text, Markdown and HTML renderers share: a report
// laid out as a title, a few lines under it, an alert, and sections of
// facts, tables and charts. JSON is written from the report itself.
type document struct {
	title    string
	lines    []string
	alert    string
	sections []section
}

// section is one part of a report. A renderer without pictures shows the
// table; the HTML page shows the chart and folds the table under it.
type section struct {
	heading string
	facts   []fact
	table   *table
	chart   *svgImage
	notes   []string
}

// fact is one labelled figure, with its change against the period before
// and, for a rate with a target, its traffic light.
type fact struct {
	label, value, change string
	status               kpi.Status
	hasStatus            bool
}

// table is a grid of cells; numeric columns are aligned right.
type table struct {
	header  []string
	numeric []bool
	rows    [][]cell
}

type cell struct {
	text      string
	status    kpi.Status
	hasStatus bool
}

func plain(s string) cell { return cell{text: s} }

func lit(s kpi.Status) cell { return cell{text: statusWord(s), status: s, hasStatus: true} }

func itoa(n int) cell { return plain(strconv.Itoa(n)) }

func titled(name, business string) string {
	if business == "" {
		return name
	}
	return name + " — " + business
}
