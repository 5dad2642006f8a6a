package csvio

import (
	"io"
	"unicode/utf8"
)

// Encoding is the character encoding of an input.
type Encoding uint8

// The encodings a [Reader] reads. Output is always UTF-8.
const (
	// EncodingAuto (the zero value) reads UTF-8, unless the start of the
	// input (its first 64 KiB) is not valid UTF-8 and has no byte-order
	// mark: then it is read as Windows-1251, which is what Excel saves a
	// Russian "CSV" as.
	EncodingAuto Encoding = iota
	// EncodingUTF8 reads UTF-8 only.
	EncodingUTF8
	// EncodingWindows1251 reads Windows-1251 (Cyrillic), converting to
	// UTF-8.
	EncodingWindows1251
)

// String returns "auto", "utf-8" or "windows-1251".
func (e Encoding) String() string {
	switch e {
	case EncodingUTF8:
		return "utf-8"
	case EncodingWindows1251:
		return "windows-1251"
	}
	return "auto"
}

// looksUTF8 reports whether head, the start of an input, is UTF-8: valid,
// allowing a rune cut short at its end when more input follows.
func looksUTF8(head []byte, more bool) bool {
	if utf8.Valid(head) {
		return true
	}
	if !more {
		return false
	}
	for k := 1; k <= utf8.UTFMax-1 && k <= len(head); k++ {
		if utf8.RuneStart(head[len(head)-k]) {
			return !utf8.FullRune(head[len(head)-k:]) && utf8.Valid(head[:len(head)-k])
		}
	}
	return false
}

// win1251 maps the bytes 0x80–0xFF of Windows-1251 to runes (0x98 is
// unassigned).
var win1251 = [128]rune{
	0x0402, 0x0403, 0x201A, 0x0453, 0x201E, 0x2026, 0x2020, 0x2021,
	0x20AC, 0x2030, 0x0409, 0x2039, 0x040A, 0x040C, 0x040B, 0x040F,
	0x0452, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0xFFFD, 0x2122, 0x0459, 0x203A, 0x045A, 0x045C, 0x045B, 0x045F,
	0x00A0, 0x040E, 0x045E, 0x0408, 0x00A4, 0x0490, 0x00A6, 0x00A7,
	0x0401, 0x00A9, 0x0404, 0x00AB, 0x00AC, 0x00AD, 0x00AE, 0x0407,
	0x00B0, 0x00B1, 0x0406, 0x0456, 0x0491, 0x00B5, 0x00B6, 0x00B7,
	0x0451, 0x2116, 0x0454, 0x00BB, 0x0458, 0x0405, 0x0455, 0x0457,
	// 0xC0–0xFF: А … я, U+0410 … U+044F
}

func init() {
	for i := 0x40; i < 0x80; i++ {
		win1251[i] = rune(0x0410 + i - 0x40)
	}
}

// win1251Reader converts Windows-1251 to UTF-8.
type win1251Reader struct {
	r   io.Reader
	in  []byte
	out []byte // converted, not yet returned
}

func (d *win1251Reader) Read(p []byte) (int, error) {
	if len(d.out) == 0 {
		if d.in == nil {
			d.in = make([]byte, 16<<10)
		}
		n, err := d.r.Read(d.in)
		out := d.out[:0]
		for _, c := range d.in[:n] {
			if c < utf8.RuneSelf {
				out = append(out, c)
			} else {
				out = utf8.AppendRune(out, win1251[c-0x80])
			}
		}
		d.out = out
		if len(out) == 0 {
			return 0, err
		}
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}
