package onemin

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		reason string
		raw    string
		region string
		want   string
	}{
		{"Russian mobile with the trunk 8 and the usual punctuation", "8 (916) 123-45-67", "RU", "+79161234567"},
		{"Russian mobile in E.164", "+79161234567", "RU", "+79161234567"},
		{"E.164 needs no region", "+7 916 123 45 67", "", "+79161234567"},
		{"7 without the plus", "7 916 123-45-67", "RU", "+79161234567"},
		{"a bare national number", "9161234567", "RU", "+79161234567"},
		{"dots as separators", "8.916.123.45.67", "RU", "+79161234567"},
		{"Moscow landline", "+7 (495) 123-45-67", "RU", "+74951234567"},
		{"Kazan landline with the trunk", "8 (843) 200-00-00", "RU", "+78432000000"},
		{"a no-break space", "+7\u00a0916\u00a0123\u00a045\u00a067", "", "+79161234567"},
		{"00 as the international prefix", "00 7 916 123 45 67", "RU", "+79161234567"},
		{"Kazakh mobile (Kcell 701)", "+7 701 123 45 67", "", "+77011234567"},
		{"Kazakh mobile with the trunk 8", "8 701 123 4567", "KZ", "+77011234567"},
		{"Astana landline (7172)", "8 (7172) 55-12-34", "KZ", "+77172551234"},
		{"a Kazakh number read with the Russian region is the same number", "87011234567", "RU", "+77011234567"},
		{"region in lower case", "8 916 123 45 67", "ru", "+79161234567"},
		{"Belarus with the trunk 80", "80 29 123-45-67", "BY", "+375291234567"},
		{"Belarus in E.164", "+375 29 123 45 67", "", "+375291234567"},
		{"Uzbekistan, national", "90 123 45 67", "UZ", "+998901234567"},
		{"Ukraine with the trunk 0", "050 123 4567", "UA", "+380501234567"},
		{"Armenia, 8 national digits", "+374 10 123456", "", "+37410123456"},
		{"Kyrgyzstan with the trunk 0", "0 555 123 456", "KG", "+996555123456"},
		{"US with the trunk 1", "1 (212) 555-0100", "US", "+12125550100"},
		{"an unknown plan is checked against E.164 only", "+44 20 7946 0958", "", "+442079460958"},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.raw, tt.region)
		if err != nil {
			t.Errorf("%s: NormalizePhone(%q, %q): %v", tt.reason, tt.raw, tt.region, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: NormalizePhone(%q, %q) (-want +got):\n%s", tt.reason, tt.raw, tt.region, diff)
		}
	}
}

func TestNormalizePhoneErrors(t *testing.T) {
	tests := []struct {
		reason string
		raw    string
		region string
		want   error
	}{
		{"empty", "", "RU", ErrMissing},
		{"only spaces", "   ", "RU", ErrMissing},
		{"no digits", "()-", "RU", ErrInvalid},
		{"a letter", "8 916 ABC-45-67", "RU", ErrInvalid},
		{"an extension", "+7 495 123-45-67 ext 12", "RU", ErrInvalid},
		{"a plus in the middle", "8+9161234567", "RU", ErrInvalid},
		{"two pluses", "++79161234567", "RU", ErrInvalid},
		{"two digits short", "8 916 123 45", "RU", ErrInvalid},
		{"one digit short in E.164", "+7 916 123 45 6", "RU", ErrInvalid},
		{"one digit long", "+7 916 123 45 678", "", ErrInvalid},
		{"+7 with a national number starting with 0", "+7 016 123 45 67", "", ErrInvalid},
		{"+7 with a national number starting with 5", "+7 516 123 45 67", "", ErrInvalid},
		{"+8 instead of +7", "+8 916 123 45 67", "", ErrInvalid},
		{"no country code and no region", "9161234567", "", ErrInvalid},
		{"an unknown region", "9161234567", "XX", ErrInvalid},
		{"a country code starting with 0", "+0 123 456 789", "", ErrInvalid},
		{"too short for E.164", "+44 123", "", ErrInvalid},
		{"too long for E.164", "+44 1234 5678 9012 34", "", ErrInvalid},
		{"Belarus one digit short", "+375 29 123 45 6", "", ErrInvalid},
		{"only the prefix 00", "00", "RU", ErrInvalid},
		{"only the prefix +00", "+00", "", ErrInvalid},
		{"00 and a zero", "000", "", ErrInvalid},
	}
	for _, tt := range tests {
		got, err := NormalizePhone(tt.raw, tt.region)
		if !errors.Is(err, tt.want) || got != "" {
			t.Errorf("%s: NormalizePhone(%q, %q) = %q, %v; want an error wrapping %v", tt.reason, tt.raw, tt.region, got, err, tt.want)
		}
		if err != nil && tt.raw != "" && strings.TrimSpace(tt.raw) != "" && !strings.Contains(err.Error(), fmt.Sprintf("%q", tt.raw)) && tt.region != "XX" {
			t.Errorf("%s: error %q does not quote the input", tt.reason, err)
		}
	}
}

