package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/attribution"
	"github.com/onemin/onemin/internal/money"
	"github.com/onemin/onemin/roi"
)

func init() {
	register("attribution", "share conversions and revenue among channels: first, last, linear, time-decay, position, markov, shapley", runAttribution)
}

// attrFlags are the flags of "onemin attribution".
type attrFlags struct {
	model, level, conversion, paths, currency, format string
	writePaths, position                              string
	halfLife, lookback                                time.Duration
	order                                             int
}

func (f *attrFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&f.model, "model", "linear", "attribution model: first, last, linear, time-decay, position, markov or shapley")
	fs.StringVar(&f.level, "level", "channel", "what a touch is credited to: channel, source or campaign")
	fs.Func("half-life", "half-life H of the time-decay model: 7d, 36h (default 7d)", func(s string) error {
		d, err := parseSpan(s)
		f.halfLife = d
		return err
	})
	fs.Func("lookback", "drop touches older than this before the conversion: 30d, 90d, 0 for no limit (default 30d)", func(s string) error {
		d, err := parseSpan(s)
		f.lookback = d
		return err
	})
	fs.IntVar(&f.order, "order", 1, "order of the markov model: how many of the last channels a state remembers (1–8)")
	fs.StringVar(&f.position, "position", "40/20/40", "shares in percent of the first touch, the touches between and the last touch, for the position model")
	fs.StringVar(&f.conversion, "conversion", "payment", "what converts: payment (value: its amount), deal_won (its amount, if any) or lead (value 0)")
	fs.StringVar(&f.paths, "paths", "", "read aggregated paths from `FILE` (ChannelAttribution's path;total_conversions;total_conversion_value;total_null) instead of events")
	fs.StringVar(&f.writePaths, "write-paths", "", "also write the paths, aggregated, to `FILE` in ChannelAttribution's format (to check the numbers with it)")
	fs.StringVar(&f.currency, "currency", "", "currency of the values in --paths (sets the minor unit they are split in); default none: 2 decimal places")
	fs.StringVar(&f.format, "format", "text", "output: text or json")
}

// attrUsage is the usage of "onemin attribution", before its flags.
const attrUsage = `usage: onemin attribution [flags] [FILE...]
       onemin attribution --paths FILE [flags]

Shares conversions and their value among the channels (or sources, or
campaigns) each customer touched before converting. A contact's touches are
its touch events and the start of each of its conversations; each payment
(or won deal, or lead) closes a path of the touches since the previous one,
within the lookback. Models:

  first, last   all to the first or the last touch
  linear        equal shares over the touches
  time-decay    touch weight 2^(-Δt/H), Δt = conversion time - touch time
  position      40 % first, 40 % last, 20 % shared by those between (--position)
  markov        removal effects of the Markov chain of the paths (--order)
  shapley       equal shares over the distinct channels of each path

Conversions are fractional (to a millionth) and sum exactly to the total;
values are exact in minor units and sum exactly to the total value.
FILE is CSV or JSON Lines in the event layout; with no FILE the embedded
sample runs, and - reads standard input. --paths reads ChannelAttribution's
aggregated format instead (no touch times: time-decay is not possible).
Rejected rows are listed on stderr and make the exit status 1 unless
--allow-rejects.
`

