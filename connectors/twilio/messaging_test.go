package twilio

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/connectors/internal/retry"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

const (
	accountSID = "AC5ef8732a3c49700934481addd5ce1659"
	authToken  = "b4c1f4e1c7d3a0e9f2b6d8a7c5e3f1a9"
	keySID     = "SK2a7ef8b1c3d4e5f60718293a4b5c6d7e"
	keySecret  = "kZ8vQ2xL5nR7tW1yB4dF6hJ9"
	sender     = "+15017122661"
)

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fakeTwilio is the Messages endpoint of the Twilio API on loopback.
type fakeTwilio struct {
	t    testing.TB
	srv  *httptest.Server
	mu   sync.Mutex
	sent []map[string]string
	hits int
	// script answers the first requests with these statuses and testdata bodies.
	script []scripted
}

type scripted struct {
	status int
	header http.Header
	file   string
}

func newFakeTwilio(t testing.TB) *fakeTwilio {
	f := &fakeTwilio{t: t}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTwilio) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.hits++
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	if len(f.script) > 0 {
		s := f.script[0]
		f.script = f.script[1:]
		for k, v := range s.header {
			w.Header()[k] = v
		}
		w.WriteHeader(s.status)
		w.Write(testdata(f.t, s.file))
		return
	}
	user, pass, _ := r.BasicAuth()
	if r.Method != http.MethodPost || r.URL.Path != "/2010-04-01/Accounts/"+accountSID+"/Messages.json" {
		w.WriteHeader(404)
		fmt.Fprintf(w, `{"code": 20404, "message": "The requested resource %s was not found", "more_info": "https://www.twilio.com/docs/errors/20404", "status": 404}`, r.URL.Path)
		return
	}
	if !(user == accountSID && pass == authToken) && !(user == keySID && pass == keySecret) {
		w.WriteHeader(401)
		w.Write(testdata(f.t, "error_authenticate.json"))
		return
	}
	if err := r.ParseForm(); err != nil || r.Header.Get("Content-Type") != "application/x-www-form-urlencoded" {
		w.WriteHeader(400)
		w.Write([]byte(`{"code": 20001, "message": "Invalid form", "more_info": "https://www.twilio.com/docs/errors/20001", "status": 400}`))
		return
	}
	to := r.PostForm.Get("To")
	if to == "+15005550001" { // Twilio's magic test number for an invalid To
		w.WriteHeader(400)
		w.Write(testdata(f.t, "error_invalid_to.json"))
		return
	}
	var m map[string]any
	json.Unmarshal(testdata(f.t, "message_created.json"), &m)
	m["sid"] = fmt.Sprintf("SM%032d", len(f.sent)+1)
	m["to"], m["body"], m["account_sid"] = to, r.PostForm.Get("Body"), accountSID
	if ms := r.PostForm.Get("MessagingServiceSid"); ms != "" {
		m["messaging_service_sid"], m["from"], m["status"] = ms, nil, "accepted"
	} else {
		m["from"] = r.PostForm.Get("From")
	}
	sent := map[string]string{}
	for k := range r.PostForm {
		sent[k] = r.PostForm.Get(k)
	}
	f.sent = append(f.sent, sent)
	w.WriteHeader(201)
	json.NewEncoder(w).Encode(m)
}

func (f *fakeTwilio) config() Config {
	c := DefaultConfig()
	c.APIURL = f.srv.URL
	c.AccountSID, c.AuthToken, c.From = accountSID, authToken, sender
	return c
}

