package attribution

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/onemin/onemin"
)

// PathHeader is the header line of the aggregated path format, the
// format of the ChannelAttribution package (R and Python).
const PathHeader = "path;total_conversions;total_conversion_value;total_null"

// maxLine bounds one line of the path format, so a file without line
// breaks cannot exhaust memory: 1 MiB.
const maxLine = 1 << 20

// ReadPaths reads paths in ChannelAttribution's aggregated format: one
// path a line, fields separated by ";":
//
//	path;total_conversions;total_conversion_value;total_null
//	eta > iota > alpha > eta;1;0.244;3
//
// path is the channels in time order joined by ">" (spaces around each
// name are trimmed); total_conversions and total_null are non-negative
// integers; total_conversion_value is a non-negative decimal with a dot
// (empty means 0). The header line is optional; blank lines are skipped;
// a field may be wrapped in double quotes.
//
// ReadPaths never stops at a bad line: it returns the good paths, and one
// *[onemin.ValidationError] for each bad line naming its line (1-based),
// field and reason, wrapping [onemin.ErrMissing] or [onemin.ErrInvalid].
// The error result is for failures of r itself.
func ReadPaths(r io.Reader) (paths []Path, bad []*onemin.ValidationError, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		text, rerr := readLine(br)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			if errors.Is(rerr, errLineTooLong) {
				bad = append(bad, &onemin.ValidationError{Line: line, Reason: fmt.Sprintf("line longer than %d bytes", maxLine), Err: onemin.ErrInvalid})
				continue
			}
			return paths, bad, rerr
		}
		if text = strings.TrimSpace(text); text != "" && !(line == 1 && isHeader(text)) {
			p, verr := parsePathLine(text)
			if verr != nil {
				verr.Line = line
				bad = append(bad, verr)
			} else {
				paths = append(paths, p)
			}
		}
		if rerr != nil {
			return paths, bad, nil
		}
	}
}

var errLineTooLong = errors.New("line too long")

// readLine returns the next line without its end; a line longer than
// maxLine is consumed and reported as errLineTooLong.
func readLine(br *bufio.Reader) (string, error) {
	var b []byte
	over := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !over && len(b)+len(chunk) > maxLine {
			over, b = true, nil
		}
		if !over {
			b = append(b, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if over {
			// The rest of the input, if any, is read by the next call.
			return "", errLineTooLong
		}
		return string(b), err
	}
}

func isHeader(text string) bool {
	return strings.HasPrefix(strings.ToLower(strings.Trim(text, "\"\ufeff")), "path")
}

func parsePathLine(text string) (Path, *onemin.ValidationError) {
	bad := func(field, reason string, err error) (Path, *onemin.ValidationError) {
		return Path{}, &onemin.ValidationError{Field: field, Reason: reason, Err: err}
	}
	f := strings.Split(text, ";")
	if len(f) != 4 {
		return bad("", fmt.Sprintf("want 4 fields separated by ';', got %d", len(f)), onemin.ErrInvalid)
	}
	for i := range f {
		f[i] = strings.TrimSpace(f[i])
		if len(f[i]) >= 2 && f[i][0] == '"' && f[i][len(f[i])-1] == '"' {
			f[i] = strings.TrimSpace(f[i][1 : len(f[i])-1])
		}
	}
	if f[0] == "" {
		return bad("path", "empty path", onemin.ErrMissing)
	}
	var p Path
	for _, c := range strings.Split(f[0], ">") {
		c = strings.TrimSpace(c)
		if c == "" {
			return bad("path", "empty channel name in "+strconv.Quote(f[0]), onemin.ErrInvalid)
		}
		p.Channels = append(p.Channels, c)
	}
	var err error
	if p.Conversions, err = parseCount(f[1]); err != nil {
		return bad("total_conversions", err.Error(), onemin.ErrInvalid)
	}
	if p.Nulls, err = parseCount(f[3]); err != nil {
		return bad("total_null", err.Error(), onemin.ErrInvalid)
	}
	p.Value = decimal.Zero
	if f[2] != "" {
		v, err := decimal.NewFromString(f[2])
		if err != nil || strings.ContainsAny(f[2], "eE") {
			return bad("total_conversion_value", fmt.Sprintf("%q is not a decimal number", f[2]), onemin.ErrInvalid)
		}
		if v.IsNegative() {
			return bad("total_conversion_value", "value "+f[2]+" is negative", onemin.ErrInvalid)
		}
		if money := v.Exponent(); money < -18 {
			return bad("total_conversion_value", "value "+f[2]+" has more than 18 decimal places", onemin.ErrInvalid)
		}
		p.Value = v
	}
	if p.Conversions == 0 && !p.Value.IsZero() {
		return bad("total_conversion_value", "a value without conversions", onemin.ErrInvalid)
	}
	return p, nil
}

func parseCount(s string) (int64, error) {
	if s == "" {
		return 0, fmt.Errorf("missing count")
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		// Exports often write counts as 2.0.
		if d, derr := decimal.NewFromString(s); derr == nil && d.IsInteger() && !strings.ContainsAny(s, "eE") && d.LessThan(decimal.New(1, 15)) {
			n, err = d.IntPart(), nil
		}
	}
	if err != nil {
		return 0, fmt.Errorf("%q is not a whole number", s)
	}
	if n < 0 {
		return 0, fmt.Errorf("count %d is negative", n)
	}
	return n, nil
}

// WritePaths writes paths in the format that [ReadPaths] reads, with its
// header. Paths with identical channels are not merged.
func WritePaths(w io.Writer, paths []Path) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, PathHeader)
	for i := range paths {
		p := &paths[i]
		fmt.Fprintf(bw, "%s;%d;%s;%d\n", Join(p.Channels), p.Conversions, p.Value.String(), p.Nulls)
	}
	return bw.Flush()
}
