package zendesk

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// Client is the Zendesk connector; it implements plugin.CRM. It is safe for concurrent use.
type Client struct {
	cfg           Config
	base          string
	authorization string
	http          *retry.Client

	// groups and users cache names resolved to ids and back: they rarely change, and resolving
	// them costs a listing or a search on every call otherwise.
	mu         sync.Mutex
	groups     map[string]int64 // by lower-cased name
	groupNames map[int64]string
	users      map[string]int64
}

// New returns a connector for the configuration, which it validates.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	authz := "Bearer " + cfg.OAuthToken
	if cfg.APIToken != "" {
		// API tokens authenticate as "{email}/token:{token}" over Basic auth.
		authz = "Basic " + base64.StdEncoding.EncodeToString([]byte(cfg.Email+"/token:"+cfg.APIToken))
	}
	return &Client{
		cfg:           cfg,
		base:          cfg.baseURL(),
		authorization: authz,
		http:          &retry.Client{HTTP: &http.Client{Timeout: cfg.Timeout}, Policy: retry.Policy{Attempts: cfg.Attempts}},
		groups:        map[string]int64{},
		groupNames:    map[int64]string{},
		users:         map[string]int64{},
	}, nil
}

// do sends a request to the path (under the account's URL) or to an absolute URL of the
// account (a next_page link), and decodes a 2xx answer into out; any other answer becomes an
// *APIError naming op. header adds request headers, such as Idempotency-Key.
func (c *Client) do(ctx context.Context, op, method, pathOrURL string, header http.Header, body, out any) error {
	u := pathOrURL
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		u = c.base + pathOrURL
	} else if !strings.HasPrefix(u, c.base+"/") {
		// Only ever send the credentials to the account itself.
		return fmt.Errorf("zendesk: %s: refusing to follow a link off the account: %s", op, u)
	}
	var payload []byte
	if body != nil {
		var err error
		if payload, err = json.Marshal(body); err != nil {
			return err
		}
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
		for k, v := range header {
			req.Header[k] = v
		}
		req.Header.Set("Authorization", c.authorization)
		req.Header.Set("Accept", "application/json")
		if payload != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		return req, nil
	})
	if err != nil {
		return fmt.Errorf("zendesk: %s: %w", op, err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return newAPIError(op, resp)
	}
	if out != nil {
		if err := json.Unmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("zendesk: %s: malformed response: %w", op, err)
		}
	}
	return nil
}

var _ plugin.CRM = (*Client)(nil)
