package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/funnel"
	"github.com/onemin/onemin/kpi"
)

func init() {
	register("funnel", "the funnel from first message to payment: counts, conversion, drop-off and time per step", runFunnel)
}

// funnelFlags are the flags of "onemin funnel".
type funnelFlags struct {
	steps, named, window, order, count, by, unit string
	scenario, exclude, format                    string
}

func (f *funnelFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.steps, "steps", "", "the steps as event kinds, in order: `KIND,KIND,...` (message_in,lead,booking,payment); a step may be KIND|KIND for either")
	fs.StringVar(&f.named, "funnel", "", "a ready-made funnel instead of --steps: chatbot or appointment (default chatbot)")
	fs.StringVar(&f.window, "window", "0", "conversion window from the entry into the first step, such as 7d or 36h; 0 for none")
	fs.StringVar(&f.order, "order", "this", "how steps follow each other: this, any or strict")
	fs.StringVar(&f.count, "count", "uniques", "uniques (each contact once) or totals (every attempt)")
	fs.StringVar(&f.by, "by", "", "break down by source, medium, campaign, channel, scenario, product, agent, tenant or hour (of the first step)")
	fs.StringVar(&f.unit, "unit", "contact", "whose path: contact or conversation")
	fs.StringVar(&f.scenario, "scenario", "", "keep only these scenarios (`NAME,...`; events without a scenario are kept); the chatbot funnel leaves out \"support\" unless named here")
	fs.StringVar(&f.exclude, "exclude", "", "leave out the contacts (with --count totals, the attempts) that do an event of these kinds (`KIND,...`, such as refund) between the first and the last step")
	fs.StringVar(&f.format, "format", "text", "output: text, json, markdown or csv")
}

// build turns the flags into a funnel and its name.
func (f *funnelFlags) build(loc *time.Location) (funnel.Funnel, string, error) {
	var (
		fn   funnel.Funnel
		name string
	)
	switch {
	case f.steps != "" && f.named != "":
		return fn, "", fmt.Errorf("--steps and --funnel: give one, not both")
	case f.steps != "":
		for _, word := range strings.Split(f.steps, ",") {
			var kinds []onemin.Kind
			for _, k := range strings.Split(strings.TrimSpace(word), "|") {
				kind, err := onemin.ParseKind(strings.TrimSpace(k))
				if err != nil {
					return fn, "", fmt.Errorf("--steps: %q is not an event kind (%s)", k, kindList())
				}
				kinds = append(kinds, kind)
			}
			if len(kinds) == 1 {
				fn.Steps = append(fn.Steps, funnel.KindStep(kinds[0]))
			} else {
				fn.Steps = append(fn.Steps, funnel.AnyKindStep(strings.TrimSpace(word), kinds...))
			}
		}
		name = "steps"
	default:
		name = f.named
		if name == "" {
			name = "chatbot"
		}
		var err error
		if fn, err = funnel.Named(name); err != nil {
			return fn, "", fmt.Errorf("--funnel: %q is not a ready-made funnel (want chatbot or appointment)", name)
		}
	}
	var err error
	if fn.Window, err = parseSpan(f.window); err != nil {
		return fn, "", fmt.Errorf("--window: %v", err)
	}
	if fn.Order, err = funnel.ParseOrder(f.order); err != nil {
		return fn, "", fmt.Errorf("--order: %q is not an order (want this, any or strict)", f.order)
	}
	if fn.Count, err = funnel.ParseCounting(f.count); err != nil {
		return fn, "", fmt.Errorf("--count: %q is not a counting (want uniques or totals)", f.count)
	}
	switch f.unit {
	case "contact":
		fn.Unit = funnel.ByContact
	case "conversation":
		fn.Unit = funnel.ByConversation
	default:
		return fn, "", fmt.Errorf("--unit: %q is not a unit (want contact or conversation)", f.unit)
	}
	if f.by != "" {
		if fn.By, err = funnel.ParseDimension(f.by, loc); err != nil {
			return fn, "", fmt.Errorf("--by: %q is not a dimension (want source, medium, campaign, channel, scenario, product, agent, tenant or hour)", f.by)
		}
	}
	if f.exclude != "" {
		if len(fn.Steps) < 2 {
			return fn, "", fmt.Errorf("--exclude: a funnel of one step has nothing between its steps")
		}
		for _, k := range strings.Split(f.exclude, ",") {
			kind, err := onemin.ParseKind(strings.TrimSpace(k))
			if err != nil {
				return fn, "", fmt.Errorf("--exclude: %q is not an event kind (%s)", k, kindList())
			}
			fn.Exclusions = append(fn.Exclusions, funnel.Exclusion{Name: kind.String(), Match: funnel.KindStep(kind).Match, From: 0, To: len(fn.Steps) - 1})
		}
	}
	if f.scenario != "" {
		var names []string
		for _, s := range strings.Split(f.scenario, ",") {
			names = append(names, strings.TrimSpace(s))
		}
		fn.Filter = funnel.OnlyScenarios(names...)
	}
	return fn, name, nil
}

