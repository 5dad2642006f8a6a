package crm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"time"

	"github.com/onemin/onemin/internal/ratelimit"
)

// MaxAnswerBytes bounds an answer [ReadAnswer] reads into memory: 32 MiB.
const MaxAnswerBytes = 32 << 20

// ReadAnswer reads a whole answer body of at most [MaxAnswerBytes]. Its
// errors begin with where, such as "amocrm: /api/v4/leads".
func ReadAnswer(body io.Reader, where string) ([]byte, error) {
	return readAnswer(body, where, MaxAnswerBytes)
}

func readAnswer(body io.Reader, where string, limit int64) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: reading answer: %w", where, err)
	}
	if int64(len(raw)) > limit {
		return nil, fmt.Errorf("%s: answer is over %d bytes", where, limit)
	}
	return raw, nil
}

// Do runs attempt under p's pacing, and again after a backoff while the
// error it returns is an *A (the system's API error, found with errors.As)
// whose Temporary method reports true. attempt also returns the wait the
// server asked for (an HTTP Retry-After), zero for the backoff's. Any
// other error ends the call at once: a network error, even one that calls
// itself temporary, is the caller's to retry.
func Do[A any, PA interface {
	*A
	error
	Temporary() bool
}](ctx context.Context, p *ratelimit.Pacer, attempt func(ctx context.Context) (after time.Duration, err error)) error {
	return p.Do(ctx, func(ctx context.Context) (ratelimit.Verdict, error) {
		after, err := attempt(ctx)
		var apiErr PA
		if errors.As(err, &apiErr) && apiErr.Temporary() {
			return ratelimit.Verdict{Retry: true, After: after}, err
		}
		return ratelimit.Verdict{}, err
	})
}

// errStop ends a walk when the consumer stops iterating; it never reaches
// the consumer.
var errStop = errors.New("crm: iteration stopped")

// Records iterates the records of a paged list. walk reads the list from
// its first page to its last and gives each page to its argument, stopping
// at the first error that argument returns; split cuts a page into raw
// records (an error reads "where: what: cause"), and decode turns each
// into a T (an error reads "where: record N: cause", N from 1 within its
// page). The first error is yielded with a zero T and ends the iteration;
// a consumer that stops early stops the walk, and no more pages are read.
func Records[R, T any](where string, walk func(page func(json.RawMessage) error) error, what string, split func(json.RawMessage) ([]R, error), decode func(R) (T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		stopped := false
		err := walk(func(raw json.RawMessage) error {
			rs, err := split(raw)
			if err != nil {
				return fmt.Errorf("%s: %s: %w", where, what, err)
			}
			for i, r := range rs {
				v, err := decode(r)
				if err != nil {
					return fmt.Errorf("%s: record %d: %w", where, i+1, err)
				}
				if !yield(v, nil) {
					stopped = true
					return errStop
				}
			}
			return nil
		})
		if err != nil && !stopped {
			yield(zero, err)
		}
	}
}
