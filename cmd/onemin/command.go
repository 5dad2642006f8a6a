package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/adapters/csvio"
)

// invocation is one run of a command: its name, its input and error
// streams, its flag set and, once parse has run, the file names among the
// arguments. It holds
// the flags every command that reads events shares (--tz and
// --allow-rejects, added by inputFlags) and does what each such command
// does the same way: parse the arguments, say an error, resolve the time
// zone, and load the events and list the rejected rows.
//
// A command's run function starts with newInvocation, adds its own flags
// to its flag set, and returns at once when parse says so:
//
//	c := newInvocation("funnel", funnelUsage, stdin, stderr)
//	c.inputFlags()
//	f.register(c.flags)
//	if code, ok := c.parse(args); !ok {
//		return code
//	}
type invocation struct {
	name   string // as in "onemin NAME"
	stdin  io.Reader
	stderr io.Writer
	flags  *flag.FlagSet
	files  []string // the file names; set by parse

	// tz is --tz, allowRejects --allow-rejects; they are set only when
	// inputFlags has added the flags.
	tz           string
	allowRejects bool
}

// newInvocation makes the flag set of command name. It writes its errors
// and usage to stderr; the usage is about (which ends with a newline),
// then "flags:" and the flags' defaults.
func newInvocation(name, about string, stdin io.Reader, stderr io.Writer) *invocation {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, about+"\nflags:\n")
		fs.PrintDefaults()
	}
	return &invocation{name: name, stdin: stdin, stderr: stderr, flags: fs}
}

// inputFlags adds --tz and --allow-rejects, the flags of a command that
// reads events, to the flag set.
func (c *invocation) inputFlags() {
	c.flags.StringVar(&c.tz, "tz", "", tzUsage)
	c.flags.BoolVar(&c.allowRejects, "allow-rejects", false, allowRejectsUsage)
}

// parse parses args, flags and file names in any order (see parseArgs),
// and keeps the file names. When ok is false the command returns code at
// once: 0 after -h (the usage is printed), 2 after a bad flag (the flag
// package has said why on stderr).
func (c *invocation) parse(args []string) (code int, ok bool) {
	files, err := parseArgs(c.flags, args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0, false
	case err != nil:
		return 2, false
	}
	c.files = files
	return 0, true
}

// fail writes err as "onemin NAME: err" on stderr and returns 2, the exit
// status of a run that could not be done as asked.
func (c *invocation) fail(err error) int {
	fmt.Fprintf(c.stderr, "onemin %s: %v\n", c.name, err)
	return 2
}

// location resolves --tz: the named IANA zone; without it, the sample's
// zone when the command reads the sample (no files), and UTC otherwise.
func (c *invocation) location() (*time.Location, error) {
	if c.tz == "" {
		if len(c.files) == 0 {
			if _, loc, ok := sampleData(); ok && loc != nil {
				return loc, nil
			}
		}
		return time.UTC, nil
	}
	loc, err := time.LoadLocation(c.tz)
	if err != nil {
		return nil, fmt.Errorf("--tz %q: not an IANA time zone such as Europe/Samara", c.tz)
	}
	return loc, nil
}

// load reads the events of the files (the embedded sample when there are
// none) with loc for zone-less times, lists the rejected and duplicate
// rows on stderr, and returns the exit status they call for: 1 when a row
// was rejected and --allow-rejects is not set, else 0.
func (c *invocation) load(loc *time.Location) (in input, status int, err error) {
	in, err = loadInput(c.files, c.stdin, loc)
	if err != nil {
		return in, 0, err
	}
	return in, in.reportRejected(c.stderr, c.allowRejects), nil
}

// source names where the events came from for a report's headline: the
// file names joined by ", ", or "sample" for the embedded sample.
func (c *invocation) source(in *input) string {
	if in.Sample {
		return "sample"
	}
	return strings.Join(c.files, ", ")
}

// outputs are the renderers of a command's result of type T, by --format
// name, in the order its usage lists them.
type outputs[T any] []struct {
	format string
	render func(io.Writer, T) error
}

