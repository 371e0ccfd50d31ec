package webchat_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/fasthttp/websocket"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
	"github.com/frontdeskhq/frontdesk/channels/webchat"
	"github.com/frontdeskhq/frontdesk/channels/webchat/webchattest"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
)

var (
	valetKey  = []byte("valet-key-for-tests-0123456789abcdef")
	portalKey = []byte("portal-secret-for-tests-0123456789abcdef")
)

// server is the chat channel on a real router (card-lost on the local plugin) on loopback.
type server struct {
	base  string
	valet *auth.Valet
	stack *voicetest.Stack
	reg   *prometheus.Registry
}

// start serves the channel; allowedOrigins may name other sites' origins.
func start(t *testing.T, limits webchat.Limits, allowedOrigins ...string) *server {
	t.Helper()
	stack := voicetest.Start(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	reg := prometheus.NewRegistry()
	v := &auth.Valet{Keys: [][]byte{valetKey}, Used: stack.Sessions}
	ch := webchat.New(webchat.Config{
		Handle: stack.Handle, SubmitCSAT: stack.Router.SubmitCSAT, Sessions: stack.Sessions, Valet: v,
		JWT:          &auth.JWT{Issuer: "https://portal.example", Audience: "frontdesk", HMACKeys: [][]byte{portalKey}},
		CaseCustomer: func(context.Context, string) (string, error) { return voicetest.Customer, nil },
		Limits:       limits, AllowedOrigins: allowedOrigins, Metrics: reg, Logger: log,
	})
	srv := httpserver.New(httpserver.Config{}, prometheus.NewRegistry(), log)
	ch.Mount(srv)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return &server{base: "http://" + ln.Addr().String(), valet: v, stack: stack, reg: reg}
}

func portalToken(t *testing.T, over map[string]any) string {
	claims := map[string]any{"iss": "https://portal.example", "aud": "frontdesk", "sub": "portal-7",
		"customer_id": voicetest.Customer, "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range over {
		claims[k] = v
	}
	tok, err := auth.SignJWT(claims, portalKey)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// portalChat opens a chat with a portal token and reads the greeting.
func (s *server) portalChat(t *testing.T) *webchattest.Client {
	c := webchattest.Dial(t, s.base, nil)
	c.Send(webchat.ClientFrame{Type: webchat.TypeHello, Token: portalToken(t, nil)})
	c.Welcome()
	c.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeMessage })
	return c
}

func (s *server) link(t *testing.T, v *auth.Valet) string {
	key, err := v.Issue(auth.Scope{CaseID: "CASE-000001", Intent: "card_lost_stolen", Email: "ada@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	return s.base + webchat.PagePath + "?key=" + url.QueryEscape(key)
}

// A connection that drops after sending loses nothing: the resumed one gets the answer once,
// a frame sent again is acknowledged without a second turn, and a fresh page (last_seq 0)
// gets the whole transcript in order.
func TestResumeWithoutLossOrRepeats(t *testing.T) {
	s := start(t, webchat.Limits{})
	c := s.portalChat(t)
	c.Send(webchat.ClientFrame{Type: webchat.TypeText, ID: "t1", Text: "I lost my card"})
	if q := c.Question(); len(q.QuickReplies) != 2 {
		t.Fatalf("question %+v", q)
	}
	c.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeAck })
	seen := c.LastSeq

	// Send the answer; the frames that answer it arrive, but the client loses them (a copy
	// of it reads them, and c still has only seen).
	c.Send(webchat.ClientFrame{Type: webchat.TypeChoice, ID: "c1", Value: "lost"})
	lost := *c
	lost.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeAck && f.ID == "c1" })
	r := c.Resume()
	if r.LastSeq != seen {
		t.Fatalf("resumed at %d, want %d", r.LastSeq, seen)
	}
	q := r.Question()
	if len(q.QuickReplies) == 0 || q.QuickReplies[0].Value != "yes" {
		t.Fatalf("after resume: %+v, want the replacement question", q)
	}
	// The client did not see the ack, so it sends c1 again: only an ack comes back.
	r.Send(webchat.ClientFrame{Type: webchat.TypeChoice, ID: "c1", Value: "lost"})
	for _, f := range r.Until(func(f webchat.ServerFrame) bool { return f.Type == webchat.TypeAck && f.ID == "c1" }) {
		if f.Type == webchat.TypeMessage {
			t.Fatalf("a frame sent again was handled again: %+v", f.Message)
		}
	}
	fresh := webchattest.Dial(t, s.base, nil)
	fresh.Send(webchat.ClientFrame{Type: webchat.TypeResume, Session: r.Session})
	fresh.Welcome()
	for fresh.LastSeq < r.LastSeq {
		fresh.Next() // Next fails the test on any gap or repeat
	}
}

