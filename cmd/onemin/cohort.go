package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin/cohort"
	"github.com/shopspring/decimal"
)

func init() {
	register("cohort", "cohorts by source, month, week, scenario or product: retention, LTV, conversion within a window", runCohort)
}

// cohortFlags are the flags of "onemin cohort".
type cohortFlags struct {
	by, metric, mode, period, window, asOf, format string
}

var cohortMetrics = []string{"retention", "ltv", "conversion", "returned", "repeat", "check"}

func (f *cohortFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.by, "by", "month", "cohort key: source (first touch), month, week or day (of the first contact), scenario, product, channel or campaign")
	fs.StringVar(&f.metric, "metric", "retention", "what to show: "+strings.Join(cohortMetrics, ", "))
	fs.StringVar(&f.mode, "mode", "on", "retention in period k: on (active in k) or on-or-after (active in k or later)")
	fs.StringVar(&f.period, "period", "month", "retention and LTV period: day, week or month")
	fs.StringVar(&f.window, "window", "", "window of --metric conversion (default 180d) and returned (default 30d), such as 90d")
	fs.StringVar(&f.asOf, "as-of", "", "the time of the report ("+asOfForms+"); default: the last event's time")
	fs.StringVar(&f.format, "format", "text", "output: text, json, markdown or csv")
}

// cohortUsage is the usage of "onemin cohort", before its flags.
const cohortUsage = `usage: onemin cohort [flags] [FILE...]

Puts contacts into cohorts (by first-touch source, first-contact month,
week or day, scenario or product) and follows each cohort:

  retention   share of the cohort active in period k (or in k or later)
  ltv         cumulative payments - refunds per contact through period k
  conversion  share of contacts won within --window of their first contact,
              judged only once the window has closed (long B2B cycles)
  returned    share back on a later day within --window (retention 30/90 d)
  repeat      buyers with two or more payments / buyers
  check       average payment, beside the average of the other cohorts

A cell marked * is not complete: its period was not over at --as-of for
every contact in the cohort. It is shown but left out of the average row,
which is weighted by cohort size. Money is exact; a mix of currencies is an
error. A ratio with nothing to divide by is undefined ("-", null in JSON).

` + eventFilesUsage

func runCohort(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newInvocation("cohort", cohortUsage, stdin, stderr)
	c.inputFlags()
	var f cohortFlags
	f.register(c.flags)
	if code, ok := c.parse(args); !ok {
		return code
	}
	render, err := cohortOutputs.pick(f.format)
	if err != nil {
		return c.fail(err)
	}
	loc, err := c.location()
	if err != nil {
		return c.fail(err)
	}
	cfg := cohort.Config{Location: loc}
	if cfg.By, err = cohort.ParseKey(f.by); err != nil {
		return c.fail(fmt.Errorf("--by: %q is not a cohort key (want source, month, week, day, scenario, product, channel or campaign)", f.by))
	}
	if cfg.Period, err = cohort.ParsePeriod(f.period); err != nil {
		return c.fail(fmt.Errorf("--period: %q is not a period (want day, week or month)", f.period))
	}
	mode := cohort.On
	switch f.mode {
	case "on":
	case "on-or-after":
		mode = cohort.OnOrAfter
	default:
		return c.fail(fmt.Errorf("--mode: %q is not a mode (want on or on-or-after)", f.mode))
	}
	window := map[string]string{"conversion": "180d", "returned": "30d"}[f.metric]
	if f.window != "" {
		window = f.window
	}
	var span time.Duration
	if window != "" {
		if span, err = parseSpan(window); err != nil {
			return c.fail(fmt.Errorf("--window: %v", err))
		}
	}
	if !slices.Contains(cohortMetrics, f.metric) {
		return c.fail(fmt.Errorf("--metric: %q is not a metric (want %s)", f.metric, strings.Join(cohortMetrics, ", ")))
	}
	in, status, err := c.load(loc)
	if err != nil {
		return c.fail(err)
	}
	asOf, err := parseAsOf(f.asOf, loc, in.Events)
	if err != nil {
		return c.fail(err)
	}
	co, err := cohort.Build(in.Events, cfg, asOf)
	if err != nil {
		return c.fail(err)
	}
	out := &cohortResult{Metric: f.metric, By: cfg.By.Name, Period: cfg.Period.String(), AsOf: asOf, TimeZone: loc.String(),
		Sample: in.Sample, Rows: rowCounts(in.Counts), Rejected: rejectedRows(&in), Skipped: co.Skipped, NotEntered: co.NotEntered, Cohorts: co.Sizes()}
	switch f.metric {
	case "retention":
		t := co.Retention(mode)
		out.Mode, out.Retention = mode.String(), &t
	case "ltv":
		t, err := co.LTV()
		if err != nil {
			return c.fail(err)
		}
		out.LTV = &t
	case "conversion":
		out.WindowSeconds, out.Window = span.Seconds(), co.ConversionWithin(span)
	case "returned":
		out.WindowSeconds, out.Window = span.Seconds(), co.ReturnedWithin(span)
	case "repeat":
		out.Repeat = co.RepeatPurchase()
	case "check":
		rows, cur, err := co.AverageCheck()
		if err != nil {
			return c.fail(err)
		}
		out.Check, out.Currency = rows, cur
	}
	if err := render(stdout, out); err != nil {
		return c.fail(err)
	}
	return status
}

