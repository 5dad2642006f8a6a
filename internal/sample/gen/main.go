// Command gen writes salon.csv, the sample data set, from sample.Generate.
// Run it with "go generate" in internal/sample.
package main

import (
	"log"
	"os"

	"github.com/onemin/onemin/internal/sample"
)

func main() {
	out := "salon.csv"
	if len(os.Args) > 1 {
		out = os.Args[1]
	}
	if err := os.WriteFile(out, sample.Generate(), 0o644); err != nil {
		log.Fatal(err)
	}
}
