package webhook

import (
	"testing"
)

func TestCheckSHA256(t *testing.T) {
	// RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
	const want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
	secret, body := []byte("Jefe"), []byte("what do ya want for nothing?")
	if got := SignatureSHA256(secret, body); got != want {
		t.Fatalf("SignatureSHA256 = %s, want the RFC 4231 value %s", got, want)
	}
	tests := []struct {
		reason string
		secret string
		body   string
		header string
		want   bool
	}{
		{"the RFC value", "Jefe", string(body), "sha256=" + want, true},
		{"upper-case hex and prefix", "Jefe", string(body), "SHA256=5BDCC146BF60754E6A042426089575C75A003F089D2739839DEC58B964EC3843", true},
		{"body changed by one byte", "Jefe", string(body) + " ", "sha256=" + want, false},
		{"other secret", "jefe", string(body), "sha256=" + want, false},
		{"empty secret never matches", "", "", "sha256=" + SignatureSHA256(nil, nil), false},
		{"no prefix", "Jefe", string(body), want, false},
		{"sha1 prefix", "Jefe", string(body), "sha1=" + want, false},
		{"truncated digest", "Jefe", string(body), "sha256=" + want[:62], false},
		{"not hex", "Jefe", string(body), "sha256=" + want[:62] + "zz", false},
		{"empty header", "Jefe", string(body), "", false},
	}
	for _, tt := range tests {
		if got := CheckSHA256([]byte(tt.secret), []byte(tt.body), tt.header); got != tt.want {
			t.Errorf("%s: CheckSHA256 = %v, want %v", tt.reason, got, tt.want)
		}
	}
}

func TestEqualToken(t *testing.T) {
	tests := []struct {
		reason    string
		got, want string
		match     bool
	}{
		{"equal", "s3cret", "s3cret", true},
		{"differs in the last byte", "s3creT", "s3cret", false},
		{"prefix", "s3cre", "s3cret", false},
		{"longer", "s3cret!", "s3cret", false},
		{"empty want refuses empty got", "", "", false},
		{"empty got", "", "s3cret", false},
	}
	for _, tt := range tests {
		if m := EqualToken(tt.got, tt.want); m != tt.match {
			t.Errorf("%s: EqualToken(%q, %q) = %v, want %v", tt.reason, tt.got, tt.want, m, tt.match)
		}
	}
}