// cohortResult is the output of "onemin cohort": the metric asked for in
// its own key (retention, ltv, window, repeat or check), with the cohorts'
// sizes.
type cohortResult struct {
	Metric        string                 `json:"metric"`
	By            string                 `json:"by"`
	Period        string                 `json:"period"`
	Mode          string                 `json:"mode,omitempty"`
	WindowSeconds float64                `json:"window_seconds,omitempty"`
	AsOf          time.Time              `json:"as_of"`
	TimeZone      string                 `json:"time_zone"`
	Sample        bool                   `json:"sample"`
	Rows          rowCounts              `json:"rows"`
	Rejected      []rejectedRow          `json:"rejected"`
	Skipped       int                    `json:"skipped"`
	NotEntered    int                    `json:"not_entered"`
	Cohorts       []cohort.Size          `json:"cohorts"`
	Currency      string                 `json:"currency,omitempty"`
	Retention     *cohort.RetentionTable `json:"retention,omitempty"`
	LTV           *cohort.LTVTable       `json:"ltv,omitempty"`
	Window        []cohort.WindowRow     `json:"window,omitempty"`
	Repeat        []cohort.RepeatRow     `json:"repeat,omitempty"`
	Check         []cohort.CheckRow      `json:"check,omitempty"`
}

var cohortOutputs = outputs[*cohortResult]{
	{"text", func(w io.Writer, r *cohortResult) error { return renderCohortTable(w, r, false) }},
	{"json", renderJSON[*cohortResult]},
	{"markdown", func(w io.Writer, r *cohortResult) error { return renderCohortTable(w, r, true) }},
	{"csv", renderCohortCSV},
}

func (r *cohortResult) headline() string {
	h := fmt.Sprintf("Cohorts by %s: %s", r.By, r.Metric)
	switch {
	case r.Retention != nil:
		h += fmt.Sprintf(" (%s), by %s", strings.ReplaceAll(r.Mode, "_", " "), r.Period)
	case r.LTV != nil:
		h += fmt.Sprintf(" per contact in %s, by %s", r.LTV.Currency, r.Period)
	case r.Window != nil:
		h += " within " + windowText(r.WindowSeconds)
	case r.Check != nil:
		h += " in " + r.Currency
	}
	h += "; as of " + r.AsOf.In(mustLoc(r.TimeZone)).Format("2006-01-02 15:04 MST")
	if r.Sample {
		h += " (embedded sample)"
	}
	return h
}

func mustLoc(name string) *time.Location {
	if loc, err := time.LoadLocation(name); err == nil {
		return loc
	}
	return time.UTC
}

// cohortMoney writes an amount with two decimals; "-" when undefined.
func cohortMoney(d decimal.NullDecimal) string {
	if !d.Valid {
		return "-"
	}
	return d.Decimal.StringFixed(2)
}

// cohortRows lays the result out as a table: a header and rows.
func (r *cohortResult) cohortRows() [][]string {
	prefix := strings.ToUpper(r.Period[:1])
	var rows [][]string
	switch {
	case r.Retention != nil:
		rows = cohortMatrix(prefix, r.Retention.Cohorts, r.Retention.Average,
			func(c cohort.RetentionRow) (string, int, []cohort.Cell) { return c.Key, c.Contacts, c.Cells },
			func(c cohort.Cell) (string, bool) { return ratio(c.Rate), c.Complete })
	case r.LTV != nil:
		rows = cohortMatrix(prefix, r.LTV.Cohorts, r.LTV.Average,
			func(c cohort.LTVRow) (string, int, []cohort.LTVCell) { return c.Key, c.Contacts, c.Cells },
			func(c cohort.LTVCell) (string, bool) { return cohortMoney(c.PerContact), c.Complete })
	case r.Window != nil:
		rows = append(rows, []string{"cohort", "contacts", "mature", "hits", "rate"})
		for _, w := range r.Window {
			rows = append(rows, []string{w.Key, strconv.Itoa(w.Contacts), strconv.Itoa(w.Mature), strconv.Itoa(w.Hits), ratio(w.Rate)})
		}
	case r.Repeat != nil:
		rows = append(rows, []string{"cohort", "buyers", "repeat buyers", "repeat rate"})
		for _, p := range r.Repeat {
			rows = append(rows, []string{p.Key, strconv.Itoa(p.Buyers), strconv.Itoa(p.Repeat), ratio(p.Rate)})
		}
	case r.Check != nil:
		rows = append(rows, []string{"cohort", "payments", "revenue", "average check", "others' average"})
		for _, c := range r.Check {
			rows = append(rows, []string{c.Key, strconv.Itoa(c.Payments), c.Revenue.StringFixed(2), cohortMoney(c.Average), cohortMoney(c.OthersAverage)})
		}
	}
	return rows
}

