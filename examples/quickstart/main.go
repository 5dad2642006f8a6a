// Quickstart reads a one-row-per-lead sheet and prints the One-Minute KPI:
// the median and P90 of the first-reply time and the SLA rate.
package main

import (
	"fmt"
	"io"
	"log"
	"os"
	"strings"

	"github.com/onemin/onemin/adapters/csvio"
	"github.com/onemin/onemin/kpi"
)

// sheet is what an owner exports: when each lead came in and when it got
// its first reply. L3 never got one.
const sheet = `lead_id,channel,received_at,first_reply_at,handler,transfer_at,source,agent
L1,whatsapp,2026-10-01T10:00:00+03:00,2026-10-01T10:00:12+03:00,bot,,instagram,bot
L2,whatsapp,2026-10-01T10:05:00+03:00,2026-10-01T10:05:28+03:00,bot,,instagram,bot
L3,web,2026-10-01T10:10:00+03:00,,,,site,
L4,telegram,2026-10-01T10:20:00+03:00,2026-10-01T10:20:45+03:00,human,,vk,Alina
L5,instagram,2026-10-01T10:30:00+03:00,2026-10-01T10:31:35+03:00,human,,instagram,Marat
`

func main() {
	if err := run(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

func run(w io.Writer) error {
	res, err := csvio.ReadAll(strings.NewReader(sheet), csvio.Options{})
	if err != nil {
		return err
	}
	s := kpi.Summarize(res.Events, kpi.Options{}).Summary // 60 s target, as of the last event
	fmt.Fprintf(w, "leads %d, answered %d\n", s.Leads, s.Answered)
	fmt.Fprintf(w, "median %v s, P90 %v s\n", s.Median, s.P90)
	fmt.Fprintf(w, "SLA rate (≤ %v): %v %% (%s)\n", s.Target, s.Rate, s.Status)
	return nil
}
