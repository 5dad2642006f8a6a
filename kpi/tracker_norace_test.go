//go:build !race

package kpi

// raceEnabled is true when the race detector is on.
const raceEnabled = false
