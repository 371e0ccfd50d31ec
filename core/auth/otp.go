// Package auth proves who customers and clients are: one-time codes sent by SMS before any
// change of customer data (OTP), and valet keys: signed, single-use links that continue a request
// in another channel (Valet).
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/session"
)

// OTP sends one-time codes and checks them, as the interactive action "otp.verify": the
// first call sends a code to args.phone and asks for it; each answer is checked; the action
// succeeds on the right code and fails (taking the node's on_error) when the code expired or
// too many wrong answers were given. Codes are stored salted and hashed, never in clear, and
// compared in constant time.
type OTP struct {
	Sessions session.Store
	// Send delivers the text to the phone, typically through the Messaging plugin.
	Send func(ctx context.Context, phone, text, idempotencyKey string) error
	// Digits is the code's length (6); TTL its lifetime (5 minutes); MaxAttempts the wrong
	// answers allowed (5).
	Digits      int
	TTL         time.Duration
	MaxAttempts int
	// MaxSends bounds the codes sent to one phone per SendWindow (3 per 15 minutes).
	MaxSends   int
	SendWindow time.Duration
	// MaxCaseSends bounds the codes sent for one case (the conversation's, when it has
	// none) per SendWindow, whichever phone they go to (5), so that a case cannot be used
	// to send codes to many phones.
	MaxCaseSends int
}

// Errors of the action; the policy's on_error path takes them.
var (
	ErrCodeExpired  = errors.New("one-time code expired")
	ErrTooManyTries = errors.New("too many wrong one-time codes")
	ErrTooManySends = errors.New("too many one-time codes requested for this phone")
	// ErrTooManyCaseSends reports that the case asked for more codes than MaxCaseSends.
	ErrTooManyCaseSends = errors.New("too many one-time codes requested for this case")
	ErrNoPhone          = errors.New("no phone number to send a one-time code to")
)

// ActionName is the name policies call the action by.
const ActionName = "otp.verify"

type pending struct {
	Salt     []byte `json:"salt"`
	Hash     []byte `json:"hash"`
	Attempts int    `json:"attempts"`
	Phone    string `json:"phone"`
}

func (o *OTP) withDefaults() OTP {
	c := *o
	if c.Digits == 0 {
		c.Digits = 6
	}
	if c.TTL == 0 {
		c.TTL = 5 * time.Minute
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = 5
	}
	if c.MaxSends == 0 {
		c.MaxSends = 3
	}
	if c.SendWindow == 0 {
		c.SendWindow = 15 * time.Minute
	}
	if c.MaxCaseSends == 0 {
		c.MaxCaseSends = 5
	}
	return c
}

// Action returns the policy action.
func (o *OTP) Action() policy.ActionFunc {
	cfg := o.withDefaults()
	return func(ctx context.Context, call policy.ActionCall) (policy.ActionResult, error) {
		key := "otp:" + call.IdempotencyKey
		if call.Input == nil {
			return cfg.send(ctx, key, call)
		}
		return cfg.check(ctx, key, call)
	}
}

func (o OTP) question(errText string) *policy.Ask {
	return &policy.Ask{
		Text:  fmt.Sprintf("We sent a %d-digit code to your phone. Please enter it.", o.Digits),
		Form:  []policy.Field{{Name: "code", Label: "Code", Required: true, Pattern: fmt.Sprintf("[0-9]{%d}", o.Digits)}},
		Error: errText,
	}
}

func (o OTP) send(ctx context.Context, key string, call policy.ActionCall) (policy.ActionResult, error) {
	phone, _ := call.Args["phone"].(string)
	if strings.TrimSpace(phone) == "" {
		return policy.ActionResult{}, ErrNoPhone
	}
	if err := o.limitSends(ctx, "otp-sends-case:"+caseOf(call), o.MaxCaseSends, ErrTooManyCaseSends); err != nil {
		return policy.ActionResult{}, err
	}
	if err := o.limitSends(ctx, "otp-sends:"+phone, o.MaxSends, ErrTooManySends); err != nil {
		return policy.ActionResult{}, err
	}
	code, err := randomCode(o.Digits)
	if err != nil {
		return policy.ActionResult{}, err
	}
	p := pending{Salt: make([]byte, 16), Phone: phone}
	if _, err := rand.Read(p.Salt); err != nil {
		return policy.ActionResult{}, err
	}
	p.Hash = hashCode(p.Salt, code)
	data, _ := json.Marshal(p)
	if err := o.Sessions.Put(ctx, key, data, o.TTL); err != nil {
		return policy.ActionResult{}, fmt.Errorf("store one-time code: %w", err)
	}
	text := fmt.Sprintf("Your verification code is %s. It expires in %d minutes. Never share it.", code, int(o.TTL.Minutes()))
	if err := o.Send(ctx, phone, text, key+fmt.Sprint(call.Attempt)); err != nil {
		return policy.ActionResult{}, fmt.Errorf("send one-time code: %w", err)
	}
	return policy.ActionResult{Ask: o.question("")}, nil
}

// caseOf names what a code is sent for: the case, or the conversation before a case exists.
func caseOf(call policy.ActionCall) string {
	if call.CaseID != "" {
		return call.CaseID
	}
	return "conv:" + call.ConversationID
}

// limitSends counts a send under key in the current window, failing with tooMany past max.
func (o OTP) limitSends(ctx context.Context, key string, max int, tooMany error) error {
	for {
		data, version, err := o.Sessions.Get(ctx, key)
		count := 0
		if err == nil {
			fmt.Sscan(string(data), &count)
		} else if !errors.Is(err, session.ErrNotFound) {
			return err
		}
		if count >= max {
			return tooMany
		}
		_, err = o.Sessions.CompareAndSet(ctx, key, []byte(fmt.Sprint(count+1)), version, o.SendWindow)
		if !errors.Is(err, session.ErrConflict) {
			return err
		}
	}
}

func (o OTP) check(ctx context.Context, key string, call policy.ActionCall) (policy.ActionResult, error) {
	data, version, err := o.Sessions.Get(ctx, key)
	if errors.Is(err, session.ErrNotFound) {
		return policy.ActionResult{}, ErrCodeExpired
	}
	if err != nil {
		return policy.ActionResult{}, err
	}
	var p pending
	if err := json.Unmarshal(data, &p); err != nil {
		return policy.ActionResult{}, fmt.Errorf("one-time code state unreadable: %w", err)
	}
	given := strings.TrimSpace(fmt.Sprint(call.Input["code"]))
	if subtle.ConstantTimeCompare(hashCode(p.Salt, given), p.Hash) == 1 {
		_ = o.Sessions.Delete(ctx, key)
		return policy.ActionResult{Output: map[string]any{"verified": true}}, nil
	}
	p.Attempts++
	if p.Attempts >= o.MaxAttempts {
		_ = o.Sessions.Delete(ctx, key)
		return policy.ActionResult{}, ErrTooManyTries
	}
	data, _ = json.Marshal(p)
	if _, err := o.Sessions.CompareAndSet(ctx, key, data, version, o.TTL); err != nil {
		return policy.ActionResult{}, fmt.Errorf("record attempt: %w", err)
	}
	left := o.MaxAttempts - p.Attempts
	return policy.ActionResult{Ask: o.question(fmt.Sprintf("That code is not right. %d attempts left.", left))}, nil
}

func hashCode(salt []byte, code string) []byte {
	h := sha256.New()
	h.Write(salt)
	h.Write([]byte(code))
	return h.Sum(nil)
}

func randomCode(digits int) (string, error) {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)
	n, err := rand.Int(rand.Reader, max)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%0*d", digits, n), nil
}
