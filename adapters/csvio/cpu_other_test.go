//go:build !unix

package csvio

import "time"

// cpuTime is not measured off Unix: the benchmarks report wall-clock rates
// only.
func cpuTime() (time.Duration, bool) { return 0, false }