// cohortMatrix lays out a cohort-by-period matrix: a header of periods
// (prefix and k: M0, M1, …), a row per cohort with each cell marked * when
// it is not complete, and the average row.
func cohortMatrix[R, C any](prefix string, cohorts []R, average []C, row func(R) (string, int, []C), cell func(C) (string, bool)) [][]string {
	head := []string{"cohort", "contacts"}
	for k := range average {
		head = append(head, prefix+strconv.Itoa(k))
	}
	rows := [][]string{head}
	for _, c := range cohorts {
		key, size, cells := row(c)
		line := []string{key, strconv.Itoa(size)}
		for _, x := range cells {
			text, complete := cell(x)
			if !complete {
				text += "*"
			}
			line = append(line, text)
		}
		rows = append(rows, line)
	}
	avg := []string{"average", ""}
	for _, x := range average {
		text, _ := cell(x)
		avg = append(avg, text)
	}
	return append(rows, avg)
}

func renderCohortTable(w io.Writer, r *cohortResult, markdown bool) error {
	var b strings.Builder
	rows := r.cohortRows()
	if markdown {
		b.WriteString("## " + r.headline() + "\n\n")
		mdTable(&b, rows)
	} else {
		b.WriteString(r.headline() + "\n\n")
		textTable(&b, rows)
	}
	var notes []string
	if r.Retention != nil || r.LTV != nil {
		notes = append(notes, "* not complete at the as-of time; left out of the average, which is weighted by cohort size")
	}
	if r.Window != nil {
		notes = append(notes, "mature: contacts whose window has closed; only they are judged")
	}
	if r.Skipped > 0 {
		notes = append(notes, fmt.Sprintf("%d events name no contact or come after the as-of time and were left out", r.Skipped))
	}
	if r.NotEntered > 0 {
		notes = append(notes, fmt.Sprintf("%d contacts never wrote, booked or paid (touches only) and are in no cohort", r.NotEntered))
	}
	for _, n := range notes {
		if markdown {
			b.WriteString("\n> " + n + "\n")
		} else {
			b.WriteString("\n" + n)
		}
	}
	if !markdown && len(notes) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// renderCohortCSV writes the metric in long form, one row per cohort (and
// period, for retention and LTV); undefined values are empty cells.
func renderCohortCSV(w io.Writer, r *cohortResult) error {
	cw := csv.NewWriter(w)
	nullMoney := func(d decimal.NullDecimal) string {
		if !d.Valid {
			return ""
		}
		return d.Decimal.String()
	}
	complete := strconv.FormatBool
	switch {
	case r.Retention != nil:
		cw.Write([]string{"cohort", "contacts", "period", "active", "rate", "complete"})
		for _, c := range r.Retention.Cohorts {
			for _, cell := range c.Cells {
				cw.Write([]string{c.Key, strconv.Itoa(c.Contacts), strconv.Itoa(cell.Period), strconv.Itoa(cell.Active), csvRatio(cell.Rate), complete(cell.Complete)})
			}
		}
		for _, cell := range r.Retention.Average {
			cw.Write([]string{"average", strconv.Itoa(cell.Contacts), strconv.Itoa(cell.Period), strconv.Itoa(cell.Active), csvRatio(cell.Rate), complete(cell.Complete)})
		}
	case r.LTV != nil:
		cw.Write([]string{"cohort", "contacts", "period", "revenue", "per_contact", "currency", "complete"})
		for _, c := range r.LTV.Cohorts {
			for _, cell := range c.Cells {
				cw.Write([]string{c.Key, strconv.Itoa(c.Contacts), strconv.Itoa(cell.Period), cell.Revenue.String(), nullMoney(cell.PerContact), r.LTV.Currency, complete(cell.Complete)})
			}
		}
		for _, cell := range r.LTV.Average {
			cw.Write([]string{"average", strconv.Itoa(cell.Contacts), strconv.Itoa(cell.Period), cell.Revenue.String(), nullMoney(cell.PerContact), r.LTV.Currency, complete(cell.Complete)})
		}
	case r.Window != nil:
		cw.Write([]string{"cohort", "contacts", "mature", "hits", "rate"})
		for _, x := range r.Window {
			cw.Write([]string{x.Key, strconv.Itoa(x.Contacts), strconv.Itoa(x.Mature), strconv.Itoa(x.Hits), csvRatio(x.Rate)})
		}
	case r.Repeat != nil:
		cw.Write([]string{"cohort", "buyers", "repeat", "rate"})
		for _, x := range r.Repeat {
			cw.Write([]string{x.Key, strconv.Itoa(x.Buyers), strconv.Itoa(x.Repeat), csvRatio(x.Rate)})
		}
	case r.Check != nil:
		cw.Write([]string{"cohort", "payments", "revenue", "average", "others_average", "currency"})
		for _, x := range r.Check {
			cw.Write([]string{x.Key, strconv.Itoa(x.Payments), x.Revenue.String(), nullMoney(x.Average), nullMoney(x.OthersAverage), r.Currency})
		}
	}
	cw.Flush()
	return cw.Error()
}
