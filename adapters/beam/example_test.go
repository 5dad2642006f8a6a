package onebeam_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	onebeam "github.com/onemin/onemin/adapters/beam"
	"github.com/onemin/onemin/kpi"
)

// Two shards of a day of chats: c1 is answered by the bot in 20 s, c2 by
// a manager in 3 minutes, c3 not at all; e2 is in both files, and one row
// is not an event.
var shards = map[string]string{
	"part-1.csv": `event_id,kind,at,conversation_id,channel,actor
e1,message_in,2026-10-01T10:00:00Z,c1,whatsapp,customer
e2,message_out,2026-10-01T10:00:20Z,c1,whatsapp,bot
e3,message_in,2026-10-01T11:00:00Z,c2,telegram,customer
`,
	"part-2.csv": `event_id,kind,at,conversation_id,channel,actor
e2,message_out,2026-10-01T10:00:20Z,c1,whatsapp,bot
e4,message_out,2026-10-01T11:03:00Z,c2,telegram,human
e5,message_in,2026-10-01T12:00:00Z,c3,web,customer
e6,message_in,yesterday,c4,web,customer
e7,closed,2026-10-01T13:00:00Z,c3,web,
`,
}

func Example() {
	dir, _ := os.MkdirTemp("", "onebeam")
	defer os.RemoveAll(dir)
	for name, text := range shards {
		os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644)
	}
	out := filepath.Join(dir, "kpi.json")

	p, s := beam.NewPipelineWithRoot()
	in := onebeam.ReadFiles(s, filepath.Join(dir, "part-*.csv"), onebeam.ReadOptions{})
	opts := onebeam.KPIOptions{By: []kpi.Dimension{kpi.ByChannel}}
	res := onebeam.KPI(s, in.Events, opts)
	onebeam.WriteKPI(s, out, in, res, opts, []kpi.Dimension{kpi.ByChannel})
	if err := ptest.Run(p); err != nil {
		fmt.Println(err)
		return
	}

	b, _ := os.ReadFile(out)
	var doc onebeam.KPIDocument
	if err := json.Unmarshal(b, &doc); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("rows: %+v\n", doc.Rows)
	for _, r := range doc.Rejected {
		fmt.Printf("rejected: %s:%d %s: %s\n", filepath.Base(r.File), r.Line, r.Field, r.Error)
	}
	o := doc.Overall
	fmt.Printf("leads %d, answered %d, median %vs, SLA rate %.1f%%\n", o.Leads, o.Answered, o.Median, o.Rate.Value)
	// Output:
	// rows: {Read:8 Accepted:6 Duplicates:1 Rejected:1}
	// rejected: part-2.csv:5 at: "yesterday": not a time: want RFC 3339 (2026-10-01T12:00:00+03:00), a local time with a configured zone, or a spreadsheet serial number
	// leads 3, answered 2, median 100s, SLA rate 33.3%
}
