package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// maxBody is the longest body the Messages API accepts, in characters.
const maxBody = 1600

// e164 is a phone number as Twilio wants it: a plus, then up to 15 digits.
var e164 = regexp.MustCompile(`^\+[1-9][0-9]{1,14}$`)

// Client is the Twilio connector; it implements plugin.Messaging. It is safe for concurrent use.
type Client struct {
	cfg      Config
	endpoint string
	user     string
	password string
	http     *retry.Client
	sent     *sentLog
}

// New returns a connector for the configuration, which it validates.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	user, password := cfg.AccountSID, cfg.AuthToken
	if cfg.APIKeySID != "" {
		user, password = cfg.APIKeySID, cfg.APIKeySecret
	}
	return &Client{
		cfg:      cfg,
		endpoint: strings.TrimRight(cfg.APIURL, "/") + "/2010-04-01/Accounts/" + url.PathEscape(cfg.AccountSID) + "/Messages.json",
		user:     user,
		password: password,
		http:     &retry.Client{HTTP: &http.Client{Timeout: cfg.Timeout}, Policy: retry.Policy{Attempts: cfg.Attempts}},
		sent:     newSentLog(cfg.Remember),
	}, nil
}

// message is the part of a Message resource the connector reads.
type message struct {
	SID          string  `json:"sid"`
	Status       string  `json:"status"`
	ErrorCode    *int    `json:"error_code"`
	ErrorMessage *string `json:"error_message"`
}

// SendSMS sends the text. A message with an idempotency key the connector has sent before is
// not sent again; its first receipt is returned.
func (c *Client) SendSMS(ctx context.Context, req plugin.SMS) (plugin.SMSReceipt, error) {
	if !e164.MatchString(req.To) {
		return plugin.SMSReceipt{}, fmt.Errorf("twilio: send SMS: %q is not an E.164 phone number such as +351912345678", req.To)
	}
	if req.Body == "" {
		return plugin.SMSReceipt{}, errors.New("twilio: send SMS: the body is empty")
	}
	if n := utf8.RuneCountInString(req.Body); n > maxBody {
		return plugin.SMSReceipt{}, fmt.Errorf("twilio: send SMS: the body has %d characters; Twilio takes at most %d", n, maxBody)
	}
	if req.IdempotencyKey == "" {
		return c.send(ctx, req)
	}
	s, first := c.sent.begin(req.IdempotencyKey)
	if !first {
		return s.wait(ctx)
	}
	r, err := c.send(ctx, req)
	c.sent.finish(req.IdempotencyKey, s, r, err)
	return r, err
}

func (c *Client) send(ctx context.Context, req plugin.SMS) (plugin.SMSReceipt, error) {
	form := url.Values{"To": {req.To}, "Body": {req.Body}}
	if c.cfg.MessagingServiceSID != "" {
		form.Set("MessagingServiceSid", c.cfg.MessagingServiceSID)
	} else {
		form.Set("From", c.cfg.From)
	}
	if c.cfg.StatusCallback != "" {
		form.Set("StatusCallback", c.cfg.StatusCallback)
	}
	payload := form.Encode()
	resp, err := c.http.Do(ctx, func(ctx context.Context) (*http.Request, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint, strings.NewReader(payload))
		if err != nil {
			return nil, err
		}
		r.SetBasicAuth(c.user, c.password)
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept", "application/json")
		return r, nil
	})
	if err != nil {
		return plugin.SMSReceipt{}, fmt.Errorf("twilio: send SMS: %w", err)
	}
	if resp.Status < 200 || resp.Status > 299 {
		return plugin.SMSReceipt{}, newAPIError("send SMS", resp)
	}
	return decodeMessage(resp.Body)
}

// decodeMessage reads the Message resource the create answers with.
func decodeMessage(body []byte) (plugin.SMSReceipt, error) {
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		return plugin.SMSReceipt{}, fmt.Errorf("twilio: send SMS: malformed response: %w", err)
	}
	if m.SID == "" {
		return plugin.SMSReceipt{}, errors.New("twilio: send SMS: the response has no message sid")
	}
	if m.Status == "failed" || m.Status == "undelivered" {
		msg := "no reason given"
		if m.ErrorMessage != nil {
			msg = *m.ErrorMessage
		}
		code := 0
		if m.ErrorCode != nil {
			code = *m.ErrorCode
		}
		return plugin.SMSReceipt{ID: m.SID, Status: m.Status}, fmt.Errorf("twilio: send SMS: message %s %s: error %d: %s", m.SID, m.Status, code, msg)
	}
	return plugin.SMSReceipt{ID: m.SID, Status: m.Status}, nil
}

var _ plugin.Messaging = (*Client)(nil)
