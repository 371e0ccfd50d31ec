package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Client is the REST connector; it implements plugin.BackOffice and plugin.Hydrator. It is safe
// for concurrent use.
type Client struct {
	cfg  Config
	base string
	eps  *compiled
	http *retry.Client
}

// New compiles the configuration and returns a connector for it.
func New(cfg Config) (*Client, error) {
	eps, err := compile(cfg)
	if err != nil {
		return nil, fmt.Errorf("rest: %w", err)
	}
	return &Client{
		cfg:  cfg,
		base: strings.TrimRight(cfg.BaseURL, "/"),
		eps:  eps,
		http: &retry.Client{HTTP: &http.Client{Timeout: cfg.Timeout}, Policy: retry.Policy{Attempts: cfg.Attempts}},
	}, nil
}

// StatusError is a non-2xx answer of the back office other than 404 (which is
// plugin.ErrNotFound).
type StatusError struct {
	Op       string
	Status   int
	Attempts int
	// Message is the answer's message, error, detail or title field when it has one, else
	// the start of the body.
	Message string
}

// Error says what failed, with the status and the back office's message.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("rest: %s: HTTP %d", e.Op, e.Status)
	if e.Attempts > 1 {
		s += fmt.Sprintf(" after %d attempts", e.Attempts)
	}
	return s + ": " + e.Message
}

// message finds the human-readable part of an error body, in the fields APIs commonly use.
func message(resp *retry.Response) string {
	var body map[string]any
	if json.Unmarshal(resp.Body, &body) == nil {
		for _, k := range []string{"message", "error_description", "detail", "error", "title"} {
			if s, ok := body[k].(string); ok && s != "" {
				return s
			}
		}
	}
	return resp.Snippet()
}

// call renders the endpoint with the arguments, sends it and returns the value at the
// mapping's root; nil for an empty body.
func (c *Client) call(ctx context.Context, e *endpoint, args map[string]any) (any, error) {
	r, err := e.render(args)
	if err != nil {
		return nil, fmt.Errorf("rest: %w", err)
	}
	u := r.url
	if !strings.HasPrefix(u, "http://") && !strings.HasPrefix(u, "https://") {
		u = c.base + "/" + strings.TrimLeft(u, "/")
	}
	resp, err := c.http.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		var body io.Reader
		if r.body != nil {
			body = bytes.NewReader(r.body)
		}
		req, err := http.NewRequestWithContext(ctx, r.method, u, body)
		if err != nil {
			return nil, err
		}
		req.Header.Set("Accept", "application/json")
		if r.body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		for k, v := range c.cfg.Headers {
			req.Header.Set(k, v)
		}
		for k, v := range r.headers {
			req.Header.Set(k, v)
		}
		if c.cfg.Auth.Header != "" {
			req.Header.Set(c.cfg.Auth.Header, c.cfg.Auth.Prefix+c.cfg.Auth.Value)
		}
		return req, nil
	})
	if err != nil {
		return nil, fmt.Errorf("rest: %s: %w", e.name, err)
	}
	if resp.Status == http.StatusNotFound {
		return nil, fmt.Errorf("rest: %s: %w", e.name, plugin.ErrNotFound)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return nil, &StatusError{Op: e.name, Status: resp.Status, Attempts: resp.Attempts, Message: message(resp)}
	}
	if len(bytes.TrimSpace(resp.Body)) == 0 {
		return nil, nil
	}
	v, err := decode(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("rest: %s: malformed response: %w", e.name, err)
	}
	got, ok := e.root.get(v)
	if !ok {
		return nil, fmt.Errorf("rest: %s: malformed response: nothing at response.root %q", e.name, e.root)
	}
	return got, nil
}

// decode reads JSON keeping numbers as written, so that long numeric ids keep every digit.
func decode(body []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if d.More() {
		return nil, fmt.Errorf("more than one JSON value")
	}
	return v, nil
}

var (
	_ plugin.BackOffice = (*Client)(nil)
	_ plugin.Hydrator   = (*Client)(nil)
)
