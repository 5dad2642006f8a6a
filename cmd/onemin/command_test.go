package main

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"

	"github.com/onemin/onemin"
)

// "onemin help COMMAND" prints on stdout what "onemin COMMAND -h" prints
// on stderr, for every command.
func TestHelpCommand(t *testing.T) {
	if len(commands) == 0 {
		t.Fatal("no commands registered")
	}
	for name := range commands {
		code, out, errOut := runCmd(t, "", "help", name)
		if code != 0 || errOut != "" {
			t.Errorf("help %s: exit %d, stderr %q", name, code, errOut)
		}
		hCode, hOut, hErr := runCmd(t, "", name, "-h")
		if hCode != 0 || hOut != "" {
			t.Errorf("%s -h: exit %d, stdout %q", name, hCode, hOut)
		}
		if diff := cmp.Diff(hErr, out); diff != "" {
			t.Errorf("help %s differs from %s -h (-h +help):\n%s", name, name, diff)
		}
		if !strings.HasPrefix(out, "usage: onemin "+name) || !strings.Contains(out, "\nflags:\n") {
			t.Errorf("help %s does not look like a usage:\n%s", name, out)
		}
	}
}

func TestHelpErrors(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		code   int
		stdout string // a part of it
		stderr string // a part of it
	}{
		{"no command: the list, on stdout, exit 2", nil, 2, "commands:", ""},
		{"help alone lists the commands", []string{"help"}, 0, "commands:", ""},
		{"help help lists them too", []string{"help", "help"}, 0, "commands:", ""},
		{"-h lists them", []string{"-h"}, 0, "commands:", ""},
		{"an unknown command", []string{"sales"}, 2, "", `unknown command "sales"`},
		{"help of an unknown command", []string{"help", "sales"}, 2, "", `onemin help: unknown command "sales"`},
		{"help of two commands", []string{"help", "kpi", "funnel"}, 2, "", "usage: onemin help [COMMAND]"},
	}
	for _, tt := range tests {
		code, out, errOut := runCmd(t, "", tt.args...)
		if code != tt.code || !strings.Contains(out, tt.stdout) || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%s: exit %d, want %d; stdout %q, want %q in it; stderr %q, want %q in it",
				tt.reason, code, tt.code, out, tt.stdout, errOut, tt.stderr)
		}
	}
}

// refusal is a run of the CLI that must end with an exit status and say
// why on stderr.
type refusal struct {
	reason string
	args   []string // the words after "onemin"
	code   int
	stderr string // a part of stderr
}

// checkRefusals runs each case and checks its exit status and message.
func checkRefusals(t *testing.T, tests []refusal) {
	t.Helper()
	for _, tt := range tests {
		code, _, errOut := runCmd(t, "", tt.args...)
		if code != tt.code || !strings.Contains(errOut, tt.stderr) {
			t.Errorf("%s: onemin %s: exit %d, want %d; stderr %q, want it to contain %q",
				tt.reason, strings.Join(tt.args, " "), code, tt.code, errOut, tt.stderr)
		}
	}
}

