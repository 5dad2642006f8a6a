//go:build race

package kpi

// raceEnabled is true when the race detector is on: big memory
// measurements are skipped then, as it changes what is allocated.
const raceEnabled = true
