// Command table prints the accuracy and size comparison of README.md as
// Markdown: for each dataset and size, the worst relative error of every
// estimator at P50, P90, P99 and P99.9 against the exact type-7 value over
// several seeds, the heap it holds and its serialized size.
//
//	go run ./cmd/table            # 1e4 (20 seeds), 1e6 (3 seeds), 1e7 (1 seed)
//	go run ./cmd/table -max 1e6   # skip the 1e7 runs
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/onemin/onemin/bench"
)

func main() {
	maxN := flag.Float64("max", 1e7, "largest number of values")
	flag.Parse()
	if err := run(os.Stdout, int(*maxN)); err != nil {
		fmt.Fprintln(os.Stderr, "table:", err)
		os.Exit(1)
	}
}

// sizes are the numbers of values and how many seeds each is run with.
var sizes = []struct{ n, seeds int }{{1e4, 20}, {1e6, 3}, {1e7, 1}}

func run(w io.Writer, maxN int) error {
	for _, ds := range bench.Datasets {
		fmt.Fprintf(w, "### %s\n\n", ds.Name)
		fmt.Fprintln(w, "| values | estimator | P50 error | P90 error | P99 error | P99.9 error | heap | serialized |")
		fmt.Fprintln(w, "|---:|---|---:|---:|---:|---:|---:|---:|")
		for _, sz := range sizes {
			if sz.n > maxN {
				continue
			}
			seeds := make([]uint64, sz.seeds)
			for i := range seeds {
				seeds[i] = uint64(i + 1)
			}
			for _, r := range bench.Compare(ds, sz.n, seeds, bench.Peers) {
				errs := make([]string, len(r.WorstError))
				for i, e := range r.WorstError {
					errs[i] = fmt.Sprintf("%.3f %%", 100*e)
				}
				if _, err := fmt.Fprintf(w, "| %s ×%d | %s | %s | %s | %s |\n", sci(r.N), r.Seeds, r.Peer,
					strings.Join(errs, " | "), bytes(r.HeapBytes), bytes(uint64(r.EncodedBytes))); err != nil {
					return err
				}
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

func sci(n int) string {
	switch n {
	case 1e4:
		return "1e4"
	case 1e6:
		return "1e6"
	case 1e7:
		return "1e7"
	}
	return fmt.Sprint(n)
}

func bytes(n uint64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
