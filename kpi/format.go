package kpi

import (
	"fmt"
	"math"
	"strconv"
)

// FormatSeconds writes a duration given in seconds the way a person reads
// a response time: tenths of a second below a minute ("4.5s"), minutes and
// seconds below an hour ("2m05s"), hours and minutes below a day ("1h12m",
// to the nearest minute), days and hours beyond ("3d04h", to the nearest
// hour). Reports and the CLI use it so that a median reads the same
// everywhere.
func FormatSeconds(s float64) string {
	if s < 59.95 {
		return strconv.FormatFloat(math.Round(s*10)/10, 'f', -1, 64) + "s"
	}
	secs := int64(math.Round(s))
	switch {
	case secs < 3600:
		return fmt.Sprintf("%dm%02ds", secs/60, secs%60)
	case secs < 86400-30: // below a day once rounded to the minute
		m := (secs + 30) / 60 // to the nearest minute
		return fmt.Sprintf("%dh%02dm", m/60, m%60)
	}
	h := (secs + 1800) / 3600
	return fmt.Sprintf("%dd%02dh", h/24, h%24)
}
