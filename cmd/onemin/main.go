// Command onemin computes response-time and end-to-end analytics of chat
// and lead handling from exported events: the One-Minute KPI, funnels,
// cohorts, attribution, ROI and the owner's reports.
//
// Usage:
//
//	onemin COMMAND [flags] [FILE...]
//
// With no FILE a command runs on the embedded sample data (a month of a
// salon); "-" reads standard input. Run "onemin help" for the commands
// and "onemin help COMMAND" (or "onemin COMMAND -h") for one's flags.
package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
)

// command is one subcommand of the CLI. run parses args (the words after
// the command's name) and returns the process exit status; given "-h" it
// writes its usage to stderr and returns 0 ("onemin help COMMAND" passes
// stdout as stderr to show it).
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands holds every subcommand, registered by the files that implement
// them (each in its own file, from an init function).
var commands = map[string]command{}

func register(name, summary string, run func(args []string, stdin io.Reader, stdout, stderr io.Writer) int) {
	commands[name] = command{summary: summary, run: run}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// run dispatches to a subcommand; it is main without the process, for tests.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || (args[0] == "help" && len(args) == 1) {
		usage(stdout)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	if args[0] == "help" {
		return help(args[1:], stdin, stdout, stderr)
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "onemin: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run(args[1:], stdin, stdout, stderr)
}

// help serves "onemin help COMMAND": the command's usage and flags, as
// "onemin COMMAND -h" prints them, but on stdout.
func help(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "usage: onemin help [COMMAND]")
		return 2
	}
	if args[0] == "help" {
		usage(stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "onemin help: unknown command %q\n\n", args[0])
		usage(stderr)
		return 2
	}
	return c.run([]string{"-h"}, stdin, stdout, stdout)
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: onemin COMMAND [flags] [FILE...]")
	fmt.Fprintln(w, "\nWith no FILE, a command runs on the embedded sample data; - reads standard input.")
	fmt.Fprintln(w, "\ncommands:")
	for _, n := range slices.Sorted(maps.Keys(commands)) {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'onemin help COMMAND' for a command's flags.")
}
