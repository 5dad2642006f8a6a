package ratelimit

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

var t0 = time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)

func TestBucketReserve(t *testing.T) {
	// Bitrix24's published limit: burst 50, 2 a second. Hand-computed:
	// 50 go at once, the 51st waits 500 ms, the 52nd 1 s; after 10 s of
	// silence the bucket has leaked 20 and admits 20 at once again.
	tests := []struct {
		reason   string
		interval time.Duration
		burst    int
		at       []time.Duration // request times after t0
		want     []time.Duration // waits
	}{
		{"burst of three then pacing", time.Second, 3,
			[]time.Duration{0, 0, 0, 0, 0},
			[]time.Duration{0, 0, 0, time.Second, 2 * time.Second}},
		{"leak refills the burst", time.Second, 2,
			[]time.Duration{0, 0, 0, 5 * time.Second, 5 * time.Second, 5 * time.Second},
			[]time.Duration{0, 0, time.Second, 0, 0, time.Second}},
		{"half leaked", time.Second, 1,
			[]time.Duration{0, 500 * time.Millisecond},
			[]time.Duration{0, 500 * time.Millisecond}},
		{"steady rate below the limit never waits", 500 * time.Millisecond, 1,
			[]time.Duration{0, 500 * time.Millisecond, time.Second, 1500 * time.Millisecond},
			[]time.Duration{0, 0, 0, 0}},
	}
	for _, tt := range tests {
		b, err := NewBucket(tt.interval, tt.burst)
		if err != nil {
			t.Fatal(err)
		}
		var got []time.Duration
		for _, at := range tt.at {
			got = append(got, b.Reserve(t0.Add(at)))
		}
		if d := cmp.Diff(tt.want, got); d != "" {
			t.Errorf("%s: waits (-want +got):\n%s", tt.reason, d)
		}
	}
}

func TestBitrixBurst(t *testing.T) {
	b, _ := NewBucket(500*time.Millisecond, 50)
	var waits []time.Duration
	for range 52 {
		waits = append(waits, b.Reserve(t0))
	}
	if d := cmp.Diff([]time.Duration{0, 500 * time.Millisecond, time.Second}, waits[49:]); d != "" {
		t.Errorf("waits 50–52 (-want +got):\n%s", d)
	}
	if got := b.Level(t0.Add(10 * time.Second)); got != 32 {
		t.Errorf("level after 10 s = %d, want 52 − 20 = 32", got)
	}
}

func TestNewBucketRejects(t *testing.T) {
	if _, err := NewBucket(0, 1); err == nil {
		t.Error("zero interval accepted")
	}
	if _, err := NewBucket(time.Second, 0); err == nil {
		t.Error("zero burst accepted")
	}
}

// TestBucketNeverExceeds checks the defining property against an
// independent model: a counter that adds one per request, leaks
// 1/interval per second, and must never go above the burst when a request
// is sent at the time Reserve allows.
func TestBucketNeverExceeds(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		interval := time.Duration(rapid.IntRange(1, 1000).Draw(t, "intervalMs")) * time.Millisecond
		burst := rapid.IntRange(1, 60).Draw(t, "burst")
		gaps := rapid.SliceOfN(rapid.IntRange(0, 2000), 1, 200).Draw(t, "gapsMs")
		b, _ := NewBucket(interval, burst)
		var sent []time.Time
		now := t0
		for _, g := range gaps {
			now = now.Add(time.Duration(g) * time.Millisecond)
			at := now.Add(b.Reserve(now))
			sent = append(sent, at)
		}
		// Sends are in order, and in every window [s_i, s_j] the number
		// sent is at most burst + leaked, with leaked = ⌊(s_j−s_i)/T⌋.
		for j := range sent {
			if j > 0 && sent[j].Before(sent[j-1]) {
				t.Fatalf("send %d at %v before send %d at %v", j, sent[j], j-1, sent[j-1])
			}
			for i := 0; i <= j; i++ {
				n := j - i + 1
				leaked := int(sent[j].Sub(sent[i]) / interval)
				if n > burst+leaked {
					t.Fatalf("%d sends in %v (burst %d, interval %v)", n, sent[j].Sub(sent[i]), burst, interval)
				}
			}
		}
	})
}

