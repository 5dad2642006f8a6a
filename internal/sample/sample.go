// Package sample holds the embedded sample data set that the onemin command
// runs on when it is given no file: a month of a beauty salon in Kazan, in
// the event layout. See README.md in this folder for what it contains.
//
// The data is made by [Generate], a deterministic simulation with a fixed
// seed; salon.csv is its output, written by "go generate" and checked
// against it by the tests, so the file can always be made again.
package sample

import (
	"bytes"
	_ "embed"
	"io"
	"time"

	// The salon's zone must load on systems without a zone database.
	_ "time/tzdata"
)

//go:generate go run ./gen

//go:embed salon.csv
var salonCSV []byte

// Name is the sample's name, for headings and messages.
const Name = "Beauty salon, Kazan, October 2026"

// Currency is the ISO 4217 code of every amount in the sample.
const Currency = "RUB"

var moscow = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic("sample: " + err.Error()) // time/tzdata is linked in; this cannot happen
	}
	return loc
}()

// Location returns the salon's time zone, Europe/Moscow (UTC+3, no
// daylight saving), in which every time of the sample is written.
func Location() *time.Location { return moscow }

// CSV returns a copy of the sample as CSV bytes, header first.
func CSV() []byte { return bytes.Clone(salonCSV) }

// Open returns a reader of the sample CSV. Each call starts from the
// beginning.
func Open() io.Reader { return bytes.NewReader(salonCSV) }

// Month returns the month the sample covers, as the half-open interval
// [from, to) in [Location].
func Month() (from, to time.Time) { return monthStart, monthEnd }