// pick returns the renderer of format, or the error of a bad --format
// naming the known ones.
func (o outputs[T]) pick(format string) (func(io.Writer, T) error, error) {
	names := make([]string, len(o))
	for i, x := range o {
		if x.format == format {
			return x.render, nil
		}
		names[i] = x.format
	}
	return nil, fmt.Errorf("--format: unknown format %q (want %s)", format, orList(names))
}

// renderJSON writes v as JSON indented by two spaces, with <, > and & as
// they are.
func renderJSON[T any](w io.Writer, v T) error {
	return writeJSON(w, v, false)
}

// renderHTMLSafeJSON writes v as renderJSON does, but with <, > and & in
// strings escaped, as onemin attribution and onemin roi have always
// written them. (Both forms decode to the same values.)
func renderHTMLSafeJSON[T any](w io.Writer, v T) error {
	return writeJSON(w, v, true)
}

// writeJSON writes v as JSON indented by two spaces; escapeHTML writes <,
// > and & in strings as \u003c, \u003e and \u0026.
func writeJSON(w io.Writer, v any, escapeHTML bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(escapeHTML)
	return enc.Encode(v)
}

// orList joins words as a person lists choices: "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// Usage texts of the flags every command that reads input shares.
const (
	tzUsage           = "IANA time zone (Europe/Samara) of zone-less times and spreadsheet serial dates, and of hours and days in the output; default: the sample's zone with the sample, UTC otherwise"
	allowRejectsUsage = "exit 0 even when rows were rejected (they are still listed on stderr)"
)

// parseArgs parses flags wherever they stand among the file names, so that
// "onemin kpi data.csv --sla 30s" works as well as the usual order. A lone
// "-" is a file (standard input); "--" ends the flags.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return files, nil
		}
		if len(args) > len(rest) && args[len(args)-len(rest)-1] == "--" {
			return append(files, rest...), nil
		}
		files = append(files, rest[0])
		args = rest[1:]
	}
}

// Flag values more than one command reads.

// parseSpan reads a duration that may be in days ("7d", "1.5d") as well as
// Go's units ("36h", "90m"), or "0".
func parseSpan(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.ParseFloat(days, 64)
		if err != nil || n < 0 || n > 100*365 {
			return 0, fmt.Errorf("%q is not a number of days", s)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 7d, 36h or 90m", s)
	}
	return d, nil
}

// formatSpan writes a duration in days when it is whole days: 7d, 36h0m0s.
func formatSpan(d time.Duration) string {
	if d%(24*time.Hour) == 0 {
		return fmt.Sprintf("%dd", d/(24*time.Hour))
	}
	return d.String()
}

// asOfForms says, for the usage of every --as-of, what it takes.
const asOfForms = "RFC 3339, a local time in --tz such as 2026-11-01 09:00, or a date: its midnight in --tz"

// parseAsOf reads --as-of, the same way for every command: RFC 3339, a
// date at midnight in loc, or a time as the input's "at" column takes it
// (a local time in loc, a spreadsheet serial). Empty means the time of the
// latest event, and is an error when there are none.
func parseAsOf(s string, loc *time.Location, events []onemin.Event) (time.Time, error) {
	if s == "" {
		var last time.Time
		for i := range events {
			if events[i].At.After(last) {
				last = events[i].At
			}
		}
		if last.IsZero() {
			return time.Time{}, fmt.Errorf("no events, and no --as-of")
		}
		return last, nil
	}
	if t, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(s), loc); err == nil {
		return t, nil
	}
	t, err := csvio.ParseTime(s, loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("--as-of: %q is not a time (%s)", s, asOfForms)
	}
	return t, nil
}

// eventFilesUsage is the paragraph of a command's usage that says what it
// reads and what becomes of bad rows.
const eventFilesUsage = `FILE is CSV or JSON Lines in the event layout; with no FILE the embedded
sample runs, and - reads standard input. Rejected rows are listed on stderr
and make the exit status 1 unless --allow-rejects.
`