func TestLinkEntry(t *testing.T) {
	s := start(t, webchat.Limits{})
	past := &auth.Valet{Keys: s.valet.Keys, Used: s.valet.Used, TTL: time.Hour,
		Clock: func() time.Time { return time.Now().Add(-2 * time.Hour) }}
	good := s.link(t, s.valet)
	tampered := strings.Replace(good, "key=", "key=x", 1)
	c := webchattest.OpenLink(t, good)
	if q := c.Question(); len(q.QuickReplies) != 2 {
		t.Fatalf("a link's chat starts with %+v, want the policy's first question", q)
	}
	// The page checks signature and expiry without using the key up (mail scanners fetch
	// links first), so only the socket knows a replayed link.
	for _, tc := range []struct {
		name, link, code string
		status, page     int
	}{
		{"replayed", good, "link_used", http.StatusForbidden, http.StatusOK},
		{"expired", s.link(t, past), "link_expired", http.StatusUnauthorized, http.StatusUnauthorized},
		{"tampered", tampered, "link_invalid", http.StatusUnauthorized, http.StatusUnauthorized},
	} {
		t.Run(tc.name+" page", func(t *testing.T) {
			resp, err := http.Get(tc.link)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			shown := strings.Contains(string(body), `data-code="`+tc.code+`"`)
			if resp.StatusCode != tc.page || shown != (tc.page != http.StatusOK) {
				t.Fatalf("status %d, want %d (error %s shown: %v):\n%s", resp.StatusCode, tc.page, tc.code, shown, body)
			}
		})
		t.Run(tc.name+" hello", func(t *testing.T) {
			key, _ := url.QueryUnescape(tc.link[strings.Index(tc.link, "key=")+4:])
			c := webchattest.Dial(t, s.base, nil)
			c.Send(webchat.ClientFrame{Type: webchat.TypeHello, Key: key})
			if e := c.Error(); e.Code != tc.code || e.Status != tc.status || !e.Closing {
				t.Fatalf("error frame %+v, want %s %d closing", e, tc.code, tc.status)
			}
			if code := c.Closed(); code != 4000+tc.status {
				t.Fatalf("close code %d, want %d", code, 4000+tc.status)
			}
		})
	}
}

