//go:build race

package onebeam

// raceEnabled is true when the tests run under the race detector.
const raceEnabled = true
