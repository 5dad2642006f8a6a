package kpi

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestParseSchedule(t *testing.T) {
	tests := []struct {
		reason string
		text   string
		want   string // String() of the result
		weekly time.Duration
	}{
		{"empty text is closed", "", "mon closed; tue closed; wed closed; thu closed; fri closed; sat closed; sun closed", 0},
		{"a day range and a single day", "mon-fri 09:00-18:00; sat 10:00-16:00",
			"mon 09:00-18:00; tue 09:00-18:00; wed 09:00-18:00; thu 09:00-18:00; fri 09:00-18:00; sat 10:00-16:00; sun closed", 51 * time.Hour},
		{"comma lists of days and of intervals, spaces and case are free", "Mon, WED 09:00-13:00, 14:00-18:00",
			"mon 09:00-13:00,14:00-18:00; tue closed; wed 09:00-13:00,14:00-18:00; thu closed; fri closed; sat closed; sun closed", 16 * time.Hour},
		{"full day names and new lines", "monday 10:00-11:00\nsunday 12:00-13:00",
			"mon 10:00-11:00; tue closed; wed closed; thu closed; fri closed; sat closed; sun 12:00-13:00", 2 * time.Hour},
		{"a range that wraps round the week", "sat-mon 10:00-12:00",
			"mon 10:00-12:00; tue closed; wed closed; thu closed; fri closed; sat 10:00-12:00; sun 10:00-12:00", 6 * time.Hour},
		{"daily and 24:00", "daily 00:00-24:00",
			"mon 00:00-24:00; tue 00:00-24:00; wed 00:00-24:00; thu 00:00-24:00; fri 00:00-24:00; sat 00:00-24:00; sun 00:00-24:00", 168 * time.Hour},
		{"an overnight interval", "fri 22:00-06:00",
			"mon closed; tue closed; wed closed; thu closed; fri 22:00-06:00; sat closed; sun closed", 8 * time.Hour},
		{"a later rule replaces the hours of its days", "mon-fri 09:00-18:00; fri 09:00-16:00; wed closed",
			"mon 09:00-18:00; tue 09:00-18:00; wed closed; thu 09:00-18:00; fri 09:00-16:00; sat closed; sun closed", 34 * time.Hour},
		{"overlapping and touching intervals merge", "mon 09:00-12:00,11:00-13:00,13:00-14:00",
			"mon 09:00-14:00; tue closed; wed closed; thu closed; fri closed; sat closed; sun closed", 5 * time.Hour},
		{"a merged interval longer than a day is written so that it parses back", "mon 05:00-23:00,22:00-06:00",
			"mon 05:00-06:01,06:01-06:00; tue closed; wed closed; thu closed; fri closed; sat closed; sun closed", 25 * time.Hour},
	}
	for _, tt := range tests {
		s, err := ParseSchedule(tt.text)
		if err != nil {
			t.Errorf("%s: ParseSchedule(%q): %v", tt.reason, tt.text, err)
			continue
		}
		if diff := cmp.Diff(tt.want, s.String()); diff != "" {
			t.Errorf("%s: String() (-want +got):\n%s", tt.reason, diff)
		}
		if got := s.Weekly(); got != tt.weekly {
			t.Errorf("%s: Weekly() = %v, want %v", tt.reason, got, tt.weekly)
		}
		again, err := ParseSchedule(s.String())
		if err != nil || again.String() != s.String() {
			t.Errorf("%s: String() does not parse back: %q, %v", tt.reason, again.String(), err)
		}
	}
}

func TestParseScheduleErrors(t *testing.T) {
	tests := []struct{ reason, text string }{
		{"no hours", "mon-fri"},
		{"no days", "09:00-18:00"},
		{"an unknown day", "mondai 09:00-18:00"},
		{"a bad range end", "mon-fry 09:00-18:00"},
		{"hours without minutes", "mon 9-18"},
		{"minutes out of range", "mon 09:60-18:00"},
		{"hours out of range", "mon 09:00-25:00"},
		{"24:30", "mon 09:00-24:30"},
		{"an empty interval", "mon 09:00-09:00"},
		{"a start at 24:00", "mon 24:00-06:00"},
		{"an interval without a dash", "mon 09:00"},
		{"garbage after the hours", "mon 09:00-18:00 x"},
	}
	for _, tt := range tests {
		if _, err := ParseSchedule(tt.text); !errors.Is(err, ErrSchedule) {
			t.Errorf("%s: ParseSchedule(%q) error = %v, want one wrapping ErrSchedule", tt.reason, tt.text, err)
		}
	}
}

func TestScheduleJSON(t *testing.T) {
	var cfg struct {
		Hours Schedule `json:"hours"`
	}
	if err := json.Unmarshal([]byte(`{"hours": "mon-fri 09:00-18:00; sat 10:00-16:00"}`), &cfg); err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Hours.Weekly(), 51*time.Hour; got != want {
		t.Errorf("Weekly() = %v, want %v", got, want)
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"hours":"mon 09:00-18:00; tue 09:00-18:00; wed 09:00-18:00; thu 09:00-18:00; fri 09:00-18:00; sat 10:00-16:00; sun closed"}`
	if diff := cmp.Diff(want, string(b)); diff != "" {
		t.Errorf("json.Marshal (-want +got):\n%s", diff)
	}
	if err := json.Unmarshal([]byte(`{"hours": "mon 9-18"}`), &cfg); !errors.Is(err, ErrSchedule) {
		t.Errorf("bad hours in JSON: error %v, want one wrapping ErrSchedule", err)
	}
}

func TestMustParseSchedulePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("MustParseSchedule of bad text did not panic")
		}
	}()
	MustParseSchedule("mon 9-18")
}

func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{
		"mon-fri 09:00-18:00; sat 10:00-16:00",
		"mon,wed 09:00-13:00,14:00-18:00\nsun closed",
		"fri 22:00-06:00",
		"daily 00:00-24:00",
		"sat-mon 23:59-23:58",
		"mon 05:00-23:00,22:00-06:00",
		"",
		";;",
		"mon 24:00-01:00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, err := ParseSchedule(text)
		if err != nil {
			if !errors.Is(err, ErrSchedule) {
				t.Fatalf("error %v does not wrap ErrSchedule", err)
			}
			return
		}
		if w := s.Weekly(); w < 0 || w > 7*48*time.Hour {
			t.Fatalf("Weekly() = %v", w)
		}
		again, err := ParseSchedule(s.String())
		if err != nil {
			t.Fatalf("String() %q does not parse: %v", s.String(), err)
		}
		if again.String() != s.String() || again.Weekly() != s.Weekly() {
			t.Fatalf("round trip changed the schedule: %q → %q", s.String(), again.String())
		}
	})
}