// Every bad input gets an error frame with a status; malformed frames leave the connection
// usable, and entry failures close it with 4000 + the status.
func TestBadInput(t *testing.T) {
	s := start(t, webchat.Limits{MaxFrameBytes: 1024, Rate: 5, Burst: 10, Hello: 2 * time.Second})
	c := s.portalChat(t)
	for _, tc := range []struct {
		name  string
		kind  int
		frame string
		code  string
	}{
		{"not JSON", websocket.TextMessage, `{"type":`, "bad_frame"},
		{"two values", websocket.TextMessage, `{"type":"typing"} {}`, "bad_frame"},
		{"unknown type", websocket.TextMessage, `{"type":"shout"}`, "bad_frame"},
		{"unknown field", websocket.TextMessage, `{"type":"text","text":"hi","admin":true}`, "bad_frame"},
		{"empty text", websocket.TextMessage, `{"type":"text","text":"  "}`, "bad_frame"},
		{"score out of range", websocket.TextMessage, `{"type":"csat","score":9}`, "bad_frame"},
		{"binary", websocket.BinaryMessage, `{"type":"typing"}`, "bad_frame"},
		{"second hello", websocket.TextMessage, `{"type":"hello"}`, "already_open"},
		{"csat with none waiting", websocket.TextMessage, `{"type":"csat","score":4}`, "no_csat"},
	} {
		if err := c.SendRaw(tc.kind, []byte(tc.frame)); err != nil {
			t.Fatal(err)
		}
		if e := c.Error(); e.Code != tc.code || e.Status < 400 || e.Closing {
			t.Errorf("%s: error frame %+v, want %s, connection kept", tc.name, e, tc.code)
		}
		time.Sleep(250 * time.Millisecond) // stay under the rate limit
	}
	// The connection still works.
	c.Send(webchat.ClientFrame{Type: webchat.TypeText, ID: "ok", Text: "I lost my card"})
	if q := c.Question(); len(q.QuickReplies) != 2 {
		t.Fatalf("after bad frames: %+v", q)
	}

	closing := []struct {
		name   string
		send   func(c *webchattest.Client)
		header http.Header
		code   string
		status int
		close  int
	}{
		{"text before hello", func(c *webchattest.Client) {
			c.Send(webchat.ClientFrame{Type: webchat.TypeText, Text: "hi"})
			c.Send(webchat.ClientFrame{Type: webchat.TypeHello})
		}, nil, "unauthenticated", 401, 4401},
		{"wrong audience", func(c *webchattest.Client) {
			c.Send(webchat.ClientFrame{Type: webchat.TypeHello, Token: portalToken(t, map[string]any{"aud": "billing"})})
		}, nil, "token_rejected", 403, 4403},
		{"expired token in the header", func(c *webchattest.Client) { c.Send(webchat.ClientFrame{Type: webchat.TypeHello}) },
			http.Header{"Authorization": {"Bearer " + portalToken(t, map[string]any{"exp": time.Now().Add(-time.Hour).Unix()})}},
			"token_expired", 401, 4401},
		{"unknown session", func(c *webchattest.Client) {
			c.Send(webchat.ClientFrame{Type: webchat.TypeResume, Session: "0123456789abcdef0123456789abcdef"})
		}, nil, "session_unknown", 404, 4404},
		{"oversized frame", func(c *webchattest.Client) {
			_ = c.SendRaw(websocket.TextMessage, []byte(`{"type":"text","text":"`+strings.Repeat("a", 4096)+`"}`))
		}, nil, "frame_too_large", 413, websocket.CloseMessageTooBig},
		{"flood", func(c *webchattest.Client) {
			c.Send(webchat.ClientFrame{Type: webchat.TypeHello, Token: portalToken(t, nil)})
			for i := 0; i < 30; i++ {
				_ = c.SendRaw(websocket.TextMessage, []byte(`{"type":"typing"}`)) // fails once closed
			}
		}, nil, "rate_limited", 429, websocket.ClosePolicyViolation},
	}
	for _, tc := range closing {
		t.Run(tc.name, func(t *testing.T) {
			c := webchattest.Dial(t, s.base, tc.header)
			tc.send(c)
			e := c.Error()
			if tc.name == "text before hello" {
				if e.Code != "hello_first" || e.Closing {
					t.Fatalf("error frame %+v, want hello_first, connection kept", e)
				}
				e = c.Error()
			}
			if e.Code != tc.code || e.Status != tc.status || !e.Closing {
				t.Fatalf("error frame %+v, want %s %d closing", e, tc.code, tc.status)
			}
			if code := c.Closed(); code != tc.close {
				t.Fatalf("close code %d, want %d", code, tc.close)
			}
		})
	}

	// A connection that opens no chat is closed, saying why.
	silent := webchattest.Dial(t, s.base, nil)
	if e := silent.Error(); e.Code != "hello_timeout" || e.Status != http.StatusRequestTimeout || !e.Closing {
		t.Fatalf("a silent connection: %+v, want hello_timeout", e)
	}
	if code := silent.Closed(); code != 4408 {
		t.Fatalf("a silent connection closed with %d, want 4408", code)
	}

	// A browser's socket from a page of another origin is refused.
	ws, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(s.base, "http")+webchat.SocketPath,
		http.Header{"Origin": {"https://evil.example"}})
	if err == nil {
		ws.Close()
		t.Fatal("a socket from another origin was accepted")
	}
	if resp == nil || resp.StatusCode != http.StatusForbidden {
		t.Fatalf("socket from another origin: %v %v, want 403", resp, err)
	}
	resp.Body.Close()

	// A plain GET of the socket is a JSON 400; and after all that, the server still serves.
	resp, err = http.Get(s.base + webchat.SocketPath)
	if err != nil {
		t.Fatal(err)
	}
	var body httpserver.ErrorBody
	_ = json.NewDecoder(resp.Body).Decode(&body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest || body.Error.Code != "websocket" {
		t.Fatalf("GET %s: %d %+v", webchat.SocketPath, resp.StatusCode, body)
	}
	s.portalChat(t)

	for code, want := range map[string]float64{"bad_frame": 7, "rate_limited": 1, "frame_too_large": 1, "token_rejected": 1} {
		if got := errorCount(t, s.reg, code); got != want {
			t.Errorf("errors_total{code=%q} = %g, want %g", code, got, want)
		}
	}
}

// errorCount reads frontdesk_webchat_errors_total of one code.
func errorCount(t *testing.T, reg *prometheus.Registry, code string) float64 {
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range families {
		if f.GetName() != "frontdesk_webchat_errors_total" {
			continue
		}
		for _, m := range f.GetMetric() {
			if m.GetLabel()[0].GetValue() == code {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

// Two devices of one chat: a turn on one shows on the other with its next turn, in order,
// nothing missing (the client checks that message numbers follow each other).
func TestTwoDevicesOfOneChat(t *testing.T) {
	s := start(t, webchat.Limits{})
	phone := s.portalChat(t)
	laptop := phone.Resume()
	phone.Send(webchat.ClientFrame{Type: webchat.TypeText, ID: "p1", Text: "I lost my card"})
	phone.Question()
	laptop.Send(webchat.ClientFrame{Type: webchat.TypeChoice, ID: "l1", Value: "lost"})
	// The phone's question first, then the laptop's answer and the next question.
	if q := laptop.Question(); len(q.QuickReplies) == 0 || q.QuickReplies[0].Value != "lost" {
		t.Fatalf("laptop: %+v, want the phone's question first", q)
	}
	if q := laptop.Question(); len(q.QuickReplies) == 0 || q.QuickReplies[0].Value != "yes" {
		t.Fatalf("laptop: %+v, want the replacement question", q)
	}
	if laptop.LastSeq <= phone.LastSeq {
		t.Fatalf("laptop at %d, phone at %d: the laptop did not get the phone's turn", laptop.LastSeq, phone.LastSeq)
	}
}
