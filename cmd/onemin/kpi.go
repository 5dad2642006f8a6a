package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/onemin/onemin/kpi"
)

func init() {
	register("kpi", "the One-Minute KPI: first-reply median, P90 and SLA rate, overall and by group", runKPI)
}

// kpiFlags are the flags of "onemin kpi".
type kpiFlags struct {
	measureFlags
	by       string
	asOf     string
	format   string
	stream   bool
	lateness time.Duration
	idle     time.Duration
}

func (f *kpiFlags) register(fs *flag.FlagSet) {
	f.measureFlags.register(fs)
	fs.StringVar(&f.by, "by", "", "group by, comma-separated: channel, agent, source, hour, weekday, day, tenant")
	fs.StringVar(&f.asOf, "as-of", "", "judge unanswered leads as of this `time` ("+asOfForms+"); default: the latest event")
	fs.StringVar(&f.format, "format", "text", "output: text, json, markdown or csv")
	fs.BoolVar(&f.stream, "stream", false, "read the input once in constant memory (open conversations only), with percentiles from a sketch within 1 % of the exact values; the output says so")
	fs.DurationVar(&f.lateness, "lateness", time.Hour, "with --stream: how long after later events of its conversation an event may come and still be placed in time order")
	fs.DurationVar(&f.idle, "idle", 24*time.Hour, "with --stream: a conversation without events for this long is closed out and judged as of then")
}

// options turns the flags into kpi.Options; it needs the time zone.
func (f *kpiFlags) options(loc *time.Location) (kpi.Options, error) {
	m, err := f.measurement(loc)
	if err != nil {
		return kpi.Options{}, err
	}
	opts := kpi.Options{Location: loc, SLA: m.SLA, Policy: m.Policy, Method: m.Method, Clock: m.Clock}
	if f.by != "" {
		for _, name := range strings.Split(f.by, ",") {
			d, err := kpi.ParseDimension(strings.ToLower(strings.TrimSpace(name)))
			if err != nil {
				return opts, fmt.Errorf("--by: %w", err)
			}
			opts.GroupBy = append(opts.GroupBy, d)
		}
	}
	if f.asOf != "" {
		if opts.AsOf, err = parseAsOf(f.asOf, loc, nil); err != nil {
			return opts, err
		}
	}
	return opts, nil
}

// kpiUsage is the usage of "onemin kpi", before its flags.
const kpiUsage = `usage: onemin kpi [flags] [FILE...]

The One-Minute KPI of each lead's first reply: median, P90, P99, mean and
the SLA rate (met ÷ (leads − pending) × 100), overall and by group. FILE is
CSV or JSON Lines, in the event layout or one row per lead; with no FILE
the embedded sample runs, and - reads standard input. Rejected rows are
listed on stderr and make the exit status 1 unless --allow-rejects.

With --stream the input is read once, holding only open conversations, so
a file of any size fits in memory: counts and the SLA rate are exact, the
percentiles come from a sketch (within 1 %), and the output says so. The
rows must come in time order, give or take --lateness (an export sorted by
time); a row later than that is named as too late.
`

func runKPI(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newInvocation("kpi", kpiUsage, stdin, stderr)
	c.inputFlags()
	var f kpiFlags
	f.register(c.flags)
	if code, ok := c.parse(args); !ok {
		return code
	}
	render, ok := kpiRenderers[f.format]
	if !ok {
		return c.fail(fmt.Errorf("--format: unknown format %q (want text, json, markdown or csv)", f.format))
	}
	loc, err := c.location()
	if err != nil {
		return c.fail(err)
	}
	opts, err := f.options(loc)
	if err != nil {
		return c.fail(err)
	}
	if f.stream {
		return runKPIStream(c, &f, stdout, opts, loc, render)
	}
	in, status, err := c.load(loc)
	if err != nil {
		return c.fail(err)
	}
	rep := kpi.Summarize(in.Events, opts)
	if err := render(stdout, newKPIResult(&in, &rep, &opts)); err != nil {
		return c.fail(err)
	}
	return status
}

// kpiResult is the output of "onemin kpi": the document its JSON form
// writes (a contract: see the README) and, for the text forms, the notes
// on events left out.
type kpiResult struct {
	kpi.Document

	notes []string // for the text forms: events left out and why
}

