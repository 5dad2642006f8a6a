package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/onemin/onemin"
)

func writeFile(t *testing.T, dir, name, text string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadInputSeveralFiles(t *testing.T) {
	dir := t.TempDir()
	a := writeFile(t, dir, "a.csv", "event_id,kind,at,conversation_id,comment\n"+
		"e1,message_in,2026-10-01T12:00:00Z,c1,first\n"+
		"e2,message_in,2026-10-01 09:00,c2,\n")
	b := writeFile(t, dir, "b.jsonl", `{"event_id":"e3","kind":"message_out","at":"2026-10-01T11:00:00Z","conversation_id":"c2","actor":"bot"}`+"\n"+
		`{"event_id":"e1","kind":"message_in","at":"2026-10-01T12:00:00Z","conversation_id":"c1"}`+"\n"+
		`{"event_id":"e4","kind":"message_in","at":"later","conversation_id":"c3"}`+"\n")
	stdin := "lead_id,received_at\nL1,2026-10-01T08:00:00Z\n"
	samara := time.FixedZone("+04", 4*3600)
	in, err := loadInput([]string{a, b, "-"}, strings.NewReader(stdin), samara)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range in.Events {
		ids = append(ids, e.ID)
	}
	// e2 is 09:00 in +04, 05:00 UTC: events come ordered by time across files.
	if diff := cmp.Diff([]string{"e2", "L1/in", "e3", "e1"}, ids); diff != "" {
		t.Errorf("event order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(onemin.Counts{Read: 6, Accepted: 4, Duplicates: 1, Rejected: 1}, in.Counts); diff != "" {
		t.Errorf("counts (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{b, b}, in.RejectedFile); diff != "" {
		t.Errorf("files of the rejected rows (-want +got):\n%s", diff)
	}
	if len(in.Notes) != 1 || !strings.Contains(in.Notes[0], "comment") {
		t.Errorf("notes = %q, want the ignored column named", in.Notes)
	}
	if in.Sample {
		t.Error("Sample is set for named files")
	}

	var stderr bytes.Buffer
	if code := in.reportRejected(&stderr, false); code != 1 {
		t.Errorf("reportRejected = %d, want 1", code)
	}
	want := b + `:2: duplicate: event "e1": field event_id: repeats the row on line 2 of ` + a + "\n" +
		b + `:3: rejected: event "e4": field at: "later": not a time`
	if !strings.HasPrefix(stderr.String(), want) {
		t.Errorf("stderr:\n%s\nwant it to start with:\n%s", stderr.String(), want)
	}
	stderr.Reset()
	if code := in.reportRejected(&stderr, true); code != 0 || !strings.Contains(stderr.String(), "--allow-rejects") {
		t.Errorf("with --allow-rejects: %d, %q", code, stderr.String())
	}
}

func TestLoadInputDuplicatesDoNotFail(t *testing.T) {
	in, err := loadInput([]string{"-"}, strings.NewReader("event_id,kind,at\ne1,touch,2026-10-01T12:00:00Z\ne1,touch,2026-10-01T12:00:00Z\n"), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if code := in.reportRejected(io.Discard, false); code != 0 {
		t.Errorf("a duplicate alone made exit status %d; dropping repeats is not an error", code)
	}
}

func TestLoadInputErrors(t *testing.T) {
	if _, err := loadInput([]string{"testdata/no-such.csv"}, nil, time.UTC); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if _, err := loadInput([]string{"testdata/kpi_nolayout.csv"}, nil, time.UTC); err == nil || !strings.Contains(err.Error(), "kpi_nolayout.csv") {
		t.Errorf("a header with no layout: %v, want an error naming the file", err)
	}
	saved := sampleData
	defer func() { sampleData = saved }()
	sampleData = func() (io.Reader, *time.Location, bool) { return nil, nil, false }
	if _, err := loadInput(nil, nil, time.UTC); err == nil {
		t.Error("no files and no sample: want an error")
	}
}

func TestLoadInputSample(t *testing.T) {
	in, err := loadInput(nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !in.Sample || len(in.Events) == 0 || in.Counts.Rejected != 0 || !in.Counts.Balanced() {
		t.Errorf("sample: %v events, counts %+v", len(in.Events), in.Counts)
	}
}

func TestParseArgs(t *testing.T) {
	tests := []struct {
		reason string
		args   []string
		files  []string
		sla    string
		all    bool
	}{
		{"flags first", []string{"--sla", "30s", "a.csv"}, []string{"a.csv"}, "30s", false},
		{"flags after files", []string{"a.csv", "--sla", "30s", "b.csv", "-all"}, []string{"a.csv", "b.csv"}, "30s", true},
		{"stdin among flags", []string{"-", "--all"}, []string{"-"}, "", true},
		{"-- ends flags", []string{"--", "--sla"}, []string{"--sla"}, "", false},
		{"no args", nil, nil, "", false},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		sla := fs.String("sla", "", "")
		all := fs.Bool("all", false, "")
		files, err := parseArgs(fs, tt.args)
		if err != nil {
			t.Errorf("%s: %v", tt.reason, err)
			continue
		}
		if diff := cmp.Diff(tt.files, files); diff != "" || *sla != tt.sla || *all != tt.all {
			t.Errorf("%s: files (-want +got):\n%s sla %q all %v", tt.reason, diff, *sla, *all)
		}
	}
}

func TestLoadInputWindows1251(t *testing.T) {
	sheet := "lead_id;received_at;first_reply_at;handler;agent\nL1;2026-10-01T10:00:00Z;2026-10-01T10:00:30Z;human;\xc0\xeb\xe8\xed\xe0\n"
	in, err := loadInput([]string{"-"}, strings.NewReader(sheet), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	if len(in.Events) != 2 || in.Events[1].Agent != "Алина" {
		t.Fatalf("events %+v", in.Events)
	}
	if diff := cmp.Diff([]string{"-: not UTF-8; read as Windows-1251"}, in.Notes); diff != "" {
		t.Errorf("notes (-want +got):\n%s", diff)
	}
}
