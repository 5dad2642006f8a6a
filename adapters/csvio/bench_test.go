package csvio

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/onemin/onemin"
	"github.com/shopspring/decimal"
)

const benchRows = 10000

// benchEvents builds a realistic day of a busy tenant: messages, replies,
// leads and payments over several channels, with offsets.
func benchEvents() []onemin.Event {
	channels := []string{"whatsapp", "instagram", "telegram", "web"}
	agents := []string{"bot", "anna", "oleg"}
	zone := time.FixedZone("", 4*3600)
	start := time.Date(2026, 10, 1, 9, 0, 0, 0, zone)
	events := make([]onemin.Event, 0, benchRows)
	for i := 0; len(events) < benchRows; i++ {
		conv := fmt.Sprintf("conv-%06d", i)
		base := onemin.Event{ConversationID: conv, ContactID: fmt.Sprintf("+7927%07d", i), Channel: channels[i%4], Source: "instagram", Medium: "cpc", Campaign: "autumn"}
		in := base
		in.ID, in.Kind, in.At, in.Actor = conv+"-in", onemin.MessageIn, start.Add(time.Duration(i)*7*time.Second), onemin.Customer
		out := base
		out.ID, out.Kind, out.At, out.Actor, out.Agent = conv+"-out", onemin.MessageOut, in.At.Add(time.Duration(5+i%300)*time.Second), onemin.Bot, agents[i%3]
		events = append(events, in, out)
		if i%5 == 0 {
			pay := base
			pay.ID, pay.Kind, pay.At = conv+"-pay", onemin.Payment, out.At.Add(time.Hour)
			pay.Amount, pay.Currency = decimal.New(150050, -2), "RUB"
			events = append(events, pay)
		}
	}
	return events[:benchRows]
}

func benchData(b *testing.B, f Format) []byte {
	var buf bytes.Buffer
	if err := WriteAll(&buf, f, benchEvents()); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

func benchRead(b *testing.B, data []byte, opt Options) {
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer reportRate(b)()
	for b.Loop() {
		r := NewReader(bytes.NewReader(data), opt)
		n := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != benchRows {
			b.Fatalf("read %d events, want %d", n, benchRows)
		}
	}
}

// reportRate starts the CPU clock and returns the function that reports
// rows per wall-clock second and rows per CPU-second of the process (its
// user and system time, the garbage collector's included), b.N times
// benchRows rows having been read. On a shared machine the second is the
// steadier figure: it leaves out the time spent waiting for a core.
func reportRate(b *testing.B) func() {
	cpu0, cpuOK := cpuTime()
	return func() {
		rows := float64(benchRows) * float64(b.N)
		b.ReportMetric(rows/b.Elapsed().Seconds(), "rows/s")
		if cpu1, ok := cpuTime(); ok && cpuOK && cpu1 > cpu0 {
			b.ReportMetric(rows/(cpu1-cpu0).Seconds(), "rows/cpu-s")
		}
	}
}

// BenchmarkReadCSV reads, validates and de-duplicates the event layout.
func BenchmarkReadCSV(b *testing.B) { benchRead(b, benchData(b, FormatCSV), Options{}) }

// BenchmarkReadJSONL reads the same events from JSON Lines.
func BenchmarkReadJSONL(b *testing.B) { benchRead(b, benchData(b, FormatJSONLines), Options{}) }

// BenchmarkEncodingCSV is the floor: encoding/csv splitting the same bytes
// into fields, with no parsing, validation or de-duplication.
func BenchmarkEncodingCSV(b *testing.B) {
	data := benchData(b, FormatCSV)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	defer reportRate(b)()
	for b.Loop() {
		r := csv.NewReader(bytes.NewReader(data))
		r.ReuseRecord = true
		for {
			if _, err := r.Read(); err == io.EOF {
				break
			} else if err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkTimeParse compares the reader's time parser with time.Parse on
// the common RFC 3339 shape with an offset.
func BenchmarkTimeParse(b *testing.B) {
	const s = "2026-10-01T12:00:28+04:00"
	b.Run("csvio", func(b *testing.B) {
		b.ReportAllocs()
		var z zoneCache
		for b.Loop() {
			if _, why := parseTime(s, nil, &z); why != "" {
				b.Fatal(why)
			}
		}
	})
	b.Run("time.Parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := time.Parse(time.RFC3339, s); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkWriteCSV writes the event layout.
func BenchmarkWriteCSV(b *testing.B) {
	events := benchEvents()
	b.ReportAllocs()
	for b.Loop() {
		if err := WriteAll(io.Discard, FormatCSV, events); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(benchRows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkSeen records a million distinct ids, as a reader of a big file
// does, in a Seen and, as the peer, in a map keyed by the strings (their
// copies, as a reader must keep).
func BenchmarkSeen(b *testing.B) {
	const n = 1 << 20
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("conv-%07d-in", i)
	}
	b.Run("Seen", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var s Seen
			for i, id := range ids {
				if s.check("", id, "", i) != "" {
					b.Fatal("a new id is a duplicate")
				}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/id")
	})
	b.Run("map", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			m := make(map[seenKey]seenAt)
			for i, id := range ids {
				k := seenKey{"", id}
				if _, ok := m[k]; ok {
					b.Fatal("a new id is a duplicate")
				}
				m[seenKey{"", strings.Clone(id)}] = seenAt{"", i}
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/id")
	})
}
