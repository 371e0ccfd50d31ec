package auth

import (
	"context"
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/session"
)

type outbox struct{ texts []string }

func (o *outbox) send(_ context.Context, phone, text, _ string) error {
	o.texts = append(o.texts, text)
	return nil
}

func (o *outbox) lastCode(t *testing.T) string {
	m := regexp.MustCompile(`\b(\d{6})\b`).FindStringSubmatch(o.texts[len(o.texts)-1])
	if m == nil {
		t.Fatalf("no code in %q", o.texts)
	}
	return m[1]
}

func newOTP(box *outbox) (*OTP, session.Store) {
	s := session.NewMemory()
	return &OTP{Sessions: s, Send: box.send}, s
}

func call(key string, input map[string]any) policy.ActionCall {
	return policy.ActionCall{Name: ActionName, Args: map[string]any{"phone": "+4915112345678"}, IdempotencyKey: key, Input: input}
}

func TestRightCodeVerifies(t *testing.T) {
	box := &outbox{}
	o, s := newOTP(box)
	act, ctx := o.Action(), context.Background()
	res, err := act(ctx, call("r1/verify", nil))
	if err != nil || res.Ask == nil {
		t.Fatalf("send: %+v %v", res, err)
	}
	code := box.lastCode(t)
	stored, _, _ := s.Get(ctx, "otp:r1/verify")
	if regexp.MustCompile(code).Match(stored) {
		t.Fatal("the code is stored in clear")
	}
	res, err = act(ctx, call("r1/verify", map[string]any{"code": "000000"}))
	if err != nil || res.Ask == nil || res.Ask.Error == "" {
		t.Fatalf("wrong code: %+v %v", res, err)
	}
	res, err = act(ctx, call("r1/verify", map[string]any{"code": code}))
	if err != nil || res.Ask != nil || res.Output.(map[string]any)["verified"] != true {
		t.Fatalf("right code: %+v %v", res, err)
	}
	if _, err := act(ctx, call("r1/verify", map[string]any{"code": code})); !errors.Is(err, ErrCodeExpired) {
		t.Fatalf("a used code works again: %v", err)
	}
}

func TestBruteForceIsStopped(t *testing.T) {
	box := &outbox{}
	o, _ := newOTP(box)
	act, ctx := o.Action(), context.Background()
	act(ctx, call("r2/verify", nil))
	var err error
	for i := 0; i < 5 && err == nil; i++ {
		_, err = act(ctx, call("r2/verify", map[string]any{"code": "99999" + string(rune('0'+i))}))
	}
	if !errors.Is(err, ErrTooManyTries) {
		t.Fatalf("got %v", err)
	}
	if _, err := act(ctx, call("r2/verify", map[string]any{"code": box.lastCode(t)})); !errors.Is(err, ErrCodeExpired) {
		t.Fatalf("the right code works after the attempts ran out: %v", err)
	}
}

func TestExpiryAndSendLimitAndNoPhone(t *testing.T) {
	box := &outbox{}
	o, _ := newOTP(box)
	o.TTL = 20 * time.Millisecond
	act, ctx := o.Action(), context.Background()
	act(ctx, call("r3/verify", nil))
	time.Sleep(40 * time.Millisecond)
	if _, err := act(ctx, call("r3/verify", map[string]any{"code": box.lastCode(t)})); !errors.Is(err, ErrCodeExpired) {
		t.Fatalf("expired code: %v", err)
	}
	act(ctx, call("r4/verify", nil))
	act(ctx, call("r5/verify", nil))
	if _, err := act(ctx, call("r6/verify", nil)); !errors.Is(err, ErrTooManySends) {
		t.Fatalf("fourth code to one phone: %v", err)
	}
	noPhone := call("r7/verify", nil)
	noPhone.Args = map[string]any{"phone": ""}
	if _, err := act(ctx, noPhone); !errors.Is(err, ErrNoPhone) {
		t.Fatalf("no phone: %v", err)
	}
}

// One case may not send codes to phone after phone: the case's own limit holds whichever
// phone is asked for, while another case is not held back.
func TestCaseSendLimit(t *testing.T) {
	box := &outbox{}
	o, _ := newOTP(box)
	o.MaxCaseSends = 2
	act, ctx := o.Action(), context.Background()
	send := func(caseID, phone string) error {
		c := call("run-"+phone+"/verify", nil)
		c.CaseID, c.Args = caseID, map[string]any{"phone": phone}
		_, err := act(ctx, c)
		return err
	}
	for _, phone := range []string{"+4915100000001", "+4915100000002"} {
		if err := send("CASE-1", phone); err != nil {
			t.Fatal(err)
		}
	}
	if err := send("CASE-1", "+4915100000003"); !errors.Is(err, ErrTooManyCaseSends) {
		t.Fatalf("third code for one case: %v", err)
	}
	if err := send("CASE-2", "+4915100000003"); err != nil {
		t.Fatalf("another case: %v", err)
	}
	if len(box.texts) != 3 {
		t.Fatalf("%d codes sent, want 3", len(box.texts))
	}
}