// The skeleton parses flags and files in any order, reports its errors
// under the command's name, and loads the files with the rejects listed.
func TestInvocation(t *testing.T) {
	tests := []struct {
		reason       string
		args         []string
		stdin        string
		code         int  // of parse, when it stops the run
		parsed       bool // parse lets the run go on
		files        []string
		tz           string
		allowRejects bool
		status       int    // of load
		loadErr      string // a part of load's error
		stderr       string // all of stderr
	}{
		{reason: "flags before and after a file", args: []string{"--tz", "Europe/Samara", "-", "--allow-rejects"},
			stdin: "event_id,kind,at\ne1,touch,2026-10-01T12:00:00Z\n", parsed: true,
			files: []string{"-"}, tz: "Europe/Samara", allowRejects: true},
		{reason: "a rejected row makes status 1 and is named", args: []string{"-"},
			stdin: "event_id,kind,at\ne1,touch,2026-10-01T12:00:00Z\ne2,sale,2026-10-01T12:00:00Z\n", parsed: true,
			files: []string{"-"}, status: 1,
			stderr: "-:3: rejected: event \"e2\": field kind: unknown kind \"sale\"\n" +
				"1 of 2 rows rejected; fix them, or pass --allow-rejects to accept the rest\n"},
		{reason: "a file that is not there", args: []string{"testdata/no-such.csv"}, parsed: true,
			files: []string{"testdata/no-such.csv"}, loadErr: "no-such.csv"},
		{reason: "-h stops with 0", args: []string{"-h"}, code: 0,
			stderr: "usage: onemin test FILE\n\nflags:\n" +
				"  -allow-rejects\n    \t" + allowRejectsUsage + "\n" +
				"  -tz string\n    \t" + tzUsage + "\n"},
		{reason: "a bad flag stops with 2", args: []string{"--sla", "1m"}, code: 2,
			stderr: "flag provided but not defined: -sla\n"},
	}
	for _, tt := range tests {
		var errOut bytes.Buffer
		c := newInvocation("test", "usage: onemin test FILE\n", strings.NewReader(tt.stdin), &errOut)
		c.inputFlags()
		code, ok := c.parse(tt.args)
		if ok != tt.parsed || (!ok && code != tt.code) {
			t.Errorf("%s: parse = %d, %v; want %d, %v", tt.reason, code, ok, tt.code, tt.parsed)
			continue
		}
		if !ok {
			if !strings.HasPrefix(errOut.String(), tt.stderr) {
				t.Errorf("%s: stderr %q, want it to start with %q", tt.reason, errOut.String(), tt.stderr)
			}
			continue
		}
		if diff := cmp.Diff(tt.files, c.files); diff != "" || c.tz != tt.tz || c.allowRejects != tt.allowRejects {
			t.Errorf("%s: tz %q, allow rejects %v, files (-want +got):\n%s", tt.reason, c.tz, c.allowRejects, diff)
		}
		loc, err := c.location()
		if err != nil {
			t.Errorf("%s: location: %v", tt.reason, err)
			continue
		}
		_, status, err := c.load(loc)
		switch {
		case tt.loadErr != "":
			if err == nil || !strings.Contains(err.Error(), tt.loadErr) {
				t.Errorf("%s: load error %v, want one naming %q", tt.reason, err, tt.loadErr)
			}
		case err != nil:
			t.Errorf("%s: load: %v", tt.reason, err)
		case status != tt.status:
			t.Errorf("%s: status %d, want %d", tt.reason, status, tt.status)
		}
		if diff := cmp.Diff(tt.stderr, errOut.String()); diff != "" {
			t.Errorf("%s: stderr (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestInvocationFailAndSource(t *testing.T) {
	var errOut bytes.Buffer
	c := newInvocation("test", "", nil, &errOut)
	if code := c.fail(errors.New("--window: \"soon\" is not a duration")); code != 2 {
		t.Errorf("fail = %d, want 2", code)
	}
	if diff := cmp.Diff("onemin test: --window: \"soon\" is not a duration\n", errOut.String()); diff != "" {
		t.Errorf("fail wrote (-want +got):\n%s", diff)
	}
	c.files = []string{"a.csv", "-"}
	if got := c.source(&input{}); got != "a.csv, -" {
		t.Errorf("source of files = %q", got)
	}
	if got := c.source(&input{Sample: true}); got != "sample" {
		t.Errorf("source of the sample = %q", got)
	}
}

func TestInvocationLocation(t *testing.T) {
	tests := []struct {
		reason string
		tz     string
		files  []string
		want   string // the zone's name, or the error
	}{
		{"named zone", "Asia/Almaty", []string{"a.csv"}, "Asia/Almaty"},
		{"named zone with the sample", "Europe/Samara", nil, "Europe/Samara"},
		{"default with files is UTC", "", []string{"a.csv"}, "UTC"},
		{"default with the sample is the sample's zone", "", nil, "Europe/Moscow"},
		{"unknown zone", "Almaty", nil, `--tz "Almaty": not an IANA time zone such as Europe/Samara`},
	}
	for _, tt := range tests {
		c := newInvocation("test", "", nil, io.Discard)
		c.tz, c.files = tt.tz, tt.files
		loc, err := c.location()
		got := ""
		if err != nil {
			got = err.Error()
		} else {
			got = loc.String()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestOutputsPick(t *testing.T) {
	text := func(w io.Writer, s string) error { _, err := io.WriteString(w, "text "+s); return err }
	json := func(w io.Writer, s string) error { _, err := io.WriteString(w, "json "+s); return err }
	tests := []struct {
		reason  string
		outputs outputs[string]
		format  string
		want    string // what the renderer wrote, or the error
	}{
		{"the first", outputs[string]{{"text", text}, {"json", json}}, "text", "text x"},
		{"the second", outputs[string]{{"text", text}, {"json", json}}, "json", "json x"},
		{"two choices", outputs[string]{{"text", text}, {"json", json}}, "xml", `--format: unknown format "xml" (want text or json)`},
		{"four choices, in their order", outputs[string]{{"text", text}, {"json", json}, {"markdown", text}, {"csv", text}}, "md",
			`--format: unknown format "md" (want text, json, markdown or csv)`},
		{"one choice", outputs[string]{{"text", text}}, "xml", `--format: unknown format "xml" (want text)`},
		{"case matters", outputs[string]{{"text", text}, {"json", json}}, "JSON", `--format: unknown format "JSON" (want text or json)`},
	}
	for _, tt := range tests {
		var got string
		render, err := tt.outputs.pick(tt.format)
		if err != nil {
			got = err.Error()
		} else {
			var b strings.Builder
			if err := render(&b, "x"); err != nil {
				t.Fatal(err)
			}
			got = b.String()
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestRenderJSON(t *testing.T) {
	v := map[string]string{"campaign": "a&b <c>"}
	var plain, escaped strings.Builder
	if err := renderJSON(&plain, v); err != nil {
		t.Fatal(err)
	}
	if err := renderHTMLSafeJSON(&escaped, v); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff("{\n  \"campaign\": \"a&b <c>\"\n}\n", plain.String()); diff != "" {
		t.Errorf("renderJSON (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff("{\n  \"campaign\": \"a\\u0026b \\u003cc\\u003e\"\n}\n", escaped.String()); diff != "" {
		t.Errorf("renderHTMLSafeJSON (-want +got):\n%s", diff)
	}
}

func TestParseSpan(t *testing.T) {
	tests := []struct {
		in   string
		want time.Duration
		err  bool
	}{
		{in: "7d", want: 7 * 24 * time.Hour},
		{in: "1.5d", want: 36 * time.Hour},
		{in: "0d", want: 0},
		{in: "36h", want: 36 * time.Hour},
		{in: "90m", want: 90 * time.Minute},
		{in: "0", want: 0},
		{in: "36500d", want: 36500 * 24 * time.Hour},
		{in: "36501d", err: true}, // past a hundred years
		{in: "-3d", err: true},
		{in: "-1h", err: true},
		{in: "d", err: true},
		{in: "soon", err: true},
		{in: "", err: true},
	}
	for _, tt := range tests {
		got, err := parseSpan(tt.in)
		if (err != nil) != tt.err || got != tt.want {
			t.Errorf("parseSpan(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestFormatSpan(t *testing.T) {
	tests := []struct {
		in   time.Duration
		want string
	}{
		{0, "0d"},
		{7 * 24 * time.Hour, "7d"},
		{36 * time.Hour, "36h0m0s"},
		{90 * time.Minute, "1h30m0s"},
	}
	for _, tt := range tests {
		if got := formatSpan(tt.in); got != tt.want {
			t.Errorf("formatSpan(%v) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// What formatSpan writes, parseSpan reads back to the same duration.
func TestSpanRoundTrip(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		var d time.Duration
		if rapid.Bool().Draw(t, "whole days") {
			d = time.Duration(rapid.Int64Range(0, 36500).Draw(t, "days")) * 24 * time.Hour
		} else {
			d = time.Duration(rapid.Int64Range(0, 36500*24*int64(time.Hour)).Draw(t, "nanoseconds"))
		}
		got, err := parseSpan(formatSpan(d))
		if err != nil || got != d {
			t.Fatalf("parseSpan(formatSpan(%v) = %q) = %v, %v", d, formatSpan(d), got, err)
		}
	})
}

func TestParseAsOf(t *testing.T) {
	samara := time.FixedZone("+04", 4*3600)
	events := []onemin.Event{
		{At: time.Date(2026, 10, 2, 9, 0, 0, 0, time.UTC)},
		{At: time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC)}, // the latest
		{At: time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)},
	}
	tests := []struct {
		reason string
		in     string
		events []onemin.Event
		want   time.Time
		err    string // a part of the error
	}{
		{"empty: the latest event, wherever it stands", "", events, time.Date(2026, 10, 3, 9, 0, 0, 0, time.UTC), ""},
		{"empty without events", "", nil, time.Time{}, "no events, and no --as-of"},
		{"RFC 3339 keeps its own offset", "2026-11-01T09:00:00+03:00", nil, time.Date(2026, 11, 1, 6, 0, 0, 0, time.UTC), ""},
		{"a date is midnight in the zone", "2026-11-01", nil, time.Date(2026, 10, 31, 20, 0, 0, 0, time.UTC), ""},
		{"a local time is wall clock in the zone", "2026-11-01 09:00", nil, time.Date(2026, 11, 1, 5, 0, 0, 0, time.UTC), ""},
		{"day first, as spreadsheets in Russia write it", "01.11.2026 09:00:00", nil, time.Date(2026, 11, 1, 5, 0, 0, 0, time.UTC), ""},
		{"a spreadsheet serial: noon of 2025-12-09 in the zone", "46000.5", nil, time.Date(2025, 12, 9, 8, 0, 0, 0, time.UTC), ""},
		{"neither", "yesterday", events, time.Time{}, `--as-of: "yesterday" is not a time`},
	}
	for _, tt := range tests {
		got, err := parseAsOf(tt.in, samara, tt.events)
		switch {
		case tt.err != "":
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s: error %v, want one containing %q", tt.reason, err, tt.err)
			}
		case err != nil:
			t.Errorf("%s: %v", tt.reason, err)
		case !got.Equal(tt.want):
			t.Errorf("%s: %v, want %v", tt.reason, got, tt.want)
		}
	}
}
