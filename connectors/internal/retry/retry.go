// Package retry sends HTTP requests to vendor APIs and retries the ones worth retrying: answers
// 429 and 5xx and transport failures, with exponential backoff and jitter, honouring the
// vendor's Retry-After, never waiting past the context's deadline. Other 4xx answers are final.
package retry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxBody caps how much of a response body is read, so a misbehaving server cannot exhaust
// the plugin's memory.
const MaxBody = 8 << 20

// ErrBodyTooLarge reports a response body over MaxBody.
var ErrBodyTooLarge = errors.New("retry: response body too large")

// Policy says how often and how long to retry. The zero value means the defaults.
type Policy struct {
	// Attempts is the number of tries in all, the first included (default 4).
	Attempts int
	// Base is the backoff before the second try; it doubles for each further one (default 250ms).
	Base time.Duration
	// Max caps one wait, Retry-After included: a vendor asking for longer gets no more tries
	// (default 30s).
	Max time.Duration
}

func (p Policy) withDefaults() Policy {
	if p.Attempts <= 0 {
		p.Attempts = 4
	}
	if p.Base <= 0 {
		p.Base = 250 * time.Millisecond
	}
	if p.Max <= 0 {
		p.Max = 30 * time.Second
	}
	return p
}

// Response is a vendor's final answer, its body read whole.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
	// Attempts is how many tries it took; callers name it in errors so that an operator can
	// tell a flaky vendor from a broken request.
	Attempts int
}

// Snippet is the start of the body, for error messages about answers no decoder understood.
func (r *Response) Snippet() string {
	const max = 200
	s := strings.TrimSpace(string(r.Body))
	if len(s) > max {
		s = s[:max] + "..."
	}
	if s == "" {
		s = "(empty body)"
	}
	return s
}

// Retryable reports whether the status is one a later try may change.
func Retryable(status int) bool {
	return status == http.StatusTooManyRequests || status >= 500
}

// Client sends requests under a Policy. Its zero value uses http.DefaultClient and the
// default policy.
type Client struct {
	HTTP   *http.Client
	Policy Policy
}

// Do sends the request that newRequest builds, building it afresh for every try so that its
// body can be read again. It returns the last response when it is final or the tries are spent
// (the caller turns a non-2xx status into the vendor's error), and an error only when no
// response came: a transport failure on the last try, or the context's end.
func (c *Client) Do(ctx context.Context, newRequest func(ctx context.Context) (*http.Request, error)) (*Response, error) {
	p := c.Policy.withDefaults()
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	for attempt := 1; ; attempt++ {
		req, err := newRequest(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := send(hc, req)
		last := attempt >= p.Attempts
		if err != nil {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("%s %s: %w", req.Method, req.URL.Path, context.Cause(ctx))
			}
			if last || errors.Is(err, ErrBodyTooLarge) {
				return nil, fmt.Errorf("%s %s: after %d attempts: %w", req.Method, req.URL.Path, attempt, err)
			}
			if err := sleep(ctx, p.backoff(attempt), req); err != nil {
				return nil, err
			}
			continue
		}
		resp.Attempts = attempt
		if !Retryable(resp.Status) || last {
			return resp, nil
		}
		wait := p.backoff(attempt)
		if after, ok := RetryAfter(resp.Header, time.Now()); ok {
			if after > p.Max {
				return resp, nil
			}
			wait = after
		}
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
			// Waiting would outlive the caller: answer now with what the vendor said.
			return resp, nil
		}
		if err := sleep(ctx, wait, req); err != nil {
			return nil, err
		}
	}
}

// send does one round trip and reads the body whole.
func send(hc *http.Client, req *http.Request) (*Response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBody+1))
	if err != nil {
		return nil, fmt.Errorf("reading response: %w", err)
	}
	if len(body) > MaxBody {
		return nil, ErrBodyTooLarge
	}
	return &Response{Status: resp.StatusCode, Header: resp.Header, Body: body}, nil
}

// backoff is the wait after the given try: Base doubled per try, capped at Max, with "equal
// jitter" (half fixed, half random) so that many plugins throttled together do not come back
// in step.
func (p Policy) backoff(attempt int) time.Duration {
	d := p.Base << (attempt - 1)
	if d > p.Max || d <= 0 {
		d = p.Max
	}
	half := d / 2
	return half + rand.N(half+1)
}

func sleep(ctx context.Context, d time.Duration, req *http.Request) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("%s %s: waiting to retry: %w", req.Method, req.URL.Path, context.Cause(ctx))
	case <-t.C:
		return nil
	}
}

// RetryAfter reads a Retry-After header, in seconds or as an HTTP date, relative to now.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.Atoi(v); err == nil {
		if secs < 0 {
			return 0, false
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
