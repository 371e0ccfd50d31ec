package twilio

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/channels/voice/voicetest"
	"github.com/frontdeskhq/frontdesk/core/message"
)

const (
	testToken = "0123456789abcdef0123456789abcdef"
	// publicURL is what Twilio calls; a proxy strips /fd before frontdesk, as in production.
	publicURL = "https://frontdesk.example.com/fd"
)

// server serves the channel on loopback, on a real router with the local plugin.
type server struct {
	base  string
	stack *voicetest.Stack
	ch    *Channel
}

func newServer(t testing.TB, cfg Config) *server {
	t.Helper()
	s := &server{stack: voicetest.Start(t)}
	s.ch = New(cfg, publicURL, s.stack.Voice(t, message.ChannelTwilio), s.stack.Sessions, voicetest.Quiet)
	s.base = voicetest.Serve(t, s.ch.Mount)
	return s
}

// post sends a form to Path with query, signed as Twilio signs the public URL.
func (s *server) post(t *testing.T, query string, form url.Values, signature string) (int, string) {
	t.Helper()
	uri := Path
	if query != "" {
		uri += "?" + query
	}
	if signature == "" {
		signature = Signature(testToken, publicURL+uri, form)
	}
	req, _ := http.NewRequest("POST", s.base+uri, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Twilio-Signature", signature)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/xml") {
		t.Fatalf("content type %q", ct)
	}
	return resp.StatusCode, string(body)
}

// caller walks a call turn by turn, following the URLs frontdesk answers with.
type caller struct {
	s    *server
	sid  string
	next string // query of the next request
}

func (c *caller) say(t *testing.T, form url.Values) string {
	t.Helper()
	form.Set("CallSid", c.sid)
	form.Set("From", "+447700900101")
	form.Set("To", "+14155550100")
	status, body := c.s.post(t, c.next, form, "")
	if status != 200 {
		t.Fatalf("status %d: %s", status, body)
	}
	c.next = nextQuery(body)
	return body
}

// nextQuery is the query of the answer's <Gather> action or <Redirect>.
func nextQuery(twiml string) string {
	for _, marker := range []string{`action="`, `<Redirect method="POST">`} {
		if _, rest, ok := strings.Cut(twiml, marker); ok {
			u, _, _ := strings.Cut(rest, `"`)
			u, _, _ = strings.Cut(u, "<")
			u = strings.ReplaceAll(u, "&amp;", "&")
			_, q, _ := strings.Cut(u, "?")
			return q
		}
	}
	return ""
}

