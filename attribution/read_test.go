package attribution

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

func TestReadPaths(t *testing.T) {
	in := strings.Join([]string{
		PathHeader,
		"eta > iota > alpha > eta;1;0.244;3",
		"",
		`"a>b";2.0;;0`,
		"a > > b;1;1;0",
		"a;x;1;0",
		"a;1;-5;0",
		"a;0;5;1",
		"a;1;1",
		";1;1;0",
		"a;1;1;-1",
		"a;1;1e3;0",
	}, "\n")
	paths, bad, err := ReadPaths(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := []Path{
		{Channels: []string{"eta", "iota", "alpha", "eta"}, Conversions: 1, Value: dec("0.244"), Nulls: 3},
		{Channels: []string{"a", "b"}, Conversions: 2, Value: decimal.Zero},
	}
	if diff := cmp.Diff(want, paths, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
		t.Errorf("paths (-want +got)\n%s", diff)
	}
	type where struct {
		Line  int
		Field string
	}
	var got []where
	for _, b := range bad {
		got = append(got, where{b.Line, b.Field})
		if !errors.Is(b, onemin.ErrInvalid) && !errors.Is(b, onemin.ErrMissing) {
			t.Errorf("line %d: %v wraps neither ErrInvalid nor ErrMissing", b.Line, b)
		}
	}
	wantBad := []where{{5, "path"}, {6, "total_conversions"}, {7, "total_conversion_value"}, {8, "total_conversion_value"},
		{9, ""}, {10, "path"}, {11, "total_null"}, {12, "total_conversion_value"}}
	if diff := cmp.Diff(wantBad, got); diff != "" {
		t.Errorf("bad lines (-want +got)\n%s", diff)
	}
}

func TestReadPathsLongLine(t *testing.T) {
	in := "a;1;1;0\n" + strings.Repeat("a > ", maxLine/4+1) + "b;1;1;0\nc;1;1;0"
	paths, bad, err := ReadPaths(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 2 || len(bad) != 1 || bad[0].Line != 2 {
		t.Errorf("got %d paths and bad lines %v; want 2 paths and line 2 rejected", len(paths), bad)
	}
}

// FuzzReadPaths checks that no input makes the reader panic, that every
// line is either a path or a named error, and that what it reads it writes
// back the same.
func FuzzReadPaths(f *testing.F) {
	f.Add(PathHeader + "\neta > iota > alpha > eta;1;0.244;3\n")
	f.Add("a>b;2;10.5;1\n\"c\";0;;4\n")
	f.Add("a;;;\n;;;\n\xef\xbb\xbfpath;x\n")
	f.Add("a;1;1e5;0\na;99999999999999999999;1;0\na;1;0.0000000000000000001;0")
	f.Fuzz(func(t *testing.T, in string) {
		paths, bad, err := ReadPaths(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range bad {
			if b.Line < 1 || b.Reason == "" {
				t.Fatalf("error without a line or a reason: %+v", b)
			}
		}
		for _, p := range paths {
			if len(p.Channels) == 0 || p.Conversions < 0 || p.Nulls < 0 || p.Value.IsNegative() {
				t.Fatalf("bad path accepted: %+v", p)
			}
		}
		var buf bytes.Buffer
		if err := WritePaths(&buf, paths); err != nil {
			t.Fatal(err)
		}
		again, bad, err := ReadPaths(&buf)
		if err != nil || len(bad) > 0 {
			t.Fatalf("re-reading what was written: %v %v\n%s", err, bad, buf.String())
		}
		if diff := cmp.Diff(paths, again, cmp.Comparer(decimal.Decimal.Equal)); diff != "" {
			t.Fatalf("round trip (-read +re-read)\n%s", diff)
		}
		for _, m := range []Model{FirstTouch, Markov, Shapley} {
			// Counts that overflow int64 together are a clean error.
			if _, err := Attribute(paths, m, Options{}); err != nil && !errors.Is(err, ErrBadPath) {
				t.Fatalf("%s on read paths: %v", m, err)
			}
		}
	})
}