func TestPhoneRegion(t *testing.T) {
	tests := []struct{ e164, want string }{
		{"+79161234567", "RU"},
		{"+74951234567", "RU"},
		{"+78432000000", "RU"},
		{"+77011234567", "KZ"},
		{"+77172551234", "KZ"},
		{"+76001234567", "KZ"},
		{"+375291234567", "BY"},
		{"+998901234567", "UZ"},
		{"+12125550100", "US"},
		{"+442079460958", ""},    // a plan the package does not know
		{"79161234567", ""},      // not E.164: no plus
		{"+7 916 123 45 67", ""}, // not E.164: spaces
		{"+7916123456", ""},      // one digit short
		{"+75161234567", ""},     // no +7 number starts with 5
		{"", ""},
	}
	for _, tt := range tests {
		if got := PhoneRegion(tt.e164); got != tt.want {
			t.Errorf("PhoneRegion(%q) = %q, want %q", tt.e164, got, tt.want)
		}
	}
}

var e164 = regexp.MustCompile(`^\+[1-9][0-9]{7,14}$`)

// genPhone draws a real-looking +7 number and writes it in one of the ways
// people write numbers.
func genPhone(t *rapid.T) (raw, want string) {
	first := rapid.SampledFrom([]byte("346789")).Draw(t, "first")
	rest := rapid.StringOfN(rapid.RuneFrom([]rune("0123456789")), 9, 9, -1).Draw(t, "rest")
	national := string(first) + rest
	want = "+7" + national
	seps := rapid.SampledFrom([]string{"", " ", "-", ".", " - "}).Draw(t, "sep")
	body := national[:3] + seps + national[3:6] + seps + national[6:8] + seps + national[8:]
	if rapid.Bool().Draw(t, "parens") {
		body = "(" + national[:3] + ")" + seps + national[3:6] + seps + national[6:]
	}
	prefix := rapid.SampledFrom([]string{"+7 ", "+7", "8 ", "8", "7 ", "", "00 7 "}).Draw(t, "prefix")
	return prefix + body, want
}

func TestNormalizePhoneProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		raw, want := genPhone(t)
		region := rapid.SampledFrom([]string{"RU", "KZ"}).Draw(t, "region")
		got, err := NormalizePhone(raw, region)
		if err != nil {
			t.Fatalf("NormalizePhone(%q, %q): %v", raw, region, err)
		}
		if got != want {
			t.Fatalf("NormalizePhone(%q, %q) = %q, want %q", raw, region, got, want)
		}
		for _, r := range []string{"", "RU", "KZ", "BY", "US"} {
			again, err := NormalizePhone(got, r)
			if err != nil || again != got {
				t.Fatalf("not idempotent: NormalizePhone(%q, %q) = %q, %v", got, r, again, err)
			}
		}
		wantRegion := "RU"
		if want[2] == '6' || want[2] == '7' {
			wantRegion = "KZ"
		}
		if r := PhoneRegion(got); r != wantRegion {
			t.Fatalf("PhoneRegion(%q) = %q, want %q", got, r, wantRegion)
		}
	})
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"8 (916) 123-45-67", "+7 701 123 45 67", "00 375 29 123 45 67", "+44 20 7946 0958", "", "+", "\u00a0", "8+9"} {
		f.Add(s, "RU")
	}
	f.Add("0 555 123 456", "KG")
	f.Add("1 (212) 555-0100", "us")
	f.Fuzz(func(t *testing.T, raw, region string) {
		got, err := NormalizePhone(raw, region)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrMissing) {
				t.Fatalf("error %v wraps neither ErrInvalid nor ErrMissing", err)
			}
			return
		}
		if !e164.MatchString(got) {
			t.Fatalf("NormalizePhone(%q, %q) = %q, not E.164", raw, region, got)
		}
		if again, err := NormalizePhone(got, ""); err != nil || again != got {
			t.Fatalf("not idempotent: NormalizePhone(%q) = %q, %v", got, again, err)
		}
	})
}