// rowCounts is the "rows" object of the commands' JSON output: read =
// accepted + duplicates + rejected. (onemin.Counts has the same keys; this
// type keeps the contract in one place for every command.)
type rowCounts struct {
	Read       int `json:"read"`
	Accepted   int `json:"accepted"`
	Duplicates int `json:"duplicates"`
	Rejected   int `json:"rejected"`
}

// rejectedRow is one rejected row in the JSON output of every command,
// as onemin kpi's document lists it.
type rejectedRow = kpi.RejectedRow

func newKPIResult(in *input, rep *kpi.Report, opts *kpi.Options) *kpiResult {
	r := &kpiResult{Document: kpi.NewDocument(rep, opts)}
	r.Rows, r.Rejected, r.Sample = in.Counts, rejectedRows(in), in.Sample
	if rep.AfterAsOf > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%d events after the as-of time left out", rep.AfterAsOf))
	}
	if rep.Greetings > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%d replies came before any customer message (greetings) and answer nothing", rep.Greetings))
	}
	if rep.OutOfRange > 0 {
		r.notes = append(r.notes, fmt.Sprintf("%d events with a time outside 1678–2262 left out", rep.OutOfRange))
	}
	return r
}

var kpiRenderers = map[string]func(io.Writer, *kpiResult) error{
	"text":     renderKPIText,
	"json":     renderJSON[*kpiResult],
	"markdown": renderKPIMarkdown,
	"md":       renderKPIMarkdown,
	"csv":      renderKPICSV,
}

// humanDuration writes seconds as a person reads them: 0.4s, 28s, 2m05s,
// 1h12m, 3d04h; "-" when undefined.
func humanDuration(v kpi.NullFloat) string {
	s, ok := v.Get()
	if !ok {
		return "-"
	}
	return kpi.FormatSeconds(s)
}

