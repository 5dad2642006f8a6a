package onemin

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestRatio(t *testing.T) {
	tests := []struct {
		reason  string
		r       Ratio
		value   float64
		ok      bool
		text    string
		jsonOut string
	}{
		{"two of three", Ratio{2, 3}, 2.0 / 3, true, "66.7%", "0.6666666666666666"},
		{"none of four is zero, and defined", Ratio{0, 4}, 0, true, "0.0%", "0"},
		{"all", Ratio{5, 5}, 1, true, "100.0%", "1"},
		{"nothing to divide by is undefined, not zero", Ratio{0, 0}, 0, false, "n/a", "null"},
		{"the zero Ratio is undefined", Ratio{}, 0, false, "n/a", "null"},
	}
	for _, tt := range tests {
		v, ok := tt.r.Value()
		b, err := json.Marshal(tt.r)
		if err != nil {
			t.Fatal(err)
		}
		got := []any{v, ok, tt.r.String(), string(b), tt.r.Defined()}
		want := []any{tt.value, tt.ok, tt.text, tt.jsonOut, tt.ok}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.reason, diff)
		}
	}
	if p, ok := (Ratio{1, 8}).Percent(); !ok || p != 12.5 {
		t.Errorf("Percent of 1/8 = %v, %v; want 12.5, true", p, ok)
	}
}

func TestRatioInAStruct(t *testing.T) {
	b, err := json.Marshal(struct {
		Rate Ratio `json:"rate"`
	}{Ratio{1, 0}})
	if err != nil || string(b) != `{"rate":null}` {
		t.Errorf("got %s, %v; want {\"rate\":null}", b, err)
	}
}

func TestPropertyRatioIsAShare(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		den := rapid.IntRange(0, 1<<30).Draw(t, "den")
		num := rapid.IntRange(0, den).Draw(t, "num")
		r := Ratio{num, den}
		v, ok := r.Value()
		if ok != (den != 0) {
			t.Fatalf("%d/%d: ok = %v", num, den, ok)
		}
		if ok && (v < 0 || v > 1) {
			t.Fatalf("%d/%d = %v, outside [0, 1]", num, den, v)
		}
		var back *float64
		b, _ := json.Marshal(r)
		if err := json.Unmarshal(b, &back); err != nil || (back == nil) == ok || (ok && *back != v) {
			t.Fatalf("%d/%d: JSON %s, value %v", num, den, b, v)
		}
	})
}
