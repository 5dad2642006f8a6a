package onemin

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// phoneRegion is what NormalizePhone knows of one region's numbering plan.
type phoneRegion struct {
	code     string // the country calling code, without "+"
	national int    // the length of a national significant number, in digits
	trunk    string // the prefix dialled before a national number at home, or ""
}

// phoneRegions are the regions whose numbers NormalizePhone checks in full.
// Russia and Kazakhstan share the code 7 and one plan; see [PhoneRegion].
var phoneRegions = map[string]phoneRegion{
	"RU": {"7", 10, "8"},
	"KZ": {"7", 10, "8"},
	"BY": {"375", 9, "80"},
	"UA": {"380", 9, "0"},
	"UZ": {"998", 9, ""},
	"KG": {"996", 9, "0"},
	"AM": {"374", 8, "0"},
	"AZ": {"994", 9, "0"},
	"GE": {"995", 9, ""},
	"TJ": {"992", 9, ""},
	"US": {"1", 10, "1"},
}

// regionByCode maps a calling code to the region NormalizePhone reports for
// it; code 7 is split by PhoneRegion.
var regionByCode = map[string]string{
	"375": "BY", "380": "UA", "998": "UZ", "996": "KG", "374": "AM",
	"994": "AZ", "995": "GE", "992": "TJ", "1": "US",
}

// PhoneRegions returns the region codes that [NormalizePhone] accepts as a
// default region, sorted.
func PhoneRegions() []string {
	return slices.Sorted(maps.Keys(phoneRegions))
}

// NormalizePhone returns raw as an E.164 number: "+" and up to 15 digits,
// such as "+79161234567".
//
// raw may contain spaces, dashes, parentheses and dots between digits, and
// may start with "+" or "00" for an international number. Without either,
// the number is read in defaultRegion (an ISO 3166 code such as "RU" or
// "KZ"; see [PhoneRegions]): with that region's trunk prefix ("8 916 123-45-67"
// in Russia, "0 29 …" in Ukraine), with its country code but no "+"
// ("7 916 123 45 67"), or as a bare national number ("916 123 45 67").
//
// Numbers in a known plan must have the plan's length; a +7 number must
// have 10 national digits that start with 3, 4, 6, 7, 8 or 9 (Russia uses
// 3, 4, 8, 9 and Kazakhstan 6 and 7). An international number in another
// plan is checked only against E.164: 8 to 15 digits, no leading zero.
//
// A default region may be written in any case. An empty defaultRegion accepts international numbers only. Errors wrap
// [ErrInvalid] (or [ErrMissing] for an empty raw) and quote raw.
// NormalizePhone of its own result returns the result unchanged.
func NormalizePhone(raw, defaultRegion string) (string, error) {
	fail := func(reason string, args ...any) (string, error) {
		return "", fmt.Errorf("%w: phone %q: %s", ErrInvalid, raw, fmt.Sprintf(reason, args...))
	}
	digits := make([]byte, 0, 16)
	international := false
	for i := 0; i < len(raw); i++ {
		switch ch := raw[i]; {
		case ch >= '0' && ch <= '9':
			digits = append(digits, ch)
		case ch == '+':
			if len(digits) > 0 || international {
				return fail("a + after the start")
			}
			international = true
		case ch == ' ' || ch == '\t' || ch == '-' || ch == '(' || ch == ')' || ch == '.':
		case ch == 0xc2 && i+1 < len(raw) && raw[i+1] == 0xa0: // no-break space
			i++
		default:
			return fail("character %q is not part of a phone number", rune(ch))
		}
	}
	if len(digits) == 0 {
		if strings.TrimSpace(raw) == "" {
			return "", fmt.Errorf("%w: phone number", ErrMissing)
		}
		return fail("no digits")
	}
	num := string(digits)
	if !international && strings.HasPrefix(num, "00") {
		international, num = true, num[2:]
	}
	if international {
		if len(num) == 11 && num[0] == '8' && num[1] == '9' {
			return fail("+8 9… is not a country code; a Russian mobile is +7 9… or 8 9…")
		}
		return checkInternational(num, fail)
	}
	if defaultRegion == "" {
		return fail("no country code and no default region")
	}
	defaultRegion = strings.ToUpper(strings.TrimSpace(defaultRegion))
	plan, ok := phoneRegions[defaultRegion]
	if !ok {
		return "", fmt.Errorf("%w: phone region %q is not one of %s", ErrInvalid, defaultRegion, strings.Join(PhoneRegions(), ", "))
	}
	switch {
	case len(num) == plan.national:
		return checkInternational(plan.code+num, fail)
	case plan.trunk != "" && len(num) == len(plan.trunk)+plan.national && strings.HasPrefix(num, plan.trunk):
		return checkInternational(plan.code+num[len(plan.trunk):], fail)
	case len(num) == len(plan.code)+plan.national && strings.HasPrefix(num, plan.code):
		return checkInternational(num, fail)
	}
	return fail("%d digits is not a %s number (%d national digits)", len(num), defaultRegion, plan.national)
}

// checkInternational checks num (country code and national number, digits
// only) and returns it with a "+".
func checkInternational(num string, fail func(string, ...any) (string, error)) (string, error) {
	if num == "" {
		return fail("no digits after the international prefix")
	}
	if num[0] == '0' {
		return fail("a country code does not start with 0")
	}
	if len(num) < 8 || len(num) > 15 {
		return fail("%d digits, an international number has 8 to 15", len(num))
	}
	code, plan, known := planOf(num)
	if known {
		if got := len(num) - len(code); got != plan.national {
			return fail("%d national digits after +%s, want %d", got, code, plan.national)
		}
		if code == "7" && strings.IndexByte("346789", num[1]) < 0 {
			return fail("+7 numbers start with 3, 4, 6, 7, 8 or 9 after the code")
		}
	}
	return "+" + num, nil
}

// planOf returns the known plan whose country code starts num.
func planOf(num string) (code string, plan phoneRegion, ok bool) {
	if num[0] == '7' {
		return "7", phoneRegions["RU"], true
	}
	for n := 1; n <= 3 && n <= len(num); n++ {
		if r, ok := regionByCode[num[:n]]; ok {
			return num[:n], phoneRegions[r], true
		}
	}
	return "", phoneRegion{}, false
}

// PhoneRegion returns the region of an E.164 number ("+79161234567"): "KZ"
// for +7 numbers whose national part starts with 6 or 7, "RU" for other +7
// numbers, the region of another code that [NormalizePhone] knows, and ""
// for any other code or for text that is not an E.164 number.
func PhoneRegion(e164 string) string {
	if n, err := NormalizePhone(e164, ""); err != nil || n != e164 {
		return ""
	}
	code, _, ok := planOf(e164[1:])
	if !ok {
		return ""
	}
	if code == "7" {
		if e164[2] == '6' || e164[2] == '7' {
			return "KZ"
		}
		return "RU"
	}
	return regionByCode[code]
}