func kindList() string {
	var names []string
	for _, k := range onemin.Kinds() {
		names = append(names, k.String())
	}
	return "one of " + strings.Join(names, ", ")
}

// funnelUsage is the usage of "onemin funnel", before its flags.
const funnelUsage = `usage: onemin funnel [flags] [FILE...]

Counts the contacts (or conversations) that reach each step of a funnel:

  conversion from previous = count(step) / count(previous step)
  conversion from start    = count(step) / count(first step)
  drop-off                 = count(previous step) - count(step)
  median, P90 to step      = time from the entry into the first step (type 7)

A ratio with nothing to divide by is undefined ("-" in text, null in JSON).
--funnel chatbot (the default) is dialog start -> engaged (the customer
writes again after the first answer) -> lead or booking -> handoff -> deal
won -> paid, without support dialogs; it also counts dialogs with no
customer message and customers who got no answer. --funnel appointment is
booking -> confirmed -> attended, with the no-show report by employee and
week. --steps builds any funnel from event kinds.

Orders: this (others allowed between steps), any, strict (after a step the
next event matching any step must be the next step). A window starts at the
first entry; a repeated first step does not restart it.

` + eventFilesUsage

func runFunnel(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newInvocation("funnel", funnelUsage, stdin, stderr)
	c.inputFlags()
	var f funnelFlags
	f.register(c.flags)
	if code, ok := c.parse(args); !ok {
		return code
	}
	render, err := funnelOutputs.pick(f.format)
	if err != nil {
		return c.fail(err)
	}
	loc, err := c.location()
	if err != nil {
		return c.fail(err)
	}
	fn, name, err := f.build(loc)
	if err != nil {
		return c.fail(err)
	}
	in, status, err := c.load(loc)
	if err != nil {
		return c.fail(err)
	}
	res, err := fn.Compute(in.Events)
	if err != nil {
		return c.fail(err)
	}
	out := &funnelResult{
		Funnel: name, Order: fn.Order.String(), Count: fn.Count.String(), Unit: f.unit,
		WindowSeconds: fn.Window.Seconds(), By: fn.By.Name, TimeZone: loc.String(), Sample: in.Sample,
		Rows: rowCounts(in.Counts), Rejected: rejectedRows(&in),
		Entities: res.Entities, Excluded: res.Excluded, Skipped: res.Skipped,
		Steps: res.Steps, Groups: res.Groups,
	}
	if out.Groups == nil {
		out.Groups = []funnel.Group{}
	}
	switch name {
	case "chatbot":
		z := funnel.CountZeroDialogs(in.Events, fn.Filter)
		out.ZeroDialogs = &z
	case "appointment":
		rep := funnel.Appointments(in.Events, loc)
		out.Appointments = &rep
	}
	if err := render(stdout, out); err != nil {
		return c.fail(err)
	}
	return status
}

