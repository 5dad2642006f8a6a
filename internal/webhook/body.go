package webhook

import (
	"errors"
	"io"
	"net/http"
	"strconv"
)

// DefaultMaxBodyBytes is the body limit a handler applies when its options
// leave it zero: 1 MiB, well above the largest delivery Meta or Telegram
// send.
const DefaultMaxBodyBytes int64 = 1 << 20

// ReadBody reads the whole request body, refusing one longer than limit
// bytes (limit ≤ 0 means [DefaultMaxBodyBytes]) with a 413 *Error, and a
// body that cannot be read with a 400. A declared Content-Length over the
// limit is refused before anything is read.
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *Error) {
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	tooLarge := &Error{Status: http.StatusRequestEntityTooLarge,
		Reason: "body exceeds " + strconv.FormatInt(limit, 10) + " bytes"}
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	if r.Body == nil {
		return nil, nil
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, tooLarge
		}
		return nil, &Error{Status: http.StatusBadRequest, Reason: "cannot read body", Err: err}
	}
	return body, nil
}