func runAttribution(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := newInvocation("attribution", attrUsage, stdin, stderr)
	c.inputFlags()
	f := attrFlags{halfLife: attribution.DefaultHalfLife, lookback: 30 * 24 * time.Hour}
	f.register(c.flags)
	if code, ok := c.parse(args); !ok {
		return code
	}
	model, err := attribution.ParseModel(f.model)
	if err != nil {
		return c.fail(fmt.Errorf("--model: %w", err))
	}
	level, err := attribution.ParseLevel(f.level)
	if err != nil {
		return c.fail(fmt.Errorf("--level: %w", err))
	}
	conv, err := onemin.ParseKind(f.conversion)
	if err != nil || (conv != onemin.Payment && conv != onemin.DealWon && conv != onemin.Lead) {
		return c.fail(fmt.Errorf("--conversion: %q is not payment, deal_won or lead", f.conversion))
	}
	render, err := attrOutputs.pick(f.format)
	if err != nil {
		return c.fail(err)
	}
	if f.halfLife <= 0 {
		return c.fail(errors.New("--half-life must be positive"))
	}
	first, last, err := parsePosition(f.position)
	if err != nil {
		return c.fail(err)
	}

	out := attrResult{Model: model.String(), Level: level.String(), Conversion: conv.String()}
	var (
		paths  []attribution.Path
		status int
	)
	if f.paths != "" {
		if len(c.files) > 0 {
			return c.fail(errors.New("give either --paths or event files, not both"))
		}
		if paths, status, err = readPathsFile(f.paths, stdin, stderr, c.allowRejects); err != nil {
			return c.fail(err)
		}
		out.Currency = strings.ToUpper(f.currency)
		out.Source, out.Conversion = f.paths, ""
	} else {
		loc, err := c.location()
		if err != nil {
			return c.fail(err)
		}
		var in input
		if in, status, err = c.load(loc); err != nil {
			return c.fail(err)
		}
		built, err := attribution.BuildPaths(in.Events, attribution.PathOptions{Level: level, Lookback: f.lookback, Conversion: conv})
		if err != nil {
			return c.fail(err)
		}
		if built.NoContact > 0 {
			fmt.Fprintf(stderr, "note: %d %s events name no contact and cannot be linked to touches; they are left out\n", built.NoContact, conv)
		}
		paths, out.Currency, out.NoContact = built.Paths, built.Currency, built.NoContact
		out.Source = c.source(&in)
		lb := "none"
		if f.lookback > 0 {
			lb = formatSpan(f.lookback)
		}
		out.Lookback = lb
	}
	if f.writePaths != "" {
		if err := writePathsFile(f.writePaths, paths); err != nil {
			return c.fail(err)
		}
	}
	if model == attribution.TimeDecay {
		out.HalfLife = formatSpan(f.halfLife)
	}
	if model == attribution.Markov {
		out.Order = f.order
	}
	if model == attribution.PositionBased {
		out.Position = f.position
	}
	res, err := attribution.Attribute(paths, model, attribution.Options{
		Currency: out.Currency, HalfLife: f.halfLife, Order: f.order, FirstShare: first, LastShare: last,
	})
	if err != nil {
		if errors.Is(err, attribution.ErrNoTimes) {
			err = errors.New("time-decay needs touch times, which --paths does not have; use event files or another model")
		}
		return c.fail(err)
	}
	out.fill(paths, &res)
	if err := render(stdout, &out); err != nil {
		return c.fail(err)
	}
	return status
}

// parsePosition reads --position, "first/between/last" in percent summing
// to 100, into the first and last shares as ratios.
func parsePosition(s string) (first, last float64, err error) {
	bad := fmt.Errorf("--position: %q is not first/between/last in percent summing to 100, such as 40/20/40", s)
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return 0, 0, bad
	}
	var v [3]decimal.Decimal
	for i, p := range parts {
		if v[i], err = decimal.NewFromString(strings.TrimSpace(p)); err != nil || v[i].IsNegative() {
			return 0, 0, bad
		}
	}
	if !v[0].Add(v[1]).Add(v[2]).Equal(decimal.NewFromInt(100)) {
		return 0, 0, bad
	}
	hundred := decimal.NewFromInt(100)
	return v[0].Div(hundred).InexactFloat64(), v[2].Div(hundred).InexactFloat64(), nil
}

// readPathsFile reads --paths (- for standard input), listing bad lines
// on stderr; the status is 1 when a line was rejected and rejects are not
// allowed.
func readPathsFile(name string, stdin io.Reader, stderr io.Writer, allowRejects bool) ([]attribution.Path, int, error) {
	r := stdin
	if name != "-" {
		fh, err := os.Open(name)
		if err != nil {
			return nil, 0, err
		}
		defer fh.Close()
		r = fh
	}
	paths, bad, err := attribution.ReadPaths(r)
	if err != nil {
		return nil, 0, fmt.Errorf("%s: %w", name, err)
	}
	return paths, listBadLines(stderr, name, fmt.Sprintf("of %d paths", len(paths)+len(bad)), bad, allowRejects), nil
}

// listBadLines lists the rejected lines of a side file (paths, costs) on
// stderr as "FILE:LINE: rejected: …" and returns the exit status they call
// for: 1 when a line was rejected and rejects are not allowed.
func listBadLines(stderr io.Writer, name, what string, bad []*onemin.ValidationError, allowRejects bool) int {
	for _, b := range bad {
		fmt.Fprintf(stderr, "%s:%d: rejected: %s\n", name, b.Line, rowMessage(b))
	}
	switch {
	case len(bad) == 0:
		return 0
	case allowRejects:
		fmt.Fprintf(stderr, "%d %s rejected; going on without them (--allow-rejects)\n", len(bad), what)
		return 0
	}
	fmt.Fprintf(stderr, "%d %s rejected; fix them, or pass --allow-rejects to accept the rest\n", len(bad), what)
	return 1
}

// writePathsFile writes paths, aggregated, in the path format.
func writePathsFile(name string, paths []attribution.Path) error {
	fh, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := attribution.WritePaths(fh, attribution.Aggregate(paths)); err != nil {
		fh.Close()
		return err
	}
	return fh.Close()
}