// funnelResult is the output of "onemin funnel". Its JSON form is a
// contract: steps [{step, count, conversion_from_previous,
// conversion_from_start, dropoff, median_seconds_to_step,
// p90_seconds_to_step}] and groups [{key, steps}].
type funnelResult struct {
	Funnel        string                    `json:"funnel"`
	Order         string                    `json:"order"`
	Count         string                    `json:"count"`
	Unit          string                    `json:"unit"`
	WindowSeconds float64                   `json:"window_seconds"`
	By            string                    `json:"by,omitempty"`
	TimeZone      string                    `json:"time_zone"`
	Sample        bool                      `json:"sample"`
	Rows          rowCounts                 `json:"rows"`
	Rejected      []rejectedRow             `json:"rejected"`
	Entities      int                       `json:"entities"`
	Excluded      int                       `json:"excluded"`
	Skipped       int                       `json:"skipped"`
	Steps         []funnel.StepResult       `json:"steps"`
	Groups        []funnel.Group            `json:"groups"`
	ZeroDialogs   *funnel.ZeroDialogs       `json:"zero_dialogs,omitempty"`
	Appointments  *funnel.AppointmentReport `json:"appointments,omitempty"`
}

var funnelOutputs = outputs[*funnelResult]{
	{"text", func(w io.Writer, r *funnelResult) error { return renderFunnelTable(w, r, false) }},
	{"json", renderJSON[*funnelResult]},
	{"markdown", func(w io.Writer, r *funnelResult) error { return renderFunnelTable(w, r, true) }},
	{"csv", renderFunnelCSV},
}

// seconds writes a time in seconds as a person reads it; "-" when nil.
func seconds(v *float64) string {
	if v == nil {
		return "-"
	}
	return humanDuration(kpi.Some(*v))
}

// ratio writes a ratio as a percent with one decimal; "-" when undefined.
func ratio(r onemin.Ratio) string {
	if !r.Defined() {
		return "-"
	}
	return r.String()
}

var funnelColumns = []string{"step", "count", "from previous", "from start", "drop-off", "median", "P90"}

func funnelCells(s *funnel.StepResult) []string {
	return []string{s.Step, strconv.Itoa(s.Count), ratio(s.ConversionFromPrevious), ratio(s.ConversionFromStart),
		strconv.Itoa(s.Dropoff), seconds(s.MedianSecondsToStep), seconds(s.P90SecondsToStep)}
}

func (r *funnelResult) headline() string {
	what := "contacts"
	if r.Unit == "conversation" {
		what = "conversations"
	}
	h := fmt.Sprintf("Funnel %s: %s order, %s, window %s; %d %s", r.Funnel, r.Order, r.Count, windowText(r.WindowSeconds), r.Entities, what)
	if r.Excluded > 0 {
		h += fmt.Sprintf(", %d excluded", r.Excluded)
	}
	if r.Sample {
		h += " (embedded sample)"
	}
	return h
}

func windowText(s float64) string {
	if s == 0 {
		return "none"
	}
	return formatSpan(time.Duration(s * float64(time.Second)))
}

func (r *funnelResult) notes() []string {
	var out []string
	if r.Skipped > 0 {
		out = append(out, fmt.Sprintf("%d events name no %s and were left out", r.Skipped, r.Unit))
	}
	if z := r.ZeroDialogs; z != nil {
		out = append(out, fmt.Sprintf("zero dialogs: %d of %d conversations had no customer message, %d customers got no answer",
			z.NoCustomerMessage, z.Conversations, z.Unanswered))
	}
	if a := r.Appointments; a != nil && a.Unmatched > 0 {
		out = append(out, fmt.Sprintf("%d appointment outcomes had no booking before them", a.Unmatched))
	}
	return out
}