func TestBackoffDelay(t *testing.T) {
	tests := []struct {
		reason  string
		b       Backoff
		attempt int
		want    time.Duration
	}{
		{"zero value starts at 1 s", Backoff{}, 0, time.Second},
		{"doubles", Backoff{}, 3, 8 * time.Second},
		{"capped at 30 s by default", Backoff{}, 10, 30 * time.Second},
		{"huge attempt does not overflow", Backoff{}, 1000, 30 * time.Second},
		{"custom", Backoff{Base: 100 * time.Millisecond, Max: time.Second}, 2, 400 * time.Millisecond},
		{"custom cap", Backoff{Base: 100 * time.Millisecond, Max: time.Second}, 4, time.Second},
	}
	for _, tt := range tests {
		if got := tt.b.Delay(tt.attempt); got != tt.want {
			t.Errorf("%s: Delay(%d) = %v, want %v", tt.reason, tt.attempt, got, tt.want)
		}
	}
}

func TestBackoffMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		b := Backoff{
			Base: time.Duration(rapid.Int64Range(1, int64(time.Minute)).Draw(t, "base")),
			Max:  time.Duration(rapid.Int64Range(1, int64(time.Hour)).Draw(t, "max")),
		}
		prev := time.Duration(0)
		for n := range 80 {
			d := b.Delay(n)
			if d < prev || d > b.Max || d <= 0 {
				t.Fatalf("Delay(%d) = %v after %v (max %v)", n, d, prev, b.Max)
			}
			prev = d
		}
	})
}

var errBusy = errors.New("busy")

func TestRetry(t *testing.T) {
	tests := []struct {
		reason    string
		fails     int // attempts that ask to be retried before success
		retries   int
		after     time.Duration
		wantCalls int
		wantErr   error
		wantSlept time.Duration
	}{
		{"success at once", 0, 3, 0, 1, nil, 0},
		{"two retries with backoff 1 s, 2 s", 2, 3, 0, 3, nil, 3 * time.Second},
		{"gives up after the retries", 5, 2, 0, 3, errBusy, 3 * time.Second},
		{"server's wait wins", 1, 3, 7 * time.Second, 2, nil, 7 * time.Second},
	}
	for _, tt := range tests {
		clock := NewFakeClock(t0)
		calls := 0
		err := Retry(context.Background(), nil, clock, Backoff{}, tt.retries, func(context.Context) (Verdict, error) {
			calls++
			if calls <= tt.fails {
				return Verdict{Retry: true, After: tt.after}, errBusy
			}
			return Verdict{}, nil
		})
		if !errors.Is(err, tt.wantErr) || calls != tt.wantCalls || clock.Slept() != tt.wantSlept {
			t.Errorf("%s: err %v calls %d slept %v; want %v, %d, %v", tt.reason, err, calls, clock.Slept(), tt.wantErr, tt.wantCalls, tt.wantSlept)
		}
	}
}

func TestRetryPermanentErrorStops(t *testing.T) {
	calls := 0
	perm := errors.New("bad request")
	err := Retry(context.Background(), nil, NewFakeClock(t0), Backoff{}, 5, func(context.Context) (Verdict, error) {
		calls++
		return Verdict{}, perm
	})
	if !errors.Is(err, perm) || calls != 1 {
		t.Errorf("err %v after %d calls, want bad request after 1", err, calls)
	}
}

func TestLimiterWaitsOnClock(t *testing.T) {
	b, _ := NewBucket(time.Second, 2)
	clock := NewFakeClock(t0)
	l := NewLimiter(b, clock)
	for range 4 {
		if err := l.Wait(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if got := clock.Slept(); got != 2*time.Second {
		t.Errorf("slept %v, want 2 s for requests 3 and 4", got)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait on a done context = %v", err)
	}
}

func TestSystemClockSleepCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := (SystemClock{}).Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Errorf("Sleep = %v, want canceled", err)
	}
}

func TestPacer(t *testing.T) {
	clock := NewFakeClock(t0)
	p, err := NewPacer(Policy{Interval: time.Second, Burst: 1, Retries: -1, Now: clock.Now, Sleep: clock.Sleep})
	if err != nil {
		t.Fatal(err)
	}
	calls := 0
	for range 3 {
		err := p.Do(context.Background(), func(context.Context) (Verdict, error) {
			calls++
			return Verdict{Retry: true}, errBusy
		})
		if !errors.Is(err, errBusy) {
			t.Fatalf("err = %v", err)
		}
	}
	// Retries −1: no retry; 3 calls one second apart.
	if calls != 3 || clock.Slept() != 2*time.Second {
		t.Errorf("%d calls, slept %v; want 3 and 2 s", calls, clock.Slept())
	}
	if _, err := NewPacer(Policy{}); err == nil {
		t.Error("a pacer without an interval was made")
	}
}
