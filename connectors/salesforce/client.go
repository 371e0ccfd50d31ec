package salesforce

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Client is the Salesforce connector; it implements plugin.CRM. It is safe for concurrent use.
type Client struct {
	cfg    Config
	http   *retry.Client
	tokens *tokenSource

	// owners caches queue DeveloperNames and usernames resolved to record ids: they rarely
	// change, and resolving costs a SOQL query on every assignment otherwise.
	mu     sync.Mutex
	owners map[string]string
}

// New returns a connector for the configuration, which it validates. It signs in lazily, on
// the first call.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	hc := &retry.Client{
		HTTP:   &http.Client{Timeout: cfg.Timeout},
		Policy: retry.Policy{Attempts: cfg.Attempts},
	}
	ts, err := newTokenSource(cfg, hc)
	if err != nil {
		return nil, err
	}
	return &Client{cfg: cfg, http: hc, tokens: ts, owners: map[string]string{}}, nil
}

// call sends one REST request under /services/data/<version>. When Salesforce answers 401
// INVALID_SESSION_ID (the token expired or was revoked) it signs in again and sends the request
// once more; a second rejection is returned as it is.
func (c *Client) call(ctx context.Context, method, path string, query url.Values, body any) (*retry.Response, error) {
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return nil, err
		}
	}
	for try := 0; ; try++ {
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		base := tok.InstanceURL
		if base == "" {
			base = c.cfg.InstanceURL
		}
		u := strings.TrimRight(base, "/") + "/services/data/" + c.cfg.APIVersion + path
		if len(query) > 0 {
			u += "?" + query.Encode()
		}
		resp, err := c.http.Do(ctx, func(ctx context.Context) (*http.Request, error) {
			var r io.Reader
			if payload != nil {
				r = bytes.NewReader(payload)
			}
			req, err := http.NewRequestWithContext(ctx, method, u, r)
			if err != nil {
				return nil, err
			}
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
			req.Header.Set("Accept", "application/json")
			if payload != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			return req, nil
		})
		if err != nil {
			return nil, fmt.Errorf("salesforce: %w", err)
		}
		if resp.Status == http.StatusUnauthorized && try == 0 && newAPIError("", resp).Has("INVALID_SESSION_ID") {
			c.tokens.Invalidate(tok)
			continue
		}
		return resp, nil
	}
}

// do sends a request and decodes a 2xx answer into out (when out is not nil and there is a
// body); any other answer becomes an *APIError naming op.
func (c *Client) do(ctx context.Context, op, method, path string, query url.Values, body, out any) error {
	resp, err := c.call(ctx, method, path, query, body)
	if err != nil {
		return err
	}
	if resp.Status < 200 || resp.Status > 299 {
		return newAPIError(op, resp)
	}
	if out != nil && len(resp.Body) > 0 {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("salesforce: %s: malformed response: %w", op, err)
		}
	}
	return nil
}

// instanceURL is where people open records: the token's instance when signed in.
func (c *Client) instanceURL(ctx context.Context) string {
	if tok, err := c.tokens.Token(ctx); err == nil && tok.InstanceURL != "" {
		return strings.TrimRight(tok.InstanceURL, "/")
	}
	return strings.TrimRight(c.cfg.InstanceURL, "/")
}

var _ plugin.CRM = (*Client)(nil)