func newClient(t testing.TB, c Config) *Client {
	t.Helper()
	cl, err := New(c)
	if err != nil {
		t.Fatal(err)
	}
	return cl
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var sms = plugin.SMS{To: "+351912345678", Body: "Your frontdesk code is 493021. It expires in 10 minutes.", IdempotencyKey: "otp/run-7f3a/verify/1"}

func TestSendSMS(t *testing.T) {
	f := newFakeTwilio(t)
	r, err := newClient(t, f.config()).SendSMS(ctxT(t), sms)
	if err != nil {
		t.Fatal(err)
	}
	if r.ID != "SM00000000000000000000000000000001" || r.Status != "queued" {
		t.Fatalf("receipt = %+v", r)
	}
	want := map[string]string{"To": sms.To, "Body": sms.Body, "From": sender}
	if fmt.Sprint(f.sent[0]) != fmt.Sprint(want) {
		t.Fatalf("sent %v, want %v", f.sent[0], want)
	}
}

func TestSendSMSWithAPIKeyAndMessagingService(t *testing.T) {
	f := newFakeTwilio(t)
	cfg := f.config()
	cfg.AuthToken, cfg.APIKeySID, cfg.APIKeySecret = "", keySID, keySecret
	cfg.From, cfg.MessagingServiceSID = "", "MG9752274e9e519418a7406176694466fa"
	cfg.StatusCallback = "https://frontdesk.example/twilio/status"
	r, err := newClient(t, cfg).SendSMS(ctxT(t), sms)
	if err != nil {
		t.Fatal(err)
	}
	if r.Status != "accepted" || f.sent[0]["MessagingServiceSid"] != cfg.MessagingServiceSID || f.sent[0]["From"] != "" || f.sent[0]["StatusCallback"] != cfg.StatusCallback {
		t.Fatalf("receipt %+v, sent %v", r, f.sent[0])
	}
}

func TestSendSMSIsIdempotent(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.config())
	ctx := ctxT(t)
	var wg sync.WaitGroup
	ids := make([]string, 6)
	for i := range ids {
		wg.Go(func() {
			r, err := c.SendSMS(ctx, sms)
			if err != nil {
				t.Error(err)
			}
			ids[i] = r.ID
		})
	}
	wg.Wait()
	if len(f.sent) != 1 {
		t.Fatalf("%d messages sent for one key, want 1", len(f.sent))
	}
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("receipts differ: %v", ids)
		}
	}
	other := sms
	other.IdempotencyKey = "otp/run-7f3a/verify/2"
	if _, err := c.SendSMS(ctx, other); err != nil {
		t.Fatal(err)
	}
	if len(f.sent) != 2 {
		t.Fatalf("%d messages sent for two keys, want 2", len(f.sent))
	}
}

func TestSentLogForgetsFailuresAndOldKeys(t *testing.T) {
	f := newFakeTwilio(t)
	cfg := f.config()
	cfg.Remember = 2
	c := newClient(t, cfg)
	ctx := ctxT(t)
	f.script = []scripted{{400, nil, "error_authenticate.json"}}
	if _, err := c.SendSMS(ctx, sms); err == nil {
		t.Fatal("scripted failure did not fail")
	}
	if _, err := c.SendSMS(ctx, sms); err != nil || len(f.sent) != 1 {
		t.Fatalf("a retry after a failure was not sent: %v, %d sent", err, len(f.sent))
	}
	for _, k := range []string{"b", "c"} {
		m := sms
		m.IdempotencyKey = k
		c.SendSMS(ctx, m)
	}
	// The first key was evicted (Remember = 2), so it sends again.
	c.SendSMS(ctx, sms)
	if len(f.sent) != 4 {
		t.Fatalf("%d sent, want 4", len(f.sent))
	}
}

func TestBadRequests(t *testing.T) {
	f := newFakeTwilio(t)
	c := newClient(t, f.config())
	for _, tc := range []struct {
		sms  plugin.SMS
		want string
	}{
		{plugin.SMS{To: "912345678", Body: "x"}, "not an E.164 phone number"},
		{plugin.SMS{To: "+351912345678"}, "body is empty"},
		{plugin.SMS{To: "+351912345678", Body: strings.Repeat("é", 1601)}, "1601 characters"},
	} {
		if _, err := c.SendSMS(ctxT(t), tc.sms); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("SendSMS(%q) err = %v, want %q", tc.sms.To, err, tc.want)
		}
	}
	if f.hits != 0 {
		t.Errorf("%d requests for invalid messages, want none", f.hits)
	}
}

func TestVendorErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []scripted
		cfg    func(*Config)
		to     string
		want   string
		hits   int
	}{
		{name: "invalid To, not retried", to: "+15005550001",
			want: "twilio: send SMS: HTTP 400 error 21211: The 'To' number +15005550001 is not a valid phone number. (https://www.twilio.com/docs/errors/21211)", hits: 1},
		{name: "wrong credentials, not retried", cfg: func(c *Config) { c.AuthToken = "wrong" },
			want: "twilio: send SMS: HTTP 401 error 20003: Authenticate (https://www.twilio.com/docs/errors/20003)", hits: 1},
		{name: "500s exhausted", script: []scripted{{500, nil, "error_internal.json"}, {500, nil, "error_internal.json"}, {500, nil, "error_internal.json"}},
			want: "twilio: send SMS: HTTP 500 after 3 attempts error 20500: Internal Server Error", hits: 3},
		{name: "500 then success", script: []scripted{{500, nil, "error_internal.json"}}, hits: 2},
		{name: "malformed 201", script: []scripted{{201, nil, "error_internal.json"}}, want: "malformed response", hits: 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFakeTwilio(t)
			f.script = tc.script
			cfg := f.config()
			if tc.cfg != nil {
				tc.cfg(&cfg)
			}
			m := sms
			if tc.to != "" {
				m.To = tc.to
			}
			_, err := newClient(t, cfg).SendSMS(ctxT(t), m)
			if tc.want == "" && err != nil || tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
			if f.hits != tc.hits {
				t.Fatalf("%d requests, want %d", f.hits, tc.hits)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	f := newFakeTwilio(t)
	f.script = []scripted{{429, http.Header{"Retry-After": {"1"}}, "error_too_many_requests.json"}}
	start := time.Now()
	if _, err := newClient(t, f.config()).SendSMS(ctxT(t), sms); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < time.Second || f.hits != 2 {
		t.Fatalf("sent after %v and %d requests; Retry-After said 1s", d, f.hits)
	}
}

func TestDeadlineIsHonoured(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-block:
		}
	}))
	defer srv.Close()
	defer close(block)
	cfg := DefaultConfig()
	cfg.APIURL, cfg.AccountSID, cfg.AuthToken, cfg.From = srv.URL, accountSID, authToken, sender
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := newClient(t, cfg).SendSMS(ctx, sms); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		c    Config
		want string
	}{
		{Config{APIURL: "x"}, "TWILIO_ACCOUNT_SID"},
		{Config{AccountSID: "AC1", From: "+1", APIURL: "x"}, "TWILIO_AUTH_TOKEN or an API key"},
		{Config{AccountSID: "AC1", AuthToken: "t", APIKeySID: "SK1", APIKeySecret: "s", From: "+1", APIURL: "x"}, "not both"},
		{Config{AccountSID: "AC1", APIKeySID: "SK1", From: "+1", APIURL: "x"}, "needs both"},
		{Config{AccountSID: "AC1", AuthToken: "t", APIURL: "x"}, "a sender is required"},
		{Config{AccountSID: "AC1", AuthToken: "t", MessagingServiceSID: "XX", APIURL: "x"}, "starts with MG"},
	} {
		if err := tc.c.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Validate(%+v) = %v, want %q", tc.c, err, tc.want)
		}
	}
}

func TestDecodeGolden(t *testing.T) {
	r, err := decodeMessage(testdata(t, "message_created.json"))
	if err != nil || r.ID != "SM1f0e8ae6ade43cb3c0ce4525424e404f" || r.Status != "queued" {
		t.Fatalf("receipt %+v, %v", r, err)
	}
	_, err = decodeMessage([]byte(`{"sid":"SM1","status":"failed","error_code":30007,"error_message":"Message filtered"}`))
	if err == nil || err.Error() != "twilio: send SMS: message SM1 failed: error 30007: Message filtered" {
		t.Fatalf("err = %v", err)
	}
	e := newAPIError("send SMS", &retry.Response{Status: 429, Body: testdata(t, "error_too_many_requests.json"), Attempts: 3})
	if e.Error() != "twilio: send SMS: HTTP 429 after 3 attempts error 20429: Too Many Requests (https://www.twilio.com/docs/errors/20429)" {
		t.Fatalf("error = %q", e)
	}
}

func FuzzDecodeMessage(f *testing.F) {
	for _, name := range []string{"message_created.json", "error_invalid_to.json", "error_internal.json"} {
		f.Add(testdata(f, name))
	}
	f.Add([]byte(`{"sid":"SM1","status":"undelivered","error_code":null}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		r, err := decodeMessage(body)
		if err == nil && r.ID == "" {
			t.Fatal("a receipt without a message sid")
		}
		e := newAPIError("send SMS", &retry.Response{Status: 400, Body: body, Attempts: 1})
		if e.Message == "" {
			t.Fatal("an error without a message")
		}
	})
}