// attrResult is the output of "onemin attribution". Its JSON form is a
// contract: model, total_conversions (a number), total_value (a decimal
// string) and channels [{channel, conversions, value}].
type attrResult struct {
	Model            string          `json:"model"`
	Level            string          `json:"level"`
	Conversion       string          `json:"conversion,omitempty"`
	Source           string          `json:"source"`
	Lookback         string          `json:"lookback,omitempty"`
	HalfLife         string          `json:"half_life,omitempty"`
	Order            int             `json:"order,omitempty"`
	Position         string          `json:"position,omitempty"`
	Currency         string          `json:"currency,omitempty"`
	Paths            int             `json:"paths"`
	ConvertingPaths  int             `json:"converting_paths"`
	NoContact        int             `json:"no_contact,omitempty"`
	TotalConversions float64         `json:"total_conversions"`
	TotalValue       string          `json:"total_value"`
	Channels         []attrChannel   `json:"channels"`
	RemovalEffects   []attrRemoval   `json:"removal_effects,omitempty"`
	digits           int32           // decimal places of values
	totalValue       decimal.Decimal // for shares in text
}

type attrChannel struct {
	Channel     string  `json:"channel"`
	Conversions float64 `json:"conversions"`
	Value       string  `json:"value"`
}

type attrRemoval struct {
	Channel       string  `json:"channel"`
	RemovalEffect float64 `json:"removal_effect"`
}

func (o *attrResult) fill(paths []attribution.Path, res *attribution.Result) {
	o.Paths = len(paths)
	for i := range paths {
		if paths[i].Conversions > 0 {
			o.ConvertingPaths++
		}
	}
	o.digits = max(money.Digits(o.Currency), money.Places(res.TotalValue))
	for _, c := range res.Channels {
		o.digits = max(o.digits, money.Places(c.Value))
	}
	o.TotalConversions = res.TotalConversions
	o.totalValue = res.TotalValue
	o.TotalValue = res.TotalValue.StringFixed(o.digits)
	o.Channels = make([]attrChannel, 0, len(res.Channels))
	for _, c := range res.Channels {
		o.Channels = append(o.Channels, attrChannel{c.Channel, c.Conversions, c.Value.StringFixed(o.digits)})
		if re, ok := res.RemovalEffects[c.Channel]; ok {
			o.RemovalEffects = append(o.RemovalEffects, attrRemoval{c.Channel, re})
		}
	}
}

var attrOutputs = outputs[*attrResult]{
	{"text", renderAttrText},
	{"json", renderHTMLSafeJSON[*attrResult]},
}

func renderAttrText(w io.Writer, o *attrResult) error {
	fmt.Fprintf(w, "Attribution: %s model, by %s", o.Model, o.Level)
	if o.Conversion != "" {
		fmt.Fprintf(w, "; conversions: %s", o.Conversion)
	}
	if o.Lookback != "" {
		fmt.Fprintf(w, "; lookback %s", o.Lookback)
	}
	if o.HalfLife != "" {
		fmt.Fprintf(w, "; half-life %s", o.HalfLife)
	}
	if o.Order > 1 {
		fmt.Fprintf(w, "; order %d", o.Order)
	}
	if o.Position != "" {
		fmt.Fprintf(w, "; shares %s", o.Position)
	}
	fmt.Fprintf(w, "\nInput: %s: %d paths, %d converting\n", o.Source, o.Paths, o.ConvertingPaths)
	fmt.Fprintf(w, "Total: %s conversions, value %s\n\n", strconv.FormatFloat(o.TotalConversions, 'f', -1, 64), attrMoney(o.totalValue, o.Currency, o.digits))
	if len(o.Channels) == 0 {
		fmt.Fprintln(w, "No paths: nothing to attribute.")
		return nil
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := "%s\tconversions\tshare\tvalue\t"
	if len(o.RemovalEffects) > 0 {
		head += "removal effect\t"
	}
	fmt.Fprintf(tw, head+"\n", o.Level)
	for i, c := range o.Channels {
		share := "—"
		if o.TotalConversions > 0 {
			share = strconv.FormatFloat(c.Conversions/o.TotalConversions*100, 'f', 1, 64) + " %"
		}
		v, _ := decimal.NewFromString(c.Value)
		fmt.Fprintf(tw, "%s\t%.2f\t%s\t%s\t", c.Channel, c.Conversions, share, attrMoney(v, o.Currency, o.digits))
		if len(o.RemovalEffects) > 0 {
			fmt.Fprintf(tw, "%.4f\t", o.RemovalEffects[i].RemovalEffect)
		}
		fmt.Fprintln(tw)
	}
	return tw.Flush()
}

// attrMoney writes a value for people: "12 345,67 ₽" with a currency,
// else grouped digits with the value's own decimal places.
func attrMoney(v decimal.Decimal, currency string, digits int32) string {
	if currency != "" && digits == money.Digits(currency) {
		return roi.New(v, currency).Format()
	}
	return v.StringFixed(digits)
}