func TestCardLostByPhone(t *testing.T) {
	s := newServer(t, Config{AuthToken: testToken, Handoff: Transfer{Dial: "+14155550199"}, Teams: map[string]Transfer{"fraud": {Enqueue: "fraud-line"}}})

	t.Run("lost: speech, keys, speech", func(t *testing.T) {
		c := &caller{s: s, sid: "CA0001", next: "customer_id=" + voicetest.Customer}
		if body := c.say(t, url.Values{"CallStatus": {"ringing"}}); !strings.Contains(body, "How can I help you today?") || !strings.Contains(body, "<Gather") {
			t.Fatalf("greeting %s", body)
		}
		body := c.say(t, url.Values{"SpeechResult": {"I lost my card."}, "Confidence": {"0.91"}})
		if !strings.Contains(body, "If your card was lost, press 1.") || !strings.Contains(body, `numDigits="1"`) || !strings.Contains(body, `hints="lost,stolen"`) {
			t.Fatalf("question %s", body)
		}
		if body = c.say(t, url.Values{"Digits": {"1"}}); !strings.Contains(body, "To get a replacement card, press 1.") {
			t.Fatalf("replace %s", body)
		}
		body = c.say(t, url.Values{"SpeechResult": {"Yes, please."}})
		if !strings.Contains(body, "our cards team will block the old card") || !strings.HasSuffix(body, "<Hangup/></Response>") {
			t.Fatalf("end %s", body)
		}
		cs, log := s.stack.Case(t, "twilio-CA0001")
		if cs.Queue != "cards" || cs.Category != "card_lost" || !strings.Contains(log, "ended: replacement_requested") {
			t.Fatalf("case %+v\n%s", cs, log)
		}
	})

	t.Run("stolen: the number names the intent, hand-off enqueues for fraud", func(t *testing.T) {
		c := &caller{s: s, sid: "CA0002", next: "customer_id=" + voicetest.Customer + "&intent=card_lost_stolen"}
		if body := c.say(t, url.Values{}); !strings.Contains(body, "If it was stolen, press 2.") {
			t.Fatalf("question %s", body)
		}
		body := c.say(t, url.Values{"SpeechResult": {"It was stolen"}})
		if !strings.Contains(body, "<Enqueue>fraud-line</Enqueue>") || !strings.Contains(body, "connecting you with a colleague") {
			t.Fatalf("hand-off %s", body)
		}
		cs, log := s.stack.Case(t, "twilio-CA0002")
		if cs.Queue != "fraud" || !strings.Contains(log, "action handoff at fraud done") {
			t.Fatalf("case %+v\n%s", cs, log)
		}
	})

	t.Run("silence reprompts, then dials the configured number", func(t *testing.T) {
		c := &caller{s: s, sid: "CA0003", next: "customer_id=" + voicetest.Customer + "&intent=card_lost_stolen"}
		c.say(t, url.Values{})
		for i := 0; i < 2; i++ {
			if body := c.say(t, url.Values{}); !strings.Contains(body, "Sorry, I did not hear anything.") {
				t.Fatalf("reprompt %d: %s", i, body)
			}
		}
		if body := c.say(t, url.Values{}); !strings.Contains(body, "<Dial>+14155550199</Dial>") {
			t.Fatalf("hand-off %s", body)
		}
		if cs, log := s.stack.Case(t, "twilio-CA0003"); !strings.Contains(log, "no input after 3 prompts at what_happened") {
			t.Fatalf("case %+v\n%s", cs, log)
		}
	})

	t.Run("a slow turn holds, then answers", func(t *testing.T) {
		s.ch.cfg.AnswerWithin, s.ch.cfg.Holds = 100*time.Millisecond, 20
		s.stack.Sleep = 600 * time.Millisecond
		c := &caller{s: s, sid: "CA0004", next: "customer_id=" + voicetest.Customer}
		c.say(t, url.Values{})
		body := c.say(t, url.Values{"SpeechResult": {"slow"}})
		if !strings.Contains(body, "One moment, please.") || !strings.Contains(c.next, "wait=1&hold=1") {
			t.Fatalf("holding answer %s", body)
		}
		for i := 0; i < 10 && strings.Contains(body, "One moment"); i++ {
			body = c.say(t, url.Values{})
		}
		if !strings.Contains(body, "All done.") || !strings.Contains(body, "<Hangup/>") {
			t.Fatalf("late answer %s", body)
		}
	})

	t.Run("a turn slower than every hold is handed off", func(t *testing.T) {
		s.ch.cfg.AnswerWithin, s.ch.cfg.Holds = 50*time.Millisecond, 2
		s.stack.Sleep = 2 * time.Second
		c := &caller{s: s, sid: "CA0005", next: "customer_id=" + voicetest.Customer}
		c.say(t, url.Values{})
		body := c.say(t, url.Values{"SpeechResult": {"slow"}})
		for i := 0; i < 5 && strings.Contains(body, "One moment"); i++ {
			body = c.say(t, url.Values{})
		}
		if !strings.Contains(body, "<Dial>") {
			t.Fatalf("hand-off %s", body)
		}
		if _, log := s.stack.Case(t, "twilio-CA0005"); !strings.Contains(log, "the automation took too long") {
			t.Fatalf("decision log %s", log)
		}
		// When the slow turn ends, it finds the hand-off and does not start the policy again.
		time.Sleep(s.stack.Sleep + 500*time.Millisecond)
		if _, log := s.stack.Case(t, "twilio-CA0005"); strings.Contains(log, "policy slow version") || !strings.Contains(log, "(twilio, turn 1)") {
			t.Fatalf("the policy ran again after the hand-off:\n%s", log)
		}
	})
}

func TestRefusals(t *testing.T) {
	s := newServer(t, Config{AuthToken: testToken})
	form := url.Values{"CallSid": {"CA0100"}, "From": {"+447700900101"}}

	if status, body := s.post(t, "", form, "bm90IGEgc2lnbmF0dXJl"); status != 403 || !strings.Contains(body, "not signed by Twilio") {
		t.Fatalf("forged: %d %s", status, body)
	}
	// Signed for another host: the public URL is what counts, not the Host header.
	if status, _ := s.post(t, "", form, Signature(testToken, s.base+Path, form)); status != 403 {
		t.Fatalf("signed for the wrong URL: %d", status)
	}
	if status, _ := s.post(t, "", form, ""); status != 200 {
		t.Fatalf("first: %d", status)
	}
	if status, body := s.post(t, "", form, ""); status != 403 || !strings.Contains(body, "already answered") {
		t.Fatalf("replayed: %d %s", status, body)
	}
	if status, body := s.post(t, "turn=x", url.Values{"CallSid": {"CA0101"}}, ""); status != 400 || !strings.Contains(body, "<Response>") {
		t.Fatalf("malformed query: %d %s", status, body)
	}
	if status, _ := s.post(t, "", url.Values{"From": {"+1"}}, ""); status != 400 {
		t.Fatalf("no CallSid: %d", status)
	}
}
