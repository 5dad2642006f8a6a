package kpi_test

import (
	"fmt"
	"time"

	"github.com/onemin/onemin"
	"github.com/onemin/onemin/kpi"
)

// A report as the document "onemin kpi --format json" writes: the caller
// adds the rows it read and rejected.
func ExampleNewDocument() {
	moscow, _ := time.LoadLocation("Europe/Moscow")
	opts := kpi.Options{AsOf: clock(12, 0, 0), Location: moscow, GroupBy: []kpi.Dimension{kpi.ByChannel}}
	rep := kpi.Summarize(salonEvents(), opts)

	doc := kpi.NewDocument(&rep, &opts)
	doc.Rows = onemin.Counts{Read: 9, Accepted: 8, Rejected: 1}
	doc.Rejected = append(doc.Rejected, kpi.RejectedRow{File: "chats.csv", Line: 7, Field: "at", Error: "not a time"})

	fmt.Println(doc.Clock, doc.Method, doc.Reply, doc.TimeZone, doc.AsOf.Format(time.RFC3339))
	for _, g := range doc.Groups {
		fmt.Printf("%s %s: %d leads, median %vs\n", g.By, g.Value, g.Summary.Leads, g.Summary.Median)
	}
	b, err := doc.Encode()
	if err != nil {
		fmt.Println(err)
	}
	fmt.Print(string(b))
	// Output:
	// calendar linear any Europe/Moscow 2025-01-06T15:00:00+03:00
	// channel instagram: 2 leads, median 45s
	// channel whatsapp: 2 leads, median 81s
	// {
	//   "rows": {
	//     "read": 9,
	//     "accepted": 8,
	//     "duplicates": 0,
	//     "rejected": 1
	//   },
	//   "rejected": [
	//     {
	//       "file": "chats.csv",
	//       "line": 7,
	//       "field": "at",
	//       "error": "not a time"
	//     }
	//   ],
	//   "clock": "calendar",
	//   "method": "linear",
	//   "reply": "any",
	//   "as_of": "2025-01-06T15:00:00+03:00",
	//   "time_zone": "Europe/Moscow",
	//   "sample": false,
	//   "overall": {
	//     "leads": 4,
	//     "answered": 3,
	//     "unanswered": 1,
	//     "pending": 0,
	//     "met": 2,
	//     "breached": 2,
	//     "median_seconds": 45,
	//     "p90_seconds": 129,
	//     "p99_seconds": 147.9,
	//     "mean_seconds": 69,
	//     "sla_seconds": 60,
	//     "sla_rate": 50,
	//     "status": "red"
	//   },
	//   "groups": [
	//     {
	//       "by": "channel",
	//       "value": "instagram",
	//       "leads": 2,
	//       "answered": 1,
	//       "unanswered": 1,
	//       "pending": 0,
	//       "met": 1,
	//       "breached": 1,
	//       "median_seconds": 45,
	//       "p90_seconds": 45,
	//       "p99_seconds": 45,
	//       "mean_seconds": 45,
	//       "sla_seconds": 60,
	//       "sla_rate": 50,
	//       "status": "red"
	//     },
	//     {
	//       "by": "channel",
	//       "value": "whatsapp",
	//       "leads": 2,
	//       "answered": 2,
	//       "unanswered": 0,
	//       "pending": 0,
	//       "met": 1,
	//       "breached": 1,
	//       "median_seconds": 81,
	//       "p90_seconds": 136.2,
	//       "p99_seconds": 148.62,
	//       "mean_seconds": 81,
	//       "sla_seconds": 60,
	//       "sla_rate": 50,
	//       "status": "red"
	//     }
	//   ]
	// }
}
