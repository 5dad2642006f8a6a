package ratelimit_test

import (
	"fmt"
	"time"

	"github.com/onemin/onemin/internal/ratelimit"
)

// Bitrix24 lets 50 requests through at once, then 2 a second.
func ExampleBucket_Reserve() {
	b, _ := ratelimit.NewBucket(500*time.Millisecond, 50)
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := 1; i <= 52; i++ {
		if wait := b.Reserve(now); i >= 50 {
			fmt.Printf("request %d waits %v\n", i, wait)
		}
	}
	// Output:
	// request 50 waits 0s
	// request 51 waits 500ms
	// request 52 waits 1s
}