// textTable writes rows as left-aligned columns separated by two spaces.
func textTable(b *strings.Builder, rows [][]string) {
	width := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			line.WriteString(c)
			if i < len(r)-1 {
				line.WriteString(strings.Repeat(" ", width[i]-len([]rune(c))))
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
}

// renderFunnelTable writes the result as aligned text or as Markdown.
func renderFunnelTable(w io.Writer, r *funnelResult, markdown bool) error {
	var b strings.Builder
	table, heading, note := textTable, "\n", "\n"
	if markdown {
		table, heading, note = mdTable, "\n### ", "\n> "
		b.WriteString("## ")
	}
	b.WriteString(r.headline() + "\n\n")
	steps := func(steps []funnel.StepResult) {
		rows := [][]string{funnelColumns}
		for i := range steps {
			rows = append(rows, funnelCells(&steps[i]))
		}
		table(&b, rows)
	}
	steps(r.Steps)
	for _, g := range r.Groups {
		b.WriteString(heading + r.By + " " + g.Key + "\n")
		if markdown {
			b.WriteString("\n")
		}
		steps(g.Steps)
	}
	if a := r.Appointments; a != nil {
		for _, part := range []struct {
			title, first string
			rows         []funnel.AppointmentRow
		}{
			{"Appointments by employee", "employee", a.ByAgent},
			{"Appointments by week (Monday)", "week", a.ByWeek},
			{"Appointments by week and employee", "week employee", a.ByWeekAgent},
		} {
			b.WriteString(heading + part.title + "\n")
			if markdown {
				b.WriteString("\n")
			}
			table(&b, appointmentRows(part.first, part.rows, &a.Total))
		}
	}
	notes := r.notes()
	for _, n := range notes {
		b.WriteString(note + n)
		if markdown {
			b.WriteString("\n")
		}
	}
	if !markdown && len(notes) > 0 {
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func appointmentRows(first string, rows []funnel.AppointmentRow, total *funnel.AppointmentRow) [][]string {
	out := [][]string{{first, "bookings", "confirmed", "attended", "no-show", "cancelled", "confirmation", "no-show rate"}}
	for _, r := range append(rows, *total) {
		out = append(out, []string{r.Key, strconv.Itoa(r.Bookings), strconv.Itoa(r.Confirmed), strconv.Itoa(r.Attended),
			strconv.Itoa(r.NoShow), strconv.Itoa(r.Cancelled), ratio(r.ConfirmationRate), ratio(r.NoShowRate)})
	}
	return out
}

// mdTable writes rows as a Markdown table, numbers right-aligned.
func mdTable(b *strings.Builder, rows [][]string) {
	for i, r := range rows {
		cells := make([]string, len(r))
		for j, c := range r {
			cells[j] = mdEscape(c)
		}
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
		if i == 0 {
			b.WriteString("|---")
			for range r[1:] {
				b.WriteString("|---:")
			}
			b.WriteString("|\n")
		}
	}
}

// csvRatio writes a defined ratio with full precision, an undefined one as
// an empty cell.
func csvRatio(r onemin.Ratio) string {
	if v, ok := r.Value(); ok {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return ""
}

func csvSeconds(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// renderFunnelCSV writes one row per step, overall (by "overall") and per
// group, with the JSON's keys as columns; undefined values are empty cells.
func renderFunnelCSV(w io.Writer, r *funnelResult) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"by", "value", "step", "count", "conversion_from_previous", "conversion_from_start",
		"dropoff", "median_seconds_to_step", "p90_seconds_to_step"})
	write := func(by, value string, steps []funnel.StepResult) {
		for _, s := range steps {
			cw.Write([]string{by, value, s.Step, strconv.Itoa(s.Count), csvRatio(s.ConversionFromPrevious),
				csvRatio(s.ConversionFromStart), strconv.Itoa(s.Dropoff), csvSeconds(s.MedianSecondsToStep), csvSeconds(s.P90SecondsToStep)})
		}
	}
	write("overall", "", r.Steps)
	for _, g := range r.Groups {
		write(r.By, g.Key, g.Steps)
	}
	cw.Flush()
	return cw.Error()
}