// percent writes a rate in percent with one decimal; "-" when undefined.
func percent(v kpi.NullFloat) string {
	p, ok := v.Get()
	if !ok {
		return "-"
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + "%"
}

// target writes the SLA target as it is usually said: 60s, 3m, 15m, 1h30m;
// "mixed" when the leads were held to different targets.
func target(s *kpi.Summary) string {
	switch t := s.Target; {
	case t > 0 && t <= time.Minute && t%time.Second == 0:
		return strconv.FormatInt(int64(t/time.Second), 10) + "s"
	case t > 0 && t%time.Hour == 0:
		return strconv.FormatInt(int64(t/time.Hour), 10) + "h"
	case t > 0 && t%time.Minute == 0 && t < time.Hour:
		return strconv.FormatInt(int64(t/time.Minute), 10) + "m"
	case t > 0:
		return humanDuration(kpi.Some(t.Seconds()))
	case s.Leads > 0:
		return "mixed"
	}
	return "-"
}

func statusWord(s kpi.Status) string {
	if s == kpi.NoStatus {
		return "-"
	}
	return s.String()
}

var kpiColumns = []string{"leads", "answered", "unanswered", "pending", "median", "P90", "target", "met", "SLA rate", "status"}

func kpiCells(s *kpi.Summary) []string {
	return []string{strconv.Itoa(s.Leads), strconv.Itoa(s.Answered), strconv.Itoa(s.Unanswered),
		strconv.Itoa(s.Pending), humanDuration(s.Median), humanDuration(s.P90), target(s),
		strconv.Itoa(s.Met), percent(s.Rate), statusWord(s.Status)}
}

// headline says what was measured, in one or two lines.
func (r *kpiResult) headline() []string {
	who := "a bot or a human"
	if r.Reply == "human" {
		who = "a human"
	}
	clock := "calendar time"
	if r.Clock == "business" {
		clock = "business hours"
	}
	asOf := "no events"
	if r.AsOf != nil {
		asOf = "as of " + r.AsOf.Format("2006-01-02 15:04:05 -07:00")
	}
	src := fmt.Sprintf("%s read: %d accepted, %s, %d rejected", plural(r.Rows.Read, "row"), r.Rows.Accepted,
		plural(r.Rows.Duplicates, "duplicate"), r.Rows.Rejected)
	if r.Sample {
		src += " (embedded sample data)"
	}
	method := r.Method + " percentiles"
	if r.Estimate != "" {
		method += fmt.Sprintf(" estimated from a %s (within %s%% of the exact values, --stream)", r.Estimate,
			strconv.FormatFloat(r.RelativeError*100, 'f', -1, 64))
	}
	return []string{
		fmt.Sprintf("First reply by %s, %s, %s (%s), %s", who, clock, asOf, r.TimeZone, method),
		src,
	}
}

// plural writes "1 row", "2 rows".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

func groupValue(v string) string {
	if v == "" {
		return "(none)"
	}
	return v
}

func renderKPIText(w io.Writer, r *kpiResult) error {
	var rows [][]string
	rows = append(rows, append([]string{""}, kpiColumns...))
	rows = append(rows, append([]string{"overall"}, kpiCells(&r.Overall)...))
	heading := map[int]string{}
	last := ""
	for i := range r.Groups {
		g := &r.Groups[i]
		if g.By != last {
			heading[len(rows)] = "by " + g.By
			last = g.By
		}
		rows = append(rows, append([]string{"  " + groupValue(g.Value)}, kpiCells(&g.Summary)...))
	}
	width := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	var b strings.Builder
	b.WriteString("One-Minute KPI\n")
	for _, l := range r.headline() {
		b.WriteString(l + "\n")
	}
	for i, row := range rows {
		if h, ok := heading[i]; ok {
			b.WriteString("\n" + h + "\n")
		} else if i == 0 {
			b.WriteString("\n")
		}
		for j, c := range row {
			pad := strings.Repeat(" ", width[j]-utf8.RuneCountInString(c))
			switch {
			case j == 0:
				b.WriteString(c + pad)
			case j == len(row)-1:
				b.WriteString("  " + c)
			default:
				b.WriteString("  " + pad + c)
			}
		}
		b.WriteString("\n")
	}
	for _, n := range r.notes {
		b.WriteString("\nnote: " + n)
	}
	if len(r.notes) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func renderKPIMarkdown(w io.Writer, r *kpiResult) error {
	var b strings.Builder
	b.WriteString("## One-Minute KPI\n\n")
	h := r.headline()
	b.WriteString(h[0] + ". " + h[1] + ".\n\n")
	table := func(first string, names []string, sums []*kpi.Summary) {
		b.WriteString("| " + first + " | " + strings.Join(kpiColumns, " | ") + " |\n|---")
		for range kpiColumns {
			b.WriteString("|---:")
		}
		b.WriteString("|\n")
		for i, s := range sums {
			b.WriteString("| " + mdEscape(names[i]) + " | " + strings.Join(kpiCells(s), " | ") + " |\n")
		}
	}
	table("", []string{"**overall**"}, []*kpi.Summary{&r.Overall})
	for i := 0; i < len(r.Groups); {
		by := r.Groups[i].By
		var names []string
		var sums []*kpi.Summary
		for ; i < len(r.Groups) && r.Groups[i].By == by; i++ {
			names = append(names, groupValue(r.Groups[i].Value))
			sums = append(sums, &r.Groups[i].Summary)
		}
		b.WriteString("\n### By " + by + "\n\n")
		table(by, names, sums)
	}
	for _, n := range r.notes {
		b.WriteString("\n> " + n + "\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func mdEscape(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

// renderKPICSV writes one row for the overall summary (by "overall") and
// one per group, with the JSON's keys as columns; undefined values are
// empty cells.
func renderKPICSV(w io.Writer, r *kpiResult) error {
	cw := csv.NewWriter(w)
	num := func(v kpi.NullFloat) string {
		if x, ok := v.Get(); ok {
			return strconv.FormatFloat(x, 'f', -1, 64)
		}
		return ""
	}
	row := func(by, value string, s *kpi.Summary) []string {
		sla := ""
		if s.Target > 0 {
			sla = strconv.FormatFloat(s.Target.Seconds(), 'f', -1, 64)
		}
		return []string{by, value, strconv.Itoa(s.Leads), strconv.Itoa(s.Answered), strconv.Itoa(s.Unanswered),
			strconv.Itoa(s.Pending), strconv.Itoa(s.Met), strconv.Itoa(s.Breached),
			num(s.Median), num(s.P90), num(s.P99), num(s.Mean), sla, num(s.Rate), s.Status.String()}
	}
	cw.Write([]string{"by", "value", "leads", "answered", "unanswered", "pending", "met", "breached",
		"median_seconds", "p90_seconds", "p99_seconds", "mean_seconds", "sla_seconds", "sla_rate", "status"})
	cw.Write(row("overall", "", &r.Overall))
	for i := range r.Groups {
		cw.Write(row(r.Groups[i].By, r.Groups[i].Value, &r.Groups[i].Summary))
	}
	cw.Flush()
	return cw.Error()
}
